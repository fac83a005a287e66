"""Mailbox: FIFO order, back-pressure, fairness, batch draining, threads, close."""

from __future__ import annotations

from typing import Any

import pytest
import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from actors import Mailbox, MailboxClosed


def parked_producers(mailbox: Mailbox[Any]) -> int:
    """How many producers are parked in ``put`` (white-box: the mailbox has no statistics())."""
    return mailbox._not_full.statistics().tasks_waiting


def parked_consumers(mailbox: Mailbox[Any]) -> int:
    return mailbox._not_empty.statistics().tasks_waiting


async def put_and_record(mailbox: Mailbox[Any], item: Any, log: list[Any]) -> None:
    await mailbox.put(item)
    log.append(item)


# -- construction and FIFO -----------------------------------------------------------


@pytest.mark.parametrize("capacity", [0, -1, -1024])
def test_capacity_must_be_positive(capacity: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Mailbox(capacity)


def test_default_capacity_and_empty_state() -> None:
    mailbox: Mailbox[int] = Mailbox()
    assert mailbox.capacity == 1024
    assert len(mailbox) == 0
    assert mailbox.high_water == 0
    assert not mailbox.closed
    assert mailbox.get_nowait() == []


async def test_fifo_order_across_put_paths_and_batches() -> None:
    mailbox: Mailbox[int] = Mailbox(8)
    assert mailbox.put_nowait(0)
    await mailbox.put(1)
    mailbox.put_past_bound(2)
    assert mailbox.put_nowait(3)
    assert len(mailbox) == 4
    assert await mailbox.get_batch() == [0, 1, 2, 3]
    assert len(mailbox) == 0
    for i in range(4, 9):
        await mailbox.put(i)
    assert mailbox.get_nowait() == [4, 5, 6, 7, 8]
    assert mailbox.get_nowait() == []


async def test_fifo_order_with_capacity_one_and_a_blocked_producer() -> None:
    mailbox: Mailbox[int] = Mailbox(1)
    got: list[int] = []

    async def producer() -> None:
        for i in range(20):
            await mailbox.put(i)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(producer)
        while len(got) < 20:
            got.extend(await mailbox.get_batch())
    assert got == list(range(20))
    assert mailbox.high_water == 1


# -- put_nowait -----------------------------------------------------------------------


def test_put_nowait_refuses_when_full() -> None:
    mailbox: Mailbox[str] = Mailbox(2)
    assert mailbox.put_nowait("a") is True
    assert mailbox.put_nowait("b") is True
    assert mailbox.put_nowait("c") is False
    assert len(mailbox) == 2
    assert mailbox.get_nowait() == ["a", "b"]
    assert mailbox.put_nowait("c") is True
    assert mailbox.get_nowait() == ["c"]


async def test_put_nowait_refuses_while_producers_wait_even_with_room() -> None:
    mailbox: Mailbox[str] = Mailbox(2)
    mailbox.put_nowait("x1")
    mailbox.put_nowait("x2")
    order: list[str] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(put_and_record, mailbox, "a", order)
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(put_and_record, mailbox, "b", order)
        await trio.testing.wait_all_tasks_blocked()
        assert parked_producers(mailbox) == 2

        assert mailbox.get_nowait() == ["x1", "x2"]
        # There is room now, but "a" and "b" were first: a synchronous put must not overtake them.
        assert len(mailbox) < mailbox.capacity
        assert mailbox.put_nowait("late") is False
        await trio.testing.wait_all_tasks_blocked()

    assert order == ["a", "b"]
    assert mailbox.get_nowait() == ["a", "b"]
    assert mailbox.put_nowait("late") is True


async def test_woken_producer_is_not_overtaken_by_put_nowait() -> None:
    # The consumer drains and wakes the one parked producer; before that producer
    # has run, a synchronous writer tries to put. The woken producer was first.
    mailbox: Mailbox[str] = Mailbox(1)
    mailbox.put_nowait("x")
    order: list[str] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(put_and_record, mailbox, "waiting", order)
        await trio.testing.wait_all_tasks_blocked()
        assert parked_producers(mailbox) == 1

        assert mailbox.get_nowait() == ["x"]
        assert mailbox.put_nowait("sync") is False
    assert order == ["waiting"]
    assert mailbox.get_nowait() == ["waiting"]


async def test_woken_producer_is_not_overtaken_by_a_fresh_put() -> None:
    mailbox: Mailbox[str] = Mailbox(1)
    mailbox.put_nowait("x")
    order: list[str] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(put_and_record, mailbox, "first", order)
        await trio.testing.wait_all_tasks_blocked()
        assert mailbox.get_nowait() == ["x"]
        # "first" is woken but has not run yet. A fresh put from this task must queue
        # behind it: it has to wait, so the already-cancelled scope stops it.
        with trio.CancelScope() as scope:
            scope.cancel()
            await mailbox.put("fresh")
        assert scope.cancelled_caught
    assert order == ["first"]
    assert mailbox.get_nowait() == ["first"]


# -- put ------------------------------------------------------------------------------


async def test_put_with_room_is_not_a_checkpoint() -> None:
    # Documented: producers pay for waiting only when the consumer falls behind.
    mailbox: Mailbox[int] = Mailbox(3)
    with trio.testing.assert_no_checkpoints():
        for i in range(3):
            await mailbox.put(i)
    assert mailbox.get_nowait() == [0, 1, 2]


async def test_put_waits_exactly_while_full_and_resumes_after_get_batch() -> None:
    mailbox: Mailbox[int] = Mailbox(2)
    await mailbox.put(0)
    await mailbox.put(1)
    done = trio.Event()

    async def producer() -> None:
        await mailbox.put(2)
        done.set()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(producer)
        await trio.testing.wait_all_tasks_blocked()
        assert not done.is_set()
        assert len(mailbox) == 2
        assert parked_producers(mailbox) == 1

        assert await mailbox.get_batch() == [0, 1]
        await done.wait()
    assert mailbox.get_nowait() == [2]
    assert mailbox.high_water == 2


async def test_get_batch_wakes_waiting_producers_in_fifo_order() -> None:
    mailbox: Mailbox[str] = Mailbox(2)
    mailbox.put_nowait("x1")
    mailbox.put_nowait("x2")
    order: list[str] = []
    async with trio.open_nursery() as nursery:
        for name in "abcde":
            nursery.start_soon(put_and_record, mailbox, name, order)
            await trio.testing.wait_all_tasks_blocked()
        assert parked_producers(mailbox) == 5
        got: list[str] = []
        while len(got) < 7:
            got.extend(await mailbox.get_batch())
            await trio.testing.wait_all_tasks_blocked()
            assert len(mailbox) <= mailbox.capacity
    assert got == ["x1", "x2", "a", "b", "c", "d", "e"]
    assert order == ["a", "b", "c", "d", "e"]
    assert mailbox.high_water == 2


async def test_cancelled_waiting_producer_puts_nothing_and_does_not_block_others() -> None:
    mailbox: Mailbox[str] = Mailbox(1)
    mailbox.put_nowait("x")
    order: list[str] = []
    cancelled = False

    async def doomed() -> None:
        nonlocal cancelled
        try:
            await mailbox.put("doomed")
        except trio.Cancelled:
            cancelled = True
            raise

    doomed_scope = trio.CancelScope()

    async def run_doomed() -> None:
        with doomed_scope:
            await doomed()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(run_doomed)
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(put_and_record, mailbox, "survivor", order)
        await trio.testing.wait_all_tasks_blocked()
        assert parked_producers(mailbox) == 2

        doomed_scope.cancel()
        await trio.testing.wait_all_tasks_blocked()
        assert cancelled
        assert parked_producers(mailbox) == 1

        assert mailbox.get_nowait() == ["x"]
    assert order == ["survivor"]
    assert mailbox.get_nowait() == ["survivor"]


# -- get_batch / get_nowait -----------------------------------------------------------


async def test_get_batch_returns_everything_buffered() -> None:
    mailbox: Mailbox[int] = Mailbox(16)
    for i in range(10):
        mailbox.put_nowait(i)
    assert await mailbox.get_batch() == list(range(10))
    assert len(mailbox) == 0


async def test_get_batch_waits_while_empty_then_takes_all_that_arrived() -> None:
    mailbox: Mailbox[int] = Mailbox(16)
    batches: list[list[int]] = []

    async def consumer() -> None:
        batches.append(await mailbox.get_batch())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(consumer)
        await trio.testing.wait_all_tasks_blocked()
        assert batches == []
        assert parked_consumers(mailbox) == 1
        # Three synchronous puts before the consumer gets to run: one batch.
        for i in range(3):
            assert mailbox.put_nowait(i)
    assert batches == [[0, 1, 2]]


async def test_get_batch_is_cancellable_while_empty() -> None:
    mailbox: Mailbox[int] = Mailbox(4)
    with trio.move_on_after(1) as scope:
        scope.cancel()
        await mailbox.get_batch()
    assert scope.cancelled_caught
    assert parked_consumers(mailbox) == 0
    mailbox.put_nowait(1)
    assert await mailbox.get_batch() == [1]


async def test_get_nowait_wakes_a_waiting_producer() -> None:
    mailbox: Mailbox[int] = Mailbox(1)
    mailbox.put_nowait(0)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(mailbox.put, 1)
        await trio.testing.wait_all_tasks_blocked()
        assert mailbox.get_nowait() == [0]
    assert mailbox.get_nowait() == [1]


# -- high water under concurrency (property) -----------------------------------------


@settings(deadline=None, max_examples=150)
@given(
    capacity=st.integers(1, 8),
    counts=st.lists(st.integers(0, 25), min_size=1, max_size=6),
    sync_first=st.lists(st.booleans(), min_size=6, max_size=6),
)
async def test_awaiting_producers_never_exceed_capacity(
    capacity: int, counts: list[int], sync_first: list[bool]
) -> None:
    mailbox: Mailbox[tuple[int, int]] = Mailbox(capacity)
    total = sum(counts)

    async def producer(who: int, count: int) -> None:
        for seq in range(count):
            # Half the producers use the stream-writer pattern: try synchronously, wait if refused.
            if sync_first[who] and mailbox.put_nowait((who, seq)):
                continue
            await mailbox.put((who, seq))

    received: list[tuple[int, int]] = []
    async with trio.open_nursery() as nursery:
        for who, count in enumerate(counts):
            nursery.start_soon(producer, who, count)
        while len(received) < total:
            # A slow consumer: let every producer run until it is blocked or finished.
            await trio.testing.wait_all_tasks_blocked()
            assert len(mailbox) <= capacity
            batch = await mailbox.get_batch()
            assert 1 <= len(batch) <= capacity
            received.extend(batch)

    assert mailbox.high_water <= capacity
    assert mailbox.high_water == min(capacity, total)
    assert len(received) == total
    for who, count in enumerate(counts):
        assert [seq for w, seq in received if w == who] == list(range(count))


# -- put_past_bound ------------------------------------------------------------------------


async def test_force_put_goes_past_capacity_and_holds_back_put() -> None:
    mailbox: Mailbox[int] = Mailbox(2)
    mailbox.put_nowait(0)
    mailbox.put_nowait(1)
    mailbox.put_past_bound(2)
    mailbox.put_past_bound(3)
    assert len(mailbox) == 4
    assert mailbox.high_water == 4
    assert mailbox.put_nowait(99) is False

    done = trio.Event()

    async def producer() -> None:
        await mailbox.put(4)
        done.set()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(producer)
        await trio.testing.wait_all_tasks_blocked()
        assert not done.is_set()
        assert await mailbox.get_batch() == [0, 1, 2, 3]
        await done.wait()
    assert mailbox.get_nowait() == [4]
    assert mailbox.high_water == 4


async def test_force_put_wakes_a_waiting_consumer() -> None:
    mailbox: Mailbox[str] = Mailbox(1)
    got: list[list[str]] = []

    async def consumer() -> None:
        got.append(await mailbox.get_batch())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(consumer)
        await trio.testing.wait_all_tasks_blocked()
        mailbox.put_past_bound("a")
        mailbox.put_past_bound("b")
    assert got == [["a", "b"]]


# -- put_from_thread ------------------------------------------------------------------


async def wait_for_parked_producer(mailbox: Mailbox[Any]) -> None:
    # The worker thread re-enters trio on its own schedule; there is no event to wait
    # on, so poll the parking lot at every checkpoint until the thread's put is parked.
    while parked_producers(mailbox) == 0:
        await trio.lowlevel.checkpoint()


async def test_put_from_thread_blocks_while_full_and_unblocks_when_drained() -> None:
    mailbox: Mailbox[int] = Mailbox(2)
    returned: list[int] = []

    def worker() -> None:
        for i in range(5):
            mailbox.put_from_thread(i)
            returned.append(i)

    got: list[int] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(trio.to_thread.run_sync, worker)
        await wait_for_parked_producer(mailbox)
        assert len(mailbox) == 2
        assert returned == [0, 1]  # the thread is stuck inside put_from_thread(2)

        got.extend(await mailbox.get_batch())
        while len(got) < 5:
            got.extend(await mailbox.get_batch())
    assert got == [0, 1, 2, 3, 4]
    assert returned == [0, 1, 2, 3, 4]
    assert mailbox.high_water == 2


async def test_put_from_thread_with_room_wakes_a_parked_consumer() -> None:
    mailbox: Mailbox[int] = Mailbox(64)
    got: list[int] = []

    async def consumer() -> None:
        while len(got) < 20:
            got.extend(await mailbox.get_batch())

    def worker() -> None:
        for i in range(20):
            mailbox.put_from_thread(i)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(consumer)
        await trio.testing.wait_all_tasks_blocked()
        assert parked_consumers(mailbox) == 1
        await trio.to_thread.run_sync(worker)
    assert got == list(range(20))


async def test_put_from_thread_and_loop_producers_each_keep_their_order() -> None:
    mailbox: Mailbox[tuple[str, int]] = Mailbox(3)
    got: list[tuple[str, int]] = []

    def worker() -> None:
        for i in range(30):
            mailbox.put_from_thread(("thread", i))

    async def loop_producer() -> None:
        for i in range(30):
            await mailbox.put(("loop", i))
            await trio.lowlevel.checkpoint()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(trio.to_thread.run_sync, worker)
        nursery.start_soon(loop_producer)
        while len(got) < 60:
            got.extend(await mailbox.get_batch())
    for source in ("thread", "loop"):
        assert [i for s, i in got if s == source] == list(range(30))


async def test_put_from_thread_cancelled_while_blocked() -> None:
    mailbox: Mailbox[str] = Mailbox(1)
    mailbox.put_nowait("x")
    seen_in_thread: list[BaseException] = []

    def worker() -> None:
        try:
            mailbox.put_from_thread("from thread")
        except BaseException as error:
            seen_in_thread.append(error)
            raise

    with trio.CancelScope() as scope:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.to_thread.run_sync, worker)
            await wait_for_parked_producer(mailbox)
            scope.cancel()
    assert scope.cancelled_caught
    assert len(seen_in_thread) == 1
    assert isinstance(seen_in_thread[0], trio.Cancelled)
    assert parked_producers(mailbox) == 0
    assert mailbox.get_nowait() == ["x"]
    assert mailbox.put_nowait("after") is True


