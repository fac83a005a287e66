"""Recovering from a failed step: the writes of tasks that finished are kept as
pending writes, so retrying the thread does not run them again; resumed tasks
keep their ids; a resumed run re-announces the checkpoint it continues from."""

from __future__ import annotations

from typing import Any

import pytest
import trio

from _persist_support import State, appender, chain, checkpoint_id, collect, steps, thread
from graphs import START, Command, StateGraph, interrupt


async def writes_saved(saver: Any, thread_id: str, value: Any) -> None:
    """Wait until the latest checkpoint of the thread holds a pending write of ``value``."""
    while True:
        found = await saver.aget_tuple(thread_id)
        if found is not None and any(v == value for _, _, v in found.pending_writes):
            return
        await trio.lowlevel.checkpoint()


def failing_step(saver: Any, calls: dict[str, int], fail: list[bool]) -> Any:
    """``START -> a -> (ok, bad) -> c``, where ``bad`` fails (while ``fail[0]``)
    only once ``ok``'s writes are saved — so the order is fixed, not raced."""

    async def ok(state: State) -> dict[str, Any]:
        calls["ok"] = calls.get("ok", 0) + 1
        return {"log": ["ok"]}

    async def bad(state: State) -> dict[str, Any]:
        calls["bad"] = calls.get("bad", 0) + 1
        if fail[0]:
            await writes_saved(saver, "t1", ["ok"])
            raise KeyError("boom")
        return {"log": ["bad"]}

    graph = StateGraph(State)
    graph.add_node("a", appender("a", calls))
    graph.add_node("ok", ok)
    graph.add_node("bad", bad)
    graph.add_node("c", appender("c", calls))
    graph.add_edge(START, "a")
    graph.add_edge("a", "ok")
    graph.add_edge("a", "bad")
    graph.add_edge(["ok", "bad"], "c")
    return graph.compile(checkpointer=saver)


async def test_a_retry_does_not_rerun_the_tasks_that_finished_in_the_failed_step(saver: Any) -> None:
    calls: dict[str, int] = {}
    fail = [True]
    app = failing_step(saver, calls, fail)
    with pytest.raises(KeyError, match="boom"):
        await app.ainvoke({"x": 1}, thread())
    assert calls == {"a": 1, "ok": 1, "bad": 1}

    # The thread as it stands: ok's saved writes are in, only bad is still to run.
    state = await app.aget_state(thread())
    assert state.next == ("bad",)
    assert {t.name: t.result for t in state.tasks} == {"ok": {"log": ["ok"]}, "bad": None}
    assert state.values == {"x": 1, "log": ["a", "ok"]}
    # The checkpoint itself, as a record of the step: the failed step was not applied.
    record = await app.aget_state(state.config)
    assert record.next == ("ok", "bad")
    assert record.values == {"x": 1, "log": ["a"]}

    fail[0] = False
    updates = await collect(app.astream(None, thread()))
    # The task that finished before the failure streams first, its writes marked
    # as not computed now (LangGraph's ``__metadata__``), then the retried one.
    assert updates[:2] == [{"ok": {"log": ["ok"]}, "__metadata__": {"cached": True}}, {"bad": {"log": ["bad"]}}]
    assert updates[2:] == [{"c": {"log": ["c"]}}]
    assert calls == {"a": 1, "ok": 1, "bad": 2, "c": 1}
    final = await app.aget_state(thread())
    assert final.values == {"x": 1, "log": ["a", "bad", "ok", "c"]}  # applied once, in task-path order
    assert steps([s async for s in app.aget_state_history(thread())]) == [-1, 0, 1, 2, 3]


