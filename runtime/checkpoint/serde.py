"""A JSON serializer for checkpoints that never runs code when it loads.

How it works
------------
Values JSON represents faithfully — ``str``, ``int``, ``float``, ``bool``,
``None``, lists, and dicts whose keys are all ``str`` — are written as
themselves. Everything else becomes a *tagged object*, a JSON object with
exactly two keys, ``{"__t": <tag>, "v": <payload>}``: tuples, sets, frozensets,
bytes (base64), bytearrays, datetimes, dates, times, timedeltas, UUIDs,
Decimals, and every registered type.

A dict whose keys are not all ``str``, or that has a key ``"__t"`` of its own,
is written as the tag ``"dict"`` with a list of ``[key, value]`` pairs. So a
JSON object holding ``"__t"`` is always a tag and the reader never guesses.

Loading is ``json.loads`` with an ``object_hook``. JSON objects are decoded
innermost first, so when a tag's hook runs its payload is already decoded.

Types are matched exactly (``type(obj) is cls``), not with ``isinstance``:
otherwise a subclass of ``dict``, ``float`` or of a registered class would come
back as its base class. Register the subclass to store it.

Nothing here imports a module or calls a function named by the data: a tag only
selects among functions registered in this process. Pickle would break that
guarantee, so it is off unless the serializer is built with
``pickle_fallback=True``.
"""

from __future__ import annotations

import base64
import json
import pickle
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any, final
from uuid import UUID
from zoneinfo import ZoneInfo

import attrs

from ..core.errors import DeserializationError
from ..core.types import Command, Interrupt, Send
from ..messages import (
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    HumanMessageChunk,
    RemoveMessage,
    SystemMessage,
    SystemMessageChunk,
    ToolMessage,
)

__all__ = [
    "JsonSerializer",
    "TypeRegistry",
    "DeserializationError",
    "default_registry",
    "register_type",
    "register_attrs_class",
]

_TAG = "__t"
_VALUE = "v"
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONSTANT_TYPES = (bool, type(None))
_CONSTANTS: dict[Any, bytes] = {True: b"true", False: b"false", None: b"null"}

Convert = Callable[[Any], Any]
"""An encode or decode function: one value in, one value out."""


def _encode_tz(tz: tzinfo | None) -> int | str | None:
    """A tzinfo as JSON: ``None``, a fixed offset in microseconds, or a zone key."""
    if tz is None:
        return None
    if type(tz) is timezone:
        # The offset is all that round-trips: timezone's optional name is not public.
        offset = tz.utcoffset(None)
        return offset // timedelta(microseconds=1)
    if type(tz) is ZoneInfo and tz.key is not None:
        return tz.key
    raise TypeError(
        f"cannot serialise a datetime with tzinfo of type {type(tz).__qualname__}: only "
        "datetime.timezone and zoneinfo.ZoneInfo (with a key) round-trip exactly; "
        "convert the value with .astimezone(...) first"
    )


def _decode_tz(spec: Any) -> tzinfo | None:
    if spec is None:
        return None
    if type(spec) is int:
        return timezone(timedelta(microseconds=spec))
    if type(spec) is str:
        return ZoneInfo(spec)
    raise ValueError(f"bad timezone {spec!r}")


def _encode_clock(value: datetime | time) -> list[Any]:
    # Wall time, fold and zone kept apart: an isoformat with an offset would turn
    # a ZoneInfo into a fixed offset and shift times that fall in a DST gap.
    return [value.replace(tzinfo=None).isoformat(), value.fold, _encode_tz(value.tzinfo)]


def _clock_decoder(cls: type[datetime] | type[time]) -> Convert:
    def decode(payload: list[Any]) -> Any:
        wall, fold, tz = payload
        return cls.fromisoformat(wall).replace(tzinfo=_decode_tz(tz), fold=fold)

    return decode


def _b64(data: bytes | bytearray) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


