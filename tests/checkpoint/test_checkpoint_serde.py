"""JsonSerializer: exact round-trips, registered types, and refusals."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.checkpoint import DeserializationError, JsonSerializer, TypeRegistry
from runtime.core.types import Command, Interrupt, Send


def typed(value: Any) -> Any:
    """A hashable form of ``value`` that also records every type, so a tuple that
    came back as a list, 1 that came back as True, or -0.0 as 0.0 compare unequal."""
    cls = type(value)
    if cls in (list, tuple):
        return (cls.__name__, tuple(typed(item) for item in value))
    if cls in (set, frozenset):
        return (cls.__name__, frozenset(typed(item) for item in value))
    if cls is dict:
        return ("dict", tuple((typed(k), typed(v)) for k, v in value.items()))
    if attrs.has(cls):
        return (cls.__name__, typed(attrs.asdict(value, recurse=False)))
    return (cls.__name__, repr(value))  # repr tells 0.0 from -0.0, and shows tzinfo and fold


def roundtrip(value: Any, serde: JsonSerializer | None = None) -> Any:
    serde = serde or JsonSerializer()
    return serde.loads(serde.dumps(value))


def assert_roundtrips(value: Any, serde: JsonSerializer | None = None) -> None:
    assert typed(roundtrip(value, serde)) == typed(value)


timezones = st.one_of(
    st.none(),
    st.builds(
        timezone,
        st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)),
    ),
    st.timezones(),
)

hashable_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities included: typed() compares their reprs
    st.text(),  # includes lone surrogates
    st.binary(),
    st.datetimes(timezones=timezones),
    st.dates(),
    st.times(timezones=timezones),
    st.timedeltas(),
    st.uuids(),
    st.decimals(allow_nan=False),  # a signalling NaN cannot be hashed
    st.sampled_from(["__t", "v", "dict"]),
)

hashables = st.recursive(
    hashable_leaves,
    lambda inner: st.one_of(st.tuples(inner, inner), st.frozensets(inner, max_size=4)),
    max_leaves=8,
)

values = st.recursive(
    hashables | st.decimals(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.sets(hashables, max_size=4),
        st.dictionaries(st.text(), inner, max_size=4),
        # a user dict that has the tag key itself, with and without a value that looks like a tag
        st.dictionaries(st.sampled_from(["__t", "v", "x"]), inner, max_size=3),
        st.dictionaries(hashables, inner, max_size=4),
        st.builds(Send, st.text(), inner),
        st.builds(Interrupt, inner, st.text()),
        st.builds(Command, update=inner, resume=inner, goto=st.lists(st.builds(Send, st.text(), inner))),
    ),
    max_leaves=25,
)


@given(values)
def test_every_supported_value_round_trips_exactly(value: Any) -> None:
    assert_roundtrips(value)


@pytest.mark.parametrize(
    "value",
    [
        {"__t": "tuple", "v": [1, 2]},
        {"__t": "pickle", "v": "gASVBAAAAAAAAACMAWGULg=="},
        [{"__t": "bytes"}, {"v": 1, "__t": None}],
        {1: "a", "1": "b", 2.5: "c"} | {None: 0, (1, 2): 3, False: 4},
        (),
        [(), set(), frozenset(), {}],
        b"\x00\xff",
        bytearray(b"abc"),
        Decimal("-0"),
        Decimal("sNaN"),
        datetime(2024, 3, 31, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # inside a DST gap
        datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Berlin")),  # ambiguous hour
        time(12, 0, tzinfo=timezone(timedelta(hours=-3, microseconds=5))),
        date(1, 1, 1),
        UUID(int=7),
        "\ud800 lone surrogate",
        -0.0,
        float("inf"),
    ],
)
def test_tricky_values_round_trip(value: Any) -> None:
    assert_roundtrips(value)


def test_a_plain_str_keyed_dict_is_stored_as_a_plain_json_object() -> None:
    # The common case costs nothing extra: no tag, readable JSON.
    assert json.loads(JsonSerializer().dumps({"a": [1, "x"], "b": None})) == {"a": [1, "x"], "b": None}


def test_registered_runtime_types_round_trip() -> None:
    value: Command[str] = Command(
        graph=Command.PARENT,
        update={"messages": [("user", "hi")]},
        resume={"id-1": Interrupt(value={"question": (1, 2)}, id="a" * 32)},
        goto=(Send("worker", {"n": 1}), "other"),
    )
    back = roundtrip(value)
    assert back == value
    assert type(back.goto) is tuple
    assert type(back.goto[0]) is Send
    assert type(back.resume["id-1"].value["question"]) is tuple


def test_unknown_type_is_refused_with_a_hint() -> None:
    class Widget:
        pass

    with pytest.raises(TypeError, match=r"Widget.*register_type"):
        JsonSerializer().dumps({"deep": [Widget()]})


class Tagged(dict[str, Any]):
    pass


class Color(enum.IntEnum):
    RED = 1


class Mode(str, enum.Enum):
    FAST = "fast"


class Pair(NamedTuple):
    left: int
    right: int


@pytest.mark.parametrize("value", [Tagged(a=1), Color.RED, Mode.FAST, Pair(1, 2)])
def test_subclasses_of_supported_types_are_not_silently_downgraded(value: Any) -> None:
    with pytest.raises(TypeError, match=type(value).__name__):
        JsonSerializer().dumps({"k": value})


def test_unsupported_tzinfo_is_refused() -> None:
    class Fixed(tzinfo):
        def utcoffset(self, dt: Any) -> timedelta:
            return timedelta(hours=1)

        def dst(self, dt: Any) -> timedelta:
            return timedelta(0)

        def tzname(self, dt: Any) -> str:
            return "F"

    with pytest.raises(TypeError, match="Fixed"):
        JsonSerializer().dumps(datetime(2024, 1, 1, tzinfo=Fixed()))


@attrs.frozen
class Point:
    x: int
    _label: str = "p"  # init argument "label"
    norm: int = attrs.field(init=False, default=0)


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.cents == self.cents


def test_types_registered_on_one_serializer_stay_there() -> None:
    serde = JsonSerializer()
    serde.register_attrs_class(Point, "test.point")
    serde.register_type(Money, tag="test.money", encode=lambda m: m.cents, decode=Money)
    value = {"where": Point(3, label=(1, "a")), "price": Money(250)}  # type: ignore[arg-type]
    data = serde.dumps(value)
    back = serde.loads(data)
    assert back == value
    assert type(back["where"]._label) is tuple

    other = JsonSerializer()
    with pytest.raises(TypeError, match="Point"):
        other.dumps(Point(1))
    with pytest.raises(DeserializationError, match="test.point"):
        other.loads(data)


def test_registry_rejects_conflicting_or_reserved_registrations() -> None:
    registry = TypeRegistry()
    registry.register_type(Money, tag="money", encode=lambda m: m.cents, decode=Money)
    registry.register_type(Money, tag="money", encode=lambda m: m.cents, decode=Money)  # same again: fine
    with pytest.raises(ValueError, match="already registered for"):
        registry.register_attrs_class(Point, "money")
    with pytest.raises(ValueError, match="already registered under"):
        registry.register_type(Money, tag="cash", encode=lambda m: m.cents, decode=Money)
    with pytest.raises(ValueError, match="reserved"):
        registry.register_attrs_class(Point, "tuple")
    with pytest.raises(ValueError, match="natively"):
        registry.register_type(tuple, tag="my-tuple", encode=list, decode=tuple)
    with pytest.raises(TypeError, match="not an attrs class"):
        registry.register_attrs_class(Money, "money2")


UNPICKLE_CALLS: list[str] = []


def record_call(what: str) -> None:
    UNPICKLE_CALLS.append(what)


class Exploit:
    """Unpickling it calls ``record_call`` — a stand-in for ``os.system``."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (record_call, ("ran",))


