"""``@tool`` makes a tool of a function; ``convert_to_openai_tool`` describes one for a model."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, overload

from .base import BaseTool, ResponseFormat, StructuredTool, Tool
from .docstrings import parse_docstring
from .schema import dereference, is_pydantic_model, is_typeddict, json_type, schema_from_class, schema_from_function

__all__ = ["tool", "convert_to_openai_tool", "convert_to_openai_function"]


@overload
def tool(
    name_or_callable: Callable[..., Any],
    /,
    *,
    description: str | None = None,
    return_direct: bool = False,
    args_schema: Any = None,
    parse_docstring: bool = False,
    error_on_invalid_docstring: bool = True,
    infer_schema: bool = True,
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
    args_schema: Any = None,
    parse_docstring: bool = False,
    error_on_invalid_docstring: bool = True,
    infer_schema: bool = True,
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
    args_schema: Any = None,
    parse_docstring: bool = False,
    error_on_invalid_docstring: bool = True,
    infer_schema: bool = True,
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
    args_schema: Any = None,
    parse_docstring: bool = False,
    error_on_invalid_docstring: bool = True,
    infer_schema: bool = True,
    response_format: ResponseFormat = "content",
    handle_tool_error: Any = False,
) -> Any:
    """Make a :class:`StructuredTool` of a function, as LangChain's ``@tool``.

    Forms: ``@tool``, ``@tool("name")``, ``@tool(parse_docstring=True, ...)``,
    ``tool(func)`` and ``tool("name", func)``. The function may be sync or async;
    a generator function makes a tool that streams (``on_tool_stream``). Its
    name is the tool's name, its docstring the description, its signature the
    argument schema — or ``args_schema`` (a pydantic model, a TypedDict or a JSON
    Schema dict). ``parse_docstring=True`` takes the description from the text
    before ``Args:`` and the arguments' descriptions from that section (or a NumPy
    ``Parameters`` section); a docstring that does not describe the arguments
    raises ``ValueError`` unless ``error_on_invalid_docstring=False``.
    ``infer_schema=False`` makes a one-string-input :class:`Tool`.
    ``config`` / ``writer`` / ``callbacks`` parameters and ``InjectedToolArg``
    ones are injected.
    """
    options = dict(
        description=description, return_direct=return_direct, args_schema=args_schema,
        parse_docstring=parse_docstring, error_on_invalid_docstring=error_on_invalid_docstring,
        infer_schema=infer_schema, response_format=response_format, handle_tool_error=handle_tool_error,
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
    if not options.get("infer_schema", True) and options.get("args_schema") is None:
        # LangChain takes the docstring as it is here, not cleaned.
        description: str | None = options.get("description") or getattr(func, "__doc__", None)
        if not description:
            raise ValueError("Function must have either a docstring or description when infer_schema is False.")
        coroutine = func if inspect.iscoroutinefunction(func) else None
        return Tool(
            name or str(getattr(func, "__name__", "tool")), None if coroutine else func, description,
            coroutine=coroutine, return_direct=options["return_direct"],
            handle_tool_error=options["handle_tool_error"], response_format=options["response_format"],
        )
    return StructuredTool(func, name=name, **options)


_ONE_STRING = {"properties": {"__arg1": {"title": "__arg1", "type": "string"}}, "required": ["__arg1"], "type": "object"}


def _strip_titles(node: Any, parent: str = "") -> Any:
    """LangChain's ``_rm_titles``: drop ``title`` keys, except a property that is itself named "title"."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title":
            if isinstance(value, dict) and parent == "properties":
                out[key] = _strip_titles(value, key)
            continue
        out[key] = _strip_titles(value, key) if isinstance(value, dict) else value
    return out


def _from_json_schema(schema: Mapping[str, Any], name: str | None, description: str | None) -> dict[str, Any]:
    resolved = dereference(schema)
    title = resolved.pop("title", "")
    default_description = resolved.pop("description", "")
    return {"name": name or title, "description": description or default_description, "parameters": _strip_titles(resolved)}


