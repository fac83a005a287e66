"""docs/streaming.md, "Interrupts": ``interrupt_before`` / ``interrupt_after``, ``interrupt(value)`` and
``Command(resume=...)``, in flat graphs and nested in a subgraph."""

from __future__ import annotations

from typing import Any

import pytest

from _persist_support import HEX32, State, appender, chain, collect, steps, thread
from graphs import START, Command, Interrupt, StateGraph, interrupt


def asking(calls: dict[str, int], *questions: str) -> Any:
    """A node that counts its runs, asks each question in turn, and logs the answers."""

    def ask(state: State) -> dict[str, Any]:
        calls["ask"] = calls.get("ask", 0) + 1
        answers = [interrupt({"question": q, "x": state["x"]}) for q in questions]
        return {"log": [f"ask:{a}" for a in answers]}

    return ask


def with_ask(calls: dict[str, int], *questions: str) -> StateGraph:
    """``START -> a -> ask -> b``."""
    graph = StateGraph(State)
    graph.add_sequence([appender("a", calls), ("ask", asking(calls, *questions)), appender("b", calls)])
    graph.add_edge(START, "a")
    return graph


# -- interrupt_before / interrupt_after ---------------------------------------------

@pytest.mark.parametrize("where", ["compile", "call"])
def test_interrupt_before_streams_an_empty_interrupt_and_leaves_the_node_next(saver: Any, where: str) -> None:
    calls: dict[str, int] = {}
    graph = chain("a", "b", "c", calls=calls)
    if where == "compile":
        app, kwargs = graph.compile(checkpointer=saver, interrupt_before=["b"]), {}
    else:
        app, kwargs = graph.compile(checkpointer=saver), {"interrupt_before": ["b"]}
    assert list(app.stream({"x": 1}, thread(), **kwargs)) == [{"a": {"log": ["a"]}}, {"__interrupt__": ()}]
    state = app.get_state(thread())
    assert state.next == ("b",)
    assert state.interrupts == ()
    assert state.values == {"x": 1, "log": ["a"]}
    assert calls == {"a": 1}

    assert list(app.stream(None, thread(), **kwargs)) == [{"b": {"log": ["b"]}}, {"c": {"log": ["c"]}}]
    assert calls == {"a": 1, "b": 1, "c": 1}
    assert app.get_state(thread()).next == ()


@pytest.mark.parametrize("where", ["compile", "call"])
def test_interrupt_after_stops_once_the_node_has_run(saver: Any, where: str) -> None:
    graph = chain("a", "b", "c")
    if where == "compile":
        app, kwargs = graph.compile(checkpointer=saver, interrupt_after=["b"]), {}
    else:
        app, kwargs = graph.compile(checkpointer=saver), {"interrupt_after": ["b"]}
    assert list(app.stream({"x": 1}, thread(), stream_mode=["updates", "values"], **kwargs)) == [
        ("values", {"x": 1, "log": []}),
        ("updates", {"a": {"log": ["a"]}}),
        ("values", {"x": 1, "log": ["a"]}),
        ("updates", {"b": {"log": ["b"]}}),
        ("values", {"x": 1, "log": ["a", "b"]}),
        ("updates", {"__interrupt__": ()}),
    ]
    assert app.get_state(thread()).next == ("c",)
    assert app.invoke(None, thread(), **kwargs) == {"x": 1, "log": ["a", "b", "c"]}