def test_pickle_is_refused_on_load_unless_opted_in() -> None:
    UNPICKLE_CALLS.clear()
    data = JsonSerializer(pickle_fallback=True).dumps({"x": Exploit()})
    with pytest.raises(DeserializationError, match="pickle"):
        JsonSerializer().loads(data)
    assert UNPICKLE_CALLS == []
    JsonSerializer(pickle_fallback=True).loads(data)  # proves the payload would have run
    assert UNPICKLE_CALLS == ["ran"]


def test_pickle_fallback_round_trips_unknown_types() -> None:
    serde = JsonSerializer(pickle_fallback=True)
    assert roundtrip({"m": Money(5), "t": (1,)}, serde) == {"m": Money(5), "t": (1,)}


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"{not json", "not a serialised"),
        (b'{"__t": "no-such-tag", "v": 1}', "no-such-tag"),
        (b'{"__t": "tuple", "v": [], "extra": 1}', "malformed"),
        (b'{"__t": "bytes", "v": "***"}', "bytes"),
        (b'{"__t": "send", "v": {"wrong": 1}}', "send"),
        (b"\xff\xfe", "not a serialised"),
    ],
)
def test_bad_data_raises_deserialization_error(data: bytes, match: str) -> None:
    with pytest.raises(DeserializationError, match=match):
        JsonSerializer().loads(data)


def test_self_containing_value_is_a_clear_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        JsonSerializer().dumps(loop)