async def test_the_retried_step_keeps_its_task_ids(saver: Any) -> None:
    calls: dict[str, int] = {}
    fail = [True]
    app = failing_step(saver, calls, fail)
    with pytest.raises(KeyError):
        await app.ainvoke({"x": 1}, thread())
    pending = {t.name: t.id for t in (await app.aget_state(thread())).tasks}
    fail[0] = False
    items = await collect(app.astream(None, thread(), stream_mode="tasks"))
    started = {t["name"]: t["id"] for t in items if "input" in t}
    # Both tasks of the retried step are announced under the ids they had (as in
    # LangGraph), but only bad runs: ok's kept result has no second task_result.
    assert set(started) == {"ok", "bad", "c"}
    assert started["bad"] == pending["bad"] and started["ok"] == pending["ok"]
    assert {t["name"] for t in items if "result" in t} == {"bad", "c"}
    history = [s async for s in app.aget_state_history(thread())]
    step1 = next(s for s in history if s.metadata["step"] == 1)
    assert {t.name: t.id for t in step1.tasks} == pending


async def test_a_resumed_run_reannounces_its_checkpoint_with_the_finished_tasks(saver: Any) -> None:
    calls: dict[str, int] = {}
    fail = [True]
    app = failing_step(saver, calls, fail)
    with pytest.raises(KeyError):
        await app.ainvoke({"x": 1}, thread())
    # The checkpoint as a record of its step, which is what the stream announces.
    state = await app.aget_state((await app.aget_state(thread())).config)
    fail[0] = False
    parts = await collect(app.astream(None, thread(), stream_mode=["checkpoints", "debug"]))
    checkpoints = [c for m, c in parts if m == "checkpoints"]
    first = checkpoints[0]
    assert first["config"] == state.config and first["parent_config"] == state.parent_config
    assert first["metadata"] == state.metadata and first["values"] == state.values
    assert first["next"] == ["ok", "bad"]
    ok, bad = first["tasks"]
    assert ok == {"id": state.tasks[0].id, "name": "ok", "interrupts": (), "state": None, "result": {"log": ["ok"]}}
    assert bad == {"id": state.tasks[1].id, "name": "bad", "interrupts": (), "state": None}
    assert [c["metadata"]["step"] for c in checkpoints] == [1, 2, 3]
    debug = [c for m, c in parts if m == "debug" and c["type"] == "checkpoint"]
    assert [d["payload"] for d in debug] == checkpoints and [d["step"] for d in debug] == [1, 2, 3]
    # The finished task is announced again (as in LangGraph) but does not run: no result.
    assert {c["payload"]["name"] for m, c in parts if m == "debug" and c["type"] == "task"} == {"ok", "bad", "c"}
    assert {c["payload"]["name"] for m, c in parts if m == "debug" and c["type"] == "task_result"} == {"bad", "c"}


def test_an_interrupted_run_reannounces_its_checkpoint_with_the_interrupt(saver: Any) -> None:
    graph = StateGraph(State)
    graph.add_node("ask", lambda state: {"log": [interrupt("ok?")]})
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    state = app.get_state(thread())
    (found,) = state.interrupts
    first = next(iter(app.stream(Command(resume="y"), thread(), stream_mode="checkpoints")))
    assert first["config"] == state.config
    assert first["tasks"] == [
        {"id": state.tasks[0].id, "name": "ask", "interrupts": ({"value": "ok?", "id": found.id, "response_schema": None},), "state": None}
    ]


def test_a_retry_after_a_failure_in_a_chain_starts_at_the_failed_node(saver: Any) -> None:
    calls: dict[str, int] = {}
    fail = [True]

    def b(state: State) -> dict[str, Any]:
        calls["b"] = calls.get("b", 0) + 1
        if fail[0]:
            raise ValueError("b failed")
        return {"log": ["b"]}

    graph = StateGraph(State)
    graph.add_sequence([appender("a", calls), ("b", b), appender("c", calls)])
    graph.add_edge(START, "a")
    app = graph.compile(checkpointer=saver)
    with pytest.raises(ValueError, match="b failed"):
        app.invoke({"x": 1}, thread())
    assert app.get_state(thread()).next == ("b",)
    fail[0] = False
    assert app.invoke(None, thread()) == {"x": 1, "log": ["a", "b", "c"]}
    assert calls == {"a": 1, "b": 2, "c": 1}
    assert steps(app.get_state_history(thread())) == [-1, 0, 1, 2, 3]