def test_invoke_stopped_by_interrupt_before_returns_the_state_without_an_interrupt_key(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    assert app.invoke({"x": 1}, thread(), interrupt_before=["b"]) == {"x": 1, "log": ["a"]}
    assert app.get_state(thread()).next == ("b",)


async def test_interrupt_before_in_astream(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    assert await collect(app.astream({"x": 1}, thread(), interrupt_before=["a"])) == [{"__interrupt__": ()}]
    assert (await app.aget_state(thread())).next == ("a",)
    assert await collect(app.astream(None, thread())) == [{"a": {"log": ["a"]}}, {"b": {"log": ["b"]}}]


def test_interrupt_before_fires_again_on_the_next_run_of_the_thread(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_before=["b"])
    app.invoke({"x": 1}, thread())
    app.invoke(None, thread())
    assert list(app.stream({"x": 2}, thread())) == [{"a": {"log": ["a"]}}, {"__interrupt__": ()}]
    assert app.get_state(thread()).values == {"x": 2, "log": ["a", "b", "a"]}


# -- interrupt(value) -----------------------------------------------------------

def test_interrupt_streams_the_interrupt_as_an_update_without_raising(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = with_ask(calls, "ok?").compile(checkpointer=saver)
    updates = list(app.stream({"x": 1}, thread()))
    assert updates[0] == {"a": {"log": ["a"]}}
    assert len(updates) == 2 and list(updates[1]) == ["__interrupt__"]
    (found,) = updates[1]["__interrupt__"]
    assert isinstance(updates[1]["__interrupt__"], tuple)
    assert isinstance(found, Interrupt)
    assert found.value == {"question": "ok?", "x": 1}
    assert HEX32.match(found.id)
    assert calls == {"a": 1, "ask": 1}


def test_interrupt_in_values_mode_adds_the_interrupt_to_the_state(saver: Any) -> None:
    app = with_ask({}, "ok?").compile(checkpointer=saver)
    chunks = list(app.stream({"x": 1}, thread(), stream_mode="values"))
    assert chunks[:2] == [{"x": 1, "log": []}, {"x": 1, "log": ["a"]}]
    assert len(chunks) == 3
    assert chunks[2]["x"] == 1 and chunks[2]["log"] == ["a"]
    (found,) = chunks[2]["__interrupt__"]
    assert found.value == {"question": "ok?", "x": 1}


def test_invoke_returns_the_state_with_the_interrupt(saver: Any) -> None:
    app = with_ask({}, "ok?").compile(checkpointer=saver)
    out = app.invoke({"x": 1}, thread())
    assert set(out) == {"x", "log", "__interrupt__"}
    assert out["log"] == ["a"]
    # invoke() lists them, snapshots keep a tuple, as in LangGraph.
    assert out["__interrupt__"] == list(app.get_state(thread()).interrupts)


def test_get_state_shows_the_pending_interrupt_on_the_state_and_its_task(saver: Any) -> None:
    app = with_ask({}, "ok?").compile(checkpointer=saver)
    streamed = list(app.stream({"x": 1}, thread()))[-1]["__interrupt__"]
    state = app.get_state(thread())
    assert state.next == ("ask",)
    assert state.interrupts == streamed
    (task,) = state.tasks
    assert task.name == "ask"
    assert task.interrupts == streamed
    assert task.result is None


def test_resume_reruns_the_node_from_the_top_and_interrupt_returns_the_value(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = with_ask(calls, "ok?").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    resumed = list(app.stream(Command(resume="yes"), thread(), stream_mode=["values", "updates"]))
    assert resumed == [
        ("values", {"x": 1, "log": ["a"]}),  # the current state, re-emitted first, no __interrupt__
        ("updates", {"ask": {"log": ["ask:yes"]}}),
        ("values", {"x": 1, "log": ["a", "ask:yes"]}),
        ("updates", {"b": {"log": ["b"]}}),
        ("values", {"x": 1, "log": ["a", "ask:yes", "b"]}),
    ]
    assert calls == {"a": 1, "ask": 2, "b": 1}
    state = app.get_state(thread())
    assert state.next == () and state.interrupts == ()
    # input, __start__, a, ask, b: the interrupted step was saved once, when it finished.
    assert steps(app.get_state_history(thread())) == [-1, 0, 1, 2, 3]


def test_resume_values_can_be_any_serialisable_value(saver: Any) -> None:
    app = with_ask({}, "ok?").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    answer = {"approved": True, "notes": ("t", 1), "n": None}
    assert app.invoke(Command(resume=answer), thread())["log"] == ["a", f"ask:{answer}", "b"]


def test_two_interrupts_in_one_node_need_two_resumes(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = with_ask(calls, "first", "second").compile(checkpointer=saver)
    first = app.invoke({"x": 1}, thread())["__interrupt__"]
    assert [i.value["question"] for i in first] == ["first"]

    second = app.invoke(Command(resume="A1"), thread())["__interrupt__"]
    assert [i.value["question"] for i in second] == ["second"]
    assert second[0].id != first[0].id and HEX32.match(second[0].id)
    state = app.get_state(thread())
    assert state.next == ("ask",) and list(state.interrupts) == second
    assert list(state.tasks[0].interrupts) == second

    assert app.invoke(Command(resume="A2"), thread()) == {"x": 1, "log": ["a", "ask:A1", "ask:A2", "b"]}
    assert calls == {"a": 1, "ask": 3, "b": 1}


def test_the_pending_interrupt_is_the_same_in_the_stream_the_state_and_the_history(saver: Any) -> None:
    app = with_ask({}, "ok?").compile(checkpointer=saver)
    streamed = list(app.stream({"x": 1}, thread()))[-1]["__interrupt__"]
    assert app.get_state(thread()).interrupts == streamed
    assert list(app.get_state_history(thread()))[0].interrupts == streamed
    # Asking again without an answer (stream(None)) raises the same interrupt, same id.
    assert list(app.stream(None, thread()))[-1]["__interrupt__"] == streamed


def test_parallel_interrupts_are_answered_by_id(saver: Any) -> None:
    calls: dict[str, int] = {}

    def ask(name: str) -> Any:
        def node(state: State) -> dict[str, Any]:
            calls[name] = calls.get(name, 0) + 1
            return {"log": [f"{name}:{interrupt(name + '?')}"]}

        return node

    graph = StateGraph(State)
    graph.add_node("p", ask("p"))
    graph.add_node("q", ask("q"))
    graph.add_node("r", appender("r", calls))
    for name in "pqr":
        graph.add_edge(START, name)
    app = graph.compile(checkpointer=saver)
    out = app.invoke({"x": 1}, thread())
    ids = {i.value: i.id for i in out["__interrupt__"]}
    assert sorted(ids) == ["p?", "q?"]
    # The step is not applied yet, but the result shows the finished sibling's write (as in LangGraph).
    assert out["log"] == ["r"]
    assert app.get_state(thread()).next == ("p", "q")

    # Answer p only: q asks again, r (finished) does not run again.
    out = app.invoke(Command(resume={ids["p?"]: "P"}), thread())
    assert [(i.value, i.id) for i in out["__interrupt__"]] == [("q?", ids["q?"])]
    assert out["log"] == ["p:P", "r"]
    assert list(app.get_state(thread()).interrupts) == out["__interrupt__"]
    out = app.invoke(Command(resume={ids["q?"]: "Q"}), thread())
    assert out == {"x": 1, "log": ["p:P", "q:Q", "r"]}
    assert calls == {"p": 2, "q": 3, "r": 1}


def test_one_resume_value_for_several_pending_interrupts_is_refused(saver: Any) -> None:
    def ask(name: str) -> Any:
        return lambda state: {"log": [interrupt(name)]}

    graph = StateGraph(State)
    graph.add_node("p", ask("p"))
    graph.add_node("q", ask("q"))
    graph.add_edge(START, "p")
    graph.add_edge(START, "q")
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    with pytest.raises(RuntimeError, match="multiple pending interrupts, you must specify the interrupt id"):
        app.invoke(Command(resume="same for both"), thread())
    with pytest.raises(ValueError, match="no pending interrupt with id"):
        app.invoke(Command(resume={"0" * 32: "nobody asked"}), thread())
    assert len(app.get_state(thread()).interrupts) == 2


def test_a_finished_sibling_of_an_interrupted_task_is_not_run_again(saver: Any) -> None:
    calls: dict[str, int] = {}
    graph = StateGraph(State)
    graph.add_node("ask", asking(calls, "ok?"))
    graph.add_node("r", appender("r", calls))
    graph.add_edge(START, "ask")
    graph.add_edge(START, "r")
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    state = app.get_state(thread())
    assert {t.name: t.result for t in state.tasks} == {"ask": None, "r": {"log": ["r"]}}
    assert app.invoke(Command(resume="yes"), thread()) == {"x": 1, "log": ["ask:yes", "r"]}
    assert calls == {"ask": 2, "r": 1}


def test_tasks_keep_their_ids_across_a_resume(saver: Any) -> None:
    app = with_ask({}, "ok?").compile(checkpointer=saver)
    before = [c for c in app.stream({"x": 1}, thread(), stream_mode="tasks") if "input" in c]
    pending = app.get_state(thread()).tasks
    after = [c for c in app.stream(Command(resume="y"), thread(), stream_mode="tasks") if "input" in c]
    assert [t["name"] for t in before] == ["a", "ask"]
    assert [t["name"] for t in after] == ["ask", "b"]
    assert after[0]["id"] == before[1]["id"] == pending[0].id


# -- nested in a subgraph ---------------------------------------------------------------

def nested(calls: dict[str, int]) -> Any:
    inner = StateGraph(State)
    inner.add_sequence([appender("inner_a", calls), ("inner_ask", asking(calls, "inner?"))])
    inner.add_edge(START, "inner_a")
    outer = StateGraph(State)
    outer.add_node("pre", appender("pre", calls))
    outer.add_node("sub", inner.compile())
    outer.add_node("post", appender("post", calls))
    outer.add_edge(START, "pre")
    outer.add_edge("pre", "sub")
    outer.add_edge("sub", "post")
    return outer


def test_a_nested_interrupt_is_emitted_under_the_subgraph_and_at_the_root(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = nested(calls).compile(checkpointer=saver)
    parts = list(app.stream({"x": 1}, thread(), subgraphs=True))
    interrupts = [(ns, chunk["__interrupt__"]) for ns, chunk in parts if "__interrupt__" in chunk]
    assert len(interrupts) == 2
    (sub_ns, inner), (root_ns, outer) = interrupts
    assert len(sub_ns) == 1 and sub_ns[0].startswith("sub:") and root_ns == ()
    assert inner == outer and len(inner) == 1 and inner[0].value == {"question": "inner?", "x": 1}
    assert parts[-1] == ((), {"__interrupt__": outer})

    state = app.get_state(thread())
    assert state.next == ("sub",) and state.interrupts == outer and state.tasks[0].interrupts == outer

    # Without subgraphs=True only the root sees it.
    calls2: dict[str, int] = {}
    app2 = nested(calls2).compile(checkpointer=saver)
    flat = list(app2.stream({"x": 1}, thread("flat")))
    assert [c for c in flat if "__interrupt__" in c] == [{"__interrupt__": app2.get_state(thread("flat")).interrupts}]


def test_a_nested_interrupt_resumes_inside_the_subgraph(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = nested(calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    resumed = list(app.stream(Command(resume="yes"), thread(), stream_mode="updates", subgraphs=True))
    assert [(len(ns), chunk) for ns, chunk in resumed] == [
        (1, {"inner_ask": {"log": ["ask:yes"]}}),
        (0, {"sub": {"x": 1, "log": ["pre", "inner_a", "ask:yes"]}}),
        (0, {"post": {"log": ["post"]}}),
    ]
    # The subgraph's output is its whole state, so the shared reducer key repeats "pre".
    assert app.get_state(thread()).values == {"x": 1, "log": ["pre", "pre", "inner_a", "ask:yes", "post"]}
    assert calls == {"pre": 1, "inner_a": 1, "ask": 2, "post": 1}


def test_a_subgraph_run_again_later_starts_afresh(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = nested(calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    app.invoke(Command(resume="one"), thread())
    out = app.invoke({"x": 2}, thread())
    (found,) = out["__interrupt__"]
    assert found.value == {"question": "inner?", "x": 2}
    out = app.invoke(Command(resume="two"), thread())
    assert out["log"][-3:] == ["inner_a", "ask:two", "post"]
    assert calls == {"pre": 2, "inner_a": 2, "ask": 4, "post": 2}


def test_two_interrupts_in_a_subgraph_node_need_two_resumes(saver: Any) -> None:
    calls: dict[str, int] = {}
    inner = StateGraph(State)
    inner.add_node("ask", asking(calls, "first", "second"))
    inner.add_edge(START, "ask")
    outer = StateGraph(State)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    app = outer.compile(checkpointer=saver)
    assert [i.value["question"] for i in app.invoke({"x": 1}, thread())["__interrupt__"]] == ["first"]
    assert [i.value["question"] for i in app.invoke(Command(resume="A1"), thread())["__interrupt__"]] == ["second"]
    assert app.invoke(Command(resume="A2"), thread()) == {"x": 1, "log": ["ask:A1", "ask:A2"]}
    assert calls == {"ask": 3}


def test_parallel_interrupts_in_a_subgraph_are_answered_by_id(saver: Any) -> None:
    calls: dict[str, int] = {}

    def ask(name: str) -> Any:
        def node(state: State) -> dict[str, Any]:
            calls[name] = calls.get(name, 0) + 1
            return {"log": [f"{name}:{interrupt(name + '?')}"]}

        return node

    inner = StateGraph(State)
    inner.add_node("p", ask("p"))
    inner.add_node("q", ask("q"))
    inner.add_edge(START, "p")
    inner.add_edge(START, "q")
    outer = StateGraph(State)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    app = outer.compile(checkpointer=saver)
    ids = {i.value: i.id for i in app.invoke({"x": 1}, thread())["__interrupt__"]}
    assert sorted(ids) == ["p?", "q?"]
    with pytest.raises(RuntimeError, match="multiple pending interrupts"):
        app.invoke(Command(resume="same for both"), thread())
    left = app.invoke(Command(resume={ids["p?"]: "P"}), thread())["__interrupt__"]
    assert [(i.value, i.id) for i in left] == [("q?", ids["q?"])]
    assert app.invoke(Command(resume={ids["q?"]: "Q"}), thread())["log"] == ["p:P", "q:Q"]
    assert calls == {"p": 2, "q": 3}

    # Both at once, on a new thread.
    ids = {i.value: i.id for i in app.invoke({"x": 1}, thread("both"))["__interrupt__"]}
    assert app.invoke(Command(resume={ids["p?"]: "P", ids["q?"]: "Q"}), thread("both"))["log"] == ["p:P", "q:Q"]
