"""Tests for runtime.messages.partial_json: partial shapes, errors, streaming and properties."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.messages.partial_json import PartialJsonAccumulator, PartialJsonError, parse_partial_json

COUNTRIES = {
    "countries": [
        {"name": "France", "population": 67391582},
        {"name": "Spain", "population": 46754778},
        {"name": "Japan", "population": 126476461},
    ]
}

# The parser outputs printed in the seed document (JsonOutputParser over a model stream).
SEED_STREAM: list[Any] = [
    {},
    {"countries": []},
    {"countries": [{}]},
    {"countries": [{"name": ""}]},
    {"countries": [{"name": "France"}]},
    {"countries": [{"name": "France", "population": 67}]},
    {"countries": [{"name": "France", "population": 6739}]},
    {"countries": [{"name": "France", "population": 673915}]},
    {"countries": [{"name": "France", "population": 67391582}]},
    {"countries": [{"name": "France", "population": 67391582}, {}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": ""}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Sp"}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain"}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46}]},
    {"countries": [{"name": "France", "population": 67391582},
                   {"name": "Spain", "population": 46754778}, {}]},
    {"countries": [{"name": "France", "population": 67391582},
                   {"name": "Spain", "population": 46754778}, {"name": "Japan"}]},
    COUNTRIES,
]


def _distinct_prefix_values(text: str) -> list[Any]:
    values: list[Any] = []
    for end in range(1, len(text) + 1):
        value = parse_partial_json(text[:end])
        if value is not None and (not values or value != values[-1]):
            values.append(value)
    return values


def _is_subsequence(needles: list[Any], haystack: list[Any]) -> bool:
    it = iter(haystack)
    return all(any(needle == item for item in it) for needle in needles)


def test_seed_stream_starts_with_the_documented_shapes() -> None:
    text = json.dumps(COUNTRIES, indent=1)
    values = _distinct_prefix_values(text)
    assert values[:5] == [
        {},
        {"countries": []},
        {"countries": [{}]},
        {"countries": [{"name": ""}]},
        {"countries": [{"name": "F"}]},
    ]
    assert values[-1] == COUNTRIES


def test_seed_stream_outputs_all_appear_in_order() -> None:
    values = _distinct_prefix_values(json.dumps(COUNTRIES))
    assert _is_subsequence(SEED_STREAM, values)


def test_accumulator_reports_changes_like_the_seed_stream() -> None:
    acc = PartialJsonAccumulator()
    emitted = [acc.value for char in json.dumps(COUNTRIES) if acc.feed(char)]
    assert emitted == _distinct_prefix_values(json.dumps(COUNTRIES))
    assert _is_subsequence(SEED_STREAM, emitted)
    assert acc.complete


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": "Fr', {"a": "Fr"}),  # a partial string value is kept
        ('{"a": "x", "na', {"a": "x"}),  # a partial key is dropped
        ('{"a": "x", "name"', {"a": "x"}),
        ('{"a": "x", "name":', {"a": "x"}),  # a key without a value is dropped
        ('{"a": "x", "name": ', {"a": "x"}),
        ('{"a": 1,', {"a": 1}),  # trailing comma
        ("[1, 2,", [1, 2]),
        ("[1, tru", [1]),  # partial literals show nothing
        ('{"a": nul', {}),
        ('{"a": fals', {}),
        ("[1, -", [1]),  # a lone minus shows nothing
        ("[673", [673]),  # a partial number is the number so far
        ("[1.", [1]),
        ("[1.5", [1.5]),
        ("[1.5e", [1.5]),
        ("[1.5e-", [1.5]),
        ("[2E+1", [20.0]),
        ("[-0", [0]),
        ('[[1, [2, {"x": [', [[1, [2, {"x": []}]]]),
        ('{"a": {"b": {"c": "deep', {"a": {"b": {"c": "deep"}}}),
        ('{"a": [], "b": {}, "c": [{}', {"a": [], "b": {}, "c": [{}]}),
        ('"a\\"b', 'a"b'),  # escapes
        ('"a\\\\', "a\\"),
        ('"a\\', "a"),  # an unfinished escape is held back
        ('"a\\u00', "a"),
        ('"a\\u00e9', "a\u00e9"),
        ('"\\ud83d', ""),  # a high surrogate waits for its pair
        ('"\\ud83d\\ude00', "\U0001f600"),
        ('"\\ud83d"', "\ud83d"),  # ... and stands alone if none comes, as in json.loads
        ('"\\ud83dx', "\ud83dx"),
        ('"tab\there', "tab\there"),  # raw control characters are accepted, like strict=False
        ("true", True),
        (" false ", False),
        ("[-I", []),
        ('{"a": "b"}  ', {"a": "b"}),
    ],
)
def test_partial_shapes(text: str, expected: Any) -> None:
    value = parse_partial_json(text)
    assert value == expected
    assert type(value) is type(expected)
    acc = PartialJsonAccumulator()
    acc.feed(text)
    assert repr(acc.value) == repr(value)


def test_non_finite_literals_like_json_loads() -> None:
    value = parse_partial_json("[NaN, Infinity, -Infinity, -Inf")
    assert math.isnan(value[0]) and value[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize("text", ["", "   \n", "t", "tru", "nul", "-", "N", "-Inf"])
def test_no_value_yet_is_none(text: str) -> None:
    assert parse_partial_json(text) is None


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("{]", 1),
        ("[}", 1),
        ("[1 2", 3),
        ('{"a",', 4),
        ('{"a" 1', 5),
        ('{"a": 1,}', 8),
        ("[1,]", 3),
        ("[1] x", 4),
        ("01", 0),
        ("[1.e5", 1),
        ("[--1", 1),
        ("[1e5e", 1),
        ('"\\x', 2),
        ('"\\u12g', 5),
        ("trux", 3),
        ("{1: 2}", 1),
        ("abc", 0),
        ("]", 0),
        ("[,", 1),
    ],
)
def test_text_that_can_never_be_json_raises(text: str, offset: int) -> None:
    with pytest.raises(PartialJsonError) as info:
        parse_partial_json(text)
    assert info.value.offset == offset
    assert isinstance(info.value, ValueError)
    assert f"offset {offset}" in str(info.value)


def test_accumulator_error_offset_counts_earlier_deltas_and_sticks() -> None:
    acc = PartialJsonAccumulator()
    assert acc.feed('{"a": ')
    assert not acc.feed("")
    with pytest.raises(PartialJsonError) as first:
        acc.feed("1 2")
    assert first.value.offset == 8
    with pytest.raises(PartialJsonError) as again:
        acc.feed("}")
    assert again.value is first.value


def test_accumulator_change_flags() -> None:
    acc = PartialJsonAccumulator()
    deltas = ['{"ke', 'y": ', '"v', "", 'a"', ", ", '"tr', 'ue": ', "true", "}", " "]
    flags = [acc.feed(d) for d in deltas]
    assert flags == [True, False, True, False, True, False, False, False, True, False, False]
    assert acc.value == {"key": "va", "true": True}
    assert acc.complete


def test_accumulator_values_are_independent_snapshots() -> None:
    acc = PartialJsonAccumulator()
    acc.feed('{"a": [1, 2')
    first = acc.value
    acc.feed(", 3")
    assert first == {"a": [1, 2]}
    assert acc.value == {"a": [1, 2, 3]}


def test_accumulator_is_not_complete_until_the_value_ends() -> None:
    acc = PartialJsonAccumulator()
    acc.feed("12")
    assert acc.value == 12 and not acc.complete  # "123" may still follow
    acc.feed(" ")
    assert acc.complete


# --- properties -------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)
dumps_options = st.sampled_from(
    [{}, {"ensure_ascii": False}, {"indent": 2}, {"separators": (",", ":")}]
)


def _parse_slowly(text: str) -> Any:
    """Parse through the push parser, never the json.loads fast path."""
    acc = PartialJsonAccumulator()
    acc.feed(text)
    return acc.value


def _extends(old: Any, new: Any) -> bool:
    """Whether ``new`` is a value ``old`` can grow into as more text arrives.

    Completed values never change; containers only gain items at the end, and
    only their last item may still be growing; a string only gains characters.
    A number is provisional until its token ends (``1`` may become ``1.5e3``),
    so any number may follow a number.
    """
    if isinstance(old, bool) or old is None:
        return old is new
    if isinstance(old, (int, float)):
        return isinstance(new, (int, float)) and not isinstance(new, bool)
    if isinstance(old, str):
        return isinstance(new, str) and new.startswith(old)
    if isinstance(old, list):
        if not isinstance(new, list) or len(old) > len(new):
            return False
        last = len(old) - 1
        return not old or (old[:last] == new[:last] and _extends(old[last], new[last]))
    assert isinstance(old, dict)
    keys = list(old)
    return (
        isinstance(new, dict)
        and keys == list(new)[: len(keys)]
        and all(old[k] == new[k] for k in keys[:-1])
        and (not keys or _extends(old[keys[-1]], new[keys[-1]]))
    )


@given(json_values, dumps_options)
def test_complete_documents_round_trip(value: Any, options: dict[str, Any]) -> None:
    text = json.dumps(value, **options)
    assert parse_partial_json(text) == value
    assert _parse_slowly(text) == value


@settings(max_examples=200)
@given(json_values, dumps_options)
def test_every_prefix_parses_and_only_grows(value: Any, options: dict[str, Any]) -> None:
    text = json.dumps(value, **options)
    previous = None
    for end in range(len(text) + 1):
        current = parse_partial_json(text[:end])
        if previous is not None:  # None before the first value shows
            assert _extends(previous, current), (text[:end], previous, current)
        if current is not None:
            assert _extends(current, value), (text[:end], current, value)
        previous = current


@given(json_values, dumps_options, st.data())
def test_accumulator_matches_reparsing_for_any_split(
    value: Any, options: dict[str, Any], data: st.DataObject
) -> None:
    text = json.dumps(value, **options)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    acc = PartialJsonAccumulator()
    previous: Any = None
    for start, end in zip([0, *cuts], [*cuts, len(text)]):
        changed = acc.feed(text[start:end])
        expected = parse_partial_json(text[:end])
        assert acc.value == expected
        assert changed == (expected != previous)
        previous = expected
    assert acc.value == value


@given(st.integers() | st.floats(allow_nan=False, allow_infinity=False))
def test_number_prefixes_show_numbers(number: float) -> None:
    text = json.dumps([number])
    for end in range(1, len(text)):
        shown = parse_partial_json(text[:end])
        assert isinstance(shown, list) and len(shown) <= 1
        assert all(isinstance(x, (int, float)) for x in shown)
    assert parse_partial_json(text) == [number]