async def test_put_from_thread_into_closed_mailbox_raises_in_the_thread() -> None:
    mailbox: Mailbox[int] = Mailbox(1)
    mailbox.close()
    with pytest.raises(MailboxClosed):
        await trio.to_thread.run_sync(mailbox.put_from_thread, 1)


async def test_put_from_thread_blocked_then_closed_raises_in_the_thread() -> None:
    mailbox: Mailbox[int] = Mailbox(1)
    mailbox.put_nowait(0)
    async with trio.open_nursery() as nursery:

        async def run_worker() -> None:
            with pytest.raises(MailboxClosed):
                await trio.to_thread.run_sync(mailbox.put_from_thread, 1)

        nursery.start_soon(run_worker)
        await wait_for_parked_producer(mailbox)
        mailbox.close()
    assert mailbox.get_nowait() == [0]


# -- close ----------------------------------------------------------------------------


async def test_close_wakes_waiting_consumer_with_mailbox_closed() -> None:
    mailbox: Mailbox[int] = Mailbox(1)
    outcome: list[BaseException] = []

    async def consumer() -> None:
        try:
            await mailbox.get_batch()
        except MailboxClosed as error:
            outcome.append(error)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(consumer)
        await trio.testing.wait_all_tasks_blocked()
        assert outcome == []
        mailbox.close()
    assert len(outcome) == 1
    assert mailbox.closed


