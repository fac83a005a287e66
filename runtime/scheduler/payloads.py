"""Pure shaping of the ``tasks``, ``debug`` and ``checkpoints`` payloads (see docs/streaming.md)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict, Union

from .task import Task


class TaskPayload(TypedDict):
    """A ``tasks`` / ``debug`` task start."""

    id: str
    name: str
    input: Any
    triggers: Sequence[str]
    metadata: NotRequired[dict[str, Any]]


class TaskResultPayload(TypedDict):
    """A ``tasks`` / ``debug`` task result."""

    id: str
    name: str
    error: BaseException | str | None
    interrupts: list[Any]
    result: dict[str, Any]


class CheckpointTask(TypedDict):
    """A task of a ``checkpoints`` / ``debug`` checkpoint: ``result`` once it wrote to the output keys."""

    id: str
    name: str
    error: NotRequired[str]
    result: NotRequired[Any]
    interrupts: NotRequired[tuple[dict[str, Any], ...]]
    state: Any


class CheckpointPayload(TypedDict):
    """A ``checkpoints`` / ``debug`` checkpoint."""

    config: Mapping[str, Any] | None
    metadata: dict[str, Any]
    values: Any
    next: list[str]
    parent_config: Mapping[str, Any] | None
    tasks: list[CheckpointTask]


class _DebugItem(TypedDict):
    step: int
    timestamp: str
    type: Literal["checkpoint", "task", "task_result"]
    payload: Union[CheckpointPayload, TaskPayload, TaskResultPayload]


DebugPayload = _DebugItem
"""A ``debug`` item: the ``type`` of payload, its step and time."""

__all__ = [
    "TaskPayload", "TaskResultPayload", "CheckpointTask", "CheckpointPayload", "DebugPayload",
    "user_metadata", "task_start", "task_result", "fold_writes", "debug_item", "checkpoint_payload", "now_iso",
]


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


# LangGraph's bookkeeping keys: a task payload's own fields and namespace say them already.
_EXCLUDED_METADATA_KEYS = frozenset((
    "thread_id", "checkpoint_id", "checkpoint_ns", "checkpoint_map", "langgraph_step",
    "langgraph_node", "langgraph_triggers", "langgraph_path", "langgraph_checkpoint_ns",
))


def user_metadata(config: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a run's metadata a task payload forwards: the user's keys, and the user's tags."""
    metadata = {k: v for k, v in (config.get("metadata") or {}).items() if k not in _EXCLUDED_METADATA_KEYS}
    tags = [t for t in config.get("tags") or () if not t.startswith("seq:step")]
    if tags:
        metadata["tags"] = tags
    return metadata


def task_start(task: Task, user_metadata: Mapping[str, Any]) -> dict[str, Any]:
    """A task's start: ``{"id","name","input","triggers"}``, plus ``metadata`` when there is any.

    ``metadata`` is the run's :func:`user_metadata` with the node's own metadata,
    as LangGraph 1.2's ``map_debug_tasks`` sends it.
    """
    payload: dict[str, Any] = {"id": task.id, "name": task.name, "input": task.input, "triggers": task.triggers}
    node_metadata = task.node.metadata
    if user_metadata or node_metadata:
        metadata = {**user_metadata, **node_metadata}
        if "tags" in user_metadata:  # the tags go last, as LangGraph folds them in after the metadata
            metadata["tags"] = metadata.pop("tags")
        payload["metadata"] = metadata
    return payload


