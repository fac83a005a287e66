"""Tools: ``@tool``, ``BaseTool``, and their argument schemas."""

from .base import BaseTool, StructuredTool, ToolException, ToolInvocationError
from .convert import convert_to_openai_tool, tool
from .from_runnable import runnable_to_tool
from .store_injection import InjectedStore

__all__ = [
    "BaseTool",
    "InjectedStore",
    "StructuredTool",
    "ToolException",
    "ToolInvocationError",
    "convert_to_openai_tool",
    "runnable_to_tool",
    "tool",
]
