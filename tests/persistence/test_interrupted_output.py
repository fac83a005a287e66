"""What an interrupted run returns and streams last, and resume values given when no
interrupt is pending (checked against LangGraph 1.2)."""

from __future__ import annotations

from typing import Any, TypedDict

from _persist_support import State, appender, thread

from graphs import START, Command, StateGraph, interrupt


def asker(name: str) -> Any:
    def node(state: State) -> dict[str, Any]:
        return {"log": [f"{name}:{interrupt(name + '?')}:{state['x']}"]}

    node.__name__ = name
    return node


def a_beside_ask(**schemas: Any) -> StateGraph:
    """``START -> a`` and ``START -> ask`` in one step; ``ask`` interrupts."""
    graph = StateGraph(State, **schemas)
    graph.add_node("a", appender("a"))
    graph.add_node("ask", asker("ask"))
    graph.add_edge(START, "a")
    graph.add_edge(START, "ask")
    return graph


def test_an_interrupted_run_returns_what_its_finished_tasks_wrote(saver: Any) -> None:
    app = a_beside_ask().compile(checkpointer=saver)
    out = app.invoke({"x": 1}, thread())
    assert out["log"] == ["a"] and [i.value for i in out["__interrupt__"]] == ["ask?"]
    # The step is not applied (ask runs again on resume), but ``a`` will not run again.
    state = app.get_state(thread())
    assert state.next == ("ask",) and state.values == {"x": 1, "log": ["a"]}
    assert app.invoke(Command(resume="yes"), thread()) == {"x": 1, "log": ["a", "ask:yes:1"]}


def test_the_values_stream_of_an_interrupted_run_ends_with_the_finished_writes(saver: Any) -> None:
    app = a_beside_ask().compile(checkpointer=saver)
    parts = list(app.stream({"x": 1}, thread(), stream_mode=["values", "updates"]))
    interrupts = parts[2][1]["__interrupt__"]
    assert parts == [
        ("values", {"x": 1, "log": []}),
        ("updates", {"a": {"log": ["a"]}}),
        ("updates", {"__interrupt__": interrupts}),
        ("values", {"x": 1, "log": [], "__interrupt__": interrupts}),
        ("values", {"x": 1, "log": ["a"]}),  # the last chunk: the finished writes applied
    ]


class OnlyX(TypedDict):
    x: int


def test_finished_writes_to_no_output_key_add_no_values_chunk(saver: Any) -> None:
    app = a_beside_ask(output_schema=OnlyX).compile(checkpointer=saver)
    out = app.invoke({"x": 1}, thread())
    assert out == {"x": 1, "__interrupt__": out["__interrupt__"]}
    values = list(app.stream({"x": 2}, thread("t2"), stream_mode="values"))
    # A stream shows every key: there the finished write is an update of ``log``.
    assert values[-1] == {"x": 2, "log": ["a"]}
    invoked = app.invoke({"x": 3}, thread("t3"), stream_mode=["values"])
    assert [chunk for _, chunk in invoked] == [{"x": 3}, {"x": 3, "__interrupt__": invoked[-1][1]["__interrupt__"]}]
