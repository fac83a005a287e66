"""``astream_events`` is as safe to leave as ``astream``, and its mailbox is bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import trio
import trio.testing

from runtime import RunnableLambda, RunnableParallel
from runtime.messages import AIMessageChunk, BaseMessage
from runtime.models import BaseChatModel
from runtime.tracing import EVENT_BUFFER


def live_tasks() -> set[trio.lowlevel.Task]:
    tasks: set[trio.lowlevel.Task] = set()

    def walk(task: trio.lowlevel.Task) -> None:
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                tasks.add(child)
                walk(child)

    walk(trio.lowlevel.current_root_task())
    return tasks


class Endless(BaseChatModel):
    """Streams tokens forever; records when its stream is torn down."""

    def __init__(self) -> None:
        super().__init__()
        self.produced = 0
        self.closed = trio.Event()

    async def _astream(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
        try:
            while True:
                self.produced += 1
                yield AIMessageChunk("tok")
                if self.produced % 64 == 0:
                    await trio.lowlevel.checkpoint()
        finally:
            self.closed.set()


async def settle(before: set[trio.lowlevel.Task]) -> None:
    await trio.testing.wait_all_tasks_blocked()
    leaked = live_tasks() - before
    assert not leaked, f"tasks outlived the stream: {sorted(t.name for t in leaked)}"


async def test_breaking_out_of_bare_iteration_cancels_the_run() -> None:
    before = live_tasks()
    model = Endless()
    stream = model.astream_events("go")
    async for event in stream:
        if event["event"] == "on_chat_model_stream":
            break
    await stream.aclose()
    assert model.closed.is_set()
    await settle(before)


async def test_leaving_the_async_with_block_cancels_the_run() -> None:
    before = live_tasks()
    model = Endless()
    async with model.astream_events("go") as events:
        async for event in events:
            if event["event"] == "on_chat_model_stream":
                break
    assert model.closed.is_set()
    await settle(before)


class ConsumerError(Exception):
    pass


async def test_a_consumer_error_comes_out_as_itself() -> None:
    before = live_tasks()
    model = Endless()
    with pytest.raises(ConsumerError):
        async with model.astream_events("go") as events:
            async for _ in events:
                raise ConsumerError()
    assert model.closed.is_set()
    await settle(before)


async def test_cancelling_the_consumer_leaks_no_cancelled_and_no_task() -> None:
    before = live_tasks()
    model = Endless()
    with trio.CancelScope() as scope:
        async with model.astream_events("go") as events:
            async for event in events:
                if event["event"] == "on_chat_model_stream":
                    scope.cancel()
    assert scope.cancelled_caught
    assert model.closed.is_set()
    await settle(before)


async def test_a_slow_consumer_holds_the_run_back() -> None:
    model = Endless()
    stream = model.astream_events("go")
    async with stream as events:
        await events.__anext__()
        await trio.testing.wait_all_tasks_blocked()
        buffered = len(stream._mailbox)
        assert buffered <= EVENT_BUFFER
        # What the consumer took in its first batch, plus one full mailbox.
        assert model.produced <= 2 * EVENT_BUFFER + 64
        for _ in range(3 * EVENT_BUFFER):
            await events.__anext__()
        await trio.testing.wait_all_tasks_blocked()
        assert stream._mailbox.high_water <= EVENT_BUFFER + 1


async def test_leaving_a_streaming_parallel_cancels_its_branches() -> None:
    before = live_tasks()
    left, right = Endless(), Endless()
    parallel = RunnableParallel(left=left, right=right)
    async with parallel.astream_events("go") as events:
        seen: set[str] = set()
        async for event in events:
            if event["event"] == "on_chain_stream" and event["name"].startswith("RunnableParallel"):
                seen.update(event["data"]["chunk"])
                if seen == {"left", "right"}:
                    break
    assert left.closed.is_set() and right.closed.is_set()
    await settle(before)


async def test_events_and_results_agree_for_lambdas_that_finish() -> None:
    chain = RunnableLambda(lambda x: x + 1) | RunnableLambda(lambda x: x * 2)
    events = [e async for e in chain.astream_events(1)]
    assert events[-1]["data"]["output"] == 4
