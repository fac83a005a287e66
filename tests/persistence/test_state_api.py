"""The state API over saved checkpoints: ``get_state`` (also with ``subgraphs=True``
and for a given ``checkpoint_id``), ``get_state_history``, ``update_state``, and
time travel — continuing from an older checkpoint forks the thread."""

from __future__ import annotations

import datetime
import operator
from typing import Annotated, Any, TypedDict

import pytest
import trio

from _persist_support import UUID_RE, State, appender, chain, checkpoint_id, steps, thread
from graphs import START, Command, InvalidUpdateError, StateGraph, interrupt


def test_get_state_of_an_unknown_thread_is_empty(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    state = app.get_state(thread("nobody"))
    assert state.values == {} and state.next == () and state.tasks == () and state.interrupts == ()
    assert state.metadata is None and state.created_at is None and state.parent_config is None
    assert list(app.get_state_history(thread("nobody"))) == []


def test_get_state_describes_the_latest_checkpoint(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_before=["b"])
    app.invoke({"x": 1}, thread())
    state = app.get_state(thread())
    assert state.values == {"x": 1, "log": ["a"]}
    assert state.next == ("b",)
    assert state.metadata == {"source": "loop", "step": 1, "parents": {}}
    assert state.config["configurable"]["thread_id"] == "t1"
    assert UUID_RE.match(checkpoint_id(state.config))
    assert state.parent_config is not None and checkpoint_id(state.parent_config) < checkpoint_id(state.config)
    created = datetime.datetime.fromisoformat(state.created_at)
    assert created.tzinfo is not None
    (task,) = state.tasks
    assert task.name == "b" and task.path == ("__pregel_pull", "b") and UUID_RE.match(task.id)
    assert task.interrupts == () and task.state is None and task.result is None and task.error is None


def test_get_state_reads_a_given_checkpoint(saver: Any) -> None:
    app = chain("a", "b", "c").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    for snapshot in app.get_state_history(thread()):
        again = app.get_state(snapshot.config)
        assert again == snapshot
    after_a = next(s for s in app.get_state_history(thread()) if s.next == ("b",))
    assert app.get_state(after_a.config).values == {"x": 1, "log": ["a"]}


def test_get_state_history_is_newest_first_and_takes_limit_and_before(saver: Any) -> None:
    app = chain("a", "b", "c").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    history = list(app.get_state_history(thread()))
    assert steps(history) == [-1, 0, 1, 2, 3]
    assert [s.values["log"] for s in history] == [["a", "b", "c"], ["a", "b"], ["a"], [], []]
    assert list(app.get_state_history(thread(), limit=2)) == history[:2]
    assert list(app.get_state_history(thread(), before=history[1].config)) == history[2:]
    assert list(app.get_state_history(thread(), before=history[1].config, limit=1)) == history[2:3]


# -- update_state ---------------------------------------------------------------------

def test_update_state_applies_through_the_reducers_as_an_update_checkpoint(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_before=["b"])
    app.invoke({"x": 1}, thread())
    before = app.get_state(thread())
    returned = app.update_state(thread(), {"x": 10, "log": ["edited"]})
    after = app.get_state(thread())
    assert after.values == {"x": 10, "log": ["a", "edited"]}  # x replaced, log appended
    assert after.metadata == {"source": "update", "step": 2, "parents": {}}
    assert after.config == returned
    assert after.parent_config == before.config
    assert after.next == ("b",)  # what was going to run still will
    assert app.invoke(None, thread()) == {"x": 10, "log": ["a", "edited", "b"]}
    assert [s.metadata["source"] for s in reversed(list(app.get_state_history(thread())))] == [
        "input", "loop", "loop", "update", "loop",
    ]


def test_update_state_as_a_node_routes_from_that_node(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = chain("a", "b", "c", calls=calls).compile(checkpointer=saver, interrupt_before=["b"])
    app.invoke({"x": 1}, thread())
    app.update_state(thread(), {"log": ["as-b"]}, as_node="b")
    assert app.get_state(thread()).next == ("c",)
    assert app.invoke(None, thread()) == {"x": 1, "log": ["a", "as-b", "c"]}
    assert calls == {"a": 1, "c": 1}


def test_update_state_rejects_unknown_keys_and_nodes(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    with pytest.raises(InvalidUpdateError, match="'nope'"):
        app.update_state(thread(), {"nope": 1})
    with pytest.raises(InvalidUpdateError, match="'ghost'"):
        app.update_state(thread(), {"x": 1}, as_node="ghost")
    assert steps(app.get_state_history(thread())) == [-1, 0, 1]


def test_update_state_on_a_new_thread_starts_it(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    config = app.update_state(thread("new"), {"x": 3})
    state = app.get_state(thread("new"))
    assert state.config == config
    assert state.values == {"x": 3, "log": []}
    assert state.metadata == {"source": "update", "step": 0, "parents": {}}
    assert app.invoke({"log": ["in"]}, thread("new")) == {"x": 3, "log": ["in", "a"]}


async def test_aupdate_state_and_aget_state_history(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    await app.ainvoke({"x": 1}, thread())
    await app.aupdate_state(thread(), {"log": ["z"]})
    assert (await app.aget_state(thread())).values == {"x": 1, "log": ["a", "z"]}
    history = [s async for s in app.aget_state_history(thread())]
    assert [s.metadata["source"] for s in history] == ["update", "loop", "loop", "input"]


# -- time travel --------------------------------------------------------------------

def test_continuing_from_an_older_checkpoint_reruns_later_steps_on_a_fork(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = chain("a", "b", "c", calls=calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    original = list(app.get_state_history(thread()))
    after_a = next(s for s in original if s.next == ("b",))

    parts = list(app.stream(None, after_a.config, stream_mode=["values", "updates", "checkpoints"]))
    assert [(m, c) for m, c in parts if m != "checkpoints"] == [
        ("values", {"x": 1, "log": ["a"]}),
        ("updates", {"b": {"log": ["b"]}}),
        ("values", {"x": 1, "log": ["a", "b"]}),
        ("updates", {"c": {"log": ["c"]}}),
        ("values", {"x": 1, "log": ["a", "b", "c"]}),
    ]
    assert calls == {"a": 1, "b": 2, "c": 2}  # b and c ran again; a did not

    checkpoints = [c for m, c in parts if m == "checkpoints"]
    fork = checkpoints[0]
    assert fork["metadata"] == {"source": "fork", "step": 2, "parents": {}}
    assert fork["parent_config"] == after_a.config
    assert fork["values"] == after_a.values and fork["next"] == ["b"]
    assert [c["metadata"]["step"] for c in checkpoints] == [2, 3, 4]

    # The thread's latest state is the fork's end; the old branch is still in the history.
    history = list(app.get_state_history(thread()))
    assert app.get_state(thread()).config == checkpoints[-1]["config"]
    assert [s.config for s in history[3:]] == [s.config for s in original]
    new_branch = history[:3]  # loop 4, loop 3, fork 2
    assert [s.parent_config for s in new_branch] == [history[1].config, history[2].config, after_a.config]
    # The fork's tasks have new ids: the old branch's writes were not reused.
    assert {t.id for s in new_branch for t in s.tasks}.isdisjoint({t.id for s in original for t in s.tasks})


def test_a_fork_can_be_forked_again_and_rerun(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = chain("a", "b", calls=calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    start = next(s for s in app.get_state_history(thread()) if s.next == ("a",))
    assert app.invoke(None, start.config) == {"x": 1, "log": ["a", "b"]}
    assert app.invoke(None, start.config) == {"x": 1, "log": ["a", "b"]}
    assert calls == {"a": 3, "b": 3}
    forks = [s for s in app.get_state_history(thread()) if s.metadata["source"] == "fork"]
    assert len(forks) == 2 and all(f.parent_config == start.config for f in forks)


def test_new_input_on_an_older_checkpoint_branches_from_it(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    app.invoke({"x": 1, "log": ["one"]}, thread())
    first_end = app.get_state(thread())
    app.invoke({"x": 2, "log": ["two"]}, thread())
    out = app.invoke({"x": 3, "log": ["three"]}, first_end.config)
    assert out == {"x": 3, "log": ["one", "a", "three", "a"]}
    latest = list(app.get_state_history(thread(), limit=3))
    assert latest[-1].metadata["source"] == "input"
    assert latest[-1].parent_config == first_end.config


def test_updating_an_older_checkpoint_branches_from_it(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = chain("a", "b", calls=calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    after_a = next(s for s in app.get_state_history(thread()) if s.next == ("b",))
    config = app.update_state(after_a.config, {"x": 7})
    assert app.get_state(thread()).config == config
    assert app.get_state(thread()).parent_config == after_a.config
    assert app.invoke(None, config) == {"x": 7, "log": ["a", "b"]}
    assert calls == {"a": 1, "b": 2}


def test_time_travel_to_an_interrupted_checkpoint_asks_again(saver: Any) -> None:
    calls: dict[str, int] = {}

    def ask(state: State) -> dict[str, Any]:
        calls["ask"] = calls.get("ask", 0) + 1
        return {"log": [interrupt("ok?")]}

    graph = StateGraph(State)
    graph.add_node("ask", ask)
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    asked = app.get_state(thread())
    app.invoke(Command(resume="first"), thread())
    out = app.invoke(None, asked.config)
    assert [i.value for i in out["__interrupt__"]] == ["ok?"]
    assert app.invoke(Command(resume="second"), thread()) == {"x": 1, "log": ["second"]}
    assert calls == {"ask": 4}


# -- subgraphs ------------------------------------------------------------------------

class Inner(TypedDict):
    x: int
    log: Annotated[list, operator.add]
    inner_only: Annotated[list, operator.add]


def with_subgraph(calls: dict[str, int]) -> Any:
    def inner_a(state: Inner) -> dict[str, Any]:
        calls["inner_a"] = calls.get("inner_a", 0) + 1
        return {"inner_only": ["ia"]}

    def inner_ask(state: Inner) -> dict[str, Any]:
        calls["inner_ask"] = calls.get("inner_ask", 0) + 1
        return {"log": [f"ans:{interrupt('inner?')}"], "inner_only": ["ib"]}

    inner = StateGraph(Inner)
    inner.add_sequence([inner_a, inner_ask])
    inner.add_edge(START, "inner_a")
    outer = StateGraph(State)
    outer.add_node("pre", appender("pre", calls))
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "pre")
    outer.add_edge("pre", "sub")
    return outer


def test_get_state_with_subgraphs_shows_the_subgraphs_state(saver: Any) -> None:
    app = with_subgraph({}).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    flat = app.get_state(thread())
    # Without subgraphs=True, a subgraph task's state is the config naming its namespace.
    (flat_task,) = flat.tasks
    assert flat_task.state == {"configurable": {"thread_id": "t1", "checkpoint_ns": f"sub:{flat_task.id}"}}
    state = app.get_state(thread(), subgraphs=True)
    (task,) = state.tasks
    assert task.name == "sub"
    inner = task.state
    assert inner.values == {"x": 1, "log": ["pre"], "inner_only": ["ia"]}
    assert inner.next == ("inner_ask",)
    assert inner.interrupts == state.interrupts == task.interrupts
    assert inner.config["configurable"]["checkpoint_ns"] == f"sub:{task.id}"
    assert inner.tasks[0].interrupts == state.interrupts


def test_subgraph_checkpoints_are_saved_under_its_namespace(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = with_subgraph(calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    (task,) = app.get_state(thread()).tasks
    ns = f"sub:{task.id}"
    app.invoke(Command(resume="yes"), thread())

    # Through the saver: the subgraph's own chain of checkpoints, apart from the root's.
    saved = list(reversed(_list(saver, "t1", ns)))
    assert [(c.metadata["source"], c.metadata["step"]) for c in saved] == [
        ("input", -1), ("loop", 0), ("loop", 1), ("loop", 2),
    ]
    assert all(c.checkpoint_ns == ns for c in saved)
    root = _list(saver, "t1", "")
    assert {c.checkpoint_id for c in root}.isdisjoint({c.checkpoint_id for c in saved})

    # Through the state API, with the subgraph's config: read with the subgraph's schema.
    history = list(app.get_state_history(thread(checkpoint_ns=ns)))
    assert [s.next for s in reversed(history)] == [("__start__",), ("inner_a",), ("inner_ask",), ()]
    assert history[0].values == {"x": 1, "log": ["pre", "ans:yes"], "inner_only": ["ia", "ib"]}
    assert app.get_state(thread(checkpoint_ns=ns)).values == history[0].values
    assert calls == {"pre": 1, "inner_a": 1, "inner_ask": 2}


def _list(saver: Any, thread_id: str, ns: str) -> list[Any]:
    async def go() -> list[Any]:
        return await saver.alist(thread_id, ns)

    return trio.run(go)


def test_replaying_an_update_checkpoint_again_reruns_its_parallel_step(saver: Any) -> None:
    calls: dict[str, int] = {}
    graph = StateGraph(State)
    graph.add_node("p", appender("p", calls))
    graph.add_node("q", appender("q", calls))
    graph.add_edge(START, "p")
    graph.add_edge(START, "q")
    app = graph.compile(checkpointer=saver, interrupt_before=["p", "q"])
    app.invoke({"x": 1}, thread())
    edited = app.update_state(thread(), {"x": 2})
    # The first replay continues the update checkpoint itself: it is already a branch.
    assert app.invoke(None, edited) == {"x": 2, "log": ["p", "q"]}
    assert app.get_state(thread()).parent_config == edited
    # It now holds that replay's writes; a second replay forks instead of reusing them.
    assert app.invoke(None, edited) == {"x": 2, "log": ["p", "q"]}
    assert calls == {"p": 2, "q": 2}
    fork = app.get_state(thread()).parent_config
    assert app.get_state(fork).metadata["source"] == "fork"
    assert app.get_state(fork).parent_config == edited


def test_a_checkpoint_ns_that_names_no_subgraph_is_an_error(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    with pytest.raises(ValueError, match="Subgraph 'a:123' not found"):
        app.get_state(thread(checkpoint_ns="a:123"))
    with pytest.raises(ValueError, match="Subgraph 'ghost:1' not found"):
        list(app.get_state_history(thread(checkpoint_ns="ghost:1")))
