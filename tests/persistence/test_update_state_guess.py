"""``update_state`` without ``as_node`` stands for the node that ran last, and a
resume given when no interrupt is pending answers the first one asked (both as in
LangGraph 1.2)."""

from __future__ import annotations

from typing import Any

import pytest
from _persist_support import State, appender, chain, thread

from graphs import END, START, Command, InvalidUpdateError, Send, StateGraph, interrupt


def test_an_edit_of_a_new_thread_stands_for_the_input(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    app.update_state(thread(), {"x": 5})
    state = app.get_state(thread())
    # The input node's edges run: a is next, and a run with no input starts there.
    assert state.next == ("a",) and state.values == {"x": 5, "log": []}
    assert state.metadata is not None and (state.metadata["source"], state.metadata["step"]) == ("update", 0)
    assert app.invoke(None, thread()) == {"x": 5, "log": ["a", "b"]}


def test_an_edit_stands_for_the_node_that_ran_last(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_before=["b"])
    app.invoke({"x": 1}, thread())
    app.update_state(thread(), {"x": 5})  # as "a": its edge leads to b
    assert app.get_state(thread()).next == ("b",)
    assert app.invoke(None, thread()) == {"x": 5, "log": ["a", "b"]}
    app.update_state(thread(), {"x": 6})  # as "b", whose edge leads nowhere
    assert app.get_state(thread()).next == ()
    # An edit runs no node: the next one still stands for b, whose edge ends the run.
    app.update_state(thread(), {"x": 7}, as_node="a")
    assert app.get_state(thread()).next == ("b",)
    app.update_state(thread(), {"x": 8})
    assert app.get_state(thread()).next == ()
    with pytest.raises(InvalidUpdateError, match="'b'.*'ghost'"):  # deliberate difference 2
        app.update_state(thread(), {"ghost": 1})


def test_an_edit_of_a_copy_stands_for_the_node_that_made_the_original(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    app.update_state(thread(), None, as_node="__copy__")  # a sibling of the last checkpoint, made by b
    app.update_state(thread(), {"x": 2})  # as "b", whose edge ends the run
    assert app.get_state(thread()).next == ()


def test_an_edit_after_a_step_of_several_nodes_is_ambiguous(saver: Any) -> None:
    graph = StateGraph(State)
    graph.add_node("a", appender("a"))
    graph.add_node("b", appender("b"))
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    with pytest.raises(InvalidUpdateError, match=r"Ambiguous update, specify as_node: nodes 'a', 'b'"):
        app.update_state(thread(), {"x": 2})
    app.update_state(thread(), {"x": 2}, as_node="a")
    assert app.get_state(thread()).values["x"] == 2


def test_an_edit_runs_the_routers_of_the_node_it_stands_for(saver: Any) -> None:
    graph = StateGraph(State)
    graph.add_node("a", appender("a"))
    graph.add_node("b", appender("b"))
    graph.add_edge(START, "a")
    graph.add_conditional_edges("a", lambda state: "b" if state["x"] > 3 else END)
    app = graph.compile(checkpointer=saver)
    assert app.invoke({"x": 1}, thread()) == {"x": 1, "log": ["a"]}
    app.update_state(thread(), {"x": 5})  # as "a": its router sees x == 5
    assert app.get_state(thread()).next == ("b",)
    assert app.invoke(None, thread()) == {"x": 5, "log": ["a", "b"]}


def test_send_tasks_do_not_count_as_the_last_node(saver: Any) -> None:
    graph = StateGraph(State)
    graph.add_node("pre", appender("pre"))
    graph.add_node("w", appender("w"))
    graph.add_edge(START, "pre")
    graph.add_conditional_edges("pre", lambda state: [Send("w", state), Send("w", state)])
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    app.update_state(thread(), {"x": 9})  # as "pre": its router sends again
    state = app.get_state(thread())
    assert state.next == ("w", "w") and state.values == {"x": 9, "log": ["pre", "w", "w"]}


def asking(name: str, *questions: str) -> Any:
    def node(state: State) -> dict[str, Any]:
        answers = [interrupt(q) for q in questions]
        return {"log": [f"{name}:{','.join(map(str, answers))}:{state['x']}"]}

    return node


def pre_then(node: Any) -> StateGraph:
    """``START -> pre -> ask``."""
    graph = StateGraph(State)
    graph.add_node("pre", appender("pre"))
    graph.add_node("ask", node)
    graph.add_edge(START, "pre")
    graph.add_edge("pre", "ask")
    return graph


def test_a_resume_after_an_edit_answers_the_interrupt_asked_again(saver: Any) -> None:
    graph = pre_then(asking("ask", "q?"))
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    app.update_state(thread(), {"x": 7})  # as "pre": ask is planned afresh, no interrupt pending
    state = app.get_state(thread())
    assert state.next == ("ask",) and state.interrupts == ()
    assert app.invoke(Command(resume="V"), thread()) == {"x": 7, "log": ["pre", "ask:V:7"]}


def test_a_resume_of_a_paused_thread_answers_its_first_interrupt(saver: Any) -> None:
    graph = pre_then(asking("ask", "first", "second"))
    app = graph.compile(checkpointer=saver, interrupt_before=["ask"])
    app.invoke({"x": 1}, thread())
    out = app.invoke(Command(resume="A"), thread())
    assert [i.value for i in out["__interrupt__"]] == ["second"]
    # The first answer was kept: the node runs again from the top and gets both.
    assert app.invoke(Command(resume="B"), thread()) == {"x": 1, "log": ["pre", "ask:A,B:1"]}


def test_an_answer_no_task_of_the_step_takes_lapses(saver: Any) -> None:
    graph = StateGraph(State)
    graph.add_node("b", appender("b"))
    graph.add_node("c", asking("c", "c?"))
    graph.add_edge(START, "b")
    graph.add_edge("b", "c")
    app = graph.compile(checkpointer=saver, interrupt_before=["b"])
    app.invoke({"x": 1}, thread())
    out = app.invoke(Command(resume="Z"), thread())  # b asks nothing; c, a step later, still asks
    assert out["log"] == ["b"] and [i.value for i in out["__interrupt__"]] == ["c?"]


def test_a_resume_nobody_waited_for_reaches_a_subgraph(saver: Any) -> None:
    inner = StateGraph(State)
    inner.add_node("ask", asking("ask", "first", "second"))
    inner.add_edge(START, "ask")
    graph = StateGraph(State)
    graph.add_node("pre", appender("pre"))
    graph.add_node("sub", inner.compile())
    graph.add_edge(START, "pre")
    graph.add_edge("pre", "sub")
    app = graph.compile(checkpointer=saver, interrupt_before=["sub"])
    app.invoke({"x": 1}, thread())
    # The subgraph's input step asks nothing: the answer waits for its node.
    out = app.invoke(Command(resume="A"), thread())
    assert [i.value for i in out["__interrupt__"]] == ["second"]
    out = app.invoke(Command(resume="B"), thread())
    assert out["log"][-1] == "ask:A,B:1"
