"""The synchronous API: where invoke()/stream() may run, and where sync nodes run."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import trio

from _core_support import State, collect
from graphs import START, StateGraph


def simple() -> Any:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": s["x"] + 1})
    graph.add_edge(START, "a")
    return graph.compile()


async def test_invoke_refuses_inside_a_trio_loop() -> None:
    with pytest.raises(RuntimeError) as caught:
        simple().invoke({"x": 0})
    message = str(caught.value)
    assert "invoke() was called inside a running trio loop" in message
    assert "ainvoke" in message


async def test_stream_refuses_inside_a_trio_loop() -> None:
    stream = simple().stream({"x": 0})
    with pytest.raises(RuntimeError) as caught:
        next(stream)
    message = str(caught.value)
    assert "stream() was called inside a running trio loop" in message
    assert "astream" in message


async def test_batch_refuses_inside_a_trio_loop() -> None:
    with pytest.raises(RuntimeError, match="batch\\(\\) was called inside a running trio loop"):
        simple().batch([{"x": 0}])


def test_sync_invoke_stream_and_batch_from_plain_code() -> None:
    app = simple()
    assert app.invoke({"x": 0}) == {"x": 1, "items": []}
    assert list(app.stream({"x": 0})) == [{"a": {"x": 1}}]
    assert app.batch([{"x": 0}, {"x": 10}]) == [{"x": 1, "items": []}, {"x": 11, "items": []}]


def test_leaving_a_sync_stream_early_ends_its_loop_thread() -> None:
    node_finished = threading.Event()

    def many(state: State, writer: Any) -> dict[str, Any]:
        try:
            for i in range(10_000):  # far more than the stream buffers: the writer blocks
                writer(i)
        finally:
            node_finished.set()
        return {"x": 1}

    graph = StateGraph(State)
    graph.add_node(many)
    graph.add_edge(START, "many")
    stream = graph.compile().stream({"x": 0}, stream_mode="custom")
    assert [next(stream) for _ in range(3)] == [0, 1, 2]
    stream.close()  # what leaving a for loop early does to the generator
    assert node_finished.is_set()
    assert not [t for t in threading.enumerate() if t.name == "tributary-stream"]


async def test_sync_node_calling_invoke_runs_on_the_parent_loop() -> None:
    parent_token = trio.lowlevel.current_trio_token()
    tokens: list[Any] = []

    async def probe(state: State) -> dict[str, Any]:
        tokens.append(trio.lowlevel.current_trio_token())
        return {"items": ["inner"]}

    sub = StateGraph(State)
    sub.add_node(probe)
    sub.add_edge(START, "probe")
    compiled_sub = sub.compile()

    def caller(state: State) -> dict[str, Any]:
        result = compiled_sub.invoke({"x": 1})
        streamed = list(compiled_sub.stream({"x": 1}))
        return {"items": [*result["items"], *(p["probe"]["items"][0] for p in streamed)]}

    graph = StateGraph(State)
    graph.add_node(caller)
    graph.add_edge(START, "caller")
    assert await graph.compile().ainvoke({"x": 0}) == {"x": 0, "items": ["inner", "inner"]}
    assert tokens == [parent_token, parent_token]


async def test_sync_nodes_run_in_worker_threads() -> None:
    threads: list[threading.Thread] = []

    def node(state: State) -> dict[str, Any]:
        threads.append(threading.current_thread())
        return {"x": 1}

    graph = StateGraph(State)
    graph.add_node(node)
    graph.add_conditional_edges("node", lambda s: None)
    graph.add_edge(START, "node")
    await graph.compile().ainvoke({"x": 0})
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()
    assert threads[0] is not threading.current_thread()


async def test_a_blocking_sync_node_does_not_stall_an_async_sibling() -> None:
    released = threading.Event()

    def blocker(state: State) -> dict[str, Any]:
        # Only the async sibling can release this; on the loop thread it never would.
        return {"items": [f"released={released.wait(timeout=10)}"]}

    async def releaser(state: State) -> dict[str, Any]:
        await trio.sleep(0)
        released.set()
        return {"items": ["releaser"]}

    graph = StateGraph(State)
    graph.add_node(blocker)
    graph.add_node(releaser)
    graph.add_edge(START, "blocker")
    graph.add_edge(START, "releaser")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="updates"))
    assert parts == [{"releaser": {"items": ["releaser"]}}, {"blocker": {"items": ["released=True"]}}]
