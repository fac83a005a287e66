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
from runtime.checkpoint import InMemorySaver, SqliteSaver
from runtime.scheduler.interrupts import interrupt
from runtime.stream import StreamPart, StreamWriter
from runtime.types import END, START, Command, Interrupt, PregelTask, Send, StateSnapshot

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
    "InMemorySaver",
    "Interrupt",
    "InvalidGraphError",
    "InvalidUpdateError",
    "RetryPolicy",
    "PregelTask",
    "Send",
    "SqliteSaver",
    "StateSnapshot",
    "StateGraph",
    "StreamPart",
    "StreamWriter",
    "get_config",
    "get_stream_writer",
    "interrupt",
]
