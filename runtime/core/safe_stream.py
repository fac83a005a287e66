"""Streams that are safe to leave (PEP 789), in both the forms users write.

A producer runs as its own task and puts items into a bounded mailbox; the
consumer takes them out in batches. Where that task lives depends on the form:

* ``async with runnable.astream(...) as stream: async for item in stream`` — the
  task lives in a nursery owned by the ``async with`` block: fully structured.
  Leaving the block (normally, by ``break``, by an error or by cancellation)
  cancels the producer and waits for it.
* bare ``async for item in runnable.astream(...)`` (LangGraph's form) — an async
  generator must not hold a nursery open across ``yield``, so the producer runs
  as a trio *system task* in the caller's copied context, owned by the iterator
  object: ``aclose()``, or dropping the iterator (``break``, an error, a
  cancellation in the consumer all drop it), cancels it. trio cancels system
  tasks when ``trio.run`` ends, so nothing outlives the run either way.

The producer never lets an error escape into a nursery: it is caught and
delivered to the consumer at its next ``__anext__``, so errors and ``Cancelled``
surface in the consumer's own frame and nowhere else.

Consumed from asyncio, the stream runs in the loop's guest trio run in the bare
form, and the consumer iterates a :class:`~runtime.hosting.HostedStream` that
takes one batch at a time across; leaving the ``async with`` block closes it.
"""

from __future__ import annotations

import contextvars
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, final

import trio

from actors import Mailbox, raise_unwrapped

from ..hosting import HostedStream, close_from_host, in_trio

__all__ = ["SafeStream"]

T = TypeVar("T")

_END = object()
_CHECK_EVERY = 64


@final
class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


