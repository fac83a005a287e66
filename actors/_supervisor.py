"""The supervisor: a nursery of actors, their fan-in, and the failure policy.

A supervisor is entered with ``async with``; every actor it spawns lives inside
that block and no longer. Policy:

* an actor whose behaviour raises is retried if its :class:`RetryPolicy` says so;
* otherwise its error is the supervisor's *first error*: every sibling is
  cancelled, and when the block exits that error is re-raised **as itself** (never
  wrapped in an ``ExceptionGroup``), with a note naming the actor. Errors that
  siblings raise while being cancelled are added as notes, not lost.
* an error raised by the ``async with`` body cancels the actors the same way and
  is re-raised as itself; an actor failing only because of that cancellation does
  not displace it.

Re-raising keeps the error's ``__cause__`` and ``__context__`` as the actor left
them. A group the behaviour raised itself is the behaviour's error and comes out
as a group; only the nursery's own grouping is taken off.

Fan-in is a shared :class:`Mailbox`: children put into ``supervisor.outbox``
(synchronously while there is room), one consumer drains it in batches.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self, TypeVar, final

import trio

from ._actor import Actor
from ._groups import leaves
from ._lifecycle import ActorRetrying, ActorStarted, ActorStopped, LifecycleRecord
from ._mailbox import Mailbox
from ._retry import RetryPolicy

__all__ = ["Supervisor"]

R = TypeVar("R")


@final
class Supervisor:
    """Own a nursery of actors; fan their output into ``outbox``; fail fast.

    Args:
        name: names the supervisor in its own error messages.
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
            # True when the nursery absorbed the body's exception (a Cancelled
            # from our own cancel()); returning False would let it escape.
            return bool(await self._nursery_cm.__aexit__(exc_type, exc, tb))
        except BaseExceptionGroup as group:
            primary = self._unwrap(group)
            context = primary.__context__
            try:
                raise primary  # noqa: B904 -- the group is not part of the story
            finally:
                primary.__context__ = context
                del primary, context
        finally:
            self._nursery = None

    def _unwrap(self, group: BaseExceptionGroup[BaseException]) -> BaseException:
        # The nursery lists the body's error (if any) before those of actors that
        # failed while it cancelled them, so errors[0] is right when no actor failed first.
        errors = [error for error in group.exceptions if not is_cancellation(error)]
        if not errors:
            return next(leaves(group))
        primary = next((error for error in errors if error is self.first_error), errors[0])
        for error in errors:
            if error is not primary:
                where = "".join(f" {note}" for note in getattr(error, "__notes__", ()))
                primary.add_note(f"(while handling it, {type(error).__name__}: {error} was also raised{where})")
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
        try:
            while True:
                actor.attempts += 1
                try:
                    actor.result = await _attempt(actor, timeout)
                    break
                except BaseException as error:
                    if is_cancellation(error) or retry is None or not retry.should_retry(error, actor.attempts):
                        raise
                    delay = retry.delay(actor.attempts)
                    if report is not None:
                        report(ActorRetrying(actor.name, actor.attempts, error, delay))
                await trio.sleep(delay)
        except BaseException as error:
            if is_cancellation(error):
                actor.state = "cancelled"
                if report is not None:
                    report(ActorStopped(actor.name, "cancelled"))
                raise
            actor.state = "failed"
            actor.error = error
            if note != "":  # "" means the behaviour annotates its own errors
                error.add_note(note if note is not None else f"in actor {actor.name!r}")
            # An actor failing while the supervisor is already being torn down (by
            # the body's error or by cancel()) did not cause the failure.
            nursery = self._nursery
            if self.first_error is None and nursery is not None and not nursery.cancel_scope.cancel_called:
                self.first_error = error
                self._first_actor = actor.name
                self.cancel()
            if report is not None:
                report(ActorStopped(actor.name, "error", error))
            raise
        actor.state = "done"
        if report is not None:
            report(ActorStopped(actor.name, "ok"))


async def _attempt(actor: Actor[R], timeout: float | None) -> R:
    return await attempt(actor.name, actor.behaviour, actor.args, timeout)  # type: ignore[no-any-return]


async def attempt(name: str, behaviour: Callable[..., Awaitable[Any]], args: tuple[Any, ...], timeout: float | None) -> Any:
    """One attempt at ``behaviour(*args)``, bounded by ``timeout`` seconds if given."""
    if timeout is None:
        # No deadline: no cancel scope either (they cost ~2 µs on a hot path).
        return await behaviour(*args)
    with trio.move_on_after(timeout) as deadline:
        return await behaviour(*args)
    # trio.TooSlowError is not a TimeoutError; the behaviour's own fail_after
    # deadlines still raise it, only ours is reported as the builtin.
    assert deadline.cancelled_caught
    raise TimeoutError(f"actor {name!r} took longer than {timeout} seconds")


def is_cancellation(error: BaseException) -> bool:
    """Whether ``error`` is a ``Cancelled``, or a group of nothing else (from a nursery inside a behaviour)."""
    if isinstance(error, BaseExceptionGroup):
        return all(is_cancellation(inner) for inner in error.exceptions)
    return isinstance(error, trio.Cancelled)
