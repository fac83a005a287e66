"""DESIGN "Streams that are safe to leave": every way a consumer can stop, in both forms.

The graph has two nodes that never finish on their own: an async node parked on an
event, and a sync node (in a worker thread) that writes ``custom`` chunks and then
blocks — either on back-pressure, having written far more than the stream buffers,
or in ``trio.from_thread.run(trio.sleep_forever)``. Whatever the consumer does, both
must be cancelled, the thread must end, no task may survive, no ``Cancelled`` may
reach the consumer, and the next run of the same graph must work.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import trio
import trio.testing

from _core_support import State, live_tasks
from graphs import START, StateGraph
from runtime.core.stream import DEFAULT_STREAM_BUFFER

FLOOD = 10 * DEFAULT_STREAM_BUFFER


class ConsumerError(Exception):
    pass


class Probe:
    """What the test observes of the run from outside."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.parked_cancelled = trio.Event()
        self.thread_done = threading.Event()
        self.mailbox: Any = None

    def graph(self) -> Any:
        never = trio.Event()

        async def parked(state: State) -> dict[str, Any]:
            if state["x"] == 0:
                try:
                    await never.wait()
                finally:
                    self.parked_cancelled.set()
            return {"items": ["parked"]}

        def flood(state: State, writer: Any) -> dict[str, Any]:
            if state["x"] == 0:
                try:
                    for i in range(self.chunks):
                        writer(i)
                    trio.from_thread.run(trio.sleep_forever)
                finally:
                    self.thread_done.set()
            return {"items": ["flood"]}

        graph = StateGraph(State)
        graph.add_node(parked)
        graph.add_node(flood)
        graph.add_edge(START, "parked")
        graph.add_edge(START, "flood")
        return graph.compile()

    def stream(self, app: Any) -> Any:
        stream = app.astream({"x": 0}, stream_mode="custom")
        self.mailbox = stream._mailbox  # the consumer's target mailbox
        return stream

    async def writer_blocked(self) -> None:
        """Return once the flooding thread is held back by the full mailbox."""
        if self.chunks > DEFAULT_STREAM_BUFFER:
            while len(self.mailbox) < DEFAULT_STREAM_BUFFER:
                await trio.lowlevel.checkpoint()


async def settle(before: set[trio.lowlevel.Task]) -> None:
    """Return once every task started since ``before`` has ended (threads end on their own schedule)."""
    while live_tasks() - before:
        await trio.lowlevel.checkpoint()


async def check_everything_ended(probe: Probe, app: Any, before: set[trio.lowlevel.Task]) -> None:
    await probe.parked_cancelled.wait()
    assert await trio.to_thread.run_sync(probe.thread_done.wait, 10)
    await settle(before)
    assert await app.ainvoke({"x": 1}) == {"x": 1, "items": ["flood", "parked"]}


