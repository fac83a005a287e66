"""Runs of one compiled graph share nothing mutable."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graphs import START, StateGraph


class Notes(TypedDict):
    notes: Annotated[list[str], operator.add]


async def test_reducer_default_is_fresh_for_every_run() -> None:
    def scribble(state: Notes) -> dict[str, Any]:
        # Bad practice, but common: mutating the input in place must stay in this run.
        state["notes"].append("scribbled")
        return {"notes": ["written"]}

    graph = StateGraph(Notes)
    graph.add_node(scribble)
    graph.add_edge(START, "scribble")
    app = graph.compile()

    first = await app.ainvoke({})
    second = await app.ainvoke({})

    assert first == {"notes": ["written"]}
    assert second == {"notes": ["written"]}


async def test_add_join_of_many_sends_keeps_task_order_and_leaves_inputs_alone() -> None:
    from graphs import Send

    class Results(TypedDict):
        results: Annotated[list[int], operator.add]

    shared_first = [0]

    async def work(arg: int) -> dict[str, Any]:
        return {"results": shared_first if arg == 0 else [arg]}

    graph = StateGraph(Results)
    graph.add_node("work", work)
    graph.add_conditional_edges(START, lambda _: [Send("work", i) for i in range(50)])
    app = graph.compile()

    out = await app.ainvoke({"results": [-1]})

    assert out["results"] == [-1, *range(50)]
    assert shared_first == [0]  # a node's returned list is never extended in place


async def test_nodes_never_see_context_changes_left_by_earlier_nodes() -> None:
    import contextvars

    leaked: contextvars.ContextVar[str] = contextvars.ContextVar("leaked", default="clean")
    seen: list[str] = []

    class Count(TypedDict):
        n: int

    async def leaky(state: Count) -> dict[str, Any]:
        seen.append(leaked.get())
        leaked.set("dirty")  # set and never reset
        return {"n": state["n"] + 1}

    graph = StateGraph(Count)
    graph.add_sequence([("a", leaky), ("b", leaky), ("c", leaky)])
    graph.add_edge(START, "a")
    app = graph.compile()

    assert await app.ainvoke({"n": 0}) == {"n": 3}
    assert seen == ["clean", "clean", "clean"]
    assert leaked.get() == "clean"  # nor does the caller


async def test_a_stream_whose_producer_drives_the_run_keeps_nodes_isolated_too() -> None:
    # astream's producer task runs the first driver itself; once a node leaves a
    # change behind, a fresh driver must start from the context the run began with.
    import contextvars

    leaked: contextvars.ContextVar[str] = contextvars.ContextVar("leaked_in_stream", default="clean")
    seen: list[str] = []

    class Count(TypedDict):
        n: int

    async def leaky(state: Count) -> dict[str, Any]:
        seen.append(leaked.get())
        leaked.set("dirty")
        return {"n": state["n"] + 1}

    graph = StateGraph(Count)
    graph.add_sequence([("a", leaky), ("b", leaky), ("c", leaky)])
    graph.add_edge(START, "a")
    app = graph.compile()

    async with app.astream({"n": 0}, stream_mode="values") as stream:
        values = [chunk["n"] async for chunk in stream]
    assert values == [0, 1, 2, 3]
    assert seen == ["clean", "clean", "clean"]
    assert leaked.get() == "clean"