async def test_close_wakes_waiting_producers_and_keeps_buffered_items() -> None:
    mailbox: Mailbox[int] = Mailbox(2)
    mailbox.put_nowait(0)
    mailbox.put_nowait(1)
    failures: list[int] = []

    async def producer(item: int) -> None:
        with pytest.raises(MailboxClosed):
            await mailbox.put(item)
        failures.append(item)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(producer, 2)
        nursery.start_soon(producer, 3)
        await trio.testing.wait_all_tasks_blocked()
        assert parked_producers(mailbox) == 2
        mailbox.close()
    assert sorted(failures) == [2, 3]
    # Buffered items survive the close, then the mailbox reports it is closed.
    assert await mailbox.get_batch() == [0, 1]
    with pytest.raises(MailboxClosed):
        await mailbox.get_batch()
    assert mailbox.get_nowait() == []


async def test_close_wakes_a_producer_even_after_the_consumer_made_room() -> None:
    mailbox: Mailbox[int] = Mailbox(1)
    mailbox.put_nowait(0)

    async def producer() -> None:
        with pytest.raises(MailboxClosed):
            await mailbox.put(1)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(producer)
        await trio.testing.wait_all_tasks_blocked()
        assert mailbox.get_nowait() == [0]
        mailbox.close()
    assert mailbox.get_nowait() == []


