"""Tributary's graph API: build a ``StateGraph``, ``compile()`` it, run it.

Names and shapes follow LangGraph, so a graph ports by changing imports.
"""

__version__ = "0.1.0"

from actors import RetryPolicy
from runtime.checkpoint import InMemorySaver, SqliteSaver
from runtime.core.context import get_config, get_stream_writer
from runtime.core.errors import (
    EmptyChannelError,
    EmptyInputError,
    GraphBubbleUp,
    GraphError,
    GraphInterrupt,
    GraphRecursionError,
    InvalidGraphError,
    InvalidUpdateError,
    ParentCommand,
)
from runtime.core.stream import StreamMode, StreamPart, StreamWriter
from runtime.core.types import END, START, Command, Interrupt, PregelTask, Send, StateSnapshot
from runtime.scheduler.interrupts import interrupt
from runtime.scheduler.payloads import CheckpointPayload, CheckpointTask, DebugPayload, TaskPayload, TaskResultPayload

from .builder import StateGraph
from .compiled import CompiledStateGraph
from .message import MessagesState, add_messages
from .prebuilt import InjectedState, ToolNode, create_react_agent, tools_condition

__all__ = [
    "END",
    "START",
    "CheckpointPayload",
    "CheckpointTask",
    "Command",
    "CompiledStateGraph",
    "DebugPayload",
    "EmptyChannelError",
    "EmptyInputError",
    "GraphBubbleUp",
    "GraphError",
    "GraphInterrupt",
    "GraphRecursionError",
    "InjectedState",
    "InMemorySaver",
    "Interrupt",
    "InvalidGraphError",
    "InvalidUpdateError",
    "MessagesState",
    "ParentCommand",
    "RetryPolicy",
    "PregelTask",
    "Send",
    "SqliteSaver",
    "StateSnapshot",
    "StateGraph",
    "StreamMode",
    "StreamPart",
    "StreamWriter",
    "TaskPayload",
    "TaskResultPayload",
    "ToolNode",
    "add_messages",
    "create_react_agent",
    "get_config",
    "get_stream_writer",
    "interrupt",
    "tools_condition",
]
