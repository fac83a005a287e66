"""docs/streaming.md: the ``checkpoints`` stream mode and the checkpoint items of ``debug``."""

from __future__ import annotations

import datetime
from typing import Any

from _persist_support import UUID_RE, State, chain, checkpoint_id, thread
from graphs import START, StateGraph


def fan_out() -> StateGraph:
    """``START -> a -> (b, c) -> d``: one parallel step between two single ones."""
    graph = StateGraph(State)
    for name in "abcd":
        graph.add_node(name, lambda state, name=name: {"log": [name]})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("a", "c")
    graph.add_edge(["b", "c"], "d")
    return graph


def test_checkpoints_are_streamed_only_with_a_checkpointer(saver: Any) -> None:
    graph = chain("a", "b")
    assert list(graph.compile().stream({"x": 1}, stream_mode="checkpoints")) == []
    debug = list(graph.compile().stream({"x": 1}, stream_mode="debug"))
    assert {item["type"] for item in debug} == {"task", "task_result"}

    saved = list(chain("a", "b").compile(checkpointer=saver).stream({"x": 1}, thread(), stream_mode="checkpoints"))
    assert [p["metadata"]["step"] for p in saved] == [-1, 0, 1, 2]


def test_checkpoint_payload_is_shaped_like_get_state(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    payloads = list(app.stream({"x": 1}, thread("shape"), stream_mode="checkpoints"))

    assert [sorted(p) for p in payloads] == [["config", "metadata", "next", "parent_config", "tasks", "values"]] * 4
    for payload in payloads:
        configurable = payload["config"]["configurable"]
        assert sorted(configurable) == ["checkpoint_id", "checkpoint_ns", "thread_id"]
        assert configurable["thread_id"] == "shape"
        assert configurable["checkpoint_ns"] == ""
        assert UUID_RE.match(configurable["checkpoint_id"])
    assert [p["metadata"] for p in payloads] == [
        {"source": "input", "step": -1, "parents": {}},
        {"source": "loop", "step": 0, "parents": {}},
        {"source": "loop", "step": 1, "parents": {}},
        {"source": "loop", "step": 2, "parents": {}},
    ]
    assert [p["next"] for p in payloads] == [["__start__"], ["a"], ["b"], []]
    assert [p["values"] for p in payloads] == [
        {"log": []},
        {"x": 1, "log": []},
        {"x": 1, "log": ["a"]},
        {"x": 1, "log": ["a", "b"]},
    ]
    # parent_config chains each checkpoint to the one before it; the first has none.
    assert payloads[0]["parent_config"] is None
    assert [p["parent_config"] for p in payloads[1:]] == [p["config"] for p in payloads[:-1]]

    # The same checkpoints, newest first, are what the thread's history holds.
    history = list(app.get_state_history(thread("shape")))
    assert [s.config for s in history] == [p["config"] for p in reversed(payloads)]
    assert [s.parent_config for s in history] == [p["parent_config"] for p in reversed(payloads)]
    assert [s.values for s in history] == [p["values"] for p in reversed(payloads)]
    assert [s.metadata for s in history] == [p["metadata"] for p in reversed(payloads)]


def test_checkpoint_tasks_are_the_next_steps_tasks(saver: Any) -> None:
    app = fan_out().compile(checkpointer=saver)
    parts = list(app.stream({"x": 1}, thread(), stream_mode=["checkpoints", "tasks"]))
    checkpoints = [chunk for mode, chunk in parts if mode == "checkpoints"]
    starts = [chunk for mode, chunk in parts if mode == "tasks" and "input" in chunk]

    for payload in checkpoints:
        for task in payload["tasks"]:
            assert sorted(task) == ["id", "interrupts", "name", "state"]
            assert task["interrupts"] == () and task["state"] is None
            assert UUID_RE.match(task["id"])
        assert [t["name"] for t in payload["tasks"]] == payload["next"]
    assert [p["next"] for p in checkpoints] == [["__start__"], ["a"], ["b", "c"], ["d"], []]
    # Every task that starts was announced, with the same id, by the checkpoint before it.
    announced = [(t["id"], t["name"]) for p in checkpoints[1:] for t in p["tasks"]]
    assert [(s["id"], s["name"]) for s in starts] == announced


def test_first_checkpoint_is_the_input_one_with_reducer_defaults_only(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    first = next(iter(app.stream({"x": 5, "log": ["given"]}, thread(), stream_mode="checkpoints")))
    assert first["metadata"] == {"source": "input", "step": -1, "parents": {}}
    assert first["next"] == ["__start__"]
    assert [t["name"] for t in first["tasks"]] == ["__start__"]
    assert first["values"] == {"log": []}  # not the input: it is applied by the step after
    assert first["parent_config"] is None


def test_debug_wraps_checkpoints_with_the_checkpoints_step(saver: Any) -> None:
    app = fan_out().compile(checkpointer=saver)
    parts = list(app.stream({"x": 1}, thread(), stream_mode=["checkpoints", "debug"]))
    checkpoints = [chunk for mode, chunk in parts if mode == "checkpoints"]
    debug = [chunk for mode, chunk in parts if mode == "debug"]

    for item in debug:
        assert sorted(item) == ["payload", "step", "timestamp", "type"]
        datetime.datetime.fromisoformat(item["timestamp"])
    wrapped = [item for item in debug if item["type"] == "checkpoint"]
    assert [item["payload"] for item in wrapped] == checkpoints
    assert [item["step"] for item in wrapped] == [-1, 0, 1, 2, 3]
    # Task items carry the loop step they ran in (results of one step finish in any order).
    tasks = [(item["step"], item["type"], item["payload"]["name"]) for item in debug if item["type"] != "checkpoint"]
    assert sorted(tasks) == [
        (1, "task", "a"), (1, "task_result", "a"),
        (2, "task", "b"), (2, "task", "c"), (2, "task_result", "b"), (2, "task_result", "c"),
        (3, "task", "d"), (3, "task_result", "d"),
    ]
    assert [step for step, _, _ in tasks] == sorted(step for step, _, _ in tasks)


def test_each_checkpoint_precedes_the_task_starts_of_its_step(saver: Any) -> None:
    app = fan_out().compile(checkpointer=saver)
    for modes in (["checkpoints", "tasks"], ["debug"]):
        parts = list(app.stream({"x": 1}, thread(f"order-{modes[0]}"), stream_mode=modes))
        kinds = []
        for mode, chunk in parts:
            if mode == "debug":
                mode, chunk = chunk["type"], chunk["payload"]
            if mode in ("checkpoints", "checkpoint"):
                kinds.append(("checkpoint", tuple(chunk["next"])))
            elif "input" in chunk:
                kinds.append(("start", chunk["name"]))
            else:
                kinds.append(("result", chunk["name"]))
        results_b_c = sorted(kinds[7:9])
        assert kinds[:7] + [None, None] + kinds[9:] == [
            ("checkpoint", ("__start__",)),
            ("checkpoint", ("a",)),
            ("start", "a"),
            ("result", "a"),
            ("checkpoint", ("b", "c")),
            ("start", "b"),
            ("start", "c"),
            None, None,
            ("checkpoint", ("d",)),
            ("start", "d"),
            ("result", "d"),
            ("checkpoint", ()),
        ], kinds
        assert results_b_c == [("result", "b"), ("result", "c")]


def test_checkpoint_ids_grow_and_match_the_saved_ones(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    payloads = list(app.stream({"x": 1}, thread(), stream_mode="checkpoints"))
    ids = [checkpoint_id(p["config"]) for p in payloads]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert app.get_state(thread()).config == payloads[-1]["config"]
