"""State schemas: what a class passed as a state, input, output or node input schema declares.

This module alone reads schemas. A schema is a class whose annotated names are
the state's keys:

* a ``TypedDict`` from ``typing`` or ``typing_extensions`` (``total=False``,
  ``Required`` / ``NotRequired`` / ``ReadOnly`` and inherited keys included) —
  nodes get a dict;
* a dataclass or a pydantic ``BaseModel`` — nodes get an instance built from the
  keys that hold a value, so the class's defaults fill in the others and pydantic
  validates (its ``ValidationError`` comes out of the run as itself);
* an attrs class, or any other class with annotations — nodes get a dict, as in
  LangGraph.

``Annotated[T, reducer]`` (from either module, also inside ``Required[...]``)
makes a key a reducer channel: the *last* metadata item, when it is a callable
taking two positional arguments, folds the writes; any other key keeps the last
value written. pydantic is never imported here: a pydantic model can only exist
once its user imported pydantic, so ``sys.modules`` tells.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import sys
import typing
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

import attrs

from runtime.scheduler import Channel

from .channels import LastValue, ReducerChannel

__all__ = [
    "StateSchema",
    "read_schema",
    "is_schema",
    "schema_keys",
    "merge_channels",
    "make_reader",
    "coerce_update",
]

Kind = Literal["typeddict", "dataclass", "pydantic", "attrs", "class"]

# Type qualifiers a TypedDict key may wear, around or inside ``Annotated``.
_QUALIFIERS = frozenset({"Required", "NotRequired", "ReadOnly"})

# Abstract collection types a reducer key's start value is built from (as LangGraph does).
_CONCRETE = {
    collections.abc.Sequence: list,
    collections.abc.MutableSequence: list,
    collections.abc.Set: set,
    collections.abc.MutableSet: set,
    collections.abc.Mapping: dict,
    collections.abc.MutableMapping: dict,
}


@attrs.frozen
class StateSchema:
    """What one schema class declares.

    Attributes:
        cls: the class.
        kind: how it was read (see the module docstring).
        keys: the state keys, in declaration order (a base class's first).
        channels: one prototype channel per key.
    """

    cls: type
    kind: Kind
    keys: tuple[str, ...]
    channels: Mapping[str, Channel]

    @property
    def name(self) -> str:
        """The class's name, as errors show it."""
        return self.cls.__qualname__

    @property
    def builds_instances(self) -> bool:
        """Whether nodes reading this schema get an instance of it (else a dict)."""
        return self.kind in ("dataclass", "pydantic")


_CACHE: weakref.WeakKeyDictionary[type, StateSchema] = weakref.WeakKeyDictionary()


def _pydantic_model_base() -> type | None:
    module = sys.modules.get("pydantic")
    return getattr(module, "BaseModel", None) if module is not None else None


def _is_pydantic_model(cls: type) -> bool:
    base = _pydantic_model_base()
    return base is not None and issubclass(cls, base)


def _is_typeddict(cls: type) -> bool:
    # Structural, so a typing_extensions TypedDict counts without importing it
    # (on Python 3.11 ``typing.is_typeddict`` says False for one).
    return issubclass(cls, dict) and hasattr(cls, "__required_keys__") and hasattr(cls, "__optional_keys__")


def _kind_of(cls: type) -> Kind | None:
    if _is_typeddict(cls):
        return "typeddict"
    if _is_pydantic_model(cls):
        return "pydantic"
    if dataclasses.is_dataclass(cls):
        return "dataclass"
    if attrs.has(cls):
        return "attrs"
    if any("__annotations__" in vars(base) for base in cls.__mro__ if base is not object):
        return "class"
    return None


def _describe(obj: Any) -> str:
    return obj.__qualname__ if isinstance(obj, type) else repr(obj)


def read_schema(schema: Any, role: str = "state") -> StateSchema:
    """Read ``schema`` (cached per class); ``role`` names it in errors ("state", "input", ...).

    Raises:
        TypeError: ``schema`` is not a class with keys, or its annotations do not resolve.
        ValueError: a reducer does not take two positional arguments.
    """
    if isinstance(schema, type):
        found = _CACHE.get(schema)
        if found is not None:
            return found
    kind = _kind_of(schema) if isinstance(schema, type) else None
    if kind is None:
        raise TypeError(
            f"{role} schema {_describe(schema)} declares no keys: use a TypedDict (from typing or "
            "typing_extensions), a dataclass, a pydantic BaseModel, an attrs class or a class with annotations "
            "(a single-value state such as StateGraph(list) is not supported)"
        )
    hints = _pydantic_hints(schema) if kind == "pydantic" else _hints(schema, kind, role)
    channels = {key: _channel(schema, key, hint) for key, hint in hints.items()}
    read = StateSchema(schema, kind, tuple(channels), channels)
    _CACHE[schema] = read
    return read


def is_schema(obj: Any) -> bool:
    """Whether ``obj`` is a class a state schema can be read from."""
    return isinstance(obj, type) and _kind_of(obj) is not None


def schema_keys(schema: Any) -> tuple[str, ...]:
    """The state keys a schema declares, in declaration order."""
    return read_schema(schema).keys


def merge_channels(schemas: Iterable[Any]) -> dict[str, Channel]:
    """The channels of several schemas, the first declaration of a key winning.

    As in LangGraph, a later schema may redeclare a key as a plain one, but not
    with a different reducer.

    Raises:
        ValueError: naming the key and both schemas.
    """
    channels: dict[str, Channel] = {}
    declared_in: dict[str, StateSchema] = {}
    for schema in schemas:
        read = read_schema(schema)
        for key, channel in read.channels.items():
            existing = channels.get(key)
            if existing is None:
                channels[key] = channel.copy()
                declared_in[key] = read
            elif isinstance(channel, ReducerChannel) and not _same_reducer(existing, channel):
                raise ValueError(
                    f"Channel '{key}' already exists with a different type: schema {read.name} declares it "
                    f"with reducer {_describe_reducer(channel)}, schema {declared_in[key].name} "
                    + (
                        f"with reducer {_describe_reducer(existing)}"
                        if isinstance(existing, ReducerChannel)
                        else "as a plain key"
                    )
                )
    return channels


def _same_reducer(existing: Channel, new: ReducerChannel) -> bool:
    if not isinstance(existing, ReducerChannel):
        return False
    # Every lambda has the same name, so LangGraph cannot tell two apart: neither do we.
    if "<lambda>" in (_describe_reducer(existing), _describe_reducer(new)):
        return True
    return existing.reducer is new.reducer


def _describe_reducer(channel: ReducerChannel) -> str:
    return getattr(channel.reducer, "__name__", repr(channel.reducer))


def _hints(schema: type, kind: Kind, role: str) -> dict[str, Any]:
    try:
        hints = typing.get_type_hints(schema, include_extras=True)
    except Exception as error:  # noqa: BLE001 - re-raised with the schema named
        raise TypeError(
            f"Cannot read the annotations of {role} schema {schema.__qualname__}: {error}. "
            "Under `from __future__ import annotations` every name an annotation uses (types, reducers) "
            "must be importable from the schema's module, not local to a function."
        ) from error
    if kind == "dataclass":
        return {f.name: hints.get(f.name, Any) for f in dataclasses.fields(schema)}
    if kind == "attrs":
        return {a.name: hints.get(a.name, Any) for a in attrs.fields(schema)}
    return {key: hint for key, hint in hints.items() if key != "__slots__" and get_origin(hint) is not ClassVar}


def _pydantic_hints(schema: Any) -> dict[str, Any]:
    """A pydantic model's fields and their annotations.

    The annotations come from the class, as LangGraph reads them; where they do
    not resolve (a model defined in a function under postponed annotations),
    from the fields pydantic has resolved.
    """
    if not getattr(schema, "__pydantic_complete__", True):
        try:
            schema.model_rebuild()
        except Exception as error:  # noqa: BLE001 - re-raised with the schema named
            raise TypeError(f"pydantic state schema {schema.__qualname__} is not fully defined: {error}") from error
    try:
        resolved = typing.get_type_hints(schema, include_extras=True)
    except Exception:  # noqa: BLE001 - pydantic's own resolution below
        resolved = {}
    hints: dict[str, Any] = {}
    for key, field in schema.model_fields.items():
        hint = resolved.get(key)
        if hint is None:
            metadata = tuple(field.metadata)
            hint = Annotated[(field.annotation, *metadata)] if metadata else field.annotation
        hints[key] = hint
    return hints


def _strip_qualifiers(hint: Any) -> Any:
    """``Required[X]`` / ``NotRequired[X]`` / ``ReadOnly[X]`` -> ``X`` (either module's)."""
    while getattr(get_origin(hint), "_name", None) in _QUALIFIERS:
        hint = get_args(hint)[0]
    return hint


def _channel(schema: type, key: str, hint: Any) -> Channel:
    hint = _strip_qualifiers(hint)
    if get_origin(hint) is not Annotated:
        return LastValue(key)
    base, *metadata = get_args(hint)
    reducer = metadata[-1]
    if not callable(reducer) or isinstance(reducer, type):
        return LastValue(key)
    _check_reducer(schema, key, reducer)
    return ReducerChannel(key, reducer, _default_factory(base))


def _check_reducer(schema: type, key: str, reducer: Callable[..., Any]) -> None:
    try:
        parameters = inspect.signature(reducer).parameters.values()
    except (TypeError, ValueError):  # a callable with no signature to read: trust it
        return
    positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)
    if positional != 2:
        raise ValueError(
            f"State schema {schema.__qualname__}, key {key!r}: reducer {getattr(reducer, '__name__', reducer)!r} "
            f"has signature {inspect.signature(reducer)}; a reducer takes two positional arguments "
            "(current value, update) and returns the new value"
        )


