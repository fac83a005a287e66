"""trio as a guest on a running asyncio loop.

Every asyncio loop that calls Tributary's async API gets one trio run, started with
:func:`trio.lowlevel.start_guest_run` on first use and shared by every later call:
its tasks run in the loop's thread, between the loop's own callbacks. Two bridges
cross between the two worlds, one each way:

* :meth:`AsyncioGuest.call` runs a trio function for asyncio code (an entry point
  such as ``ainvoke`` called from an asyncio task). Cancelling the asyncio task
  cancels the trio call and waits until it has finished; the call's error comes back
  as itself.
* :meth:`AsyncioGuest.run_coroutine` runs a coroutine on the asyncio loop for trio
  code (a node written for asyncio). Cancelling the trio task cancels the asyncio task
  and waits for it.

Both hops go through trio's ``run_sync_soon`` (or the loop's own ``call_soon`` from
trio's side), so each costs one wake-up of the other loop, not a thread switch of the
work itself.

The guest run lives as long as the loop: a keeper task on the loop waits for it, and
when the host cancels every task before closing (``asyncio.run`` and
``asyncio.Runner`` do), the keeper cancels the trio run and waits for it to finish,
so no trio task outlives the loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextvars import ContextVar
from typing import Any, TypeVar, final

import trio

__all__ = ["GUEST", "AsyncioGuest", "GuestRunEnded", "current_guest"]

T = TypeVar("T")

_guests: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncioGuest] = weakref.WeakKeyDictionary()
_closing: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
"""Loops shutting down: their guest run has been stopped and must not be started again."""

_SHUT_DOWN = "Tributary's trio guest run on this loop has stopped: the asyncio loop is shutting down"


class GuestRunEnded(RuntimeError):
    """A call from asyncio came after the loop's guest trio run was stopped (the loop is closing)."""

_current: ContextVar[AsyncioGuest | None] = ContextVar("tributary_asyncio_guest", default=None)
"""Set in every trio task the guest run starts for an asyncio caller, and so inherited by
everything those tasks start: it tells a node's call that its coroutine belongs on the loop."""


GUEST = _current
"""The ContextVar behind :func:`current_guest`, for hot paths to test before calling it."""


def current_guest() -> AsyncioGuest | None:
    """The guest run the current trio task belongs to, or ``None`` under a plain ``trio.run``."""
    guest = _current.get()
    if guest is not None and guest._token is not None and guest._is_current_run():
        return guest
    return None


@final
class _Call:
    """One trio call made for asyncio code: its outcome and how to cancel it."""

    __slots__ = ("cancelled", "done", "ok", "scope", "value")

    def __init__(self, done: asyncio.Future[None]) -> None:
        self.done = done
        self.scope: trio.CancelScope | None = None
        self.cancelled = False
        self.ok = False
        self.value: Any = None

    def cancel(self) -> None:  # runs in a trio tick
        self.cancelled = True
        if self.scope is not None:
            self.scope.cancel()


