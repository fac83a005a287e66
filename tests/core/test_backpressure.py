"""Back-pressure: a node flooding ``custom`` chunks at a slow consumer never has more than
``DEFAULT_STREAM_BUFFER`` of them buffered, and every chunk arrives, in order."""

from __future__ import annotations

import time
from typing import Any

import pytest
import trio
import trio.testing

from _core_support import State
from graphs import START, StateGraph, StreamWriter
from runtime.core.stream import DEFAULT_STREAM_BUFFER

CHUNKS = 100_000


def sync_flood(state: State, writer: StreamWriter) -> dict[str, Any]:
    for i in range(CHUNKS):
        writer(i)
    return {"x": CHUNKS}


async def async_flood(state: State, writer: StreamWriter) -> dict[str, Any]:
    for i in range(CHUNKS):
        await writer.asend(i)
    return {"x": CHUNKS}


def flooding(node: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("flood", node)
    graph.add_edge(START, "flood")
    return graph.compile()


async def wait_until_full(mailbox: Any) -> None:
    while len(mailbox) < DEFAULT_STREAM_BUFFER:
        await trio.lowlevel.checkpoint()


@pytest.mark.parametrize("node", [sync_flood, async_flood], ids=["sync-writer", "async-asend"])
async def test_slow_consumer_bounds_the_buffer_and_loses_nothing(node: Any) -> None:
    got: list[Any] = []
    started = time.process_time()  # CPU, not wall: a loaded machine must not fail it
    async with flooding(node).astream({"x": 0}, stream_mode=["custom", "updates"]) as stream:
        mailbox = stream._mailbox  # the consumer's target mailbox
        assert mailbox.capacity == DEFAULT_STREAM_BUFFER
        async for mode, chunk in stream:
            got.append(chunk)
            if len(got) == 1:
                # Let the producer run ahead as far as it can: it must stop at the bound.
                await wait_until_full(mailbox)
                await trio.testing.wait_all_tasks_blocked()
                assert len(mailbox) == DEFAULT_STREAM_BUFFER
            await trio.sleep(0)  # a slow consumer: one checkpoint per item
            if len(got) % 10_000 == 0:
                await trio.testing.wait_all_tasks_blocked()
    elapsed = time.process_time() - started
    assert got[:-1] == list(range(CHUNKS))
    assert got[-1] == {"flood": {"x": CHUNKS}}
    assert mailbox.high_water == DEFAULT_STREAM_BUFFER
    # About 1 s of CPU here, consumer checkpoints included. A worker thread paying a
    # round trip to the loop per chunk (~40 µs) took 8 s: far past this bound.
    assert elapsed < 5.0, f"{CHUNKS} chunks took {elapsed:.1f} s"


async def test_many_writers_share_the_bound() -> None:
    per_node = 5_000

    def make(tag: str, is_async: bool) -> Any:
        if is_async:

            async def node(state: State, writer: StreamWriter) -> dict[str, Any]:
                for i in range(per_node):
                    await writer.asend((tag, i))
                return {"items": [tag]}

        else:

            def node(state: State, writer: StreamWriter) -> dict[str, Any]:  # type: ignore[misc]
                for i in range(per_node):
                    writer((tag, i))
                return {"items": [tag]}

        return node

    graph = StateGraph(State)
    for tag, is_async in (("s1", False), ("s2", False), ("a1", True), ("a2", True)):
        graph.add_node(tag, make(tag, is_async))
        graph.add_edge(START, tag)
    got: dict[str, list[int]] = {"s1": [], "s2": [], "a1": [], "a2": []}
    async with graph.compile().astream({"x": 0}, stream_mode="custom") as stream:
        mailbox = stream._mailbox
        async for tag, i in stream:
            got[tag].append(i)
            await trio.sleep(0)
    # Each writer's chunks arrive in the order it wrote them; racing threads may
    # overshoot the bound by at most one chunk each.
    assert all(chunks == list(range(per_node)) for chunks in got.values())
    assert DEFAULT_STREAM_BUFFER <= mailbox.high_water <= DEFAULT_STREAM_BUFFER + 2
