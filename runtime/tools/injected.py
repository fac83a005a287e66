"""Injected tool arguments: parameters the program fills, hidden from the model.

Annotate a parameter ``Annotated[T, InjectedToolArg]`` (the class or an
instance) and it stays in the tool's input schema but leaves the schema a model
sees. ``InjectedToolCallId`` is filled with the id of the tool call the tool
answers; graphs add their own kinds (``InjectedState``, ``InjectedStore``) as
subclasses, which their ``ToolNode`` fills.
"""

from __future__ import annotations

import typing
from typing import Any

__all__ = ["InjectedToolArg", "InjectedToolCallId", "injection_of", "is_injection"]


class InjectedToolArg:
    """Marks a tool parameter the caller injects; the model never sees it."""


class InjectedToolCallId(InjectedToolArg):
    """Marks the parameter that receives the id of the tool call being answered.

    A tool with one must be invoked with a whole ``ToolCall``
    (``{"name", "args", "id", "type": "tool_call"}``).
    """


def is_injection(item: Any, kind: type[InjectedToolArg] = InjectedToolArg) -> bool:
    """Whether ``item`` (an ``Annotated`` extra) is ``kind`` or one of its instances or subclasses."""
    return isinstance(item, kind) or (isinstance(item, type) and issubclass(item, kind))


def injection_of(annotation: Any, kind: type[InjectedToolArg] = InjectedToolArg) -> Any:
    """The injection marker of ``annotation`` (``Annotated[T, marker]``, also inside ``T | None``), or ``None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        _, *extras = typing.get_args(annotation)
        for item in extras:
            if is_injection(item, kind):
                return item
        return None
    if is_injection(annotation, kind):
        return annotation
    if origin is typing.Union or (origin is not None and str(origin) == "<class 'types.UnionType'>"):
        for arg in typing.get_args(annotation):
            found = injection_of(arg, kind)
            if found is not None:
                return found
    return None
