"""A node may return a list of ``Command``\\s, or a list mixing plain updates and ``Command``\\s (LangGraph 1.2)."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import START, Command, InvalidUpdateError, Send, StateGraph


class State(TypedDict):
    items: Annotated[list[str], operator.add]
    x: int


def graph_with(first: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("a", first)
    graph.add_node("b", lambda state: {"items": ["b"]})
    graph.add_node("c", lambda state: {"items": [f"c{state.get('x', '')}"]})
    graph.add_edge(START, "a")
    return graph.compile()


def test_every_command_of_the_list_applies_in_order() -> None:
    app = graph_with(
        lambda state: [
            Command(update={"items": ["a1"]}, goto="b"),
            {"items": ["a2"]},
            Command(update={"items": ["a3"]}, goto="c"),
        ]
    )
    assert app.invoke({"items": []}) == {"items": ["a1", "a2", "a3", "b", "c"]}


def test_a_key_written_more_than_once_streams_one_update_per_write() -> None:
    app = graph_with(lambda state: [Command(update={"items": ["a1"], "x": 1}, goto="b"), {"items": ["a2"]}])
    assert list(app.stream({"items": []})) == [
        {"a": [{"items": ["a1"]}, {"x": 1}, {"items": ["a2"]}]},
        {"b": {"items": ["b"]}},
    ]


def test_distinct_keys_stream_as_one_update() -> None:
    app = graph_with(lambda state: [Command(update={"items": ["a1"]}), Command(update={"x": 2}, goto="c")])
    assert list(app.stream({"items": []})) == [{"a": {"items": ["a1"], "x": 2}}, {"c": {"items": ["c2"]}}]


def test_gotos_of_the_list_may_send() -> None:
    app = graph_with(
        lambda state: [Command(goto=[Send("c", {"items": [], "x": 7}), "b"]), None, Command(goto=Send("c", {"x": 8}))]
    )
    out = app.invoke({"items": []})
    assert sorted(out["items"]) == ["b", "c7", "c8"]


def test_a_parent_command_in_the_list_goes_to_the_parent() -> None:
    child = StateGraph(State)
    child.add_node(
        "inner",
        lambda state: [Command(update={"items": ["lost"]}), Command(graph=Command.PARENT, goto="c", update={"x": 5})],
    )
    child.add_edge(START, "inner")
    parent = StateGraph(State)
    parent.add_node("child", child.compile())
    parent.add_node("c", lambda state: {"items": [f"c{state['x']}"]})
    parent.add_edge(START, "child")
    assert parent.compile().invoke({"items": [], "x": 0}) == {"items": ["c5"], "x": 5}


def test_a_list_of_plain_values_is_still_refused() -> None:
    app = graph_with(lambda state: [Command(update={"items": ["a1"]}), ("items", "pair")])
    with pytest.raises(InvalidUpdateError, match="Expected dict"):
        app.invoke({"items": []})


def test_an_unknown_key_in_a_listed_command_names_it_difference_2() -> None:
    app = graph_with(lambda state: [Command(update={"nope": 1})])
    with pytest.raises(InvalidUpdateError, match="'nope'"):
        app.invoke({"items": []})
