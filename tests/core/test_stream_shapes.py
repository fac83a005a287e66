"""docs/streaming.md: the shape of what stream()/astream() yield for each stream_mode form."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import trio

from _core_support import State, collect, ns_segment
from graphs import START, InMemorySaver, StateGraph, StreamPart, get_stream_writer, interrupt
from runtime.core.stream import STREAM_MODES


def a(state: State) -> dict[str, Any]:
    get_stream_writer()({"in": "a"})
    return {"x": state["x"] + 1}


async def b(state: State) -> dict[str, Any]:
    return {"items": [state["x"]]}


def chain() -> Any:
    graph = StateGraph(State)
    graph.add_node(a)
    graph.add_node(b)
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    return graph.compile()


VALUES = [{"x": 1, "items": []}, {"x": 2, "items": []}, {"x": 2, "items": [2]}]
UPDATES = [{"a": {"x": 2}}, {"b": {"items": [2]}}]
MIXED = [
    ("values", {"x": 1, "items": []}),
    ("custom", {"in": "a"}),
    ("updates", {"a": {"x": 2}}),
    ("values", {"x": 2, "items": []}),
    ("updates", {"b": {"items": [2]}}),
    ("values", {"x": 2, "items": [2]}),
]


def test_str_mode_yields_bare_payloads() -> None:
    graph = chain()
    assert list(graph.stream({"x": 1}, stream_mode="values")) == VALUES
    assert list(graph.stream({"x": 1}, stream_mode="updates")) == UPDATES
    assert list(graph.stream({"x": 1}, stream_mode="custom")) == [{"in": "a"}]


def test_list_mode_yields_mode_and_payload_pairs() -> None:
    assert list(chain().stream({"x": 1}, stream_mode=["values", "updates", "custom"])) == MIXED


def test_one_element_list_still_yields_pairs() -> None:
    assert list(chain().stream({"x": 1}, stream_mode=["updates"])) == [("updates", u) for u in UPDATES]


def test_tuple_mode_is_treated_like_a_list() -> None:
    # Deliberate difference 1: LangGraph would interleave bare payloads here.
    assert list(chain().stream({"x": 1}, stream_mode=("values", "updates", "custom"))) == MIXED
    assert list(chain().stream({"x": 1}, stream_mode=("updates",))) == [("updates", u) for u in UPDATES]


def test_subgraphs_true_prefixes_the_namespace() -> None:
    graph = chain()
    assert list(graph.stream({"x": 1}, stream_mode="updates", subgraphs=True)) == [((), u) for u in UPDATES]
    assert list(graph.stream({"x": 1}, stream_mode=["values", "updates", "custom"], subgraphs=True)) == [
        ((), mode, chunk) for mode, chunk in MIXED
    ]


def test_subgraphs_false_equals_plain_shapes_for_a_flat_graph() -> None:
    graph = chain()
    assert list(graph.stream({"x": 1}, stream_mode="values", subgraphs=False)) == VALUES


def test_v2_yields_dicts_even_for_a_single_mode() -> None:
    parts = list(chain().stream({"x": 1}, stream_mode="updates", version="v2"))
    assert parts == [{"type": "updates", "ns": (), "data": u} for u in UPDATES]


def test_v2_values_parts_carry_interrupts() -> None:
    parts = list(chain().stream({"x": 1}, stream_mode=["values", "custom"], version="v2"))
    assert parts == [
        {"type": "values", "ns": (), "data": VALUES[0], "interrupts": ()},
        {"type": "custom", "ns": (), "data": {"in": "a"}},
        {"type": "values", "ns": (), "data": VALUES[1], "interrupts": ()},
        {"type": "values", "ns": (), "data": VALUES[2], "interrupts": ()},
    ]


def test_v2_values_part_moves_an_interrupt_out_of_the_data() -> None:
    def ask(state: State) -> dict[str, Any]:
        return {"x": interrupt("which x?")}

    graph = StateGraph(State)
    graph.add_node(ask)
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=InMemorySaver())
    parts = list(app.stream({"x": 1}, {"configurable": {"thread_id": "v2"}}, stream_mode="values", version="v2"))
    assert len(parts) == 2
    assert parts[0] == {"type": "values", "ns": (), "data": {"x": 1, "items": []}, "interrupts": ()}
    last = parts[1]
    assert last["data"] == {"x": 1, "items": []}  # no "__interrupt__" key left in the data
    assert [i.value for i in last["interrupts"]] == ["which x?"]


def test_v2_subgraph_parts_carry_their_namespace() -> None:
    sub = chain()
    parent = StateGraph(State)
    parent.add_node("child", sub)
    parent.add_edge(START, "child")
    parts = list(parent.compile().stream({"x": 1}, stream_mode="updates", subgraphs=True, version="v2"))
    assert [p["data"] for p in parts] == [*UPDATES, {"child": {"x": 2, "items": [2]}}]
    assert all(p["type"] == "updates" for p in parts)
    assert parts[-1]["ns"] == ()
    assert parts[0]["ns"] == parts[1]["ns"]
    assert len(parts[0]["ns"]) == 1 and ns_segment("child").match(parts[0]["ns"][0])


@pytest.mark.parametrize("mode", ["bogus", ["values", "bogus"], ("bogus",)])
def test_unknown_mode_raises_lazily_naming_it_and_listing_the_valid_ones(mode: Any) -> None:
    ran: list[int] = []

    def node(state: State) -> dict[str, Any]:
        ran.append(1)
        return {"x": 2}

    graph = StateGraph(State)
    graph.add_node(node)
    graph.add_edge(START, "node")
    stream = graph.compile().stream({"x": 1}, stream_mode=mode)  # nothing raised yet
    with pytest.raises(ValueError) as caught:
        next(stream)
    message = str(caught.value)
    assert "'bogus'" in message
    for valid in STREAM_MODES:
        assert valid in message
    assert ran == []


async def test_unknown_mode_raises_lazily_in_astream_too() -> None:
    stream = chain().astream({"x": 1}, stream_mode="nope")  # nothing raised yet
    with pytest.raises(ValueError, match="'nope'.*values, updates"):
        await stream.__anext__()


def test_default_mode_is_updates() -> None:
    graph = chain()
    assert graph.stream_mode == "updates"
    assert list(graph.stream({"x": 1})) == UPDATES


def test_invoke_with_a_stream_mode_returns_the_list_of_chunks() -> None:
    graph = chain()
    assert graph.invoke({"x": 1}, stream_mode="updates") == UPDATES
    assert graph.invoke({"x": 1}, stream_mode=["updates", "custom"]) == [
        (m, c) for m, c in MIXED if m != "values"
    ]
    assert graph.invoke({"x": 1}) == {"x": 2, "items": [2]}


async def test_ainvoke_with_a_stream_mode_returns_the_list_of_chunks() -> None:
    assert await chain().ainvoke({"x": 1}, stream_mode="updates") == UPDATES


@pytest.mark.parametrize(
    ("mode", "subgraphs", "version"),
    [
        ("updates", False, "v1"),
        (["values", "updates", "custom"], False, "v1"),
        (["values", "updates", "custom"], True, "v1"),
        (["values", "custom"], True, "v2"),
    ],
)
async def test_astream_yields_the_same_items_as_stream(mode: Any, subgraphs: bool, version: str) -> None:
    graph = chain()
    kwargs = {"stream_mode": mode, "subgraphs": subgraphs, "version": version}
    streamed = await collect(graph.astream({"x": 1}, **kwargs))
    bare = [item async for item in graph.astream({"x": 1}, **kwargs)]
    synced = await _run_sync_stream(graph, kwargs)
    assert streamed == bare == synced
    assert streamed  # a real comparison, not of two empty lists


async def _run_sync_stream(graph: Any, kwargs: dict[str, Any]) -> list[Any]:
    # stream() refuses to run on the trio thread; in a thread trio did not start it
    # runs its own trio loop.
    result: list[Any] = []

    def in_plain_thread() -> None:
        worker = threading.Thread(target=lambda: result.extend(graph.stream({"x": 1}, **kwargs)))
        worker.start()
        worker.join()

    await trio.to_thread.run_sync(in_plain_thread)
    return result


async def test_astream_parts_yields_unprojected_stream_parts() -> None:
    sub = chain()
    parent = StateGraph(State)
    parent.add_node("child", sub)
    parent.add_edge(START, "child")
    parts = await collect(parent.compile().astream_parts({"x": 1}, stream_mode=["updates", "custom"]))
    assert all(type(p) is StreamPart for p in parts)
    child_ns = parts[0].namespace
    assert len(child_ns) == 1 and ns_segment("child").match(child_ns[0])
    assert parts == [
        StreamPart(child_ns, "custom", {"in": "a"}),
        StreamPart(child_ns, "updates", {"a": {"x": 2}}),
        StreamPart(child_ns, "updates", {"b": {"items": [2]}}),
        StreamPart((), "updates", {"child": {"x": 2, "items": [2]}}),
    ]
