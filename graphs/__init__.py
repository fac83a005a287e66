"""Tributary's graph API: build a ``StateGraph``, ``compile()`` it, run it.

Names and shapes follow LangGraph, so a graph ports by changing imports.
"""

from actors import RetryPolicy
from runtime.context import get_config, get_stream_writer
from runtime.errors import (
    EmptyInputError,
    GraphError,
    GraphRecursionError,
    InvalidGraphError,
    InvalidUpdateError,
)
from runtime.stream import StreamPart, StreamWriter
from runtime.types import END, START, Command, Interrupt, Send

from .builder import StateGraph
from .compiled import CompiledStateGraph

__all__ = [
    "END",
    "START",
    "Command",
    "CompiledStateGraph",
    "EmptyInputError",
    "GraphError",
    "GraphRecursionError",
    "Interrupt",
    "InvalidGraphError",
    "InvalidUpdateError",
    "RetryPolicy",
    "Send",
    "StateGraph",
    "StreamPart",
    "StreamWriter",
    "get_config",
    "get_stream_writer",
]