def fold_writes(writes: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Writes by channel; a channel written more than once holds ``{"$writes": [...]}`` (LangGraph's shape)."""
    result: dict[str, Any] = {}
    repeated: set[str] = set()
    for key, value in writes:
        if key not in result:
            result[key] = value
        elif key in repeated:
            result[key]["$writes"].append(value)
        else:
            repeated.add(key)
            result[key] = {"$writes": [result[key], value]}
    return result


def task_result(task: Task, output_keys: Iterable[str]) -> dict[str, Any]:
    """A task's result: its error (or None), its writes to output keys, its interrupts."""
    keys = frozenset(output_keys)
    return {
        "id": task.id,
        "name": task.name,
        "error": task.error,
        "result": {} if task.error is not None else fold_writes((k, v) for k, v in task.writes if k in keys),
        "interrupts": [interrupt_payload(i) for i in task.interrupts],
    }


def interrupt_payload(interrupt: Any) -> dict[str, Any]:
    """An interrupt as LangGraph 1.2's payloads give it: its dataclass fields as a dict
    (``response_schema`` is always ``None`` here: ``interrupt()`` takes no schema)."""
    return {"value": interrupt.value, "id": interrupt.id, "response_schema": getattr(interrupt, "response_schema", None)}


# Keys of a checkpoint's own config: the run's values for them are not carried over.
_CHECKPOINT_KEYS = frozenset(("thread_id", "checkpoint_ns", "checkpoint_id", "checkpoint_map"))


def _with_run_keys(config: Mapping[str, Any], run_configurable: Mapping[str, Any] | None) -> dict[str, Any]:
    """A checkpoint's config as LangGraph streams it: the run's ``configurable`` keys around
    the checkpoint's own, in LangGraph's order (namespace, thread, the run's, map, id)."""
    own = config["configurable"]
    extra = {
        k: v for k, v in (run_configurable or {}).items() if k not in _CHECKPOINT_KEYS and not k.startswith("__")
    }
    configurable: dict[str, Any] = {"checkpoint_ns": own["checkpoint_ns"], "thread_id": own["thread_id"], **extra}
    if "checkpoint_map" in own:
        configurable["checkpoint_map"] = own["checkpoint_map"]
    configurable["checkpoint_id"] = own["checkpoint_id"]
    return {"configurable": configurable}


def debug_item(step: int, kind: str, payload: Any) -> dict[str, Any]:
    """``debug`` mode's wrapper around a task, task result or checkpoint payload."""
    return {"step": step, "timestamp": now_iso(), "type": kind, "payload": payload}


def checkpoint_payload(
    config: Mapping[str, Any],
    parent_config: Mapping[str, Any] | None,
    values: dict[str, Any],
    metadata: Mapping[str, Any],
    next_tasks: Iterable[Task],
    *,
    thread_id: str | None = None,
    output_keys: Iterable[str] = (),
    results: Mapping[str, Sequence[tuple[str, Any]]] | None = None,
    interrupts: Mapping[str, tuple[Any, ...]] | None = None,
    run_configurable: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A saved checkpoint as ``get_state`` would describe it.

    A task is ``{"id", "name", "interrupts", "state"}``, plus ``"result"`` (its
    writes to ``output_keys``) once ``results`` holds its writes; a re-announced
    checkpoint of a resumed run has such finished tasks, and ``interrupts`` of
    the tasks waiting for an answer. As in LangGraph, interrupts are given as
    dicts (:func:`interrupt_payload`), a subgraph task's ``state`` is the config
    of its checkpoints (``thread_id`` and its ``checkpoint_ns``), and the configs
    also carry the run's own ``configurable`` keys (``run_configurable``).
    """
    tasks = list(next_tasks)
    keys = frozenset(output_keys)
    described = []
    for t in tasks:
        waiting = interrupts.get(t.id, ()) if interrupts else ()
        task: dict[str, Any] = {
            "id": t.id,
            "name": t.name,
            "interrupts": tuple(interrupt_payload(i) for i in waiting),
            "state": {"configurable": {"thread_id": thread_id, "checkpoint_ns": t.checkpoint_ns}}
            if t.node.is_subgraph and thread_id is not None
            else None,
        }
        result = fold_writes((k, v) for k, v in results[t.id] if k in keys) if results and t.id in results else None
        if result:  # as LangGraph: a task that wrote nothing to the output keys shows no result
            task["result"] = result
        described.append(task)
    return {
        "config": _with_run_keys(config, run_configurable),
        "parent_config": None if parent_config is None else _with_run_keys(parent_config, run_configurable),
        "values": values,
        "metadata": dict(metadata),
        "next": [t.name for t in tasks],
        "tasks": described,
    }
