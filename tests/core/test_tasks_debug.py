"""docs/streaming.md (no checkpointer): ``tasks`` and ``debug`` payloads and their order."""

from __future__ import annotations

import datetime
from typing import Any

from _core_support import UUID_RE, State, collect, collect_until_error
from graphs import START, StateGraph

START_KEYS = {"id", "name", "input", "triggers"}
RESULT_KEYS = {"id", "name", "error", "result", "interrupts"}


def fan_out() -> Any:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": 2})
    graph.add_node("b", lambda s: {"items": ["b"]})
    graph.add_node("c", lambda s: None)
    for name in ("a", "b", "c"):
        graph.add_edge(START, name)
    return graph.compile()


async def test_task_start_and_result_payloads() -> None:
    parts = await collect(fan_out().astream({"x": 1}, stream_mode="tasks"))
    starts, results = parts[:3], parts[3:]
    assert len(results) == 3
    for start in starts:
        assert set(start) == START_KEYS
        assert UUID_RE.match(start["id"])
        assert start["input"] == {"x": 1, "items": []}
        assert start["triggers"] == (f"branch:to:{start['name']}",)
    assert [s["name"] for s in starts] == ["a", "b", "c"]
    by_name = {r["name"]: r for r in results}
    assert all(set(r) == RESULT_KEYS for r in results)
    assert by_name["a"] == {"id": starts[0]["id"], "name": "a", "error": None, "result": {"x": 2}, "interrupts": []}
    assert by_name["b"] == {
        "id": starts[1]["id"], "name": "b", "error": None, "result": {"items": ["b"]}, "interrupts": [],
    }
    assert by_name["c"] == {"id": starts[2]["id"], "name": "c", "error": None, "result": {}, "interrupts": []}


async def test_all_starts_of_a_step_precede_any_result() -> None:
    graph = StateGraph(State)
    graph.add_node("first", lambda s: {"x": 1})
    graph.add_node("p", lambda s: {"items": ["p"]})
    graph.add_node("q", lambda s: {"items": ["q"]})
    graph.add_edge(START, "first")
    graph.add_edge("first", "p")
    graph.add_edge("first", "q")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="tasks"))
    kinds = [("start" if "input" in p else "result", p["name"]) for p in parts]
    assert kinds[:2] == [("start", "first"), ("result", "first")]
    assert kinds[2:4] == [("start", "p"), ("start", "q")]
    assert sorted(kinds[4:]) == [("result", "p"), ("result", "q")]


async def test_start_payload_carries_user_and_node_metadata_only() -> None:
    # LangGraph 1.2's map_debug_tasks: the run's metadata without its bookkeeping keys
    # (thread_id, langgraph_*, checkpoint_*), the node's metadata, the user's tags;
    # no "metadata" key when that leaves nothing. Observed with LangGraph 1.2.
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": 2}, metadata={"owner": "node"})
    graph.add_node("b", lambda s: {"x": 3})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    app = graph.compile()
    config: Any = {"metadata": {"user": 1}, "tags": ["t"], "configurable": {"thread_id": "1", "user_id": "u"}}
    a, _, b, _ = await collect(app.astream({"x": 1}, config, stream_mode="tasks"))
    assert set(a) == START_KEYS | {"metadata"}
    assert a["metadata"] == {"user": 1, "owner": "node", "tags": ["t"]}
    assert list(a["metadata"]) == ["user", "owner", "tags"]
    assert b["metadata"] == {"user": 1, "tags": ["t"]}
    a, _, b, _ = await collect(app.astream({"x": 1}, {"configurable": {"thread_id": "1"}}, stream_mode="tasks"))
    assert a["metadata"] == {"owner": "node"}
    assert set(b) == START_KEYS


async def test_a_channel_written_twice_is_folded_into_writes() -> None:
    # LangGraph's map_task_result_writes: {"key": {"$writes": [first, second]}}.
    from runtime.scheduler.payloads import fold_writes

    assert fold_writes([("x", 1), ("y", 2), ("x", 3), ("x", 4)]) == {"x": {"$writes": [1, 3, 4]}, "y": 2}
    assert fold_writes([]) == {}


