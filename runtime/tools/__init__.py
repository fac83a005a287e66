"""Tools: ``@tool``, ``BaseTool``, their argument schemas and injected arguments."""

from .base import BaseTool, StructuredTool, Tool, ToolException, ToolInvocationError
from .convert import convert_to_openai_function, convert_to_openai_tool, tool
from .helpers import (
    BaseToolkit,
    RetrieverInput,
    SchemaAnnotationError,
    create_retriever_tool,
    render_text_description,
    render_text_description_and_args,
)
from .from_runnable import runnable_to_tool
from .injected import InjectedToolArg, InjectedToolCallId
from .schema import JsonSchema
from .store_injection import InjectedStore

__all__ = [
    "BaseTool",
    "BaseToolkit",
    "InjectedStore",
    "InjectedToolArg",
    "InjectedToolCallId",
    "JsonSchema",
    "RetrieverInput",
    "SchemaAnnotationError",
    "StructuredTool",
    "Tool",
    "ToolException",
    "ToolInvocationError",
    "convert_to_openai_function",
    "convert_to_openai_tool",
    "create_retriever_tool",
    "render_text_description",
    "render_text_description_and_args",
    "runnable_to_tool",
    "tool",
]
