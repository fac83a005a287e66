"""Checkpoint storage: where a graph saves its state after every step.

A saver (``InMemorySaver``, ``SqliteSaver``, or any ``BaseCheckpointSaver``)
keeps checkpoints per thread and namespace, plus the pending writes of tasks
that finished before the next checkpoint; ``JsonSerializer`` turns the values
into bytes without ever running code on load. Types that are neither JSON nor
built in are stored once registered with ``register_type`` or
``register_attrs_class``.
"""

from .base import BaseCheckpointSaver, CheckpointStoreError, CheckpointTuple, new_checkpoint_id
from .memory import InMemorySaver, MemorySaver
from .serde import (
    DeserializationError,
    JsonSerializer,
    TypeRegistry,
    default_registry,
    register_attrs_class,
    register_type,
)
from .sqlite import SqliteSaver

__all__ = [
    "BaseCheckpointSaver",
    "CheckpointTuple",
    "CheckpointStoreError",
    "new_checkpoint_id",
    "InMemorySaver",
    "MemorySaver",
    "SqliteSaver",
    "JsonSerializer",
    "TypeRegistry",
    "DeserializationError",
    "default_registry",
    "register_type",
    "register_attrs_class",
]
