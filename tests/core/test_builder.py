"""The StateGraph builder: kinds of nodes, joins, conditional edges, sequences."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from _core_support import State, collect
from graphs import END, START, Send, StateGraph, get_config
from runtime.core.config import RunnableConfig
from runtime.runnables.base import Runnable


def sync_node(state: State) -> dict[str, Any]:
    return {"items": ["sync"]}


async def async_node(state: State) -> dict[str, Any]:
    return {"items": ["async"]}


class Doubler(Runnable[Any, Any]):
    """A hand-written Runnable used as a node."""

    def __init__(self) -> None:
        self.configs: list[RunnableConfig | None] = []

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        self.configs.append(config)
        return {"x": input["x"] * 2, "items": ["runnable"]}


def sub_graph() -> Any:
    graph = StateGraph(State)
    graph.add_node("inner", lambda s: {"items": ["sub"]})
    graph.add_edge(START, "inner")
    return graph.compile()


async def test_every_kind_of_node_in_one_chain() -> None:
    doubler = Doubler()
    graph = StateGraph(State)
    graph.add_node(sync_node)
    graph.add_node(async_node)
    graph.add_node("runnable", doubler)
    graph.add_node("sub", sub_graph())
    graph.add_edge(START, "sync_node")
    graph.add_edge("sync_node", "async_node")
    graph.add_edge("async_node", "runnable")
    graph.add_edge("runnable", "sub")
    app = graph.compile()
    assert set(app.nodes) == {"sync_node", "async_node", "runnable", "sub"}
    parts = await collect(app.astream({"x": 3}, stream_mode="updates"))
    assert parts == [
        {"sync_node": {"items": ["sync"]}},
        {"async_node": {"items": ["async"]}},
        {"runnable": {"x": 6, "items": ["runnable"]}},
        {"sub": {"x": 6, "items": ["sync", "async", "runnable", "sub"]}},
    ]
    (config,) = doubler.configs
    assert config is not None and config["metadata"]["langgraph_node"] == "runnable"


def test_node_name_is_taken_from_the_function() -> None:
    graph = StateGraph(State)
    graph.add_node(sync_node)
    graph.add_node(async_node)
    assert list(graph.nodes) == ["sync_node", "async_node"]


async def test_join_waits_for_all_sources_even_across_steps() -> None:
    seen: list[Any] = []

    def join(state: State) -> dict[str, Any]:
        seen.append((get_config()["metadata"]["langgraph_step"], sorted(state["items"])))
        return {"x": 1}

    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"items": ["a"]})
    graph.add_node("b1", lambda s: {"items": ["b1"]})
    graph.add_node("b2", lambda s: {"items": ["b2"]})
    graph.add_node(join)
    graph.add_edge(START, "a")
    graph.add_edge(START, "b1")
    graph.add_edge("b1", "b2")
    graph.add_edge(["a", "b2"], "join")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="updates"))
    names = [next(iter(p)) for p in parts]
    assert sorted(names[:2]) == ["a", "b1"]
    assert names[2:] == ["b2", "join"]
    assert seen == [(3, ["a", "b1", "b2"])]


async def test_join_fires_again_each_time_all_sources_ran() -> None:
    def route(state: State) -> str:
        return "again" if state["x"] < 2 else END

    graph = StateGraph(State)
    graph.add_node("again", lambda s: {"x": s["x"] + 1})
    graph.add_node("l", lambda s: {"items": ["l"]})
    graph.add_node("r", lambda s: {"items": ["r"]})
    graph.add_node("join", lambda s: None)
    graph.add_edge(START, "again")
    graph.add_edge("again", "l")
    graph.add_edge("again", "r")
    graph.add_edge(["l", "r"], "join")
    graph.add_conditional_edges("join", route)
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="updates"))
    assert [next(iter(p)) for p in parts].count("join") == 2


def routed(route: Any, path_map: Any = None) -> Any:
    graph = StateGraph(State)
    graph.add_node("src", lambda s: {"x": 1})
    for name in ("left", "right"):
        graph.add_node(name, lambda s, _n=name: {"items": [_n]})
    graph.add_node("w", lambda arg: {"items": [f"w{arg}"]})
    graph.add_edge(START, "src")
    graph.add_conditional_edges("src", route, path_map)
    return graph.compile()


@pytest.mark.parametrize(
    ("route", "path_map", "items"),
    [
        (lambda s: "left", None, ["left"]),
        (lambda s: ["left", "right"], None, ["left", "right"]),
        (lambda s: END, None, []),
        (lambda s: Send("w", 7), None, ["w7"]),
        (lambda s: [Send("w", 1), Send("w", 2)], None, ["w1", "w2"]),
        (lambda s: ["right", Send("w", 3)], None, ["right", "w3"]),
        (lambda s: True, {True: "right", False: "left"}, ["right"]),
        (lambda s: [1, 2], {1: "left", 2: "right"}, ["left", "right"]),
        (lambda s: "left", ["left", "right"], ["left"]),
    ],
    ids=["name", "list", "end", "send", "sends", "mixed", "dict-map", "dict-map-list", "list-map"],
)
async def test_conditional_edges(route: Any, path_map: Any, items: list[str]) -> None:
    assert await routed(route, path_map).ainvoke({"x": 0}) == {"x": 1, "items": items}


async def test_literal_return_annotation_is_the_path_map() -> None:
    def route(state: State) -> Literal["left", "right"]:
        return "right"

    app = routed(route)
    assert await app.ainvoke({"x": 0}) == {"x": 1, "items": ["right"]}


async def test_async_router() -> None:
    async def route(state: State) -> str:
        return "left" if state["x"] == 1 else "right"

    assert await routed(route).ainvoke({"x": 0}) == {"x": 1, "items": ["left"]}


async def test_router_sees_its_nodes_update() -> None:
    seen: list[int] = []

    def route(state: State) -> str:
        seen.append(state["x"])
        return END

    await routed(route).ainvoke({"x": 0})
    assert seen == [1]


async def test_add_sequence() -> None:
    def first(state: State) -> dict[str, Any]:
        return {"items": ["first"]}

    async def second(state: State) -> dict[str, Any]:
        return {"items": ["second"]}

    graph = StateGraph(State)
    graph.add_sequence([first, second, ("third", lambda s: {"items": ["third"]})])
    graph.add_edge(START, "first")
    app = graph.compile()
    assert list(app.nodes) == ["first", "second", "third"]
    parts = await collect(app.astream({"x": 0}, stream_mode="updates"))
    assert [next(iter(p)) for p in parts] == ["first", "second", "third"]
    assert await app.ainvoke({"x": 0}) == {"x": 0, "items": ["first", "second", "third"]}


async def test_entry_and_finish_point_helpers() -> None:
    graph = StateGraph(State)
    graph.add_node(sync_node)
    graph.set_entry_point("sync_node")
    graph.set_finish_point("sync_node")
    assert await graph.compile().ainvoke({"x": 0}) == {"x": 0, "items": ["sync"]}
