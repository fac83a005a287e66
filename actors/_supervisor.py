"""The supervisor: a nursery of actors and the failure policy.

An *actor* here is a named trio task running a behaviour under a supervisor. A
supervisor is entered with ``async with``; every actor it spawns lives inside that
block and no longer. Policy:

* the first actor whose behaviour raises fails the supervisor: every sibling is
  cancelled, and when the block exits that error is re-raised **as itself** (never
  wrapped in an ``ExceptionGroup``), with a note naming the actor. Errors that
  siblings raise while being cancelled are added as notes, not lost (see
  :func:`~actors.unwrap_group`).
* an error raised by the ``async with`` body cancels the actors the same way and
  is re-raised as itself; an actor failing only because of that cancellation does
  not displace it.

Re-raising keeps the error's ``__cause__`` and ``__context__`` as the actor left
them. A group the behaviour raised itself is the behaviour's error and comes out
as a group; only the nursery's own grouping is taken off.

What the supervisor does not do, on purpose: retry (a retried piece of work is a
:class:`~actors.Job`, whose one retry loop is :func:`~actors.run_job`), hand back
results (an actor writes them where its spawner reads them — a closure's dict, a
:class:`~actors.Mailbox`), or report lifecycle events. The engine needs none of
these from the supervisor itself, and each would cost every spawn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self, final

import trio

from ._groups import is_cancellation, raise_unwrapped

__all__ = ["Supervisor"]


@final
class Supervisor:
    """Own a nursery of actors; fail fast, re-raising the first error as itself.

    Args:
        name: names the supervisor in its own error messages.
    """

    def __init__(self, name: str = "supervisor") -> None:
        self.name = name
        self._nursery: trio.Nursery | None = None
        self._nursery_cm: Any = None

    async def __aenter__(self) -> Self:
        self._nursery_cm = trio.open_nursery()
        self._nursery = await self._nursery_cm.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        try:
            # True when the nursery absorbed the body's exception (a Cancelled
            # from our own cancel()); returning False would let it escape.
            return bool(await self._nursery_cm.__aexit__(exc_type, exc, tb))
        except BaseExceptionGroup as group:
            # The nursery lists errors in the order they were raised (the body's
            # when the block exits) and cancels everything at the first, so the
            # first real error in the group is the one that caused the failure;
            # the others were raised while being torn down.
            raise_unwrapped(group)
        finally:
            self._nursery = None

    def cancel(self) -> None:
        """Cancel every running actor (harmless before the block or after it)."""
        if self._nursery is not None:
            self._nursery.cancel_scope.cancel()

    def spawn(
        self,
        name: str,
        behaviour: Callable[..., Awaitable[object]],
        *args: Any,
        note: str | None = None,
    ) -> None:
        """Start ``behaviour(*args)`` as an actor named ``name`` (its trio task's name).

        Args:
            note: the note added to the actor's error if it fails (default
                ``"in actor '<name>'"``); ``""`` adds none, for a behaviour that
                annotates its own errors (a pool's worker: each job adds its own).

        Raises:
            RuntimeError: the supervisor's ``async with`` block is not running.
        """
        if self._nursery is None:
            raise RuntimeError(f"supervisor {self.name!r} is not running; use 'async with' before spawn()")
        if note == "":
            self._nursery.start_soon(behaviour, *args, name=name)  # nothing to add: no wrapper
        else:
            self._nursery.start_soon(self._run, name, behaviour, args, note, name=name)

    async def _run(
        self, name: str, behaviour: Callable[..., Awaitable[object]], args: tuple[Any, ...], note: str | None
    ) -> None:
        try:
            await behaviour(*args)
        except BaseException as error:
            if not is_cancellation(error):
                error.add_note(note if note is not None else f"in actor {name!r}")
            raise