async def test_everything_refuses_after_close() -> None:
    mailbox: Mailbox[int] = Mailbox(4)
    mailbox.put_nowait(1)
    mailbox.close()
    mailbox.close()  # idempotent
    with pytest.raises(MailboxClosed):
        mailbox.put_nowait(2)
    with pytest.raises(MailboxClosed):
        mailbox.put_past_bound(2)
    with pytest.raises(MailboxClosed):
        await mailbox.put(2)
    assert len(mailbox) == 1
    assert await mailbox.get_batch() == [1]
    with pytest.raises(MailboxClosed):
        await mailbox.get_batch()


# -- edges ----------------------------------------------------------------------------


def test_mailbox_closed_is_an_ordinary_exception() -> None:
    # So that `except Exception` in a producer sees it, and retry policies may name it.
    assert issubclass(MailboxClosed, Exception)
    assert not issubclass(MailboxClosed, trio.Cancelled)


def test_a_mailbox_made_outside_a_run_still_takes_items_from_threads() -> None:
    # No trio token at construction: put_from_thread takes the round trip to the
    # loop for every item instead of appending directly.
    mailbox: Mailbox[int] = Mailbox(2)

    def worker() -> None:
        for i in range(5):
            mailbox.put_from_thread(i)

    async def main() -> list[int]:
        got: list[int] = []
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.to_thread.run_sync, worker)
            while len(got) < 5:
                got.extend(await mailbox.get_batch())
        return got

    assert trio.run(main) == [0, 1, 2, 3, 4]
    assert mailbox.high_water <= 2


