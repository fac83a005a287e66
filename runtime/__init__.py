"""Tributary's engine: config and context, runnables, models, tools, events, the scheduler."""

__version__ = "0.1.0"

from .config import RunnableConfig, ensure_config
from .context import get_config, get_stream_writer
from .messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from .models import (
    BaseChatModel,
    FakeListChatModel,
    FakeMessagesListChatModel,
    FakeToolCallingModel,
    GenericFakeChatModel,
)
from .parsers import JsonOutputParser, StrOutputParser
from .retrievers import BaseRetriever, Document, InMemoryRetriever
from .runnable import Runnable, RunnableBinding
from .runnables import (
    RunnableGenerator,
    RunnableLambda,
    RunnableParallel,
    RunnablePassthrough,
    RunnableSequence,
    chain,
)
from .safe_stream import SafeStream
from .stream import StreamPart, StreamWriter
from .tools import BaseTool, tool
from .tracing import BaseCallbackHandler, adispatch_custom_event, dispatch_custom_event

__all__ = [
    "AIMessage",
    "AIMessageChunk",
    "BaseCallbackHandler",
    "BaseChatModel",
    "BaseMessage",
    "BaseRetriever",
    "BaseTool",
    "Document",
    "FakeListChatModel",
    "FakeMessagesListChatModel",
    "FakeToolCallingModel",
    "GenericFakeChatModel",
    "HumanMessage",
    "InMemoryRetriever",
    "JsonOutputParser",
    "Runnable",
    "RunnableBinding",
    "RunnableConfig",
    "RunnableGenerator",
    "RunnableLambda",
    "RunnableParallel",
    "RunnablePassthrough",
    "RunnableSequence",
    "SafeStream",
    "StrOutputParser",
    "StreamPart",
    "StreamWriter",
    "SystemMessage",
    "ToolCall",
    "ToolMessage",
    "adispatch_custom_event",
    "chain",
    "dispatch_custom_event",
    "ensure_config",
    "get_config",
    "get_stream_writer",
    "tool",
]
