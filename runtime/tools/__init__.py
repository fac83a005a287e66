"""Tools: ``@tool``, ``BaseTool``, their argument schemas and injected arguments."""

from .base import BaseTool, StructuredTool, Tool, ToolException, ToolInvocationError
from .convert import convert_to_openai_function, convert_to_openai_tool, tool
from .injected import InjectedToolArg, InjectedToolCallId
from .schema import JsonSchema

__all__ = [
    "BaseTool",
    "InjectedToolArg",
    "InjectedToolCallId",
    "JsonSchema",
    "StructuredTool",
    "Tool",
    "ToolException",
    "ToolInvocationError",
    "convert_to_openai_function",
    "convert_to_openai_tool",
    "tool",
]
