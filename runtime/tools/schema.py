"""A tool's argument schema, read from its function's signature and docstring.

Tributary has no pydantic, so the schema is plain JSON Schema, built from the
parameters' annotations (``str``, ``int``, ``float``, ``bool``, ``None``,
``list[X]``, ``dict``, ``Literal``, ``X | Y``, ``Annotated[X, "description"]``)
and the Google-style ``Args:`` section of the docstring. Injected parameters
(``config``, ``writer``, ``callbacks``) are not part of it.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, Union

__all__ = ["args_schema_from_function", "parse_docstring", "json_type"]

_SECTIONS = re.compile(r"^\s*(Args|Arguments|Parameters|Returns|Return|Yields|Raises|Examples?|Notes?)\s*:\s*$")
_ARG_LINE = re.compile(r"^\s*\*{0,2}(\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")


def parse_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """The summary of a Google-style docstring and its ``Args:`` descriptions."""
    if not doc:
        return "", {}
    lines = inspect.cleandoc(doc).splitlines()
    summary: list[str] = []
    args: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    arg_indent: int | None = None
    for line in lines:
        header = _SECTIONS.match(line)
        if header:
            section, current, arg_indent = header.group(1), None, None
            continue
        if section is None:
            summary.append(line)
        elif section in ("Args", "Arguments", "Parameters") and line.strip():
            indent = len(line) - len(line.lstrip())
            match = _ARG_LINE.match(line)
            if match and (arg_indent is None or indent <= arg_indent):
                arg_indent = indent
                current = match.group(1)
                args[current] = match.group(3).strip()
            elif current is not None:
                args[current] = f"{args[current]} {line.strip()}".strip()
    return "\n".join(summary).strip(), args


def json_type(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of a Python annotation (``{}`` when it says nothing)."""
    if annotation is inspect.Parameter.empty or annotation is Any:
        return {}
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        schema = json_type(args[0])
        notes = [a for a in args[1:] if isinstance(a, str)]
        return {**schema, "description": notes[0]} if notes else schema
    if annotation is None or annotation is type(None):
        return {"type": "null"}
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        return {"anyOf": [json_type(a) for a in args]}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if annotation in simple:
        return {"type": simple[annotation]}
    if annotation in (list, tuple, set) or origin in (list, tuple, set, Sequence, Iterable):
        return {"type": "array", "items": json_type(args[0])} if args else {"type": "array"}
    if annotation is dict or origin in (dict, Mapping):
        return {"type": "object"}
    return {}


def args_schema_from_function(
    func: Callable[..., Any], name: str, *, exclude: Iterable[str] = (), descriptions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The JSON Schema of ``func``'s arguments (minus ``exclude``), titled ``name``."""
    skip = set(exclude)
    signature = inspect.signature(func)
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except Exception:
        hints = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for param in signature.parameters.values():
        if param.name in skip or param.name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        prop: dict[str, Any] = {"title": param.name.replace("_", " ").title()}
        prop.update(json_type(hints.get(param.name, param.annotation)))
        if descriptions and param.name in descriptions and "description" not in prop:
            prop["description"] = descriptions[param.name]
        if param.default is param.empty:
            required.append(param.name)
        else:
            prop["default"] = param.default
        properties[param.name] = prop
    schema: dict[str, Any] = {"title": name, "type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema
