"""When a task of a step fails, siblings that finish in their first turn still stream
(docs/streaming.md, "Errors"; docs/differences.md, difference 5).

LangGraph's ``astream`` starts every task of a step at once: a sibling that
finishes without waiting on anything has streamed its ``updates`` before the
error comes out, whether it was added before or after the failing node; siblings
still waiting are cancelled and stream nothing. Each scenario builds the same
graph with Tributary (run under trio) and with the installed ``langgraph`` (run
under asyncio) and compares what the two streamed.
"""

from __future__ import annotations

import asyncio
import operator
import threading
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Annotated, Any, TypedDict

import pytest
import trio

import graphs
from runtime.core.errors import GraphBubbleUp

langgraph_graph = pytest.importorskip("langgraph.graph")
langgraph_memory = pytest.importorskip("langgraph.checkpoint.memory")
langgraph_types = pytest.importorskip("langgraph.types")


class State(TypedDict):
    x: Annotated[list, operator.add]


class Boom(Exception):
    pass


async def trio_wait_forever() -> None:
    await trio.sleep_forever()


async def asyncio_wait_forever() -> None:
    await asyncio.Event().wait()


TRIBUTARY = SimpleNamespace(
    name="tributary",
    StateGraph=graphs.StateGraph,
    START=graphs.START,
    Saver=graphs.InMemorySaver,
    RetryPolicy=graphs.RetryPolicy,
    yield_once=trio.lowlevel.checkpoint,
    wait_forever=trio_wait_forever,
    run=lambda main: trio.run(main),
)
LANGGRAPH = SimpleNamespace(
    name="langgraph",
    StateGraph=langgraph_graph.StateGraph,
    START=langgraph_graph.START,
    Saver=langgraph_memory.InMemorySaver,
    RetryPolicy=langgraph_types.RetryPolicy,
    yield_once=lambda: asyncio.sleep(0),
    wait_forever=asyncio_wait_forever,
    run=lambda main: asyncio.run(main()),
)

Kind = str
"""How a node behaves: ``fail`` (raises at once), ``fast`` (returns at once), ``yield``
(waits once, then returns), ``wait`` (waits forever), ``fast+yield`` (returns at once,
but its router waits once)."""


def node_for(lib: SimpleNamespace, name: str, kind: Kind, log: list[str]) -> Callable[[State], Awaitable[Any]]:
    async def node(state: State) -> dict[str, Any]:
        if kind == "fail":
            raise Boom(name)
        if kind == "yield":
            await lib.yield_once()
        if kind == "wait":
            try:
                await lib.wait_forever()
            finally:
                log.append(f"{name} cancelled")
        return {"x": [name]}

    return node


def fan_out(lib: SimpleNamespace, nodes: list[tuple[str, Kind]], log: list[str], **compile_kwargs: Any) -> Any:
    """START -> every node, in the order given (the order LangGraph starts them in)."""
    graph = lib.StateGraph(State)
    for name, kind in nodes:
        graph.add_node(name, node_for(lib, name, "fast" if kind == "fast+yield" else kind, log))
        graph.add_edge(lib.START, name)
        if kind == "fast+yield":
            async def route(state: State) -> str:
                await lib.yield_once()
                return "__end__"

            graph.add_conditional_edges(name, route)
    return graph.compile(**compile_kwargs)


def stream(
    lib: SimpleNamespace,
    app: Any,
    modes: Any = "updates",
    config: dict[str, Any] | None = None,
    on_end: Callable[[], None] = lambda: None,
) -> tuple[list[Any], str]:
    """What ``app.astream`` streamed, and the error it raised (``""``: none).
    ``on_end`` runs once the stream is over, before the event loop closes."""

    async def main() -> tuple[list[Any], str]:
        got: list[Any] = []
        try:
            async for chunk in app.astream({"x": []}, config, stream_mode=modes):
                got.append(slim(chunk))
        except Boom as error:
            return got, f"Boom({error})"
        finally:
            on_end()
        return got, ""

    result: tuple[list[Any], str] = lib.run(main)
    return result


def slim(chunk: Any) -> Any:
    """A ``tasks`` part cut to what both libraries fill in the same way."""
    if isinstance(chunk, tuple) and chunk[0] == "tasks":
        payload = chunk[1]
        if "result" in payload:
            return ("tasks", "result", payload["name"], payload["result"], repr(payload["error"]))
        return ("tasks", "start", payload["name"])
    return chunk


def both(scenario: Callable[[SimpleNamespace], Any]) -> Any:
    ours, theirs = scenario(TRIBUTARY), scenario(LANGGRAPH)
    assert ours == theirs
    return ours


@pytest.mark.parametrize(
    "order",
    [[("boom", "fail"), ("quick", "fast")], [("quick", "fast"), ("boom", "fail")]],
    ids=["failing-node-first", "failing-node-last"],
)
def test_a_sibling_that_finishes_at_once_streams_before_the_error(order: list[tuple[str, Kind]]) -> None:
    got, error = both(lambda lib: stream(lib, fan_out(lib, order, [])))
    assert got == [{"quick": {"x": ["quick"]}}]
    assert error == "Boom(boom)"


@pytest.mark.parametrize(
    "order",
    [[("boom", "fail"), ("slow", "yield")], [("slow", "yield"), ("boom", "fail")]],
    ids=["failing-node-first", "failing-node-last"],
)
def test_a_sibling_that_waits_even_once_is_cancelled(order: list[tuple[str, Kind]]) -> None:
    got, error = both(lambda lib: stream(lib, fan_out(lib, order, [])))
    assert got == []
    assert error == "Boom(boom)"


def test_a_sibling_whose_router_waits_is_cancelled() -> None:
    got, _ = both(lambda lib: stream(lib, fan_out(lib, [("boom", "fail"), ("routed", "fast+yield")], [])))
    assert got == []


def test_waiting_siblings_are_cancelled_while_quick_ones_stream_in_task_order() -> None:
    # Named in the order they are added: LangGraph announces a step's tasks by name.
    nodes = [("a_parked", "wait"), ("b_boom", "fail"), ("c_quick", "fast"), ("d_slow", "yield"), ("e_quick", "fast")]

    def scenario(lib: SimpleNamespace) -> Any:
        log: list[str] = []
        got, error = stream(lib, fan_out(lib, nodes, log), ["updates", "tasks"])
        return got, error, log

    got, error, log = both(scenario)
    assert got == [
        *[("tasks", "start", name) for name, _ in nodes],
        ("tasks", "result", "b_boom", {}, "Boom('b_boom')"),
        ("updates", {"c_quick": {"x": ["c_quick"]}}),
        ("tasks", "result", "c_quick", {"x": ["c_quick"]}, "None"),
        ("updates", {"e_quick": {"x": ["e_quick"]}}),
        ("tasks", "result", "e_quick", {"x": ["e_quick"]}, "None"),
    ]
    assert error == "Boom(b_boom)"
    assert log == ["a_parked cancelled"]


def test_the_quick_siblings_writes_are_kept_for_the_next_attempt() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        app = fan_out(lib, [("boom", "fail"), ("quick", "fast")], [], checkpointer=lib.Saver())
        config = {"configurable": {"thread_id": "t"}}
        got, error = stream(lib, app, "updates", config)

        async def state() -> Any:
            snapshot = await app.aget_state(config)
            return snapshot.next, [(t.name, t.error is not None, t.result) for t in snapshot.tasks]

        return got, error, lib.run(state)

    _, _, (next_, tasks) = both(scenario)
    assert next_ == ("boom",)
    assert tasks == [("boom", True, None), ("quick", False, {"x": ["quick"]})]


def test_a_retried_failure_lets_quick_siblings_stream_once() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        graph = lib.StateGraph(State)
        graph.add_node("boom", node_for(lib, "boom", "fail", []),
                       retry_policy=lib.RetryPolicy(max_attempts=2, initial_interval=0.0, jitter=False))
        graph.add_node("quick", node_for(lib, "quick", "fast", []))
        graph.add_edge(lib.START, "boom")
        graph.add_edge(lib.START, "quick")
        return stream(lib, graph.compile())

    got, error = both(scenario)
    assert got == [{"quick": {"x": ["quick"]}}]
    assert error == "Boom(boom)"


def test_a_sync_sibling_still_running_is_abandoned_and_streams_nothing() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        release = threading.Event()
        started = threading.Event()

        def blocked(state: State) -> dict[str, Any]:
            started.set()
            if lib is TRIBUTARY:
                # Tributary waits for a node's thread; the run's cancellation reaches it here.
                try:
                    trio.from_thread.run(trio.sleep_forever)
                except trio.Cancelled:
                    pass
            else:
                release.wait()  # LangGraph leaves the thread behind: let it go once the run is over
            return {"x": ["blocked"]}

        async def boom(state: State) -> dict[str, Any]:
            while not started.is_set():  # the sibling's thread is running
                await lib.yield_once()
            raise Boom("boom")

        graph = lib.StateGraph(State)
        graph.add_node("blocked", blocked)
        graph.add_node("boom", boom)
        graph.add_node("quick", node_for(lib, "quick", "fast", []))
        for name in ("blocked", "boom", "quick"):
            graph.add_edge(lib.START, name)
        return stream(lib, graph.compile(), on_end=release.set)

    got, error = both(scenario)
    assert got == [{"quick": {"x": ["quick"]}}]
    assert error == "Boom(boom)"


# -- Tributary only ------------------------------------------------------------------


def test_the_first_failure_of_a_turn_is_raised_and_the_others_recorded() -> None:
    # LangGraph raises one of them, picked from a set; Tributary the first to fail.
    app = fan_out(TRIBUTARY, [("quick", "fast"), ("b1", "fail"), ("b2", "fail")], [], checkpointer=graphs.InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    got, error = stream(TRIBUTARY, app, "updates", config)
    assert got == [{"quick": {"x": ["quick"]}}]
    assert error == "Boom(b1)"
    errors = {t.name: t.error for t in app.get_state(config).tasks}
    assert errors["quick"] is None
    assert "b1" in str(errors["b1"]) and "b2" in str(errors["b2"])


def test_the_sync_stream_lets_quick_siblings_stream_too() -> None:
    # Deliberate difference 5: stream() behaves like astream().
    app = fan_out(TRIBUTARY, [("boom", "fail"), ("quick", "fast"), ("slow", "yield")], [])
    got: list[Any] = []
    with pytest.raises(Boom):
        for chunk in app.stream({"x": []}):
            got.append(chunk)  # noqa: PERF402 - keeps what came before the error
    assert got == [{"quick": {"x": ["quick"]}}]


def test_an_interrupt_is_no_failure_for_its_siblings() -> None:
    async def ask(state: State) -> dict[str, Any]:
        return {"x": [graphs.interrupt("q")]}

    graph = graphs.StateGraph(State)
    graph.add_node("ask", ask)
    graph.add_node("slow", node_for(TRIBUTARY, "slow", "yield", []))
    graph.add_edge(graphs.START, "ask")
    graph.add_edge(graphs.START, "slow")
    app = graph.compile(checkpointer=graphs.InMemorySaver())
    got = list(app.stream({"x": []}, {"configurable": {"thread_id": "t"}}))
    assert got[0] == {"slow": {"x": ["slow"]}}
    assert "__interrupt__" in got[1]
    assert issubclass(graphs.GraphInterrupt, GraphBubbleUp)
