"""Checking and converting a function tool's arguments by their annotations, as pydantic does.

LangChain validates a function tool's arguments with a pydantic model made from the
function's signature: in pydantic's lax mode ``"3"`` becomes ``3`` for an ``int``,
``"true"`` becomes ``True``, a dict becomes the pydantic model, dataclass or
TypedDict a parameter declares, and a value that does not fit (``1.5`` for an
``int``, ``"z"`` for a ``Literal["x", "y"]``) is refused. Tributary does not depend
on pydantic: when it is installed, each annotated argument goes through a
``pydantic.TypeAdapter`` of its annotation (made on first use and kept); a
failure raises :class:`ToolInvocationError` listing each problem as
``<argument>[.<where>]: <pydantic's message>``. An annotation pydantic cannot
handle (an attrs class, a ``typing.TypedDict`` before Python 3.12), or no pydantic
at all, falls back to building the declared class from a dict and an enum from
its value.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from ..core.errors import ToolInvocationError
from .schema import is_pydantic_model

__all__ = ["ArgumentValidator"]

_UNSET: Any = object()


class ArgumentValidator:
    """Validates the arguments of one tool, parameter by parameter (see the module docstring)."""

    def __init__(self, tool_name: str, annotations: Mapping[str, Any]) -> None:
        self._tool_name = tool_name
        self._annotations = dict(annotations)
        self._adapters: dict[str, Any] = {}  # name -> TypeAdapter, or None when pydantic cannot take it

    def __call__(self, arguments: Mapping[str, Any], tool_input: Mapping[str, Any]) -> dict[str, Any]:
        """``arguments`` with each annotated one validated; raises :class:`ToolInvocationError`."""
        out: dict[str, Any] = {}
        problems: list[str] = []
        for key, value in arguments.items():
            annotation = self._annotations.get(key, _UNSET)
            if annotation is _UNSET or annotation is Any or annotation is typing.Any:
                out[key] = value
                continue
            adapter = self._adapter(key, annotation)
            if adapter is None:
                out[key] = coerce(annotation, value)
                continue
            try:
                out[key] = adapter.validate_python(value)
            except ValueError as error:  # pydantic's ValidationError
                errors = getattr(error, "errors", None)
                if errors is None:
                    raise
                for detail in errors(include_url=False):
                    where = ".".join(str(part) for part in (key, *detail.get("loc", ())))
                    problems.append(f"{where}: {detail.get('msg', 'invalid value')}")
        if problems:
            raise ToolInvocationError(self._tool_name, dict(tool_input), "\n".join(problems))
        return out

    def _adapter(self, key: str, annotation: Any) -> Any:
        if key not in self._adapters:
            self._adapters[key] = _type_adapter(annotation)
        return self._adapters[key]


def _type_adapter(annotation: Any) -> Any:
    """A pydantic ``TypeAdapter`` for ``annotation``, or ``None`` (no pydantic, or it cannot take it)."""
    try:
        import pydantic
    except ImportError:
        return None
    try:
        return pydantic.TypeAdapter(annotation)
    except Exception:  # noqa: BLE001 - any annotation pydantic refuses falls back to ``coerce``
        return None


def coerce(annotation: Any, value: Any) -> Any:
    """A dict argument as the pydantic model / dataclass / attrs class its parameter declares;
    an enum's value as the enum (what is done without pydantic)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
        origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:  # X | None: the one class besides None
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = options[0] if len(options) == 1 else None
    if value is None or not isinstance(annotation, type):
        return value
    if isinstance(value, dict):
        if is_pydantic_model(annotation):
            return annotation.model_validate(value)  # type: ignore[attr-defined]  # a pydantic model
        if attrs.has(annotation) or hasattr(annotation, "__dataclass_fields__"):
            return annotation(**value)
    elif issubclass(annotation, enum.Enum) and not isinstance(value, annotation):
        return annotation(value)
    return value
