"""Tributary's graph API: build a ``StateGraph``, ``compile()`` it, run it.

Names and shapes follow LangGraph, so a graph ports by changing imports.
"""

__version__ = "0.1.0"

from actors import RetryPolicy
from runtime.cache import BaseCache, CachePolicy, InMemoryCache
from runtime.checkpoint import InMemorySaver, MemorySaver, SqliteSaver
from runtime.core.context import get_config, get_runtime, get_store, get_stream_writer
from runtime.core.graph_runtime import ExecutionInfo, Runtime
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
from runtime.core.types import END, START, Command, Interrupt, PregelTask, Send, StateSnapshot, StateUpdate
from runtime.runnables.graph import Graph
from runtime.scheduler.interrupts import interrupt
from runtime.scheduler.payloads import CheckpointPayload, CheckpointTask, DebugPayload, TaskPayload, TaskResultPayload
from runtime.store import BaseStore, InMemoryStore, Item, SearchItem

from .builder import StateGraph
from .compiled import CompiledStateGraph
from .message import MessagesState, add_messages
from .prebuilt import InjectedState, InjectedStore, ToolNode, create_react_agent, tools_condition

__all__ = [
    "END",
    "START",
    "BaseCache",
    "BaseStore",
    "CachePolicy",
    "CheckpointPayload",
    "CheckpointTask",
    "Command",
    "CompiledStateGraph",
    "DebugPayload",
    "EmptyChannelError",
    "EmptyInputError",
    "ExecutionInfo",
    "Graph",
    "GraphBubbleUp",
    "GraphError",
    "GraphInterrupt",
    "GraphRecursionError",
    "InjectedState",
    "InjectedStore",
    "InMemoryCache",
    "InMemorySaver",
    "InMemoryStore",
    "Interrupt",
    "InvalidGraphError",
    "InvalidUpdateError",
    "Item",
    "MemorySaver",
    "MessagesState",
    "ParentCommand",
    "PregelTask",
    "RetryPolicy",
    "Runtime",
    "SearchItem",
    "Send",
    "SqliteSaver",
    "StateGraph",
    "StateSnapshot",
    "StateUpdate",
    "StreamMode",
    "StreamPart",
    "StreamWriter",
    "TaskPayload",
    "TaskResultPayload",
    "ToolNode",
    "add_messages",
    "create_react_agent",
    "get_config",
    "get_runtime",
    "get_store",
    "get_stream_writer",
    "interrupt",
    "tools_condition",
]
