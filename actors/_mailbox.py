"""A bounded, batch-draining mailbox: the channel every actor talks over.

Why not a bare ``trio.open_memory_channel``: every awaited ``send``/``receive`` is a
scheduling checkpoint (~5 µs each on our machines) even when the buffer has room,
while the synchronous paths cost a fraction of a microsecond. A mailbox therefore

* accepts items synchronously while it holds fewer than ``capacity`` items
  (``put_nowait``), and makes an async producer wait only when it is full
  (``put``) — that wait *is* the back-pressure;
* lets a worker thread put items too (``put_from_thread``), blocking the thread,
  not the loop, when full. While there is room the thread appends directly and
  only schedules a wake-up of the consumer (at most one pending at a time), so a
  thread writing a burst does not pay a round trip to the loop per item; the
  consumer therefore takes items one by one (``popleft``), never ``clear()``-ing
  an item a thread appended after the copy;
* hands the consumer everything buffered at once (``get_batch``), waiting only
  when it is empty.

Producers are served first come, first served. A producer woken because the
consumer made room has not run yet when the waker returns, so ``_waking`` counts
such producers and the synchronous paths treat them as still waiting: nobody
overtakes a producer that was there first.

``put_past_bound`` exists for one case only: a synchronous caller on the event-loop
thread that cannot wait (a stream writer called from an async node between two
awaits). It may take the mailbox past its capacity; the excess is bounded by what
one task writes between two of its own checkpoints, and ``put`` (the awaiting
path) will not add more until the consumer has drained below capacity.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar, final

import attrs
import trio

from ._exceptions import MailboxClosed

__all__ = ["Mailbox"]

T = TypeVar("T")


@final
@attrs.define(eq=False)
class Mailbox(Generic[T]):
    """A bounded FIFO between any number of producers and one consumer.

    Args:
        capacity: how many items may wait before producers are held back. Must be
            at least 1; a small power of two (the default, 1024) keeps the
            consumer's batches large without holding much memory.
    """

    capacity: int = 1024
    _items: deque[T] = attrs.field(factory=deque, init=False)
    _not_empty: trio.lowlevel.ParkingLot = attrs.field(factory=trio.lowlevel.ParkingLot, init=False)
    # Whether a consumer may be parked in _not_empty: a plain attribute is far
    # cheaper to test per item than ParkingLot.__bool__. Whoever wakes the lot
    # clears it, so a producer writing a burst wakes the consumer once.
    _consumers_waiting: bool = attrs.field(default=False, init=False)
    _not_full: trio.lowlevel.ParkingLot = attrs.field(factory=trio.lowlevel.ParkingLot, init=False)
    _waking: int = attrs.field(default=0, init=False)
    _closed: bool = attrs.field(default=False, init=False)
    _token: trio.lowlevel.TrioToken | None = attrs.field(factory=lambda: _current_token(), init=False)
    _wake_pending: bool = attrs.field(default=False, init=False)
    high_water: int = attrs.field(default=0, init=False)
    """The most items that were ever buffered at once (for tests and tuning)."""

    def __attrs_post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError(f"Mailbox capacity must be at least 1, got {self.capacity}")

    def __len__(self) -> int:
        return len(self._items)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (buffered items may still be waiting)."""
        return self._closed

    def _append(self, item: T) -> None:
        items = self._items
        items.append(item)
        if len(items) > self.high_water:
            self.high_water = len(items)
        if self._consumers_waiting:
            self._consumers_waiting = False
            self._not_empty.unpark_all()

    def _must_wait(self) -> bool:
        return len(self._items) >= self.capacity or bool(self._not_full) or self._waking > 0

    def _wake_producer(self) -> None:
        if self._not_full and not self._waking:
            self._waking += len(self._not_full.unpark())

    def put_nowait(self, item: T) -> bool:
        """Put ``item`` if there is room (and nobody is already waiting); return whether it was put."""
        if self._closed:
            raise MailboxClosed("mailbox is closed")
        if self._must_wait():
            return False
        self._append(item)
        return True

    def put_past_bound(self, item: T) -> None:
        """Put ``item`` even past capacity (see the module docstring for when that is right)."""
        if self._closed:
            raise MailboxClosed("mailbox is closed")
        items = self._items  # _append inlined: this is the per-chunk path of stream writers
        items.append(item)
        if len(items) > self.high_water:
            self.high_water = len(items)
        if self._consumers_waiting:
            self._consumers_waiting = False
            self._not_empty.unpark_all()

    async def put(self, item: T) -> None:
        """Put ``item``, waiting while the mailbox is full.

        Not a checkpoint when there is room: producers that write in a tight loop
        pay the waiting cost only when the consumer falls behind.
        """
        while self._must_wait():
            if self._closed:
                raise MailboxClosed("mailbox is closed")
            # Cancellation can only interrupt a park that was not yet woken, so every
            # wake-up counted in _waking is matched by exactly one decrement here.
            await self._not_full.park()
            self._waking -= 1
            if len(self._items) < self.capacity:
                break
        if self._closed:
            raise MailboxClosed("mailbox is closed")
        self._append(item)
        # Woken producers go in FIFO order; pass the baton if there is still room.
        if len(self._items) < self.capacity:
            self._wake_producer()

    def put_from_thread(self, item: T) -> None:
        """Put ``item`` from a worker thread started by ``trio.to_thread``; blocks that thread when full.

        The room check races with the loop thread's producers, so the bound may be
        exceeded by one item per producer racing for the last slot.
        """
        if self._closed:
            raise MailboxClosed("mailbox is closed")
        token = self._token
        if token is None or self._must_wait():
            trio.from_thread.run(self.put, item)
            return
        items = self._items
        items.append(item)
        if len(items) > self.high_water:
            self.high_water = len(items)
        # Set after the append: a wake-up still pending will see this item.
        if not self._wake_pending:
            self._wake_pending = True
            token.run_sync_soon(self._wake_consumer)

    def _wake_consumer(self) -> None:
        self._wake_pending = False
        if self._not_empty:
            self._not_empty.unpark_all()

    def _take_all(self) -> list[T]:
        items = self._items
        return [items.popleft() for _ in range(len(items))]

    async def get_batch(self) -> list[T]:
        """Return every buffered item (at least one), waiting while there are none.

        Raises:
            MailboxClosed: the mailbox is empty and closed.
        """
        while not self._items:
            if self._closed:
                raise MailboxClosed("mailbox is closed")
            self._consumers_waiting = True
            await self._not_empty.park()
        batch = self._take_all()
        self._wake_producer()
        return batch

    def get_nowait(self) -> list[T]:
        """Return every buffered item, possibly none, without waiting."""
        batch = self._take_all()
        if batch:
            self._wake_producer()
        return batch

    def close(self) -> None:
        """Refuse further items and wake everyone waiting; buffered items can still be got."""
        self._closed = True
        self._not_empty.unpark_all()
        self._waking += len(self._not_full.unpark_all())


def _current_token() -> trio.lowlevel.TrioToken | None:
    try:
        return trio.lowlevel.current_trio_token()
    except RuntimeError:  # made outside a run: threads take the round-trip path
        return None
