"""Tributary's engine. The floor plan:

* ``core`` — config and context, errors, the graph's value types, stream parts and
  the safe stream, calling user functions, the sync bridge;
* ``messages`` — chat messages, their chunks and how chunks add up;
* ``runnables`` — the ``Runnable`` protocol, combinators, output parsers, retrievers;
* ``models`` — chat models and deterministic fakes;
* ``tools`` — ``@tool`` and ``BaseTool``;
* ``tracing`` — runs, callback handlers, ``astream_events`` and ``messages`` mode;
* ``scheduler`` — the pure step core and the trio driver that runs its tasks as actors;
* ``checkpoint`` — checkpoint savers and their serializer;
* ``store`` — long-term memory shared across threads (``BaseStore``, ``InMemoryStore``);
* ``cache`` — the node cache (``CachePolicy``, ``InMemoryCache``).
"""

__version__ = "0.1.0"

from .core import RunnableConfig, SafeStream, StreamPart, StreamWriter, ensure_config, get_config, get_stream_writer
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
from .runnables import (
    BaseRetriever,
    Document,
    InMemoryRetriever,
    JsonOutputParser,
    Runnable,
    RunnableBinding,
    RunnableBranch,
    RunnableGenerator,
    RunnableLambda,
    RunnableParallel,
    RunnablePassthrough,
    RunnableSequence,
    RunnableWithFallbacks,
    StrOutputParser,
    chain,
)
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
    "RunnableBranch",
    "RunnableConfig",
    "RunnableGenerator",
    "RunnableLambda",
    "RunnableParallel",
    "RunnablePassthrough",
    "RunnableSequence",
    "RunnableWithFallbacks",
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
