"""docs/streaming.md: the ``custom`` stream and its writers."""

from __future__ import annotations

from typing import Any

import pytest

from _core_support import State, collect
from graphs import START, StateGraph, StreamWriter, get_stream_writer
from runtime import get_config


def sync_via_getter(state: State) -> dict[str, Any]:
    get_stream_writer()("sync getter")
    return {"x": 1}


async def async_via_getter(state: State) -> dict[str, Any]:
    get_stream_writer()("async getter")
    return {"x": 1}


def sync_via_param(state: State, writer: StreamWriter) -> dict[str, Any]:
    writer("sync param")
    return {"x": 1}


async def async_via_param(state: State, writer) -> dict[str, Any]:  # type: ignore[no-untyped-def]  # noqa: ANN001
    writer("async param")
    await writer.asend("async param, awaited")
    return {"x": 1}


def single(node: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("node", node)
    graph.add_edge(START, "node")
    return graph.compile()


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (sync_via_getter, ["sync getter"]),
        (async_via_getter, ["async getter"]),
        (sync_via_param, ["sync param"]),
        (async_via_param, ["async param", "async param, awaited"]),
    ],
)
async def test_custom_chunks_from_every_kind_of_writer(node: Any, expected: list[str]) -> None:
    assert await collect(single(node).astream({"x": 0}, stream_mode="custom")) == expected
    assert await collect(single(node).astream({"x": 0}, stream_mode=["custom", "updates"])) == [
        *(("custom", chunk) for chunk in expected),
        ("updates", {"node": {"x": 1}}),
    ]


async def test_custom_payload_is_passed_through_as_is() -> None:
    payload = object()

    def node(state: State, writer: StreamWriter) -> dict[str, Any]:
        writer(payload)
        return {"x": 1}

    (got,) = await collect(single(node).astream({"x": 0}, stream_mode="custom"))
    assert got is payload


@pytest.mark.parametrize("node", [sync_via_getter, async_via_getter, sync_via_param, async_via_param])
async def test_writer_is_a_no_op_when_custom_is_not_requested(node: Any) -> None:
    graph = single(node)
    assert await collect(graph.astream({"x": 0}, stream_mode="updates")) == [{"node": {"x": 1}}]
    assert await collect(graph.astream({"x": 0}, stream_mode=["values", "updates"])) == [
        ("values", {"x": 0, "items": []}),
        ("updates", {"node": {"x": 1}}),
        ("values", {"x": 1, "items": []}),
    ]
    assert await graph.ainvoke({"x": 0}) == {"x": 1, "items": []}


def test_writer_is_a_no_op_under_sync_invoke() -> None:
    seen: list[bool] = []

    def node(state: State, writer: StreamWriter) -> dict[str, Any]:
        seen.append(writer.active)
        writer("dropped")
        return {"x": 1}

    assert single(node).invoke({"x": 0}) == {"x": 1, "items": []}
    assert seen == [False]


def test_get_stream_writer_outside_a_run_raises() -> None:
    with pytest.raises(RuntimeError) as caught:
        get_stream_writer()
    assert str(caught.value) == "Called get_config outside of a runnable context"
    with pytest.raises(RuntimeError, match="^Called get_config outside of a runnable context$"):
        get_config()


async def test_get_stream_writer_outside_a_run_raises_in_trio_too() -> None:
    with pytest.raises(RuntimeError, match="^Called get_config outside of a runnable context$"):
        get_stream_writer()


async def test_custom_chunks_come_in_the_order_written_across_nodes() -> None:
    def first(state: State, writer: StreamWriter) -> dict[str, Any]:
        for i in range(3):
            writer(("first", i))
        return {"x": 1}

    async def second(state: State, writer: StreamWriter) -> dict[str, Any]:
        for i in range(3):
            writer(("second", i))
        return {"x": 2}

    graph = StateGraph(State)
    graph.add_node(first)
    graph.add_node(second)
    graph.add_edge(START, "first")
    graph.add_edge("first", "second")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode=["custom", "updates"]))
    assert parts == [
        ("custom", ("first", 0)),
        ("custom", ("first", 1)),
        ("custom", ("first", 2)),
        ("updates", {"first": {"x": 1}}),
        ("custom", ("second", 0)),
        ("custom", ("second", 1)),
        ("custom", ("second", 2)),
        ("updates", {"second": {"x": 2}}),
    ]
