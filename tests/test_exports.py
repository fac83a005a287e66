"""The names LangChain / LangGraph users import are exported where a port looks for them
(``benchmarks/compat_names.py`` lists them all against the reference packages)."""

from __future__ import annotations

import importlib

import pytest

EXPECTED = {
    "runtime": [
        "ToolException", "RemoveMessage", "StructuredTool", "UsageMetadata", "HumanMessageChunk", "SystemMessageChunk",
        "ToolMessageChunk", "ChatMessage", "SimpleJsonOutputParser", "parse_json_markdown", "parse_partial_json",
        "OutputParserException", "ChatGeneration", "ChatGenerationChunk", "ChatResult", "AsyncCallbackHandler",
        "merge_configs", "trim_messages", "filter_messages", "messages_to_dict", "messages_from_dict",
        "convert_to_messages", "get_buffer_string", "InjectedToolArg", "InjectedToolCallId", "convert_to_openai_tool",
        "ChatPromptTemplate", "MessagesPlaceholder", "PromptTemplate",
    ],
    "runtime.messages": [
        "ChatMessage", "ChatMessageChunk", "FunctionMessage", "ToolMessageChunk", "message_to_dict", "messages_to_dict",
        "messages_from_dict", "get_buffer_string", "trim_messages", "filter_messages", "merge_message_runs",
        "count_tokens_approximately", "LC_ID_PREFIX", "InputTokenDetails", "OutputTokenDetails", "RemoveMessage",
    ],
    "runtime.tools": [
        "BaseTool", "StructuredTool", "Tool", "ToolException", "InjectedToolArg", "InjectedToolCallId", "tool",
        "convert_to_openai_tool", "convert_to_openai_function",
    ],
    "runtime.runnables": [
        "SimpleJsonOutputParser", "JsonOutputParser", "StrOutputParser", "OutputParserException", "parse_json_markdown",
        "parse_partial_json", "merge_configs", "ensure_config", "RunnableConfig",
    ],
    "runtime.models": ["BaseChatModel", "ChatGeneration", "ChatGenerationChunk", "ChatResult", "Generation", "LLMResult"],
    "runtime.prompts": [
        "ChatPromptTemplate", "MessagesPlaceholder", "PromptTemplate", "ChatPromptValue", "StringPromptValue",
        "PromptValue", "BasePromptTemplate", "HumanMessagePromptTemplate", "SystemMessagePromptTemplate",
        "AIMessagePromptTemplate", "ChatMessagePromptTemplate", "BaseChatPromptTemplate", "format_document",
        "aformat_document",
    ],
    "runtime.tracing": ["AsyncCallbackHandler", "BaseCallbackHandler"],
    "graphs": ["InjectedState", "StreamMode", "GraphInterrupt", "GraphBubbleUp", "ParentCommand", "EmptyChannelError"],
    "graphs.prebuilt": ["InjectedState", "ToolNode", "tools_condition", "create_react_agent"],
}


@pytest.mark.parametrize("module", sorted(EXPECTED))
def test_names_are_exported(module: str) -> None:
    facade = importlib.import_module(module)
    missing = [name for name in EXPECTED[module] if name not in facade.__all__ or not hasattr(facade, name)]
    assert missing == []