async def test_high_water_keeps_the_peak_across_batches() -> None:
    mailbox: Mailbox[int] = Mailbox(8)
    for i in range(5):
        mailbox.put_nowait(i)
    assert await mailbox.get_batch() == [0, 1, 2, 3, 4]
    mailbox.put_nowait(5)
    assert mailbox.get_nowait() == [5]
    assert mailbox.high_water == 5
    for i in range(3):
        mailbox.put_past_bound(i)
    assert mailbox.high_water == 5


async def test_a_batch_is_a_fresh_list_the_consumer_may_keep() -> None:
    mailbox: Mailbox[int] = Mailbox(4)
    mailbox.put_nowait(1)
    first = await mailbox.get_batch()
    mailbox.put_nowait(2)
    second = await mailbox.get_batch()
    assert (first, second) == ([1], [2])
    assert first is not second


async def test_put_nowait_succeeds_again_once_a_waiting_producer_has_gone_in() -> None:
    mailbox: Mailbox[int] = Mailbox(2)
    mailbox.put_nowait(0)
    mailbox.put_nowait(1)
    log: list[int] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(put_and_record, mailbox, 2, log)
        await trio.testing.wait_all_tasks_blocked()
        assert mailbox.get_nowait() == [0, 1]
        assert mailbox.put_nowait(9) is False  # the woken producer is still first in line
        await trio.testing.wait_all_tasks_blocked()
    assert log == [2]
    assert mailbox.put_nowait(3) is True
    assert mailbox.get_nowait() == [2, 3]
