"""Run-time errors (docs/streaming.md, "Errors") and deliberate differences 2, 3, 5 (docs/differences.md)."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
import trio
import trio.testing

from _core_support import State, collect, collect_until_error
from graphs import (
    END,
    START,
    EmptyInputError,
    GraphRecursionError,
    InvalidUpdateError,
    StateGraph,
)
from runtime.core.config import DEFAULT_RECURSION_LIMIT

TROUBLESHOOTING = "\nFor troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/errors/"


class Broken(Exception):
    pass


def failing_chain() -> Any:
    def boom(state: State) -> dict[str, Any]:
        raise Broken("boom")

    graph = StateGraph(State)
    graph.add_node("ok", lambda s: {"x": s["x"] + 1})
    graph.add_node(boom)
    graph.add_node("never", lambda s: {"x": 100})
    graph.add_edge(START, "ok")
    graph.add_edge("ok", "boom")
    graph.add_edge("boom", "never")
    return graph.compile()


def assert_names_node(error: BaseException, node: str) -> None:
    assert not isinstance(error, BaseExceptionGroup)
    assert any(f"'{node}'" in note for note in getattr(error, "__notes__", ())), error


async def test_node_error_streams_what_came_before_then_raises_itself() -> None:
    got, error = await collect_until_error(failing_chain().astream({"x": 1}, stream_mode=["updates", "values"]))
    assert got == [
        ("values", {"x": 1, "items": []}),
        ("updates", {"ok": {"x": 2}}),
        ("values", {"x": 2, "items": []}),
    ]
    assert type(error) is Broken and str(error) == "boom"
    assert_names_node(error, "boom")


async def test_node_error_in_the_bare_async_for_form() -> None:
    got: list[Any] = []
    with pytest.raises(Broken) as caught:
        async for chunk in failing_chain().astream({"x": 1}):
            got.append(chunk)
    assert got == [{"ok": {"x": 2}}]
    assert_names_node(caught.value, "boom")


def test_node_error_from_sync_invoke_and_stream() -> None:
    with pytest.raises(Broken) as caught:
        failing_chain().invoke({"x": 1})
    assert_names_node(caught.value, "boom")
    got: list[Any] = []
    with pytest.raises(Broken) as caught:
        for chunk in failing_chain().stream({"x": 1}):
            got.append(chunk)
    assert got == [{"ok": {"x": 2}}]
    assert_names_node(caught.value, "boom")


async def test_error_cancels_running_async_siblings_and_keeps_finished_ones() -> None:
    parked_cancelled = trio.Event()
    never = trio.Event()

    async def parked(state: State) -> dict[str, Any]:
        try:
            await never.wait()
        finally:
            parked_cancelled.set()
        return {"items": ["parked"]}

    async def quick(state: State) -> dict[str, Any]:
        return {"items": ["quick"]}

    async def boom(state: State) -> dict[str, Any]:
        await trio.testing.wait_all_tasks_blocked()  # quick is done, parked is parked
        raise Broken("boom")

    graph = StateGraph(State)
    for node in (parked, quick, boom):
        graph.add_node(node)
        graph.add_edge(START, node.__name__)
    got, error = await collect_until_error(graph.compile().astream({"x": 0}))
    assert got == [{"quick": {"items": ["quick"]}}]
    assert type(error) is Broken
    assert_names_node(error, "boom")
    assert parked_cancelled.is_set()


def sibling_ignoring_cancellation_graph(log: list[str]) -> Any:
    """A sync node that fails while its sync sibling is blocked; the sibling notices the
    cancellation, yet returns an update, which must not be streamed."""
    blocked = threading.Event()

    def stubborn(state: State) -> dict[str, Any]:
        blocked.set()
        try:
            trio.from_thread.run(trio.sleep_forever)
        except trio.Cancelled:
            log.append("stubborn saw the cancellation")
        return {"items": ["too late"]}

    def boom(state: State) -> dict[str, Any]:
        blocked.wait()
        raise Broken("boom")

    graph = StateGraph(State)
    graph.add_node(stubborn)
    graph.add_node(boom)
    graph.add_edge(START, "stubborn")
    graph.add_edge(START, "boom")
    graph.add_node("next", lambda s: {"x": 1})
    graph.add_edge("stubborn", "next")
    return graph.compile()


def test_sync_stream_error_cancels_siblings_and_streams_nothing_more_of_the_step() -> None:
    # Deliberate difference 5: stream() behaves like astream().
    log: list[str] = []
    got: list[Any] = []
    with pytest.raises(Broken) as caught:
        for chunk in sibling_ignoring_cancellation_graph(log).stream({"x": 0}, stream_mode=["updates", "values"]):
            got.append(chunk)
    assert got == [("values", {"x": 0, "items": []})]
    assert log == ["stubborn saw the cancellation"]
    assert_names_node(caught.value, "boom")


async def test_astream_error_streams_nothing_more_of_the_step() -> None:
    log: list[str] = []
    got, error = await collect_until_error(sibling_ignoring_cancellation_graph(log).astream({"x": 0}))
    assert got == []
    assert type(error) is Broken
    assert log == ["stubborn saw the cancellation"]


def looping_graph() -> Any:
    graph = StateGraph(State)
    graph.add_node("loop", lambda s: {"x": s["x"] + 1})
    graph.add_edge(START, "loop")
    graph.add_conditional_edges("loop", lambda s: "loop")
    return graph.compile()


async def test_recursion_error_message_after_streaming_the_first_n_supersteps() -> None:
    got, error = await collect_until_error(
        looping_graph().astream({"x": 0}, {"recursion_limit": 4}, stream_mode=["updates", "values"])
    )
    # The hidden input node's step, then four runs of "loop": the step that
    # reaches the limit runs and streams, and the next one raises (as in LangGraph).
    assert got == [
        ("values", {"x": 0, "items": []}),
        ("updates", {"loop": {"x": 1}}),
        ("values", {"x": 1, "items": []}),
        ("updates", {"loop": {"x": 2}}),
        ("values", {"x": 2, "items": []}),
        ("updates", {"loop": {"x": 3}}),
        ("values", {"x": 3, "items": []}),
        ("updates", {"loop": {"x": 4}}),
        ("values", {"x": 4, "items": []}),
    ]
    assert type(error) is GraphRecursionError
    assert str(error) == (
        "Recursion limit of 4 reached without hitting a stop condition. You can increase the limit by "
        "setting the `recursion_limit` config key."
        f"{TROUBLESHOOTING}GRAPH_RECURSION_LIMIT"
    )


@pytest.mark.parametrize("length", [1, 3])
async def test_an_n_node_chain_needs_a_limit_of_n_plus_one(length: int) -> None:
    graph = StateGraph(State)
    names = [f"n{i}" for i in range(length)]
    for name in names:
        graph.add_node(name, lambda s: {"x": s["x"] + 1})
    graph.add_edge(START, names[0])
    for before, after in zip(names, names[1:]):
        graph.add_edge(before, after)
    graph.add_edge(names[-1], END)
    app = graph.compile()
    with pytest.raises(GraphRecursionError, match=f"^Recursion limit of {length} reached"):
        await app.ainvoke({"x": 0}, {"recursion_limit": length})
    assert await app.ainvoke({"x": 0}, {"recursion_limit": length + 1}) == {"x": length, "items": []}


def test_default_recursion_limit_is_10007() -> None:
    assert "LANGGRAPH_DEFAULT_RECURSION_LIMIT" not in os.environ
    assert DEFAULT_RECURSION_LIMIT == 10007


async def test_default_recursion_limit_applies_to_runs() -> None:
    async def spin(state: State) -> dict[str, Any]:
        return {"x": state["x"] + 1}

    graph = StateGraph(State)
    graph.add_node(spin)
    graph.add_edge(START, "spin")
    graph.add_conditional_edges("spin", lambda s: "spin")
    got, error = await collect_until_error(graph.compile().astream({"x": 0}, stream_mode="values"))
    assert type(error) is GraphRecursionError
    assert str(error).startswith("Recursion limit of 10007 reached")
    assert got[-1] == {"x": 10007, "items": []}


async def test_recursion_limit_zero_is_rejected() -> None:
    with pytest.raises(ValueError) as caught:
        await looping_graph().ainvoke({"x": 0}, {"recursion_limit": 0})
    assert str(caught.value) == "recursion_limit must be at least 1"
    assert type(caught.value) is ValueError


def single(node: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("node", node)
    graph.add_edge(START, "node")
    return graph.compile()


async def test_non_dict_node_return_is_an_invalid_update() -> None:
    got, error = await collect_until_error(single(lambda s: 42).astream({"x": 0}, stream_mode="values"))
    assert got == [{"x": 0, "items": []}]
    assert type(error) is InvalidUpdateError
    assert str(error) == f"Expected dict, got 42{TROUBLESHOOTING}INVALID_GRAPH_NODE_RETURN_VALUE"
    assert_names_node(error, "node")


async def test_non_dict_input_is_an_invalid_update() -> None:
    with pytest.raises(InvalidUpdateError) as caught:
        await single(lambda s: None).ainvoke(42)
    assert str(caught.value) == f"Expected dict, got 42{TROUBLESHOOTING}INVALID_GRAPH_NODE_RETURN_VALUE"


async def test_none_input_is_empty_input() -> None:
    with pytest.raises(EmptyInputError) as caught:
        await single(lambda s: None).ainvoke(None)
    assert str(caught.value) == "Received no input for __start__"


async def test_unknown_key_in_a_node_update_names_node_and_key() -> None:
    # Deliberate difference 2: LangGraph drops the key silently.
    got, error = await collect_until_error(single(lambda s: {"x": 1, "ghost": 2}).astream({"x": 0}))
    assert got == []
    assert type(error) is InvalidUpdateError
    assert "'node'" in str(error) and "'ghost'" in str(error)


async def test_unknown_input_key_names_the_key() -> None:
    with pytest.raises(InvalidUpdateError) as caught:
        await single(lambda s: None).ainvoke({"x": 0, "ghost": 1})
    assert "'ghost'" in str(caught.value)


async def test_router_returning_an_unknown_name_names_source_and_target() -> None:
    # Deliberate difference 3: LangGraph logs a warning and ends the run.
    graph = StateGraph(State)
    graph.add_node("src", lambda s: {"x": 1})
    graph.add_node("dst", lambda s: {"x": 2})
    graph.add_edge(START, "src")
    graph.add_conditional_edges("src", lambda s: "nowhere")
    got, error = await collect_until_error(graph.compile().astream({"x": 0}))
    assert got == []  # the router runs as part of its node's task
    assert type(error) is InvalidUpdateError
    assert "'src'" in str(error) and "'nowhere'" in str(error)


async def test_a_failed_run_leaves_the_graph_usable() -> None:
    app = failing_chain()
    for _ in range(2):
        with pytest.raises(Broken):
            await collect(app.astream({"x": 1}))
    ok = single(lambda s: {"x": s["x"] * 2})
    assert await ok.ainvoke({"x": 21}) == {"x": 42, "items": []}
