"""Tributary's engine. The floor plan:

* ``core`` — config and context, errors, the graph's value types, stream parts and
  the safe stream, calling user functions, the sync bridge;
* ``hosting`` — the engine as a trio guest run on an asyncio loop, and the doors
  the async API is called through;
* ``messages`` — chat messages, their chunks and how chunks add up;
* ``runnables`` — the ``Runnable`` protocol, combinators, output parsers, retrievers;
* ``prompts`` — prompt templates and prompt values;
* ``models`` — chat models and deterministic fakes;
* ``tools`` — ``@tool`` and ``BaseTool``;
* ``tracing`` — runs, callback handlers, ``astream_events`` and ``messages`` mode;
* ``scheduler`` — the pure step core and the trio driver that runs its tasks as actors;
* ``checkpoint`` — checkpoint savers and their serializer;
* ``store`` — long-term memory shared across threads (``BaseStore``, ``InMemoryStore``);
* ``cache`` — the node cache (``CachePolicy``, ``InMemoryCache``).
"""

__version__ = "0.1.0"

from .core import (
    OutputParserException,
    RunnableConfig,
    SafeStream,
    StreamPart,
    StreamWriter,
    ensure_config,
    get_config,
    get_stream_writer,
    merge_configs,
)
from .messages import (
    AIMessage,
    AIMessageChunk,
    AnyMessage,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    HumanMessageChunk,
    RemoveMessage,
    SystemMessage,
    SystemMessageChunk,
    ToolCall,
    ToolMessage,
    ToolMessageChunk,
    UsageMetadata,
    convert_to_messages,
    filter_messages,
    get_buffer_string,
    messages_from_dict,
    messages_to_dict,
    trim_messages,
)
from .models import (
    BaseChatModel,
    ChatGeneration,
    ChatGenerationChunk,
    ChatResult,
    FakeListChatModel,
    FakeMessagesListChatModel,
    FakeToolCallingModel,
    GenericFakeChatModel,
)
from .prompts import ChatPromptTemplate, ChatPromptValue, MessagesPlaceholder, PromptTemplate, StringPromptValue
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
    SimpleJsonOutputParser,
    RunnableWithFallbacks,
    StrOutputParser,
    chain,
    parse_json_markdown,
    parse_partial_json,
)
from .tools import (
    BaseTool,
    InjectedToolArg,
    InjectedToolCallId,
    StructuredTool,
    ToolException,
    convert_to_openai_tool,
    tool,
)
from .tracing import AsyncCallbackHandler, BaseCallbackHandler, adispatch_custom_event, dispatch_custom_event

__all__ = [
    "StringPromptValue",
    "PromptTemplate",
    "MessagesPlaceholder",
    "ChatPromptValue",
    "ChatPromptTemplate",
    "AIMessage",
    "AIMessageChunk",
    "AnyMessage",
    "AsyncCallbackHandler",
    "BaseCallbackHandler",
    "BaseChatModel",
    "BaseMessage",
    "BaseRetriever",
    "BaseTool",
    "ChatGeneration",
    "ChatGenerationChunk",
    "ChatMessage",
    "ChatResult",
    "Document",
    "FakeListChatModel",
    "FakeMessagesListChatModel",
    "FakeToolCallingModel",
    "GenericFakeChatModel",
    "HumanMessage",
    "HumanMessageChunk",
    "InMemoryRetriever",
    "InjectedToolArg",
    "InjectedToolCallId",
    "JsonOutputParser",
    "OutputParserException",
    "RemoveMessage",
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
    "SimpleJsonOutputParser",
    "StrOutputParser",
    "StreamPart",
    "StreamWriter",
    "StructuredTool",
    "SystemMessage",
    "SystemMessageChunk",
    "ToolCall",
    "ToolException",
    "ToolMessage",
    "ToolMessageChunk",
    "UsageMetadata",
    "adispatch_custom_event",
    "chain",
    "convert_to_messages",
    "convert_to_openai_tool",
    "dispatch_custom_event",
    "ensure_config",
    "filter_messages",
    "get_buffer_string",
    "get_config",
    "get_stream_writer",
    "merge_configs",
    "messages_from_dict",
    "messages_to_dict",
    "parse_json_markdown",
    "parse_partial_json",
    "tool",
    "trim_messages",
]
