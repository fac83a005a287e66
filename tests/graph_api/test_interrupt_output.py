"""``__interrupt__``: a list in ``invoke()``'s result, a tuple in stream chunks and snapshots (as LangGraph 1.2)."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graphs import START, Command, InMemorySaver, Interrupt, StateGraph, interrupt


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def asking(state: State) -> dict[str, Any]:
    return {"log": [f"answer:{interrupt('ok?')}"]}


def app() -> Any:
    graph = StateGraph(State)
    graph.add_node("ask", asking)
    graph.add_edge(START, "ask")
    return graph.compile(checkpointer=InMemorySaver())


def thread(name: str = "t") -> dict[str, Any]:
    return {"configurable": {"thread_id": name}}


def test_invoke_lists_the_interrupts() -> None:
    graph = app()
    out = graph.invoke({"log": []}, thread())
    assert isinstance(out["__interrupt__"], list)
    (found,) = out["__interrupt__"]
    assert isinstance(found, Interrupt) and found.value == "ok?"
    assert graph.invoke(Command(resume="yes"), thread()) == {"log": ["answer:yes"]}


def test_async_invoke_lists_them_too() -> None:
    import trio

    graph = app()
    out = trio.run(graph.ainvoke, {"log": []}, thread("async"))
    assert isinstance(out["__interrupt__"], list) and [i.value for i in out["__interrupt__"]] == ["ok?"]


def test_stream_chunks_and_snapshots_keep_a_tuple() -> None:
    graph = app()
    parts = list(graph.stream({"log": []}, thread(), stream_mode=["updates", "values"]))
    interrupts = parts[1][1]["__interrupt__"]
    assert isinstance(interrupts, tuple) and [i.value for i in interrupts] == ["ok?"]
    assert parts == [
        ("values", {"log": []}),
        ("updates", {"__interrupt__": interrupts}),
        ("values", {"log": [], "__interrupt__": interrupts}),
    ]
    snapshot = graph.get_state(thread())
    assert snapshot.interrupts == interrupts and snapshot.tasks[0].interrupts == interrupts


def test_a_pause_by_interrupt_before_adds_no_key() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"log": ["a"]})
    graph.add_edge(START, "a")
    app_ = graph.compile(checkpointer=InMemorySaver(), interrupt_before=["a"])
    assert app_.invoke({"log": []}, thread()) == {"log": []}
    assert list(app_.stream(None, thread())) == [{"a": {"log": ["a"]}}]
