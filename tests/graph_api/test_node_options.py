"""``add_node(metadata=, cache_policy=, destinations=, input_schema=)``: each accepted and effective.

Deeper tests live with each feature: the node cache in tests/cache, node input
schemas in tests/core/test_schemas.py, drawing in tests/drawing.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import START, CachePolicy, Command, InMemoryCache, StateGraph, get_config


class State(TypedDict, total=False):
    items: Annotated[list[str], operator.add]
    x: int


def test_metadata_reaches_the_nodes_config_and_its_events() -> None:
    seen: list[dict[str, Any]] = []

    def a(state: State) -> State:
        seen.append(dict(get_config()["metadata"]))
        return {"x": 1}

    graph = StateGraph(State)
    graph.add_node("a", a, metadata={"owner": "me", "n": 1})
    graph.add_edge(START, "a")
    app = graph.compile()
    app.invoke({"x": 0}, {"metadata": {"run": "r"}})
    assert {k: seen[0][k] for k in ("run", "owner", "n")} == {"run": "r", "owner": "me", "n": 1}
    assert seen[0]["langgraph_node"] == "a"


async def test_metadata_marks_the_nodes_events() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"x": 1}, metadata={"owner": "me"})
    graph.add_node("b", lambda state: {"x": 2})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    events = [e async for e in graph.compile().astream_events({"x": 0}, version="v2")]
    owners = {(e["name"], e["event"]): e["metadata"].get("owner") for e in events if e["name"] in ("a", "b")}
    assert owners[("a", "on_chain_start")] == owners[("a", "on_chain_end")] == "me"
    assert owners[("b", "on_chain_start")] is None


def test_cache_policy_caches_the_nodes_writes() -> None:
    calls: list[int] = []

    def slow(state: State) -> State:
        calls.append(state["x"])
        return {"items": [f"slow{state['x']}"]}

    graph = StateGraph(State)
    graph.add_node("slow", slow, cache_policy=CachePolicy())
    graph.add_edge(START, "slow")
    app = graph.compile(cache=InMemoryCache())
    assert app.invoke({"x": 1}) == app.invoke({"x": 1}) == {"items": ["slow1"], "x": 1}
    assert list(app.stream({"x": 1})) == [{"slow": {"items": ["slow1"]}, "__metadata__": {"cached": True}}]
    assert calls == [1]


def test_a_bad_cache_policy_names_the_node() -> None:
    with pytest.raises(TypeError, match="Node `n`: cache_policy"):
        StateGraph(State).add_node("n", lambda state: state, cache_policy=60)  # type: ignore[arg-type]


def routed() -> StateGraph:
    graph = StateGraph(State)
    graph.add_node("b", lambda state: {"items": ["b"]})
    graph.add_node("c", lambda state: {"items": ["c"]})
    graph.add_edge(START, "a")
    return graph


@pytest.mark.parametrize(
    ("destinations", "labels"), [(("b", "c"), [None, None]), ({"b": "to b", "c": "to c"}, ["to b", "to c"])]
)
def test_destinations_draw_the_commands_edges(destinations: Any, labels: list[str | None]) -> None:
    graph = routed()
    graph.add_node("a", lambda state: Command(goto="b"), destinations=destinations)
    drawn = graph.compile().get_graph()
    out_of_a = [(e.target, e.data, e.conditional) for e in drawn.edges if e.source == "a"]
    assert out_of_a == [("b", labels[0], True), ("c", labels[1], True)]


def test_destinations_do_not_route() -> None:
    graph = routed()
    graph.add_node("a", lambda state: Command(goto="b"), destinations=("b", "c"))
    assert graph.compile().invoke({"items": []}) == {"items": ["b"]}


def test_an_unknown_destination_names_it() -> None:
    graph = routed()
    graph.add_node("a", lambda state: None, destinations=["b", "nowhere"])
    with pytest.raises(Exception, match="`a`.*`nowhere`"):
        graph.compile()


def test_destinations_must_be_names() -> None:
    with pytest.raises(TypeError, match="Node `a`: destinations"):
        StateGraph(State).add_node("a", lambda state: None, destinations="b")


class Narrow(TypedDict):
    x: int
    note: str  # a key of the node's own, not in the state


def test_input_schema_shapes_what_the_node_reads() -> None:
    seen: list[Any] = []

    def first(state: State) -> Any:
        return {"note": "private", "items": ["first"]}

    def narrow(state: Narrow) -> State:
        seen.append(dict(state))
        return {"items": ["narrow"]}

    graph = StateGraph(State)
    graph.add_node("first", first)
    graph.add_node("narrow", narrow, input_schema=Narrow)
    graph.add_edge(START, "first")
    graph.add_edge("first", "narrow")
    assert graph.compile().invoke({"items": [], "x": 3}) == {"items": ["first", "narrow"], "x": 3}
    assert seen == [{"x": 3, "note": "private"}]
