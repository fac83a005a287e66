"""Several async streams read concurrently, from inside an async generator.

An async generator must not keep a nursery open across ``yield`` (PEP 789), so
each source is pumped by a trio *system task* owned by :func:`merge` — the same
arrangement as a bare ``async for`` over ``astream()`` — into one bounded
mailbox that the generator drains in batches. Leaving the generator (its end,
an error, a ``break`` upstream, a cancellation) cancels every pump and waits
for it. A source's error is delivered through the mailbox and raised by the
generator itself, so it surfaces in the consumer's frame, never in a nursery.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from typing import Any, final

import trio

from actors import Mailbox

__all__ = ["merge"]

MERGE_BUFFER = 256
"""Chunks waiting to be merged before the pumps wait: enough that a consumer
draining in batches rarely holds a source back; small because every branch of
a parallel step is a source."""


@final
class _Done:
    __slots__ = ()


@final
class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = _Done()


async def merge(sources: Mapping[Any, Callable[[], AsyncIterator[Any]]]) -> AsyncGenerator[tuple[Any, Any], None]:
    """Yield ``(key, chunk)`` as each source produces chunks, until all are exhausted."""
    mailbox: Mailbox[Any] = Mailbox(MERGE_BUFFER)
    pumps: list[tuple[trio.CancelScope, trio.Event]] = []

    async def pump(key: Any, make: Callable[[], AsyncIterator[Any]], scope: trio.CancelScope, done: trio.Event) -> None:
        try:
            with scope:
                try:
                    async for chunk in make():
                        item = (key, chunk)
                        if not mailbox.put_nowait(item):
                            await mailbox.put(item)
                except trio.Cancelled:
                    raise
                except BaseException as error:  # delivered to the generator, never to trio
                    mailbox.put_past_bound(_Failed(error))
                else:
                    mailbox.put_past_bound(_DONE)
        finally:
            done.set()

    for key, make in sources.items():
        scope, done = trio.CancelScope(), trio.Event()
        pumps.append((scope, done))
        trio.lowlevel.spawn_system_task(pump, key, make, scope, done, context=contextvars.copy_context())
    try:
        remaining = len(pumps)
        while remaining:
            for item in await mailbox.get_batch():
                if item is _DONE:
                    remaining -= 1
                elif type(item) is _Failed:
                    raise item.error
                else:
                    yield item
    finally:
        for scope, _ in pumps:
            scope.cancel()
        with trio.CancelScope(shield=True):
            for _, done in pumps:
                await done.wait()