def _default_factory(base: Any) -> Callable[[], Any] | None:
    """What a reducer key starts from: ``T()`` when ``T`` (the annotation without
    qualifiers or parameters) can be called with no arguments, else nothing."""
    base = _strip_qualifiers(base)
    while get_origin(base) is Annotated:
        base = _strip_qualifiers(get_args(base)[0])
    origin = get_origin(base) or base
    origin = _CONCRETE.get(origin, origin)
    if not isinstance(origin, type):
        return None
    try:
        origin()
    except Exception:  # noqa: BLE001 - no zero-argument constructor: no default
        return None
    return origin


def make_reader(schema: Any, value_keys: tuple[str, ...], node: str | None = None) -> Callable[[Mapping[str, Any]], Any]:
    """A function building a node's (or router's) input from the current values.

    It picks the schema's keys that hold a value: a dict, or for a dataclass or
    pydantic schema an instance built from them — the class's defaults fill in
    the rest, pydantic validates, and an error gets a note naming ``node``.
    ``value_keys`` are all the keys the values may hold; a dict schema reading
    them all gets a plain copy (the common case, and C-speed for wide states).
    """
    read = read_schema(schema)
    keys = read.keys
    reads_all = set(keys) == set(value_keys)
    if not read.builds_instances:
        if reads_all:
            return dict
        return lambda values: {key: values[key] for key in keys if key in values}
    build = read.cls
    where = f"Before task with name {node!r}: building its input" if node else "Building a node's input"

    def build_input(values: Mapping[str, Any]) -> Any:
        picked = dict(values) if reads_all else {key: values[key] for key in keys if key in values}
        try:
            return build(**picked)
        except Exception as error:
            error.add_note(f"{where} as {read.name} from state keys {sorted(picked)}")
            raise

    return build_input


def coerce_update(value: Any) -> Mapping[str, Any] | None:
    """A schema instance returned by a node (or given as input) as a dict of updates;
    ``None`` for anything that is not one.

    For a pydantic model, as LangGraph does: a field left at ``None`` is no update
    unless it was set explicitly or its default is not ``None``.
    """
    cls = type(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if attrs.has(cls):
        return {a.name: getattr(value, a.name) for a in attrs.fields(cls)}
    if _is_pydantic_model(cls):
        explicit = value.model_fields_set
        fields = cls.model_fields
        return {
            key: item
            for key, field in fields.items()
            if (item := getattr(value, key)) is not None or field.default is not None or key in explicit
        }
    if isinstance(value, (str, bytes, Mapping, collections.abc.Sequence)) or _kind_of(cls) != "class":
        return None
    missing = object()
    update = {}
    for key in read_schema(cls).keys:
        item = getattr(value, key, missing)
        if item is not missing:
            update[key] = item
    return update
