"""Subgraphs and their checkpointers (LangGraph 1.2).

* ``compile(checkpointer=True)``: the subgraph keeps one history on its parent's
  thread, under its node's namespace without task ids, across the parent's calls;
* ``None`` (the default): each call saves under its task's namespace, afresh;
* ``False``: the subgraph saves nothing;
* ``interrupt_before`` / ``interrupt_after`` compiled into a subgraph pause the parent;
* a graph invoked inside a node with a ``thread_id`` of its own is a root run on that thread.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import START, Command, InMemorySaver, StateGraph, interrupt
from runtime.core.config import RunnableConfig


class State(TypedDict, total=False):
    items: Annotated[list[str], operator.add]
    x: int


def thread(name: str = "t", **extra: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": name, **extra}}


def child(checkpointer: Any = None, *, second: Any = None, **compile_kwargs: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("s1", lambda state: {"items": ["s1"], "x": state["x"] + 1})
    graph.add_node("s2", second or (lambda state: {"items": ["s2"]}))
    graph.add_edge(START, "s1")
    graph.add_edge("s1", "s2")
    return graph.compile(checkpointer=checkpointer, **compile_kwargs)


def parent_of(sub: Any, saver: Any = None) -> Any:
    graph = StateGraph(State)
    graph.add_node("child", sub)
    graph.add_node("after", lambda state: {"items": ["after"]})
    graph.add_edge(START, "child")
    graph.add_edge("child", "after")
    return graph.compile(checkpointer=saver or InMemorySaver())


def test_a_stateful_subgraph_keeps_its_history_across_calls() -> None:
    app = parent_of(child(True))
    assert app.invoke({"items": [], "x": 0}, thread()) == {"items": ["s1", "s2", "after"], "x": 1}
    # The second call's input goes on top of the state the subgraph kept.
    second = app.invoke({"items": [], "x": 0}, thread())
    kept = ["s1", "s2", "s1", "s2", "after", "s1", "s2"]  # first call's state + the parent's items + this call's
    assert second["items"] == ["s1", "s2", "after", *kept, "after"]
    history = list(app.get_state_history(thread(checkpoint_ns="child")))
    assert [s.metadata["step"] for s in history] == [6, 5, 4, 3, 2, 1, 0, -1]
    assert [s.metadata["source"] for s in history][-1] == "input" and history[3].metadata["source"] == "input"
    assert history[0].values["items"] == kept


def test_by_default_each_call_starts_afresh() -> None:
    app = parent_of(child(None))
    app.invoke({"items": [], "x": 0}, thread())
    second = app.invoke({"items": [], "x": 0}, thread())
    assert second["items"] == ["s1", "s2", "after"] + ["s1", "s2", "after", "s1", "s2"] + ["after"]


@pytest.mark.parametrize(("checkpointer", "saves"), [(None, True), (True, True), (False, False)])
def test_only_checkpointer_false_saves_nothing(checkpointer: Any, saves: bool) -> None:
    app = parent_of(child(checkpointer))
    parts = list(app.stream({"items": [], "x": 0}, thread(), stream_mode="checkpoints", subgraphs=True))
    nested = [namespace for namespace, _ in parts if namespace]
    assert bool(nested) is saves
    assert any(not namespace for namespace, _ in parts)


def test_checkpointer_true_cannot_run_as_a_root() -> None:
    with pytest.raises(RuntimeError, match="checkpointer=True cannot be used for root graphs"):
        child(True).invoke({"items": [], "x": 0}, thread())


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_subgraphs_own_interrupt_pauses_the_parent(where: str) -> None:
    pause = {"interrupt_before": ["s2"]} if where == "before" else {"interrupt_after": ["s1"]}
    app = parent_of(child(None, **pause))
    assert app.invoke({"items": [], "x": 0}, thread()) == {"items": [], "x": 0}
    assert app.get_state(thread()).next == ("child",)
    assert app.invoke(None, thread()) == {"items": ["s1", "s2", "after"], "x": 1}


def asking(state: State) -> State:
    return {"items": [f"s2:{interrupt('go?')}"]}


def test_a_stateful_subgraph_resumes_then_keeps_its_state() -> None:
    app = parent_of(child(True, second=asking))
    out = app.invoke({"items": [], "x": 0}, thread())
    assert [i.value for i in out["__interrupt__"]] == ["go?"]
    snapshot = app.get_state(thread(), subgraphs=True)
    (task,) = snapshot.tasks
    assert task.state is not None and task.state.values == {"items": ["s1"], "x": 1} and task.state.next == ("s2",)
    assert app.invoke(Command(resume="yes"), thread()) == {"items": ["s1", "s2:yes", "after"], "x": 1}
    out = app.invoke({"items": [], "x": 5}, thread())
    assert [i.value for i in out["__interrupt__"]] == ["go?"]
    kept = app.get_state(thread(checkpoint_ns="child")).values
    assert kept["x"] == 6 and kept["items"] == ["s1", "s2:yes", "s1", "s2:yes", "after", "s1"]


def test_a_graph_with_its_own_thread_saves_there() -> None:
    saver = InMemorySaver()
    inner = child(saver)

    def node(state: State) -> State:
        return {"items": inner.invoke({"items": [], "x": 10}, thread("own"))["items"]}

    graph = StateGraph(State)
    graph.add_node("n", node)
    graph.add_edge(START, "n")
    app = graph.compile(checkpointer=saver)
    parts = list(app.stream({"items": [], "x": 0}, thread("p"), stream_mode=["checkpoints", "updates"], subgraphs=True))
    # Nothing of it on the caller's thread, or in the caller's stream: it is a root run.
    assert all(namespace == () for namespace, _, _ in parts)
    assert parts[-1] == ((), "checkpoints", parts[-1][2]) and parts[-1][2]["values"] == {"items": ["s1", "s2"], "x": 0}
    assert inner.get_state(thread("own")).values == {"items": ["s1", "s2"], "x": 11}
    # A second call on its thread goes on from there, as any root run does.
    app.invoke({"items": [], "x": 0}, thread("p2"))
    assert inner.get_state(thread("own")).values["items"] == ["s1", "s2", "s1", "s2"]


def test_a_node_passing_its_own_config_keeps_its_graph_nested() -> None:
    saver = InMemorySaver()
    inner = child(None)

    def node(state: State, config: RunnableConfig) -> State:
        return {"items": inner.invoke({"items": [], "x": 1}, config)["items"]}

    graph = StateGraph(State)
    graph.add_node("n", node)
    graph.add_edge(START, "n")
    app = graph.compile(checkpointer=saver)
    parts = list(app.stream({"items": [], "x": 0}, thread("p"), stream_mode="updates", subgraphs=True))
    assert [namespace[0].split(":")[0] for namespace, _ in parts if namespace] == ["n", "n"]
