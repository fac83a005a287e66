"""A ``Command`` given as input on a saved thread (LangGraph 1.2).

Its ``update`` and ``goto`` are applied to the saved checkpoint as writes of no
task (LangGraph's null task) and the run continues from there: ``resume``
answers the waiting tasks, which read the updated state, and the ``goto``
targets join the step. The writes are saved with the checkpoint, so a task
that asks again, ``get_state`` and a later run all see them.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import (
    END,
    START,
    Command,
    EmptyInputError,
    InMemorySaver,
    InvalidUpdateError,
    Send,
    SqliteSaver,
    StateGraph,
    interrupt,
)


class State(TypedDict, total=False):
    items: Annotated[list[str], operator.add]
    x: int


def thread(name: str = "t") -> dict[str, Any]:
    return {"configurable": {"thread_id": name}}


def asking(state: State) -> State:
    return {"items": [f"ans:{interrupt('q')}:x={state.get('x')}"]}


def with_ask(saver: Any = None, **compile_kwargs: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("ask", asking)
    graph.add_node("other", lambda state: {"items": [f"other:x={state.get('x')}"]})
    graph.add_edge(START, "ask")
    return graph.compile(checkpointer=saver or InMemorySaver(), **compile_kwargs)


def test_resume_and_update_both_apply() -> None:
    app = with_ask()
    app.invoke({"items": [], "x": 0}, thread())
    parts = list(app.stream(Command(resume="yes", update={"x": 5}), thread(), stream_mode=["updates", "values"]))
    assert parts == [
        ("values", {"items": [], "x": 5}),
        ("updates", {"ask": {"items": ["ans:yes:x=5"]}}),
        ("values", {"items": ["ans:yes:x=5"], "x": 5}),
    ]
    assert app.get_state(thread()).values == {"items": ["ans:yes:x=5"], "x": 5}


def test_a_goto_joins_the_resumed_step() -> None:
    app = with_ask()
    app.invoke({"items": [], "x": 0}, thread())
    updates = list(app.stream(Command(resume="r", goto="other"), thread()))
    assert sorted(updates, key=str) == [{"ask": {"items": ["ans:r:x=0"]}}, {"other": {"items": ["other:x=0"]}}]
    assert app.get_state(thread()).next == ()


def test_an_update_survives_a_task_that_asks_again() -> None:
    def twice(state: State) -> State:
        first = interrupt("first")
        second = interrupt("second")
        return {"items": [f"{first}{second}:x={state.get('x')}"]}

    graph = StateGraph(State)
    graph.add_node("twice", twice)
    graph.add_edge(START, "twice")
    app = graph.compile(checkpointer=InMemorySaver())
    app.invoke({"items": [], "x": 0}, thread())
    out = app.invoke(Command(resume="A", update={"x": 7}), thread())
    assert out["x"] == 7 and [i.value for i in out["__interrupt__"]] == ["second"]
    assert app.get_state(thread()).values == {"items": [], "x": 7}
    assert app.invoke(Command(resume="B"), thread()) == {"items": ["AB:x=7"], "x": 7}


def test_on_a_finished_thread_it_continues_from_the_last_checkpoint() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"items": ["a"]})
    graph.add_node("b", lambda state: {"items": [f"b:x={state['x']}"]})
    graph.add_edge(START, "a")
    app = graph.compile(checkpointer=InMemorySaver())
    app.invoke({"items": [], "x": 0}, thread())
    parts = list(app.stream(Command(update={"x": 9}, goto="b"), thread(), stream_mode=["updates", "values"]))
    # "a" does not run again: the Command is no new input.
    assert parts == [
        ("values", {"items": ["a"], "x": 9}),
        ("updates", {"b": {"items": ["b:x=9"]}}),
        ("values", {"items": ["a", "b:x=9"], "x": 9}),
    ]
    sources = [(s.metadata["source"], s.metadata["step"]) for s in app.get_state_history(thread())]
    assert sources == [("loop", 2), ("loop", 1), ("loop", 0), ("input", -1)]


def test_an_update_alone_is_saved_with_the_checkpoint() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"items": ["a"]})
    graph.add_edge(START, "a")
    graph.add_edge("a", END)
    app = graph.compile(checkpointer=InMemorySaver())
    app.invoke({"items": [], "x": 0}, thread())
    assert app.invoke(Command(update={"x": 4, "items": ["u"]}), thread()) == {"items": ["a", "u"], "x": 4}
    assert app.get_state(thread()).values == {"items": ["a", "u"], "x": 4}
    # A later input starts from the updated state.
    assert app.invoke({"items": ["next"]}, thread()) == {"items": ["a", "u", "next", "a"], "x": 4}


def test_a_goto_may_send() -> None:
    app = with_ask()
    app.invoke({"items": [], "x": 0}, thread())
    out = app.invoke(Command(resume="r", goto=Send("other", {"x": 3})), thread())
    assert sorted(out["items"]) == ["ans:r:x=0", "other:x=3"]


def test_a_thread_paused_before_a_node_continues_with_the_update() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"items": [f"a:x={state['x']}"]})
    graph.add_edge(START, "a")
    app = graph.compile(checkpointer=InMemorySaver(), interrupt_before=["a"])
    assert app.invoke({"items": [], "x": 0}, thread()) == {"items": [], "x": 0}
    assert app.invoke(Command(update={"x": 2}), thread()) == {"items": ["a:x=2"], "x": 2}


@pytest.fixture
def on_disk(tmp_path: Any) -> Iterator[list[SqliteSaver]]:
    """Two savers of one file: what the first saved, the second reads back."""
    path = str(tmp_path / "threads.sqlite")
    savers = [SqliteSaver(path), SqliteSaver(path)]
    yield savers
    for saver in savers:
        saver.close()


async def test_the_writes_are_read_back_from_a_store_on_disk(on_disk: list[SqliteSaver]) -> None:
    app = with_ask(on_disk[0])
    await app.ainvoke({"items": [], "x": 0}, thread())
    # No resume: "ask" asks again, so the step is not applied and the update
    # lives only as the checkpoint's null-task writes.
    out = await app.ainvoke(Command(update={"x": 6}, goto="other"), thread())
    assert "__interrupt__" in out
    snapshot = await with_ask(on_disk[1]).aget_state(thread())
    assert snapshot.values == {"items": ["other:x=6"], "x": 6} and snapshot.next == ("ask",)


def test_an_empty_command_is_refused() -> None:
    app = with_ask()
    app.invoke({"items": [], "x": 0}, thread())
    with pytest.raises(EmptyInputError, match="empty Command"):
        app.invoke(Command(), thread())


def test_a_parent_command_as_input_is_refused() -> None:
    app = with_ask()
    app.invoke({"items": [], "x": 0}, thread())
    with pytest.raises(InvalidUpdateError, match="no parent graph"):
        app.invoke(Command(graph=Command.PARENT, update={"x": 1}), thread())


def test_an_unknown_goto_names_it() -> None:
    app = with_ask()
    app.invoke({"items": [], "x": 0}, thread())
    with pytest.raises(InvalidUpdateError, match="'nowhere'"):
        app.invoke(Command(resume="r", goto="nowhere"), thread())


def test_on_a_new_thread_it_is_the_input() -> None:
    app = with_ask()
    out = app.invoke(Command(update={"x": 3}, goto="ask"), thread("new"))
    assert out["x"] == 3 and [i.value for i in out["__interrupt__"]] == ["q"]


def test_at_an_earlier_checkpoint_it_forks_with_the_update() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"items": [f"a{state['x']}"]})
    graph.add_node("b", lambda state: {"items": [f"b{state['x']}"]})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    app = graph.compile(checkpointer=InMemorySaver())
    app.invoke({"items": [], "x": 0}, thread())
    before_b = next(s for s in app.get_state_history(thread()) if s.next == ("b",))
    assert app.invoke(Command(update={"x": 7}), before_b.config) == {"items": ["a0", "b7"], "x": 7}
    history = [(s.metadata["source"], s.metadata["step"], s.values) for s in app.get_state_history(thread())]
    assert history[:3] == [
        ("loop", 3, {"items": ["a0", "b7"], "x": 7}),
        ("fork", 2, {"items": ["a0"], "x": 7}),
        ("loop", 2, {"items": ["a0", "b0"], "x": 0}),
    ]
