"""``@tool`` makes a tool of a function; ``convert_to_openai_tool`` describes one for a model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from .base import BaseTool, ResponseFormat, StructuredTool

__all__ = ["tool", "convert_to_openai_tool"]


@overload
def tool(
    name_or_callable: Callable[..., Any],
    /,
    *,
    description: str | None = None,
    return_direct: bool = False,
    args_schema: dict[str, Any] | None = None,
    parse_docstring: bool = False,
    response_format: ResponseFormat = "content",
    handle_tool_error: Any = False,
) -> BaseTool: ...
@overload
def tool(
    name_or_callable: str,
    runnable: Callable[..., Any],
    /,
    *,
    description: str | None = None,
    return_direct: bool = False,
    args_schema: dict[str, Any] | None = None,
    parse_docstring: bool = False,
    response_format: ResponseFormat = "content",
    handle_tool_error: Any = False,
) -> BaseTool: ...
@overload
def tool(
    name_or_callable: str | None = None,
    /,
    *,
    description: str | None = None,
    return_direct: bool = False,
    args_schema: dict[str, Any] | None = None,
    parse_docstring: bool = False,
    response_format: ResponseFormat = "content",
    handle_tool_error: Any = False,
) -> Callable[[Callable[..., Any]], BaseTool]: ...


def tool(
    name_or_callable: str | Callable[..., Any] | None = None,
    runnable: Callable[..., Any] | None = None,
    /,
    *,
    description: str | None = None,
    return_direct: bool = False,
    args_schema: dict[str, Any] | None = None,
    parse_docstring: bool = False,
    response_format: ResponseFormat = "content",
    handle_tool_error: Any = False,
) -> Any:
    """Make a :class:`StructuredTool` of a function, as LangChain's ``@tool``.

    Forms: ``@tool``, ``@tool("name")``, ``@tool(parse_docstring=True, ...)``,
    ``tool(func)`` and ``tool("name", func)``. The function may be sync or async;
    a generator function makes a tool that streams (``on_tool_stream``). Its
    name is the tool's name, its docstring the description (the summary only
    with ``parse_docstring=True``), its signature and ``Args:`` section the
    argument schema. ``config`` / ``writer`` / ``callbacks`` parameters are injected.
    """
    options = dict(
        description=description, return_direct=return_direct, args_schema=args_schema,
        parse_docstring=parse_docstring, response_format=response_format, handle_tool_error=handle_tool_error,
    )

    if isinstance(name_or_callable, BaseTool) or (callable(name_or_callable) and not isinstance(name_or_callable, str)):
        return _make(name_or_callable, None, options)
    if isinstance(name_or_callable, str) and runnable is not None:
        return _make(runnable, name_or_callable, options)
    name = name_or_callable
    return lambda func: _make(func, name, options)


def _make(func: Any, name: str | None, options: dict[str, Any]) -> BaseTool:
    if isinstance(func, BaseTool):
        return func
    if not callable(func):
        raise TypeError(f"@tool needs a function, got {type(func).__name__}")
    return StructuredTool(func, name=name, **options)


def convert_to_openai_tool(tool: Any) -> dict[str, Any]:
    """The OpenAI function-calling description of a tool (a dict passes through; a function becomes a tool first)."""
    if isinstance(tool, dict):
        return tool
    if not isinstance(tool, BaseTool):
        tool = _make(tool, None, {})
    parameters = {k: v for k, v in tool.tool_call_schema.items() if k != "title"}
    return {"type": "function", "function": {"name": tool.name, "description": tool.description, "parameters": parameters}}

