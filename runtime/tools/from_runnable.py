"""``runnable.as_tool(...)``: a tool that invokes a runnable.

As langchain-core's ``convert_runnable_to_tool``: a runnable whose input is a
string becomes a one-argument tool (``tool_input``); one whose input is a dict
becomes a tool whose arguments are the dict's keys, typed by ``args_schema``
(a pydantic model, a TypedDict or a JSON schema), by ``arg_types`` (key ->
type), or by the TypedDict / pydantic annotation of a function runnable's
parameter. The tool is named after the runnable and described as ``"Takes
<input schema>."`` unless told otherwise. A call is a ``tool`` run holding the
runnable's run.

Tools are runnables, so this lives here and registers itself with
:mod:`runtime.runnables.base` (runnables must not import tools).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import typing
from collections.abc import Mapping
from typing import Any

from ..runnables.base import Runnable, register_tool_maker
from .base import BaseTool, StructuredTool
from .schema import json_type, stated_requirement

__all__ = ["runnable_to_tool"]

_STRING_INPUT: dict[str, Any] = {
    "type": "object",
    "properties": {"tool_input": {"type": "string"}},
    "required": ["tool_input"],
}


def _tool(runnable: Runnable[Any, Any], name: str, description: str, schema: dict[str, Any], *, string_input: bool) -> BaseTool:
    # The tool's run config is ambient when the function runs: the runnable's run is its child.
    if string_input:
        async def call_with_string(tool_input: str) -> Any:
            return await runnable.ainvoke(tool_input)

        function: Any = call_with_string
    else:
        async def call_with_dict(**kwargs: Any) -> Any:
            return await runnable.ainvoke(kwargs)

        function = call_with_dict
    return StructuredTool(function, name=name, description=description, args_schema=schema)


def runnable_to_tool(
    runnable: Runnable[Any, Any],
    args_schema: Any = None,
    *,
    name: str | None = None,
    description: str | None = None,
    arg_types: Mapping[str, Any] | None = None,
) -> BaseTool:
    """The tool for ``runnable`` (see the module docstring).

    Raises:
        TypeError: the runnable takes a dict whose keys nothing types.
    """
    name = name or runnable.get_name()
    schema: dict[str, Any] | None
    if args_schema is not None:
        schema = _schema_of(args_schema, name)
        if schema is None:
            raise TypeError(
                f"{name}.as_tool(args_schema=...) takes a pydantic model, a TypedDict or a JSON schema dict, "
                f"got {args_schema!r}"
            )
    elif arg_types is not None:
        schema = _object_schema(name, dict(arg_types), set(arg_types))
    else:
        annotation = _input_annotation(runnable)
        if annotation is str:
            return _tool(
                runnable, name, description or f"Takes {{'type': 'string', 'title': '{name}_input'}}.", _STRING_INPUT,
                string_input=True,
            )
        schema = _schema_of(annotation, name) if annotation is not None else None
        if schema is None and annotation is None:
            keys = _keys_read_from_source(_input_function(runnable))
            schema = _object_schema(name, dict.fromkeys(keys, Any), set(keys)) if keys else None
        if schema is None or not schema.get("properties"):
            raise TypeError(
                f"{name}.as_tool(): the runnable's input must be a str or a dict with typed keys; annotate its "
                "parameter with a TypedDict or pydantic model, or pass args_schema= or arg_types="
            )
    return _tool(runnable, name, description or f"Takes {schema}.", schema, string_input=False)


def _input_function(runnable: Any) -> Any:
    """The function a function runnable wraps (through sequences and wrappers), or ``None``."""
    for attribute in ("bound", "first"):
        inner = getattr(runnable, attribute, None)
        if isinstance(inner, Runnable):
            return _input_function(inner)
    func = getattr(runnable, "func", None)
    return func if callable(func) else None


def _input_annotation(runnable: Any) -> Any:
    """The input type a function runnable declares (through sequences and wrappers), or ``None``."""
    func = _input_function(runnable)
    if func is None:
        return None
    try:
        parameters = list(inspect.signature(func).parameters.values())
        hints = typing.get_type_hints(func, include_extras=False)
    except (TypeError, ValueError, NameError):
        return None
    if not parameters:
        return None
    return hints.get(parameters[0].name)


def _keys_read_from_source(func: Any) -> list[str]:
    """The keys an unannotated function reads from its first argument, sorted, as LangChain finds
    them in its source: ``arg["key"]`` and ``arg.get("key"[, default])`` (every function and
    lambda on the source lines counts); ``[]`` when there is no source to read."""
    if func is None:
        return []
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return []
    keys: set[str] = set()
    functions: list[ast.AST] = []
    pending: list[ast.AST] = [tree]
    while pending:  # the outermost functions and lambdas; what is inside them counts for their argument
        node = pending.pop()
        if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node)
        else:
            pending.extend(ast.iter_child_nodes(node))
    for function in functions:
        assert isinstance(function, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef))
        if not function.args.args:
            continue
        argument = function.args.args[0].arg
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name) and node.value.id == argument
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
            ):
                keys.add(node.slice.value)
            elif (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == argument
                and node.func.attr == "get" and len(node.args) in (1, 2)
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return sorted(keys)


def _schema_of(spec: Any, name: str) -> dict[str, Any] | None:
    """A JSON object schema from a JSON schema dict, a pydantic model or a TypedDict."""
    if isinstance(spec, Mapping):
        return dict(spec)
    if isinstance(spec, type) and hasattr(spec, "model_json_schema"):
        schema: dict[str, Any] = spec.model_json_schema()
        return schema
    if typing.is_typeddict(spec) or _is_typing_extensions_typeddict(spec):
        hints = typing.get_type_hints(spec)
        stated = {key: stated_requirement(hint) for key, hint in typing.get_type_hints(spec, include_extras=True).items()}
        required = {
            key for key in hints
            if (stated[key] if stated.get(key) is not None else key in getattr(spec, "__required_keys__", hints))
        }
        return _object_schema(getattr(spec, "__name__", name), hints, required)
    return None


def _is_typing_extensions_typeddict(spec: Any) -> bool:
    try:
        import typing_extensions
    except ImportError:  # pragma: no cover - typing_extensions is optional
        return False
    return bool(typing_extensions.is_typeddict(spec))


def _object_schema(title: str, types: Mapping[str, Any], required: set[str]) -> dict[str, Any]:
    properties = {key: {"title": key.replace("_", " ").title(), **json_type(annotation)} for key, annotation in types.items()}
    schema: dict[str, Any] = {"title": title, "type": "object", "properties": properties}
    needed = [key for key in types if key in required]
    if needed:
        schema["required"] = needed
    return schema


register_tool_maker(runnable_to_tool)