@final
class SafeStream(Generic[T]):
    """The object ``astream()`` returns: an async context manager and an async iterator.

    Args:
        produce: an async function that puts raw items into ``mailbox``.
        mailbox: the bounded buffer between producer and consumer.
        transform: applied to each raw item on the consumer side; returning
            ``SKIP`` drops the item.
    """

    SKIP: Any = object()

    _nursery_cm: AbstractAsyncContextManager[trio.Nursery]  # set by __aenter__

    def __init__(
        self,
        produce: Callable[[], Awaitable[None]],
        mailbox: Mailbox[Any],
        transform: Callable[[Any], T] | None = None,
    ) -> None:
        self._produce = produce
        self._mailbox = mailbox
        self._transform = transform
        self._buffer: deque[Any] = deque()
        self._nursery: trio.Nursery | None = None
        self._scope: trio.CancelScope | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._done: trio.Event | None = None
        self._started = False
        self._finished = False
        self._countdown = _CHECK_EVERY
        self._hosted: HostedStream[T] | None = None  # set when iterated by anext() from asyncio
        self._host_buffer: deque[T] = deque()  # items taken across to asyncio, not yet consumed

    # -- the structured form -------------------------------------------------
    async def __aenter__(self) -> Self:
        if self._started:
            raise RuntimeError("enter the stream with 'async with' before iterating it")
        if not in_trio():
            return self  # from asyncio: iterated through a HostedStream, closed by __aexit__
        self._nursery_cm = trio.open_nursery()
        self._nursery = await self._nursery_cm.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        if self._nursery is None:  # entered from asyncio
            await self.aclose()
            return None
        self._cancel()
        try:
            return await self._nursery_cm.__aexit__(exc_type, exc, tb)
        except BaseExceptionGroup as group:
            # The producer never raises into the nursery, so the group holds the
            # consumer's own error (beside Cancelled): give it back as itself,
            # keeping its cause and context, and a group the user raised intact.
            raise_unwrapped(group, exc)
        finally:
            self._nursery = None

    # -- iteration -----------------------------------------------------------
    def __aiter__(self) -> Self:
        if in_trio():
            return self
        # From asyncio: the consumer takes batches across from the guest trio run.
        # (Not kept on self: dropping the hosted iterator must drop this stream,
        # which is what cancels a bare-form producer.)
        return HostedStream(self.next_batch, self.aclose, self._host_buffer)  # type: ignore[return-value]  # the same items

    def _start(self) -> None:
        self._started = True
        self._scope = trio.CancelScope()
        self._done = trio.Event()
        # The producer task must not reference this object: in the bare form,
        # dropping the last reference to it is what cancels the producer.
        args = (self._produce, self._mailbox, self._scope, self._done)
        if self._nursery is not None:
            self._nursery.start_soon(_run, *args)
        else:
            self._token = trio.lowlevel.current_trio_token()
            trio.lowlevel.spawn_system_task(_run, *args, context=contextvars.copy_context())

    async def __anext__(self) -> T:
        if not self._started:
            if not in_trio():
                return await self._hosted_anext()
            self._start()
        elif self._hosted is not None and not in_trio():
            return await self._hosted.__anext__()
        buffer = self._buffer
        transform = self._transform
        skip = self.SKIP
        item: T | _Failed  # or _END; raw items are T unless there is a transform
        while True:
            if self._finished:
                raise StopAsyncIteration
            if buffer:
                # Stay cancellable while draining a large batch, without paying
                # for a cancellation check on every item.
                self._countdown -= 1
                if not self._countdown:
                    self._countdown = _CHECK_EVERY
                    await trio.lowlevel.checkpoint_if_cancelled()
            else:
                buffer.extend(await self._mailbox.get_batch())
            item = buffer.popleft()
            if item is _END:
                self._finished = True
                raise StopAsyncIteration
            if type(item) is _Failed:
                self._finished = True
                raise item.error
            if transform is not None:
                item = transform(item)
                if item is skip:
                    continue
            return item

    async def _hosted_anext(self) -> T:
        # ``__anext__`` called from asyncio without ``__aiter__`` (``anext(stream)``).
        # The hosted side holds this stream weakly, so dropping it still cancels.
        if self._hosted is None:
            this = weakref.ref(self)

            async def next_batch() -> list[T]:
                stream = this()
                if stream is None:
                    raise StopAsyncIteration
                return await stream.next_batch()

            async def aclose() -> None:
                stream = this()
                if stream is not None:
                    await stream.aclose()

            self._hosted = HostedStream(next_batch, aclose, self._host_buffer)
        return await self._hosted.__anext__()

    async def next_batch(self) -> list[T]:
        """Every item available now (at least one), for bridges that hop threads per batch.

        Raises:
            StopAsyncIteration: the stream is over.
        """
        first = await self.__anext__()
        return [first, *self.drain_ready()]

    def drain_ready(self) -> list[T]:
        """The items that can be had without waiting (possibly none); stops before the end marker."""
        buffer = self._buffer
        if not buffer:
            buffer.extend(self._mailbox.get_nowait())
        transform, skip = self._transform, self.SKIP
        items: list[T] = []
        while buffer and buffer[0] is not _END and type(buffer[0]) is not _Failed:
            item = buffer.popleft()
            if transform is not None:
                item = transform(item)
                if item is skip:
                    continue
            items.append(item)
        return items

    # -- leaving -------------------------------------------------------------
    def _cancel(self) -> None:
        self._finished = True
        if self._scope is not None:
            self._scope.cancel()

    async def aclose(self) -> None:
        """Stop the producer and wait until it has finished."""
        if not in_trio():
            await close_from_host(self.aclose)
            return
        self._cancel()
        if self._done is not None and self._nursery is None:
            await self._done.wait()

    def __del__(self) -> None:
        # The bare form's producer belongs to this object: dropping it cancels it.
        if self._token is not None and self._done is not None and not self._done.is_set():
            try:
                self._token.run_sync_soon(_cancel_from_anywhere, self._scope)
            except trio.RunFinishedError:
                pass


async def _run(
    produce: Callable[[], Awaitable[None]], mailbox: Mailbox[Any], scope: trio.CancelScope, done: trio.Event
) -> None:
    try:
        with scope:
            try:
                await produce()
            except trio.Cancelled:
                raise
            except BaseException as error:  # delivered to the consumer, never to a nursery
                mailbox.put_past_bound(_Failed(error))
            else:
                mailbox.put_past_bound(_END)
    finally:
        done.set()


def _cancel_from_anywhere(scope: trio.CancelScope | None) -> None:
    if scope is not None:
        scope.cancel()
