"""The recursion limit is counted as in LangGraph 1.2 (docs/streaming.md, "Errors").

LangGraph runs the step that reaches the limit, streams what it produced, and
raises ``GraphRecursionError`` when the next step would start — even when that
step would have nothing to run. Each scenario here builds the same graph with
Tributary and with the installed ``langgraph``, runs both, and compares what they
streamed and where they raised.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Annotated, Any, TypedDict

import pytest

import graphs

langgraph_graph = pytest.importorskip("langgraph.graph")
langgraph_types = pytest.importorskip("langgraph.types")
langgraph_errors = pytest.importorskip("langgraph.errors")
langgraph_memory = pytest.importorskip("langgraph.checkpoint.memory")


class State(TypedDict):
    x: Annotated[list, operator.add]


TRIBUTARY = SimpleNamespace(
    name="tributary",
    StateGraph=graphs.StateGraph,
    START=graphs.START,
    END=graphs.END,
    Send=graphs.Send,
    Command=graphs.Command,
    interrupt=graphs.interrupt,
    Saver=graphs.InMemorySaver,
    RecursionError=graphs.GraphRecursionError,
)
LANGGRAPH = SimpleNamespace(
    name="langgraph",
    StateGraph=langgraph_graph.StateGraph,
    START=langgraph_graph.START,
    END=langgraph_graph.END,
    Send=langgraph_types.Send,
    Command=langgraph_types.Command,
    interrupt=langgraph_types.interrupt,
    Saver=langgraph_memory.InMemorySaver,
    RecursionError=langgraph_errors.GraphRecursionError,
)


@dataclass
class Outcome:
    """What one run streamed, and what it ended with (``"ok"`` or the error's type and message)."""

    chunks: list[Any]
    end: str


def normalise(item: Any, mode: str) -> Any:
    """A stream item with what differs between runs (ids, timestamps) taken out.

    ``mode`` is the stream mode when one mode was asked for.
    """
    if isinstance(item, tuple) and isinstance(item[0], tuple):  # subgraphs=True: the namespace first
        namespace = tuple(part.split(":")[0] for part in item[0])
        if len(item) == 3:  # several modes: (namespace, mode, chunk)
            return (namespace, *normalise(item[1:], mode))
        return (namespace, normalise(item[1], mode))
    if isinstance(item, tuple):  # several modes: (mode, chunk)
        return (item[0], normalise_chunk(item[0], item[1]))
    return normalise_chunk(mode, item)


def normalise_chunk(mode: str, chunk: Any) -> Any:
    if mode == "checkpoints":
        return {"step": chunk["metadata"]["step"], "next": tuple(chunk["next"]), "values": chunk["values"]}
    if mode == "updates" and "__interrupt__" in chunk:
        return {"__interrupt__": [i.value for i in chunk["__interrupt__"]]}
    return chunk


def run(lib: SimpleNamespace, app: Any, input: Any, config: dict[str, Any], **kwargs: Any) -> Outcome:
    chunks: list[Any] = []
    mode = kwargs.get("stream_mode", "")
    try:
        for item in app.stream(input, config, **kwargs):
            chunks.append(normalise(item, mode if isinstance(mode, str) else ""))
    except lib.RecursionError as error:
        return Outcome(chunks, f"GraphRecursionError: {str(error).splitlines()[0]}")
    return Outcome(chunks, "ok")


def both(scenario: Callable[[SimpleNamespace], Outcome]) -> Outcome:
    """Run ``scenario`` with both libraries; they must agree. Returns Tributary's outcome."""
    ours, theirs = scenario(TRIBUTARY), scenario(LANGGRAPH)
    assert ours == theirs
    return ours


def chain(lib: SimpleNamespace, length: int, **compile_kwargs: Any) -> Any:
    graph = lib.StateGraph(State)
    names = [f"n{i}" for i in range(length)]
    for name in names:
        graph.add_node(name, lambda s, name=name: {"x": [name]})
    graph.add_edge(lib.START, names[0])
    for before, after in itertools.pairwise(names):
        graph.add_edge(before, after)
    graph.add_edge(names[-1], lib.END)
    return graph.compile(**compile_kwargs)


def thread(limit: int) -> dict[str, Any]:
    return {"configurable": {"thread_id": "t"}, "recursion_limit": limit}


def updated_nodes(outcome: Outcome) -> list[str]:
    return [name for chunk in outcome.chunks for name in chunk]


def test_a_three_node_chain_with_a_limit_of_three_streams_three_updates_then_raises() -> None:
    outcome = both(lambda lib: run(lib, chain(lib, 3), {"x": []}, {"recursion_limit": 3}, stream_mode="updates"))
    assert outcome.chunks == [{"n0": {"x": ["n0"]}}, {"n1": {"x": ["n1"]}}, {"n2": {"x": ["n2"]}}]
    assert outcome.end.startswith("GraphRecursionError: Recursion limit of 3 reached")


@pytest.mark.parametrize(("length", "limit"), [(1, 1), (2, 1), (3, 2), (2, 3), (3, 4), (5, 5)])
def test_chains_of_every_length_stop_where_langgraph_stops(length: int, limit: int) -> None:
    outcome = both(
        lambda lib: run(
            lib, chain(lib, length), {"x": []}, {"recursion_limit": limit}, stream_mode=["updates", "values"]
        )
    )
    ran = [chunk for mode, chunk in outcome.chunks if mode == "updates"]
    # The input node's step counts: a limit of L runs L node steps after it.
    assert len(ran) == min(length, limit)
    assert outcome.end == ("ok" if length < limit else f"GraphRecursionError: Recursion limit of {limit} reached "
                           "without hitting a stop condition. You can increase the limit by setting the "
                           "`recursion_limit` config key.")


def test_a_loop_streams_the_limit_step_then_raises() -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        graph = lib.StateGraph(State)
        graph.add_node("loop", lambda s: {"x": [len(s["x"])]})
        graph.add_edge(lib.START, "loop")
        graph.add_conditional_edges("loop", lambda s: "loop")
        return run(lib, graph.compile(), {"x": []}, {"recursion_limit": 4}, stream_mode=["updates", "values"])

    outcome = both(scenario)
    assert outcome.chunks[-2:] == [("updates", {"loop": {"x": [3]}}), ("values", {"x": [0, 1, 2, 3]})]


def test_parallel_branches_count_steps_not_tasks() -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        graph = lib.StateGraph(State)
        for name in ("a", "b", "c", "d"):
            graph.add_node(name, lambda s, name=name: {"x": [name]})
        graph.add_edge(lib.START, "a")
        graph.add_edge(lib.START, "b")
        graph.add_edge("a", "c")
        graph.add_edge("b", "d")
        return run(lib, graph.compile(), {"x": []}, {"recursion_limit": 2}, stream_mode="values")

    outcome = both(scenario)
    assert outcome.chunks[-1] == {"x": ["a", "b", "c", "d"]}
    assert outcome.end.startswith("GraphRecursionError")


def test_sends_count_as_one_step() -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        graph = lib.StateGraph(State)
        graph.add_node("fan", lambda s: {"x": ["fan"]})
        graph.add_node("work", lambda s: {"x": [s["x"][-1] * 2]})
        graph.add_edge(lib.START, "fan")
        graph.add_conditional_edges("fan", lambda s: [lib.Send("work", {"x": [n]}) for n in (1, 2, 3)])
        outcome = run(lib, graph.compile(), {"x": []}, {"recursion_limit": 2}, stream_mode="updates")
        # The three tasks of the step finish in any order.
        return Outcome(sorted(outcome.chunks, key=repr), outcome.end)

    outcome = both(scenario)
    assert updated_nodes(outcome) == ["fan", "work", "work", "work"]
    assert outcome.end.startswith("GraphRecursionError")


def test_checkpoints_stream_the_last_saved_checkpoint_before_the_error() -> None:
    outcome = both(
        lambda lib: run(
            lib, chain(lib, 3, checkpointer=lib.Saver()), {"x": []}, thread(2), stream_mode="checkpoints"
        )
    )
    assert [(c["step"], c["next"]) for c in outcome.chunks] == [
        (-1, ("__start__",)), (0, ("n0",)), (1, ("n1",)), (2, ("n2",))
    ]
    assert outcome.end.startswith("GraphRecursionError")


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_continued_run_counts_from_the_checkpoint_it_continues(limit: int) -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        app = chain(lib, 8, checkpointer=lib.Saver(), interrupt_before=["n2"])
        first = run(lib, app, {"x": []}, thread(10), stream_mode="updates")
        assert updated_nodes(first) == ["n0", "n1", "__interrupt__"]
        return run(lib, app, None, thread(limit), stream_mode="updates")

    outcome = both(scenario)
    # No input step to spend: a continued run gets one step more than a fresh one.
    assert len(outcome.chunks) == limit + 2


@pytest.mark.parametrize("limit", [1, 2])
def test_a_resumed_interrupt_counts_from_the_checkpoint_it_resumes(limit: int) -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        graph = lib.StateGraph(State)
        graph.add_node("ask", lambda s: {"x": [lib.interrupt("q")]})
        graph.add_edge(lib.START, "ask")
        graph.add_conditional_edges("ask", lambda s: "ask" if len(s["x"]) < 1 else "more")
        graph.add_node("more", lambda s: {"x": ["more"]})
        graph.add_conditional_edges("more", lambda s: "more")
        app = graph.compile(checkpointer=lib.Saver())
        first = run(lib, app, {"x": []}, thread(10), stream_mode="updates")
        assert first.chunks == [{"__interrupt__": ["q"]}]
        return run(lib, app, lib.Command(resume="a"), thread(limit), stream_mode="updates")

    outcome = both(scenario)
    assert updated_nodes(outcome)[0] == "ask"
    assert outcome.end.startswith("GraphRecursionError")


@pytest.mark.parametrize("limit", [1, 3])
def test_new_input_on_a_finished_thread_counts_like_a_fresh_run(limit: int) -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        app = chain(lib, 3, checkpointer=lib.Saver())
        assert run(lib, app, {"x": []}, thread(10), stream_mode="updates").end == "ok"
        return run(lib, app, {"x": []}, thread(limit), stream_mode="updates")

    outcome = both(scenario)
    assert len(outcome.chunks) == limit


@pytest.mark.parametrize("limit", [1, 2])
def test_time_travel_counts_from_the_fork(limit: int) -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        app = chain(lib, 8, checkpointer=lib.Saver())
        assert run(lib, app, {"x": []}, thread(20), stream_mode="updates").end == "ok"
        target = next(s for s in app.get_state_history(thread(20)) if s.next == ("n2",))
        return run(lib, app, None, {**target.config, "recursion_limit": limit}, stream_mode="updates")

    outcome = both(scenario)
    assert len(outcome.chunks) == limit + 1


def test_interrupt_after_the_last_allowed_step_pauses_instead_of_raising() -> None:
    outcome = both(
        lambda lib: run(
            lib, chain(lib, 5, checkpointer=lib.Saver(), interrupt_after=["n1"]), {"x": []}, thread(2),
            stream_mode="updates",
        )
    )
    assert updated_nodes(outcome) == ["n0", "n1", "__interrupt__"]
    assert outcome.end == "ok"


def test_interrupt_before_the_step_past_the_limit_raises_instead_of_pausing() -> None:
    outcome = both(
        lambda lib: run(
            lib, chain(lib, 5, checkpointer=lib.Saver(), interrupt_before=["n2"]), {"x": []}, thread(2),
            stream_mode="updates",
        )
    )
    assert updated_nodes(outcome) == ["n0", "n1"]
    assert outcome.end.startswith("GraphRecursionError")


def test_a_subgraph_counts_its_own_steps_under_the_same_limit() -> None:
    def scenario(lib: SimpleNamespace) -> Outcome:
        inner = chain(lib, 4)
        graph = lib.StateGraph(State)
        graph.add_node("sub", inner)
        graph.add_edge(lib.START, "sub")
        return run(lib, graph.compile(), {"x": []}, {"recursion_limit": 3}, stream_mode="updates", subgraphs=True)

    outcome = both(scenario)
    assert [(ns, list(chunk)) for ns, chunk in outcome.chunks] == [
        (("sub",), ["n0"]), (("sub",), ["n1"]), (("sub",), ["n2"])
    ]
    assert outcome.end.startswith("GraphRecursionError")


def test_async_stream_stops_at_the_same_point() -> None:
    import asyncio

    import trio

    async def collect(lib: SimpleNamespace) -> Outcome:
        chunks: list[Any] = []
        try:
            async for chunk in chain(lib, 4).astream({"x": []}, {"recursion_limit": 3}, stream_mode="updates"):
                chunks.append(chunk)
        except lib.RecursionError:
            return Outcome(chunks, "GraphRecursionError")
        return Outcome(chunks, "ok")

    ours = trio.run(collect, TRIBUTARY)
    assert ours == asyncio.run(collect(LANGGRAPH))
    assert updated_nodes(ours) == ["n0", "n1", "n2"]

