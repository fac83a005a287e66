"""docs/streaming.md: subgraphs as nodes, graphs invoked inside nodes, and their namespaces."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from _core_support import State, collect, collect_until_error, ns_segment
from graphs import START, Send, StateGraph, get_stream_writer


def inner_node(state: State) -> dict[str, Any]:
    get_stream_writer()("inner custom")
    return {"items": ["c1"]}


def grandchild() -> Any:
    graph = StateGraph(State)
    graph.add_node(inner_node)
    graph.add_edge(START, "inner_node")
    return graph.compile()


def child_with_grandchild() -> Any:
    graph = StateGraph(State)
    graph.add_node("mid", lambda s: {"x": s["x"] * 10})
    graph.add_node("grand", grandchild())
    graph.add_edge(START, "mid")
    graph.add_edge("mid", "grand")
    return graph.compile()


def parent_of(child: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("p", lambda s: {"items": ["p1"]})
    graph.add_node("child", child)
    graph.add_edge(START, "p")
    graph.add_edge("p", "child")
    return graph.compile()


async def test_namespaces_one_and_two_levels_deep() -> None:
    parts = await collect(
        parent_of(child_with_grandchild()).astream(
            {"x": 1}, stream_mode=["updates", "custom", "tasks"], subgraphs=True
        )
    )
    root_starts = {c["name"]: c["id"] for ns, m, c in parts if ns == () and m == "tasks" and "input" in c}
    child_ns = (f"child:{root_starts['child']}",)
    child_starts = {c["name"]: c["id"] for ns, m, c in parts if ns == child_ns and m == "tasks" and "input" in c}
    grand_ns = (*child_ns, f"grand:{child_starts['grand']}")
    assert ns_segment("child").match(child_ns[0]) and ns_segment("grand").match(grand_ns[1])
    without_tasks = [(ns, m, c) for ns, m, c in parts if m != "tasks"]
    assert without_tasks == [
        ((), "updates", {"p": {"items": ["p1"]}}),
        (child_ns, "updates", {"mid": {"x": 10}}),
        (grand_ns, "custom", "inner custom"),
        (grand_ns, "updates", {"inner_node": {"items": ["c1"]}}),
        (child_ns, "updates", {"grand": {"x": 10, "items": ["p1", "c1"]}}),
        ((), "updates", {"child": {"x": 10, "items": ["p1", "p1", "c1"]}}),
    ]


async def test_subgraph_parts_are_dropped_without_subgraphs() -> None:
    parts = await collect(parent_of(child_with_grandchild()).astream({"x": 1}, stream_mode=["updates", "custom"]))
    assert parts == [
        ("updates", {"p": {"items": ["p1"]}}),
        ("updates", {"child": {"x": 10, "items": ["p1", "p1", "c1"]}}),
    ]


async def test_subgraph_node_update_is_its_whole_output_state() -> None:
    # The child receives the parent's items ["p1"], adds "c1" and returns its whole
    # state; the parent's reducer appends that to its own ["p1"] (LangGraph does the same).
    child = grandchild()
    parts = await collect(parent_of(child).astream({"x": 1}, stream_mode="updates"))
    assert parts == [{"p": {"items": ["p1"]}}, {"child": {"x": 1, "items": ["p1", "c1"]}}]
    assert await parent_of(child).ainvoke({"x": 1}) == {"x": 1, "items": ["p1", "p1", "c1"]}


async def test_subgraph_output_keys_the_parent_lacks_are_dropped() -> None:
    class Wide(TypedDict):
        x: int
        items: Annotated[list, operator.add]
        secret: str

    sub = StateGraph(Wide)
    sub.add_node("leak", lambda s: {"secret": "s", "x": s["x"] + 1})
    sub.add_edge(START, "leak")
    parent = StateGraph(State)
    parent.add_node("child", sub.compile())
    parent.add_edge(START, "child")
    app = parent.compile()
    assert await collect(app.astream({"x": 1}, stream_mode="updates")) == [{"child": {"x": 2, "items": []}}]
    assert await app.ainvoke({"x": 1}) == {"x": 2, "items": []}


def test_sync_node_invoking_a_graph_gets_the_node_namespace() -> None:
    sub = grandchild()

    def caller(state: State) -> dict[str, Any]:
        return {"x": len(sub.invoke({"x": state["x"]})["items"])}

    graph = StateGraph(State)
    graph.add_node(caller)
    graph.add_edge(START, "caller")
    parts = list(graph.compile().stream({"x": 0}, stream_mode=["updates", "custom", "tasks"], subgraphs=True))
    (caller_id,) = [c["id"] for ns, m, c in parts if m == "tasks" and ns == () and "input" in c]
    ns = (f"caller:{caller_id}",)
    assert [(n, m, c) for n, m, c in parts if m != "tasks"] == [
        (ns, "custom", "inner custom"),
        (ns, "updates", {"inner_node": {"items": ["c1"]}}),
        ((), "updates", {"caller": {"x": 1}}),
    ]


async def test_async_node_awaiting_a_graph_gets_the_node_namespace() -> None:
    sub = grandchild()

    async def acaller(state: State) -> dict[str, Any]:
        result = await sub.ainvoke({"x": state["x"]})
        return {"x": len(result["items"]) + 10}

    graph = StateGraph(State)
    graph.add_node(acaller)
    graph.add_edge(START, "acaller")
    parts = await collect(
        graph.compile().astream({"x": 0}, stream_mode=["updates", "custom", "tasks"], subgraphs=True)
    )
    (caller_id,) = [c["id"] for ns, m, c in parts if m == "tasks" and ns == () and "input" in c]
    ns = (f"acaller:{caller_id}",)
    assert [(n, m, c) for n, m, c in parts if m != "tasks"] == [
        (ns, "custom", "inner custom"),
        (ns, "updates", {"inner_node": {"items": ["c1"]}}),
        ((), "updates", {"acaller": {"x": 11}}),
    ]


async def test_each_send_to_a_subgraph_node_gets_its_own_namespace() -> None:
    class Jobs(TypedDict):
        x: Annotated[int, operator.add]
        items: Annotated[list, operator.add]

    sub = StateGraph(Jobs)
    sub.add_node("work", lambda s: {"items": [f"job{s['x']}"]})
    sub.add_edge(START, "work")
    graph = StateGraph(Jobs)
    graph.add_node("job", sub.compile())
    graph.add_conditional_edges(START, lambda s: [Send("job", {"x": i}) for i in range(3)])
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="updates", subgraphs=True))
    inner = [(ns, c) for ns, c in parts if ns != ()]
    assert sorted(c["work"]["items"][0] for _, c in inner) == ["job0", "job1", "job2"]
    namespaces = [ns for ns, _ in inner]
    assert len(set(namespaces)) == 3
    assert all(len(ns) == 1 and ns_segment("job").match(ns[0]) for ns in namespaces)
    outer = [c for ns, c in parts if ns == ()]
    assert sorted(c["job"]["items"] for c in outer) == [["job0"], ["job1"], ["job2"]]


async def test_error_inside_a_subgraph_streams_inner_updates_then_raises() -> None:
    class Broken(Exception):
        pass

    def fails(state: State) -> dict[str, Any]:
        raise Broken("inner failure")

    sub = StateGraph(State)
    sub.add_node("ok", lambda s: {"x": 5})
    sub.add_node(fails)
    sub.add_edge(START, "ok")
    sub.add_edge("ok", "fails")
    parent = StateGraph(State)
    parent.add_node("child", sub.compile())
    parent.add_edge(START, "child")
    got, error = await collect_until_error(parent.compile().astream({"x": 1}, stream_mode="updates", subgraphs=True))
    assert type(error) is Broken
    assert len(got) == 1
    ns, chunk = got[0]
    assert chunk == {"ok": {"x": 5}} and ns_segment("child").match(ns[0])
    notes = "\n".join(error.__notes__)
    assert "'fails'" in notes and "'child'" in notes


@pytest.mark.parametrize("subgraphs", [False, True])
def test_subgraph_custom_chunks_only_with_subgraphs(subgraphs: bool) -> None:
    parts = list(parent_of(grandchild()).stream({"x": 1}, stream_mode="custom", subgraphs=subgraphs))
    if subgraphs:
        assert len(parts) == 1
        ns, chunk = parts[0]
        assert chunk == "inner custom" and len(ns) == 1 and ns_segment("child").match(ns[0])
    else:
        assert parts == []