# Built-in types beyond JSON: exact type -> (tag, payload builder). The builder
# gets the recursive encoder for the containers' items.
_NATIVE_ENCODERS: dict[type, tuple[str, Callable[[Convert, Any], Any]]] = {
    tuple: ("tuple", lambda enc, o: [enc(x) for x in o]),
    set: ("set", lambda enc, o: [enc(x) for x in o]),
    frozenset: ("frozenset", lambda enc, o: [enc(x) for x in o]),
    bytes: ("bytes", lambda enc, o: _b64(o)),
    bytearray: ("bytearray", lambda enc, o: _b64(o)),
    datetime: ("datetime", lambda enc, o: _encode_clock(o)),
    date: ("date", lambda enc, o: o.isoformat()),
    time: ("time", lambda enc, o: _encode_clock(o)),
    timedelta: ("timedelta", lambda enc, o: [o.days, o.seconds, o.microseconds]),
    UUID: ("uuid", lambda enc, o: str(o)),
    Decimal: ("decimal", lambda enc, o: str(o)),
}

_NATIVE_DECODERS: dict[str, Convert] = {
    "dict": dict,  # payload: [[key, value], ...]
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
    "bytes": _unb64,
    "bytearray": lambda text: bytearray(_unb64(text)),
    "datetime": _clock_decoder(datetime),
    "date": date.fromisoformat,
    "time": _clock_decoder(time),
    "timedelta": lambda p: timedelta(days=p[0], seconds=p[1], microseconds=p[2]),
    "uuid": UUID,
    "decimal": Decimal,
}

_RESERVED_TAGS = frozenset(_NATIVE_DECODERS) | {"pickle"}
_NATIVE_TYPES = _JSON_SCALARS | {list, dict} | frozenset(_NATIVE_ENCODERS)


@attrs.frozen
class _Registration:
    cls: type
    tag: str
    encode: Convert
    decode: Convert


@final
@attrs.define(eq=False)
class TypeRegistry:
    """Which classes may be stored, under which tag, and how.

    A registry with a ``parent`` looks there for what it does not know itself,
    so a serializer can add or override types without touching the
    process-wide ``default_registry`` (and still sees types registered there
    later).
    """

    parent: TypeRegistry | None = None
    _by_type: dict[type, _Registration] = attrs.field(factory=dict, init=False)
    _by_tag: dict[str, _Registration] = attrs.field(factory=dict, init=False)

    def register_type(self, cls: type, *, tag: str, encode: Convert, decode: Convert) -> None:
        """Store instances of exactly ``cls`` as ``{"__t": tag, "v": encode(obj)}``.

        Args:
            cls: the class; subclasses are not covered, register them too.
            tag: a short, stable name written into every stored value, so it
                must never change once data exists. Built-in tags such as
                ``"tuple"`` are reserved.
            encode: returns a serialisable value (it is encoded recursively, so
                it may hold tuples, datetimes or other registered types).
            decode: receives that value, already decoded, and rebuilds the object.

        Registering the same class under the same tag again replaces its
        functions; any other reuse of a class or tag raises ``ValueError``.
        """
        if not isinstance(cls, type):
            raise TypeError(f"register_type() needs a class, got {cls!r}")
        if cls in _NATIVE_TYPES:
            raise ValueError(f"{cls.__qualname__} is serialised natively and cannot be registered")
        if not isinstance(tag, str) or not tag:
            raise ValueError(f"the tag for {cls.__qualname__} must be a non-empty str, got {tag!r}")
        if tag in _RESERVED_TAGS:
            raise ValueError(f"tag {tag!r} is reserved for a built-in type; choose another")
        other = self._by_tag.get(tag)
        if other is not None and other.cls is not cls:
            raise ValueError(f"tag {tag!r} is already registered for {other.cls.__qualname__}")
        previous = self._by_type.get(cls)
        if previous is not None and previous.tag != tag:
            raise ValueError(f"{cls.__qualname__} is already registered under tag {previous.tag!r}")
        registration = _Registration(cls, tag, encode, decode)
        self._by_type[cls] = registration
        self._by_tag[tag] = registration

    def register_attrs_class(self, cls: type, tag: str) -> None:
        """Register an attrs class: stored as a dict of its ``__init__`` arguments.

        Each field that ``__init__`` takes is stored under its argument name (the
        attrs ``alias``) and encoded recursively; loading calls ``cls(**fields)``.
        Fields with ``init=False`` are not stored: ``__init__`` recomputes them; nor
        are fields marked ``metadata={"transient": True}`` (checked at init, never kept).
        """
        if not attrs.has(cls):
            raise TypeError(
                f"{getattr(cls, '__qualname__', cls)!r} is not an attrs class; "
                "use register_type() with your own encode and decode"
            )
        fields = tuple((f.name, f.alias) for f in attrs.fields(cls) if f.init and not f.metadata.get("transient"))

        def encode(obj: Any) -> dict[str, Any]:
            return {alias: getattr(obj, name) for name, alias in fields}

        def decode(payload: dict[str, Any]) -> Any:
            return cls(**payload)

        self.register_type(cls, tag=tag, encode=encode, decode=decode)

    def _lookup_type(self, cls: type) -> _Registration | None:
        found = self._by_type.get(cls)
        if found is None and self.parent is not None:
            return self.parent._lookup_type(cls)
        return found

    def _lookup_tag(self, tag: str) -> _Registration | None:
        found = self._by_tag.get(tag)
        if found is None and self.parent is not None:
            return self.parent._lookup_tag(tag)
        return found