def test_subgraph_state_is_reported_as_its_checkpoint_config_in_checkpoint_payloads(saver: Any) -> None:
    inner = chain("i")
    outer = StateGraph(State)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    app = outer.compile(checkpointer=saver)
    payloads = list(app.stream({"x": 1}, thread(), stream_mode="checkpoints"))
    (task,) = payloads[1]["tasks"]
    assert task["name"] == "sub"
    assert task["state"] == {"configurable": {"thread_id": "t1", "checkpoint_ns": f"sub:{task['id']}"}}
    # With subgraphs=True the subgraph's own checkpoints stream under its namespace.
    parts = list(app.stream({"x": 2}, thread("nested"), stream_mode="checkpoints", subgraphs=True))
    inner_parts = [c for ns, c in parts if ns]
    assert inner_parts and all(c["config"]["configurable"]["checkpoint_ns"].startswith("sub:") for c in inner_parts)
    assert [c["metadata"]["step"] for c in inner_parts] == [-1, 0, 1]
    assert {checkpoint_id(c["config"]) for c in inner_parts}.isdisjoint(
        {checkpoint_id(c["config"]) for ns, c in parts if not ns}
    )


def test_a_retry_after_a_failure_inside_a_subgraph_continues_the_subgraph(saver: Any) -> None:
    calls: dict[str, int] = {}
    fail = [True]

    def inner_b(state: State) -> dict[str, Any]:
        calls["inner_b"] = calls.get("inner_b", 0) + 1
        if fail[0]:
            raise KeyError("inner_b failed")
        return {"log": ["inner_b"]}

    inner = StateGraph(State)
    inner.add_sequence([appender("inner_a", calls), ("inner_b", inner_b)])
    inner.add_edge(START, "inner_a")
    outer = StateGraph(State)
    outer.add_sequence([appender("pre", calls), ("sub", inner.compile()), appender("post", calls)])
    outer.add_edge(START, "pre")
    app = outer.compile(checkpointer=saver)
    with pytest.raises(KeyError, match="inner_b failed"):
        app.invoke({"x": 1}, thread())
    inner_state = app.get_state(thread(), subgraphs=True).tasks[0].state
    assert inner_state.next == ("inner_b",) and inner_state.values["log"] == ["pre", "inner_a"]

    fail[0] = False
    assert app.invoke(None, thread()) == {"x": 1, "log": ["pre", "pre", "inner_a", "inner_b", "post"]}
    # The subgraph went on from its own last checkpoint: inner_a did not run again,
    # and its input was not applied a second time.
    assert calls == {"pre": 1, "inner_a": 1, "inner_b": 2, "post": 1}


def test_stream_none_on_a_thread_waiting_in_a_subgraph_asks_again_without_rerunning_it(saver: Any) -> None:
    calls: dict[str, int] = {}

    def inner_ask(state: State) -> dict[str, Any]:
        calls["inner_ask"] = calls.get("inner_ask", 0) + 1
        return {"log": [interrupt("inner?")]}

    inner = StateGraph(State)
    inner.add_sequence([appender("inner_a", calls), ("inner_ask", inner_ask)])
    inner.add_edge(START, "inner_a")
    outer = StateGraph(State)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    app = outer.compile(checkpointer=saver)
    asked = app.invoke({"x": 1}, thread())["__interrupt__"]
    assert app.invoke(None, thread())["__interrupt__"] == asked
    assert app.invoke(Command(resume="yes"), thread())["log"] == ["inner_a", "yes"]
    assert calls == {"inner_a": 1, "inner_ask": 3}