async def cancel_consumer_from_outside(probe: Probe, app: Any, consume: Any) -> tuple[list[Any], bool]:
    """Run ``consume(stream, on_item)`` in its own task under a cancel scope; once it has an item
    (and, with a flood, the writer is held back) and is parked — in its loop body or
    waiting for the next item — cancel the scope from this task."""
    got: list[Any] = []
    received = trio.Event()
    caught: list[bool] = []

    def on_item(item: Any) -> None:
        got.append(item)
        received.set()

    async def consumer(task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        with trio.CancelScope() as scope:
            task_status.started(scope)
            await consume(probe.stream(app), on_item)
        caught.append(scope.cancelled_caught)

    async with trio.open_nursery() as nursery:
        scope = await nursery.start(consumer)
        await received.wait()
        await probe.writer_blocked()
        await trio.testing.wait_all_tasks_blocked()
        scope.cancel()
    return got, caught == [True]


# -- the structured form: everything has ended when the block exits -----------


async def test_cm_consumer_breaks() -> None:
    probe = Probe(FLOOD)
    app = probe.graph()
    before = live_tasks()
    async with probe.stream(app) as stream:
        async for item in stream:
            assert item == 0
            await probe.writer_blocked()
            break
    assert probe.parked_cancelled.is_set() and probe.thread_done.is_set()
    assert live_tasks() == before
    await check_everything_ended(probe, app, before)


async def test_cm_consumer_raises() -> None:
    probe = Probe(FLOOD)
    app = probe.graph()
    before = live_tasks()
    with pytest.raises(ConsumerError) as caught:
        async with probe.stream(app) as stream:
            async for _ in stream:
                await probe.writer_blocked()
                raise ConsumerError("mine")
    assert type(caught.value) is ConsumerError and str(caught.value) == "mine"
    assert getattr(caught.value, "__notes__", []) == []
    assert probe.parked_cancelled.is_set() and probe.thread_done.is_set()
    assert live_tasks() == before
    await check_everything_ended(probe, app, before)


@pytest.mark.parametrize("chunks", [FLOOD, 1], ids=["cancelled-in-body", "cancelled-waiting-for-next"])
async def test_cm_consumer_cancelled_from_outside(chunks: int) -> None:
    probe = Probe(chunks)
    app = probe.graph()
    before = live_tasks()

    async def consume(stream: Any, on_item: Any) -> None:
        async with stream as items:
            async for item in items:
                on_item(item)
                if chunks > 1:
                    await trio.sleep_forever()

    got, caught = await cancel_consumer_from_outside(probe, app, consume)
    assert caught
    assert got == [0]
    assert probe.parked_cancelled.is_set() and probe.thread_done.is_set()
    await check_everything_ended(probe, app, before)


# -- the bare form: the iterator, once dropped, cancels its producer ----------


async def test_bare_consumer_breaks() -> None:
    probe = Probe(FLOOD)
    app = probe.graph()
    before = live_tasks()
    async for item in probe.stream(app):
        assert item == 0
        await probe.writer_blocked()
        break
    await check_everything_ended(probe, app, before)


async def test_bare_consumer_raises() -> None:
    probe = Probe(FLOOD)
    app = probe.graph()
    before = live_tasks()
    with pytest.raises(ConsumerError) as caught:
        async for _ in probe.stream(app):
            await probe.writer_blocked()
            raise ConsumerError("mine")
    assert type(caught.value) is ConsumerError
    assert getattr(caught.value, "__notes__", []) == []
    await check_everything_ended(probe, app, before)


@pytest.mark.parametrize("chunks", [FLOOD, 1], ids=["cancelled-in-body", "cancelled-waiting-for-next"])
async def test_bare_consumer_cancelled_from_outside(chunks: int) -> None:
    probe = Probe(chunks)
    app = probe.graph()
    before = live_tasks()

    async def consume(stream: Any, on_item: Any) -> None:
        async for item in stream:
            on_item(item)
            if chunks > 1:
                await trio.sleep_forever()

    got, caught = await cancel_consumer_from_outside(probe, app, consume)
    assert caught
    assert got == [0]
    await check_everything_ended(probe, app, before)


async def test_bare_iterator_never_closed_is_cancelled_when_dropped() -> None:
    probe = Probe(FLOOD)
    app = probe.graph()
    before = live_tasks()
    iterator = probe.stream(app)
    assert await iterator.__anext__() == 0
    await probe.writer_blocked()
    assert not probe.parked_cancelled.is_set()  # nothing ended it yet
    del iterator  # never closed, just forgotten
    await check_everything_ended(probe, app, before)


async def test_bare_aclose_cancels_and_waits() -> None:
    probe = Probe(FLOOD)
    app = probe.graph()
    before = live_tasks()
    iterator = probe.stream(app)
    assert await iterator.__anext__() == 0
    await probe.writer_blocked()
    await iterator.aclose()
    assert probe.parked_cancelled.is_set()
    with pytest.raises(StopAsyncIteration):
        await iterator.__anext__()
    await check_everything_ended(probe, app, before)


async def test_cancelling_a_consumer_of_a_finished_stream_is_harmless() -> None:
    app = Probe(1).graph()
    with trio.CancelScope() as scope:
        async with app.astream({"x": 1}) as stream:
            items = [item async for item in stream]
            scope.cancel()
            await trio.lowlevel.checkpoint()
    assert scope.cancelled_caught
    assert sorted(next(iter(i)) for i in items) == ["flood", "parked"]