async def test_failing_task_result_has_the_error_and_an_empty_result() -> None:
    class Broken(Exception):
        pass

    def fails(state: State) -> dict[str, Any]:
        raise Broken("no")

    graph = StateGraph(State)
    graph.add_node(fails)
    graph.add_edge(START, "fails")
    got, error = await collect_until_error(graph.compile().astream({"x": 1}, stream_mode="tasks"))
    assert type(error) is Broken
    start, result = got
    assert set(start) == START_KEYS
    assert result == {"id": start["id"], "name": "fails", "error": error, "result": {}, "interrupts": []}
    assert result["error"] is error


async def test_debug_wraps_task_starts_and_results() -> None:
    parts = await collect(fan_out().astream({"x": 1}, stream_mode=["tasks", "debug"]))
    tasks = [c for m, c in parts if m == "tasks"]
    debug = [c for m, c in parts if m == "debug"]
    assert len(debug) == 6
    for item in debug:
        assert set(item) == {"step", "timestamp", "type", "payload"}
        assert item["step"] == 1
        assert datetime.datetime.fromisoformat(item["timestamp"]).tzinfo is not None
    assert [d["type"] for d in debug] == ["task"] * 3 + ["task_result"] * 3
    assert [d["payload"] for d in debug] == tasks


async def test_debug_steps_follow_the_loop() -> None:
    graph = StateGraph(State)
    graph.add_node("one", lambda s: {"x": 1})
    graph.add_node("two", lambda s: {"x": 2})
    graph.add_edge(START, "one")
    graph.add_edge("one", "two")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="debug"))
    assert [(d["step"], d["type"], d["payload"]["name"]) for d in parts] == [
        (1, "task", "one"),
        (1, "task_result", "one"),
        (2, "task", "two"),
        (2, "task_result", "two"),
    ]


async def test_no_checkpoint_items_without_a_checkpointer() -> None:
    parts = await collect(fan_out().astream({"x": 1}, stream_mode=["checkpoints", "debug", "updates"]))
    assert [m for m, _ in parts if m == "checkpoints"] == []
    assert {c["type"] for m, c in parts if m == "debug"} == {"task", "task_result"}
    assert len([m for m, _ in parts if m == "updates"]) == 3


async def test_a_retried_task_streams_each_attempt_as_a_start_and_a_result() -> None:
    from graphs import RetryPolicy

    attempts = []

    def flaky(state: State) -> dict[str, Any]:
        attempts.append(state["x"])
        if len(attempts) < 3:
            raise ValueError(f"attempt {len(attempts)}")
        return {"x": 10}

    graph = StateGraph(State)
    graph.add_node("flaky", flaky, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0, jitter=False, retry_on=ValueError))
    graph.add_edge(START, "flaky")
    parts = await collect(graph.compile().astream({"x": 1}, stream_mode=["tasks", "debug"]))
    tasks = [chunk for mode, chunk in parts if mode == "tasks"]
    kinds = [("start" if "input" in t else "result", t.get("error")) for t in tasks]
    assert [kind for kind, _ in kinds] == ["start", "result", "start", "result", "start", "result"]
    errors = [error for kind, error in kinds if kind == "result"]
    assert [str(e) for e in errors[:2]] == ["attempt 1", "attempt 2"] and errors[2] is None
    assert tasks[-1]["result"] == {"x": 10}
    assert len({t["id"] for t in tasks}) == 1  # one task, three attempts
    debug_types = [chunk["type"] for mode, chunk in parts if mode == "debug"]
    assert debug_types == ["task", "task_result"] * 3


async def test_resumed_checkpoint_shows_result_only_for_tasks_that_wrote_state() -> None:
    # LangGraph 1.2, observed on the same graph: a finished task with writes has "result",
    # one that wrote nothing (or is still waiting) has none.
    from graphs import Command, InMemorySaver, interrupt

    def ask(state: State) -> dict[str, Any]:
        return {"items": [interrupt("q?")]}

    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"items": ["a"]})
    graph.add_node("quiet", lambda s: {})
    graph.add_node("ask", ask)
    for name in ("a", "quiet", "ask"):
        graph.add_edge(START, name)
    app = graph.compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "1"}}
    await collect(app.astream({"x": 1}, config))
    checkpoints = await collect(app.astream(Command(resume="yes"), config, stream_mode="checkpoints"))
    shapes = sorted((t["name"], sorted(t)) for t in checkpoints[0]["tasks"])
    assert shapes == [
        ("a", ["id", "interrupts", "name", "result", "state"]),
        ("ask", ["id", "interrupts", "name", "state"]),
        ("quiet", ["id", "interrupts", "name", "state"]),
    ]
    assert checkpoints[-1]["tasks"] == []