def convert_to_openai_function(function: Any, *, strict: bool | None = None) -> dict[str, Any]:
    """The OpenAI function description (``{"name", "description", "parameters"}``) of a tool-like value.

    Takes what LangChain's does: a :class:`BaseTool`, a function, a pydantic
    model, a TypedDict, an OpenAI function dict, or a JSON Schema with a ``title``.
    Titles are removed and ``$ref``s inlined, as LangChain does.

    Raises:
        ValueError: a value of none of these kinds, or a JSON Schema without a title.
    """
    if isinstance(function, Mapping) and "name" in function and "input_schema" in function:  # Anthropic's form
        out: dict[str, Any] = {"name": function["name"], "parameters": function["input_schema"]}
        if "description" in function:
            out["description"] = function["description"]
    elif isinstance(function, Mapping) and "name" in function:
        out = {k: v for k, v in function.items() if k in ("name", "description", "parameters", "strict")}
    elif isinstance(function, Mapping) and "title" in function:
        rest = dict(function)
        out = {"name": rest.pop("title")}
        if "description" in rest:
            out["description"] = rest.pop("description")
        if rest and "properties" in rest:
            out["parameters"] = rest
    elif isinstance(function, Mapping):
        raise ValueError(
            f"Unsupported function {function!r}: a JSON Schema needs a top-level 'title' to be used as the function name"
        )
    elif isinstance(function, Tool) and function.args_schema is None:
        out = {"name": function.name, "description": function.description, "parameters": dict(_ONE_STRING)}
    elif isinstance(function, BaseTool):
        out = _from_json_schema(function.tool_call_schema, function.name, function.description)
    elif is_typeddict(function):
        out = _typeddict_function(function)
    elif is_pydantic_model(function):
        out = _from_json_schema(schema_from_class(function, function.__name__).model, None, None)
    elif callable(function):
        schema, description = schema_from_function(
            function, getattr(function, "__name__", "tool"), parse_docstring_args=True, error_on_invalid_docstring=False
        )
        out = _from_json_schema(schema.model, None, description)
    else:
        raise ValueError(
            f"Unsupported function {function!r}: give a tool, a function, a pydantic model, a TypedDict, "
            "or a dict in OpenAI function or JSON Schema form"
        )
    if strict is not None:
        out["strict"] = strict
        if strict and "parameters" in out:
            out["parameters"] = _closed(out["parameters"])
    return out


def _typeddict_function(cls: type) -> dict[str, Any]:
    """LangChain's reading of a TypedDict as a function: ``Annotated[T, default, "description"]``
    fields, the docstring's text and ``Args:`` as descriptions, ``Optional[T]`` as ``T``."""
    summary, arg_docs = parse_docstring(inspect.getdoc(cls), ())
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, hint in typing.get_type_hints(cls, include_extras=True).items():
        default: Any = ...
        description: str | None = None
        if typing.get_origin(hint) is typing.Annotated:
            hint, *extras = typing.get_args(hint)
            default = extras[0] if extras else ...
            if len(extras) > 1:
                if not isinstance(extras[1], str):
                    raise ValueError(
                        f"Invalid annotation for field {name}. Third argument to Annotated must be a string "
                        f"description, received value of type {type(extras[1])}."
                    )
                description = extras[1]
        description = arg_docs.get(name) or description
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(options) == 1:
            hint = options[0]
        prop = dereference(json_type(hint))
        if description:
            prop["description"] = description
        if default is ...:
            required.append(name)
        elif default is not None:
            prop["default"] = default
        properties[name] = _strip_titles(prop)
    parameters: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return {"name": cls.__name__, "description": summary, "parameters": parameters}


def _closed(schema: Any) -> Any:
    """OpenAI's strict mode: every object lists all its properties as required and allows no others."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _closed(v) for k, v in schema.items()}
    if isinstance(out.get("properties"), dict) and out["properties"]:
        out["required"] = list(out["properties"])
    if "required" in out or ("properties" in out and not out["properties"]) or out.get("type") == "object":
        out["additionalProperties"] = False
    return out


def convert_to_openai_tool(tool: Any, *, strict: bool | None = None) -> dict[str, Any]:
    """The OpenAI tool description (``{"type": "function", "function": {...}}``) of a tool-like value.

    A dict already in tool form (``{"type": "function", ...}`` or another OpenAI
    built-in tool type) passes through; anything else goes through
    :func:`convert_to_openai_function`.
    """
    if isinstance(tool, Mapping) and tool.get("type") in _BUILT_IN_TYPES and (tool.get("type") != "function" or "function" in tool):
        return dict(tool)
    return {"type": "function", "function": convert_to_openai_function(tool, strict=strict)}


_BUILT_IN_TYPES = frozenset((
    "function", "file_search", "computer", "computer_use_preview", "code_interpreter", "mcp",
    "image_generation", "web_search_preview", "web_search", "tool_search", "apply_patch", "namespace",
))
