"""The async API's doors: where a call from asyncio crosses into trio.

Every public coroutine method of Tributary (``ainvoke``, ``abatch``, ``aget_state``,
a store's ``aput`` …) is marked with :func:`trio_entry`. Called from a trio task
it runs as written — one ``in_trio_task()`` test, nothing more. Called from an
asyncio task it runs in the loop's guest trio run (:class:`~.guest.AsyncioGuest`)
and the caller awaits it there. Anything else (no loop, another library) gets an
error naming what is supported.

Streams cross per batch: :class:`HostedStream` hands the asyncio consumer the
batch the trio side had ready and asks for the next only when that one is used up,
so a slow consumer holds the producer back exactly as under trio.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, ClassVar, Generic, ParamSpec, Self, TypeVar, final

import trio

from .guest import AsyncioGuest, GuestRunEnded

__all__ = ["HostedStream", "TrioEntryPoints", "close_from_host", "guest_for_caller", "in_trio", "trio_entry"]

P = ParamSpec("P")
T = TypeVar("T")

in_trio = trio.lowlevel.in_trio_task
"""Whether the caller is a trio task (the fast path of every entry point)."""


async def guest_for_caller(what: str) -> AsyncioGuest:
    """The guest run of the calling asyncio loop.

    Raises:
        RuntimeError: the caller runs under neither trio nor asyncio.
    """
    if asyncio._get_running_loop() is None:
        raise RuntimeError(
            f"{what} was awaited outside trio and asyncio ({_library()}); Tributary's async API runs "
            "under trio, or under asyncio (asyncio.run, uvloop, FastAPI, Jupyter)"
        )
    return await AsyncioGuest.for_running_loop()


async def close_from_host(aclose: Callable[[], Awaitable[None]]) -> None:
    """Run a stream's ``aclose`` (a trio function) for asyncio code, if there is anything
    to close: never starts a guest run, and does nothing once the loop's run has
    stopped (whatever the stream was running stopped with it)."""
    guest = AsyncioGuest.existing()
    if guest is None:
        return
    try:
        await guest.call(aclose)
    except GuestRunEnded:
        pass


def _library() -> str:
    try:
        import sniffio

        return f"running under {sniffio.current_async_library()}"
    except Exception:  # noqa: BLE001 - only for the message
        return "no event loop is running"


def trio_entry(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Make an async method callable from asyncio as well as from trio (see the module docstring)."""
    if getattr(method, "__tributary_entry__", False):
        return method

    @functools.wraps(method)
    async def entry(*args: P.args, **kwargs: P.kwargs) -> T:
        if in_trio():
            return await method(*args, **kwargs)
        guest = await guest_for_caller(f"{method.__qualname__}()")
        return await guest.call(functools.partial(method, *args, **kwargs))

    entry.__tributary_entry__ = True  # type: ignore[attr-defined]
    return entry


class TrioEntryPoints:
    """A base class whose subclasses' async API methods are entry points.

    The methods named in ``_entry_points`` are wrapped with :func:`trio_entry` on every
    subclass that defines them, so a user's own subclass (a store, a runnable)
    overriding ``ainvoke`` or ``aput`` is callable from asyncio too.
    """

    __slots__ = ()
    _entry_points: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._entry_points:
            method = cls.__dict__.get(name)
            if method is not None and inspect.iscoroutinefunction(method):
                setattr(cls, name, trio_entry(method))


_END: Any = object()


@final
class HostedStream(Generic[T]):
    """The asyncio side of a stream that runs in the guest trio run.

    Args:
        next_batch: returns the items ready now (at least one) or raises
            ``StopAsyncIteration``; runs in trio.
        aclose: stops the stream and waits for it; runs in trio.
        buffer: where items taken across wait to be consumed (pass the same deque to
            every iterator over one stream).

    Cancelling the consuming asyncio task while it waits for a batch closes the
    stream — the run is cancelled and waited for — before the cancellation goes on.
    """

    def __init__(
        self,
        next_batch: Callable[[], Awaitable[list[T]]],
        aclose: Callable[[], Awaitable[None]],
        buffer: deque[T] | None = None,
    ) -> None:
        self._next_batch = next_batch
        self._aclose = aclose
        # Items taken across but not yet consumed; shared by every iterator over one
        # stream (``anext(s)`` then ``async for c in s``), so none is lost between them.
        self._buffer: deque[T] = deque() if buffer is None else buffer
        self._finished = False

    @classmethod
    def of(cls, iterator: AsyncIterator[T]) -> HostedStream[T]:
        """Hand over an async iterator living in trio one item at a time."""

        async def one() -> list[T]:
            return [await iterator.__anext__()]

        async def close() -> None:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()

        return cls(one, close)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        if self._buffer:
            return self._buffer.popleft()
        if self._finished:
            raise StopAsyncIteration
        guest = await guest_for_caller("async for")
        try:
            batch = await guest.call(self._fetch)
        except asyncio.CancelledError:
            await self._close()
            raise
        except BaseException:
            self._finished = True
            raise
        if batch is _END:
            self._finished = True
            raise StopAsyncIteration
        self._buffer.extend(batch)
        return self._buffer.popleft()

    async def _fetch(self) -> Any:
        try:
            return await self._next_batch()
        except StopAsyncIteration:
            return _END

    async def _close(self) -> None:
        self._finished = True
        self._buffer.clear()
        await close_from_host(self._aclose)

    async def aclose(self) -> None:
        """Stop the stream (cancelling its run) and wait until it has finished."""
        if not self._finished:
            await self._close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
