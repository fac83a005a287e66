"""State schemas: TypedDict, dataclass and attrs classes, and the channels they declare.

``Annotated[T, reducer]`` makes a key a reducer channel (the reducer is the last
callable in the metadata); any other key keeps the last value written.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, get_args, get_origin

import attrs

from runtime.scheduler import Channel

from .channels import LastValue, ReducerChannel

__all__ = ["schema_channels", "schema_keys", "is_schema", "make_reader", "coerce_update"]


def is_schema(obj: Any) -> bool:
    """Whether ``obj`` is a class Tributary can read a state schema from."""
    return isinstance(obj, type) and (
        typing.is_typeddict(obj) or dataclasses.is_dataclass(obj) or attrs.has(obj) or obj is dict
    )


def _hints(schema: type) -> dict[str, Any]:
    if schema is dict:
        return {}
    try:
        hints = typing.get_type_hints(schema, include_extras=True)
    except Exception as error:  # noqa: BLE001 - re-raised with the schema named
        raise TypeError(f"Cannot read the type hints of state schema {schema.__qualname__}: {error}") from error
    if dataclasses.is_dataclass(schema):
        names = {f.name for f in dataclasses.fields(schema)}
        return {k: v for k, v in hints.items() if k in names}
    if attrs.has(schema):
        names = {a.name for a in attrs.fields(schema)}
        return {k: v for k, v in hints.items() if k in names}
    return hints


def schema_keys(schema: type) -> tuple[str, ...]:
    """The state keys a schema declares, in declaration order."""
    if not is_schema(schema):
        raise TypeError(
            f"{schema!r} is not a state schema; use a TypedDict, a dataclass or an attrs class"
        )
    return tuple(_hints(schema))


def _reducer_of(hint: Any) -> tuple[Callable[[Any, Any], Any], Any] | None:
    if get_origin(hint) is not Annotated:
        return None
    base, *metadata = get_args(hint)
    for item in reversed(metadata):
        if callable(item) and not isinstance(item, type):
            return item, base
    return None


def _default_factory(base: Any) -> Callable[[], Any] | None:
    origin = get_origin(base) or base
    if isinstance(origin, type):
        try:
            origin()
        except Exception:  # noqa: BLE001 - no zero-argument constructor: no default
            return None
        return origin
    return None


def schema_channels(schema: type) -> dict[str, Channel]:
    """One prototype channel per key of ``schema``."""
    channels: dict[str, Channel] = {}
    for key, hint in _hints(schema).items():
        reducer = _reducer_of(hint)
        if reducer is None:
            channels[key] = LastValue(key)
        else:
            function, base = reducer
            channels[key] = ReducerChannel(key, function, _default_factory(base))
    return channels


def make_reader(schema: type, keys: tuple[str, ...], value_keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """A function building a node's input from the current values: a dict for
    TypedDict schemas, an instance for dataclass and attrs schemas.

    ``value_keys`` are all the keys the values may hold; a schema that reads them
    all gets a plain copy (the common case, and C-speed for wide states).
    """
    build = None if (schema is dict or typing.is_typeddict(schema)) else schema
    reads_all = set(keys) == set(value_keys)

    def read(values: Mapping[str, Any]) -> Any:
        if reads_all:
            picked = dict(values)
        else:
            picked = {key: values[key] for key in keys if key in values}
        return picked if build is None else build(**picked)

    return read


def coerce_update(value: Any) -> Mapping[str, Any] | None:
    """A dataclass or attrs instance returned by a node, as the dict of its fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if attrs.has(type(value)):
        return {a.name: getattr(value, a.name) for a in attrs.fields(type(value))}
    return None
