"""Which event carries the caller's input when filters drop some (as langchain-core decides it),
and what an interrupted graph run reports as its end."""

from __future__ import annotations

from typing import Any, TypedDict

from _seeds import collect_events

from graphs import END, START, Command, InMemorySaver, StateGraph, interrupt
from runtime import adispatch_custom_event, dispatch_custom_event


class State(TypedDict):
    x: int


def add_one(state: State) -> dict[str, Any]:
    return {"x": state["x"] + 1}


def double(state: State) -> dict[str, Any]:
    return {"x": state["x"] * 2}


def ask(state: State) -> dict[str, Any]:
    return {"x": interrupt("why")}


def two_nodes(second: Any = double, checkpointer: Any = None) -> Any:
    graph = StateGraph(State)
    graph.add_node("a", add_one)
    graph.add_node("b", second)
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", END)
    return graph.compile(checkpointer=checkpointer)


def shape(events: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    return [(e["event"], e["name"], e["data"]) for e in events]


async def test_first_event_after_filtering_gets_the_graph_input() -> None:
    # Node b's own input is {"x": 2}, but it is the first event let through: it shows the
    # caller's input instead, and b's end shows none.
    events = await collect_events(two_nodes().astream_events({"x": 1}, version="v2", include_names=["b"]))
    assert shape(events) == [
        ("on_chain_start", "b", {"input": {"x": 1}}),
        ("on_chain_stream", "b", {"chunk": {"x": 4}}),
        ("on_chain_end", "b", {"output": {"x": 4}}),
    ]


async def test_only_the_first_runs_end_loses_its_input() -> None:
    events = await collect_events(
        two_nodes().astream_events({"x": 1}, version="v2", include_types=["chain"], exclude_names=["LangGraph"])
    )
    assert shape(events) == [
        ("on_chain_start", "a", {"input": {"x": 1}}),
        ("on_chain_stream", "a", {"chunk": {"x": 2}}),
        ("on_chain_end", "a", {"output": {"x": 2}}),
        ("on_chain_start", "b", {"input": {"x": 2}}),
        ("on_chain_stream", "b", {"chunk": {"x": 4}}),
        ("on_chain_end", "b", {"output": {"x": 4}, "input": {"x": 2}}),
    ]


async def test_interrupted_run_ends_with_the_state_without_interrupts() -> None:
    app = two_nodes(ask, InMemorySaver())
    config = {"configurable": {"thread_id": "1"}}
    events = await collect_events(app.astream_events({"x": 1}, config, version="v2"))
    stream = [e["data"]["chunk"] for e in events if e["event"] == "on_chain_stream" and e["name"] == "LangGraph"]
    assert [list(chunk) for chunk in stream] == [["a"], ["__interrupt__"]]
    assert shape(events)[-1] == ("on_chain_end", "LangGraph", {"output": {"x": 2}})
    assert (await app.ainvoke(Command(resume=7), config)) == {"x": 7}
    # ainvoke still hands the caller the interrupts.
    again = await app.ainvoke({"x": 1}, {"configurable": {"thread_id": "2"}})
    assert again["x"] == 2 and [i.value for i in again["__interrupt__"]] == ["why"]


async def test_custom_events_in_graph_nodes_without_a_handler_do_nothing() -> None:
    async def async_node(state: State) -> dict[str, Any]:
        await adispatch_custom_event("e", 1)
        return {"x": 1}

    def sync_node(state: State) -> dict[str, Any]:
        dispatch_custom_event("e", 1)
        return {"x": 2}

    assert await two_nodes(sync_node).ainvoke({"x": 0}) == {"x": 2}
    graph = StateGraph(State)
    graph.add_node("a", async_node)
    graph.add_edge(START, "a")
    graph.add_edge("a", END)
    assert await graph.compile().ainvoke({"x": 0}) == {"x": 1}