default_registry = TypeRegistry()
"""The process-wide registry every ``JsonSerializer`` falls back to."""


def register_type(cls: type, *, tag: str, encode: Convert, decode: Convert) -> None:
    """Register ``cls`` with the process-wide registry; see ``TypeRegistry.register_type``.

    Call it at import time of the module that defines ``cls``, and make sure that
    module is imported before checkpoints holding ``cls`` are loaded.
    """
    default_registry.register_type(cls, tag=tag, encode=encode, decode=decode)


def register_attrs_class(cls: type, tag: str) -> None:
    """Register an attrs class process-wide; see ``TypeRegistry.register_attrs_class``."""
    default_registry.register_attrs_class(cls, tag)


@final
@attrs.define(eq=False)
class JsonSerializer:
    """Turns checkpoint values into UTF-8 JSON bytes and back, losing no type.

    Args:
        pickle_fallback: pickle values of unregistered types instead of raising
            ``TypeError``, and unpickle them on load. Only for stores whose
            writers you trust as much as your own code: unpickling runs code.
        registry: where to look up registered types. The default is a fresh
            registry whose parent is ``default_registry``, so
            ``serializer.register_type(...)`` affects this serializer only.
    """

    pickle_fallback: bool = attrs.field(default=False, kw_only=True)
    registry: TypeRegistry = attrs.field(factory=lambda: TypeRegistry(parent=default_registry), kw_only=True)

    def register_type(self, cls: type, *, tag: str, encode: Convert, decode: Convert) -> None:
        """Register ``cls`` for this serializer only; see ``TypeRegistry.register_type``."""
        self.registry.register_type(cls, tag=tag, encode=encode, decode=decode)

    def register_attrs_class(self, cls: type, tag: str) -> None:
        """Register an attrs class for this serializer only."""
        self.registry.register_attrs_class(cls, tag)

    def dumps(self, obj: Any) -> bytes:
        """Serialise ``obj``.

        Raises:
            TypeError: ``obj`` holds a value of a type that is neither built in
                nor registered (and ``pickle_fallback`` is off).
            ValueError: ``obj`` contains itself or is nested too deeply.
        """
        constant = _CONSTANTS.get(obj) if type(obj) in _CONSTANT_TYPES else None
        if constant is not None:
            return constant  # trigger writes (True) and markers (None): one of each per step
        try:
            text = json.dumps(self._encode(obj), ensure_ascii=False, separators=(",", ":"), check_circular=False)
        except RecursionError:
            raise ValueError("cannot serialise a value that contains itself or is nested too deeply") from None
        # surrogatepass: a str may hold lone surrogates, which strict UTF-8 rejects.
        return text.encode("utf-8", "surrogatepass")

    def loads(self, data: bytes) -> Any:
        """Rebuild a value written by ``dumps``.

        Raises:
            DeserializationError: the data is malformed, names a tag no registry
                here knows, or holds a pickle and ``pickle_fallback`` is off.
        """
        try:
            return json.loads(bytes(data).decode("utf-8", "surrogatepass"), object_hook=self._decode_object)
        except DeserializationError:
            raise
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise DeserializationError(f"not a serialised checkpoint value: {exc}") from exc

    def _encode(self, obj: Any) -> Any:
        cls = type(obj)
        if cls in _JSON_SCALARS:
            return obj
        if cls is list:
            return [self._encode(item) for item in obj]
        if cls is dict:
            if _TAG not in obj and all(type(key) is str for key in obj):
                return {key: self._encode(value) for key, value in obj.items()}
            return {_TAG: "dict", _VALUE: [[self._encode(k), self._encode(v)] for k, v in obj.items()]}
        native = _NATIVE_ENCODERS.get(cls)
        if native is not None:
            tag, build = native
            return {_TAG: tag, _VALUE: build(self._encode, obj)}
        registered = self.registry._lookup_type(cls)
        if registered is not None:
            return {_TAG: registered.tag, _VALUE: self._encode(registered.encode(obj))}
        if self.pickle_fallback:
            return {_TAG: "pickle", _VALUE: _b64(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))}
        raise TypeError(
            f"cannot serialise a value of type {cls.__module__}.{cls.__qualname__}: register it "
            "with runtime.checkpoint.register_type(cls, tag=..., encode=..., decode=...) "
            "(or register_attrs_class(cls, tag) for an attrs class)"
        )

    def _decode_object(self, obj: dict[str, Any]) -> Any:
        if _TAG not in obj:
            return obj
        tag = obj[_TAG]
        if len(obj) != 2 or _VALUE not in obj or type(tag) is not str:
            raise DeserializationError(f"malformed tagged value {obj!r}")
        payload = obj[_VALUE]
        decode = _NATIVE_DECODERS.get(tag)
        if decode is None:
            if tag == "pickle":
                decode = self._unpickle
            else:
                registered = self.registry._lookup_tag(tag)
                if registered is None:
                    raise DeserializationError(
                        f"unknown type tag {tag!r}: the type stored under it is not registered in "
                        "this process; import the module that registers it before loading"
                    )
                decode = registered.decode
        try:
            return decode(payload)
        except DeserializationError:
            raise
        except Exception as exc:
            raise DeserializationError(f"cannot decode a value tagged {tag!r}: {exc!r}") from exc

    def _unpickle(self, payload: str) -> Any:
        if not self.pickle_fallback:
            raise DeserializationError(
                "the data holds a pickled value; refusing to unpickle it because unpickling "
                "can run arbitrary code. Load it with JsonSerializer(pickle_fallback=True) "
                "only if you trust whoever wrote the store"
            )
        return pickle.loads(_unb64(payload))


# The engine's own values that live in graph state.
register_attrs_class(Send, "send")
register_attrs_class(Interrupt, "interrupt")
register_attrs_class(Command, "command")
for _message in (
    HumanMessage, HumanMessageChunk, SystemMessage, SystemMessageChunk,
    AIMessage, AIMessageChunk, ToolMessage, RemoveMessage,
):
    register_attrs_class(_message, f"message.{_message.__name__}")