@final
class AsyncioGuest:
    """The trio run hosted by one asyncio loop (use :meth:`for_running_loop`)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._token: trio.lowlevel.TrioToken | None = None
        self._nursery: trio.Nursery | None = None
        self._ready: asyncio.Future[None] = loop.create_future()
        self._finished: asyncio.Future[None] = loop.create_future()
        self._shutdown: trio.CancelScope | None = None
        self._error: BaseException | None = None
        self._calls: set[_Call] = set()  # not yet finished: released if the run ends first
        trio.lowlevel.start_guest_run(
            self._main,
            run_sync_soon_threadsafe=loop.call_soon_threadsafe,
            run_sync_soon_not_threadsafe=loop.call_soon,
            done_callback=self._on_done,
            strict_exception_groups=True,
        )
        self._keeper = loop.create_task(self._keep(), name="tributary-trio-guest")

    @property
    def token(self) -> trio.lowlevel.TrioToken:
        """The guest run's token (for ``run_sync_soon`` from the host loop).

        Raises:
            RuntimeError: the run has ended.
        """
        if self._token is None:
            raise RuntimeError("Tributary's trio guest run on this loop has ended")
        return self._token

    @classmethod
    def existing(cls) -> AsyncioGuest | None:
        """The running loop's guest run if it has one that has not ended (never starts one)."""
        guest = _guests.get(asyncio.get_running_loop())
        return guest if guest is not None and guest._token is not None and not guest._finished.done() else None

    @classmethod
    async def for_running_loop(cls) -> AsyncioGuest:
        """The guest run of the running asyncio loop, started on first use.

        Raises:
            RuntimeError: the loop is shutting down (its guest run was stopped).
        """
        loop = asyncio.get_running_loop()
        if loop in _closing:
            raise GuestRunEnded(_SHUT_DOWN)
        guest = _guests.get(loop)
        if guest is None or guest._finished.done():
            guest = _guests[loop] = cls(loop)
        if not guest._ready.done():
            await asyncio.shield(guest._ready)
        return guest

    # -- the trio side ------------------------------------------------------------------
    async def _main(self) -> None:
        _current.set(self)
        with trio.CancelScope() as shutdown:
            self._shutdown = shutdown
            async with trio.open_nursery() as nursery:
                self._nursery = nursery
                self._token = trio.lowlevel.current_trio_token()
                self._ready.set_result(None)
                try:
                    await trio.sleep_forever()
                finally:
                    self._nursery = None  # closed to new calls from here on

    def _on_done(self, outcome: Any) -> None:
        # The run has ended (the loop is closing, or trio failed; after a failure the
        # next call starts a new run).
        self._token = self._nursery = None
        if _guests.get(self.loop) is self:
            del _guests[self.loop]  # the loop must not be kept alive by its guest
        try:
            outcome.unwrap()
        except BaseException as error:  # noqa: BLE001 - reported, never lost
            self._error = error
            self.loop.call_exception_handler(
                {"message": "Tributary's trio guest run failed", "exception": error}
            )
        for call in self._calls:
            if not call.done.done():
                call.value = GuestRunEnded(_SHUT_DOWN) if self._error is None else self._error
                call.done.set_result(None)
        self._calls.clear()
        if not self._ready.done():
            self._ready.set_exception(self._error or RuntimeError("the trio guest run ended before it started"))
        if not self._finished.done():
            self._finished.set_result(None)

    def _is_current_run(self) -> bool:
        try:
            return trio.lowlevel.current_trio_token() is self._token
        except RuntimeError:
            return False

    async def _keep(self) -> None:
        try:
            await asyncio.shield(self._finished)
        except asyncio.CancelledError:
            # The host is shutting down its tasks: stop the trio run and wait for it.
            _closing.add(self.loop)
            token = self._token
            if token is not None:
                try:
                    token.run_sync_soon(self._stop)
                except trio.RunFinishedError:
                    pass
                await self._finished
            raise

    def _stop(self) -> None:
        self._nursery = None
        if self._shutdown is not None:
            self._shutdown.cancel()

    # -- asyncio calls trio -------------------------------------------------------------
    async def call(self, async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run ``async_fn(*args)`` in the guest run for the calling asyncio task.

        The trio task starts in a copy of the caller's context. Cancelling the caller
        cancels it and waits for it to finish.
        """
        token = self._token
        if token is None or self._nursery is None:
            raise GuestRunEnded(_SHUT_DOWN)
        call = _Call(self.loop.create_future())
        self._calls.add(call)
        context = contextvars.copy_context()
        token.run_sync_soon(context.run, self._start, async_fn, args, call)
        try:
            await asyncio.shield(call.done)
        except asyncio.CancelledError:
            try:
                token.run_sync_soon(call.cancel)
            except trio.RunFinishedError:
                pass  # the run has ended, and with it the call
            while not call.done.done():
                try:
                    await asyncio.shield(call.done)
                except asyncio.CancelledError:
                    continue
            if not call.ok and call.value is not None and not isinstance(call.value, trio.Cancelled):
                raise call.value from None
            raise
        if call.ok:
            return call.value  # type: ignore[no-any-return]
        if call.value is None:  # cancelled on the trio side: the guest run is shutting down
            raise asyncio.CancelledError()
        error = call.value
        call.value = None
        try:
            raise error
        finally:
            del error

    def _start(self, async_fn: Callable[..., Awaitable[Any]], args: tuple[Any, ...], call: _Call) -> None:
        # In a trio tick, in the caller's context (which the new task copies). The
        # nursery may have closed since the call was scheduled: refuse, do not crash trio.
        nursery = self._nursery
        if nursery is None:
            self._calls.discard(call)
            call.value = GuestRunEnded(_SHUT_DOWN)
            call.done.set_result(None)
            return
        nursery.start_soon(self._serve, async_fn, args, call)

    async def _serve(self, async_fn: Callable[..., Awaitable[Any]], args: tuple[Any, ...], call: _Call) -> None:
        _current.set(self)
        try:
            with trio.CancelScope() as scope:
                call.scope = scope
                if call.cancelled:
                    scope.cancel()
                try:
                    call.value = await async_fn(*args)
                    call.ok = True
                except trio.Cancelled:
                    raise
                except BaseException as error:  # noqa: BLE001 - delivered to the asyncio caller
                    call.value = error
        finally:
            self._calls.discard(call)
            if not call.done.done():
                call.done.set_result(None)

    # -- trio calls asyncio -------------------------------------------------------------
    async def run_coroutine(self, coroutine: Coroutine[Any, Any, T], context: contextvars.Context) -> T:
        """Await ``coroutine`` as an asyncio task on the host loop, in ``context``.

        Cancelling the calling trio task cancels the asyncio task and waits for it.
        """
        token = self._token
        assert token is not None
        finished = trio.Event()
        task = self.loop.create_task(coroutine, context=context)
        task.add_done_callback(lambda _: _set_soon(token, finished))
        try:
            await finished.wait()
        except BaseException:
            task.cancel()
            with trio.CancelScope(shield=True):
                await finished.wait()
            raise
        return task.result()

    async def iterate(
        self, iterator: AsyncIterator[T], context: contextvars.Context
    ) -> AsyncIterator[T]:
        """The items of an async iterator that must run on the host loop (an async
        generator written for asyncio), each step an asyncio task in ``context``."""
        try:
            while True:
                try:
                    item = await self.run_coroutine(_step(iterator), context)
                except StopAsyncIteration:
                    return
                yield item
        finally:
            close = getattr(iterator, "aclose", None)
            if close is not None:
                with trio.CancelScope(shield=True):
                    await self.run_coroutine(close(), context)


async def _step(iterator: AsyncIterator[T]) -> T:
    return await iterator.__anext__()


def _set_soon(token: trio.lowlevel.TrioToken, event: trio.Event) -> None:
    try:
        token.run_sync_soon(event.set)
    except trio.RunFinishedError:
        pass
