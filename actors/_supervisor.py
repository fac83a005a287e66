"""The supervisor: a nursery of actors, their fan-in, and the failure policy.

A supervisor is entered with ``async with``; every actor it spawns lives inside
that block and no longer. Policy:

* an actor whose behaviour raises is retried if its :class:`RetryPolicy` says so;
* otherwise its error is the supervisor's *first error*: every sibling is
  cancelled, and when the block exits that error is re-raised **as itself** (never
  wrapped in an ``ExceptionGroup``), with a note naming the actor. Errors that
  siblings raise while being cancelled are added as notes, not lost.

Fan-in is a shared :class:`Mailbox`: children put into ``supervisor.outbox``
(synchronously while there is room), one consumer drains it in batches.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self, TypeVar, final

import trio

from ._actor import Actor
from ._lifecycle import ActorRetrying, ActorStarted, ActorStopped, LifecycleRecord
from ._mailbox import Mailbox
from ._retry import RetryPolicy

__all__ = ["Supervisor"]

R = TypeVar("R")


@final
class Supervisor:
    """Own a nursery of actors; fan their output into ``outbox``; fail fast.

    Args:
        name: used in error notes and lifecycle records.
        outbox: the fan-in mailbox children send to (a fresh one if omitted).
        on_lifecycle: called synchronously with every :data:`LifecycleRecord`.
    """

    def __init__(
        self,
        name: str = "supervisor",
        *,
        outbox: Mailbox[Any] | None = None,
        on_lifecycle: Callable[[LifecycleRecord], None] | None = None,
    ) -> None:
        self.name = name
        self.outbox: Mailbox[Any] = outbox if outbox is not None else Mailbox()
        self._on_lifecycle = on_lifecycle
        self._nursery: trio.Nursery | None = None
        self._nursery_cm: Any = None
        self.first_error: BaseException | None = None
        self._first_actor: str | None = None

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
            await self._nursery_cm.__aexit__(exc_type, exc, tb)
        except BaseExceptionGroup as group:
            raise self._unwrap(group) from None
        finally:
            self._nursery = None
        return False

    def _unwrap(self, group: BaseExceptionGroup[BaseException]) -> BaseException:
        leaves = list(_leaves(group))
        if self.first_error is not None and any(leaf is self.first_error for leaf in leaves):
            primary = self.first_error
        else:
            real = [leaf for leaf in leaves if not isinstance(leaf, trio.Cancelled)]
            primary = real[0] if real else leaves[0]
        for leaf in leaves:
            if leaf is not primary and not isinstance(leaf, trio.Cancelled):
                primary.add_note(f"(while handling it, {type(leaf).__name__}: {leaf} was also raised)")
        return primary

    def cancel(self) -> None:
        """Cancel every running actor."""
        if self._nursery is not None:
            self._nursery.cancel_scope.cancel()

    def spawn(
        self,
        name: str,
        behaviour: Callable[..., Awaitable[R]],
        *args: Any,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        inbox_capacity: int | None = None,
        note: str | None = None,
    ) -> Actor[R]:
        """Start ``behaviour(*args)`` as an actor named ``name``; return its handle.

        Args:
            retry: restart the behaviour after a failure, as the policy says.
            timeout: seconds each attempt may take before ``TimeoutError``.
            inbox_capacity: give the actor an inbox of this size, passed to the
                behaviour as its first argument.
            note: the note added to the error if this actor fails the supervisor
                (default: ``"in actor '<name>'"``).
        """
        if self._nursery is None:
            raise RuntimeError(f"supervisor {self.name!r} is not running; use 'async with' before spawn()")
        inbox: Mailbox[Any] | None = Mailbox(inbox_capacity) if inbox_capacity is not None else None
        actor: Actor[R] = Actor(name, behaviour, (inbox, *args) if inbox is not None else args, inbox)
        self._nursery.start_soon(self._run, actor, retry, timeout, note, name=name)
        return actor

    async def _run(
        self, actor: Actor[R], retry: RetryPolicy | None, timeout: float | None, note: str | None
    ) -> None:
        report = self._on_lifecycle
        actor.state = "running"
        if report is not None:
            report(ActorStarted(actor.name))
        while True:
            actor.attempts += 1
            try:
                with trio.fail_after(timeout if timeout is not None else math.inf):
                    actor.result = await actor.behaviour(*actor.args)
            except trio.Cancelled:
                actor.state = "cancelled"
                if report is not None:
                    report(ActorStopped(actor.name, "cancelled"))
                raise
            except BaseException as error:
                if retry is not None and retry.should_retry(error, actor.attempts):
                    delay = retry.delay(actor.attempts)
                    if report is not None:
                        report(ActorRetrying(actor.name, actor.attempts, error, delay))
                    await trio.sleep(delay)
                    continue
                actor.state = "failed"
                actor.error = error
                if self.first_error is None:
                    self.first_error = error
                    self._first_actor = actor.name
                    error.add_note(note if note is not None else f"in actor {actor.name!r}")
                    self.cancel()
                if report is not None:
                    report(ActorStopped(actor.name, "error", error))
                raise
            else:
                actor.state = "done"
                if report is not None:
                    report(ActorStopped(actor.name, "ok"))
                return


def _leaves(group: BaseExceptionGroup[BaseException]) -> Any:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc
