"""docs/streaming.md and deliberate difference 8 (docs/differences.md): deterministic, UUID-formatted task ids."""

from __future__ import annotations

import uuid
from typing import Any

from _core_support import UUID_RE, State, collect
from graphs import START, Command, InMemorySaver, Send, StateGraph, interrupt
from runtime.scheduler import PULL, PUSH, task_id

CHECKPOINT = "1ef4f797-8335-6428-8001-8a1503f9b875"


def test_task_id_is_uuid_formatted() -> None:
    tid = task_id(CHECKPOINT, "", 1, "node", PULL, "branch:to:node")
    assert UUID_RE.match(tid)
    assert str(uuid.UUID(tid)) == tid


def test_task_id_is_deterministic() -> None:
    args = (CHECKPOINT, "parent:abc", 3, "node", PUSH, "2")
    assert task_id(*args) == task_id(*args)


def test_task_id_depends_on_every_input() -> None:
    base = task_id(CHECKPOINT, "", 1, "node", PUSH, "0")
    variants = [
        task_id("1ef4f797-8335-6428-8001-8a1503f9b876", "", 1, "node", PUSH, "0"),  # checkpoint id
        task_id(CHECKPOINT, "outer:x", 1, "node", PUSH, "0"),  # namespace
        task_id(CHECKPOINT, "", 2, "node", PUSH, "0"),  # step
        task_id(CHECKPOINT, "", 1, "other", PUSH, "0"),  # node
        task_id(CHECKPOINT, "", 1, "node", PUSH, "1"),  # send index
        task_id(CHECKPOINT, "", 1, "node", PULL, "branch:to:node"),  # pull with triggers
        task_id(CHECKPOINT, "", 1, "node", PULL, "branch:to:node", "join:a+b:node"),
    ]
    assert len({base, *variants}) == len(variants) + 1


async def test_task_ids_in_a_run_are_distinct_uuids() -> None:
    graph = StateGraph(State)
    graph.add_node("fan", lambda s: None)
    graph.add_node("w", lambda arg: {"items": [arg]})
    graph.add_edge(START, "fan")
    graph.add_conditional_edges("fan", lambda s: [Send("w", i) for i in range(4)])
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="tasks"))
    starts = [p for p in parts if "input" in p]
    results = [p for p in parts if "result" in p]
    assert [p["name"] for p in starts] == ["fan", "w", "w", "w", "w"]
    ids = [p["id"] for p in starts]
    assert all(UUID_RE.match(i) for i in ids)
    assert len(set(ids)) == 5
    assert sorted(p["id"] for p in results) == sorted(ids)
    # Send tasks are started in Send order and each keeps its own input.
    assert [p["input"] for p in starts[1:]] == [0, 1, 2, 3]


def test_task_id_is_stable_across_a_resume() -> None:
    def ask(state: State) -> dict[str, Any]:
        return {"x": interrupt("x?")}

    graph = StateGraph(State)
    graph.add_node(ask)
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "resume-ids"}}
    first = [p for p in app.stream({"x": 1}, config, stream_mode="tasks") if "input" in p]
    resumed = [p for p in app.stream(Command(resume=7), config, stream_mode="tasks") if "input" in p]
    assert [p["name"] for p in first] == [p["name"] for p in resumed] == ["ask"]
    assert first[0]["id"] == resumed[0]["id"]
    assert app.get_state(config).values == {"x": 7, "items": []}
