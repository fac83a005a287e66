"""What every layer of the engine shares: config and context, errors, the graph's
value types, stream parts and the safe stream, calling user functions, and the
bridge that derives the sync API from the async one."""

from ._sync import iterate_sync, refuse_in_trio, run_sync
from .callables import UserFunction, function_name
from .config import RunnableConfig, ambient, current_config, ensure_config, in_config, merge_configs
from .context import TaskContext, current_task_context, get_config, get_runtime, get_store, get_stream_writer
from .errors import (
    CheckpointStoreError,
    DeserializationError,
    EmptyChannelError,
    EmptyInputError,
    ErrorCode,
    GraphBubbleUp,
    GraphError,
    GraphInterrupt,
    GraphRecursionError,
    InvalidGraphError,
    InvalidUpdateError,
    LangChainException,
    OutputParserException,
    ParentCommand,
    PartialJsonError,
    ToolException,
    ToolInvocationError,
    TracerException,
    create_message,
)
from .graph_runtime import ExecutionInfo, Runtime
from .safe_stream import SafeStream
from .stream import StreamMode, StreamPart, StreamTarget, StreamWriter
from .types import END, START, Command, Interrupt, PregelTask, Send, StateSnapshot

__all__ = [
    "END",
    "START",
    "CheckpointStoreError",
    "Command",
    "DeserializationError",
    "EmptyChannelError",
    "EmptyInputError",
    "ErrorCode",
    "ExecutionInfo",
    "GraphBubbleUp",
    "GraphError",
    "GraphInterrupt",
    "GraphRecursionError",
    "Interrupt",
    "InvalidGraphError",
    "InvalidUpdateError",
    "LangChainException",
    "OutputParserException",
    "ParentCommand",
    "PartialJsonError",
    "PregelTask",
    "RunnableConfig",
    "Runtime",
    "SafeStream",
    "Send",
    "StateSnapshot",
    "StreamMode",
    "StreamPart",
    "StreamTarget",
    "StreamWriter",
    "TaskContext",
    "TracerException",
    "create_message",
    "ToolException",
    "ToolInvocationError",
    "UserFunction",
    "ambient",
    "current_config",
    "current_task_context",
    "ensure_config",
    "function_name",
    "get_config",
    "get_runtime",
    "get_store",
    "get_stream_writer",
    "in_config",
    "iterate_sync",
    "merge_configs",
    "refuse_in_trio",
    "run_sync",
]
