"""Tributary's graph API: build a ``StateGraph``, ``compile()`` it, run it.

Names and shapes follow LangGraph, so a graph ports by changing imports.
"""

__version__ = "0.1.0"

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
from runtime.message_reducer import MessagesState, add_messages
from runtime.scheduler.interrupts import interrupt
from runtime.stream import StreamPart, StreamWriter
from runtime.types import END, START, Command, Interrupt, PregelTask, Send, StateSnapshot

from .builder import StateGraph
from .compiled import CompiledStateGraph
from .prebuilt import ToolNode, create_react_agent, tools_condition

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
    "MessagesState",
    "RetryPolicy",
    "PregelTask",
    "Send",
    "SqliteSaver",
    "StateSnapshot",
    "StateGraph",
    "StreamPart",
    "StreamWriter",
    "ToolNode",
    "add_messages",
    "create_react_agent",
    "get_config",
    "get_stream_writer",
    "interrupt",
    "tools_condition",
]
