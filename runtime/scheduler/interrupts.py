"""``interrupt()``: pause a node for outside input, and resume it with ``Command(resume=...)``.

A node that calls ``interrupt(value)`` the first time raises :class:`GraphInterrupt`;
the scheduler records the interrupt as the task's pending write and ends the run
with ``__interrupt__`` in the stream. When the thread is resumed, the task runs
again from the top and its ``interrupt()`` calls return the resume values in order
— the first call the first value, and so on; a call beyond them interrupts again.

Interrupt ids are derived from the task's checkpoint namespace (stable across a
resume) and the call's index within the task, so a resume map ``{id: value}``
can answer several interrupts at once.
"""

from __future__ import annotations

import hashlib
from typing import Any

import attrs

from ..context import current_task_scope
from ..errors import GraphInterrupt
from ..types import Interrupt

__all__ = ["TaskIO", "interrupt", "interrupt_id", "RESUME", "INTERRUPT"]

RESUME = "__resume__"
"""Pending-write channel holding a task's resume values."""
INTERRUPT = "__interrupt__"
"""Pending-write channel (and stream key) holding a task's interrupts."""


def interrupt_id(checkpoint_ns: str, index: int) -> str:
    """32 hex characters naming the ``index``-th interrupt of the task at ``checkpoint_ns``."""
    return hashlib.blake2b(f"{checkpoint_ns}#{index}".encode(), digest_size=16).hexdigest()


@attrs.define(slots=True, eq=False)
class TaskIO:
    """A task's interrupt bookkeeping: resume values given so far, calls made so far."""

    checkpoint_ns: str
    resume: list[Any] = attrs.field(factory=list)
    calls: int = 0


def interrupt(value: Any) -> Any:
    """Pause the graph here and surface ``value`` to the caller; return the resume value.

    Raises:
        GraphInterrupt: the first time (the scheduler catches it; the run ends
            with the interrupt in its stream and state).
        RuntimeError: called outside a graph node.
    """
    scope = current_task_scope()
    if scope is None or scope.io is None:
        raise RuntimeError("interrupt() can only be called inside a graph node")
    io: TaskIO = scope.io
    index = io.calls
    io.calls += 1
    if index < len(io.resume):
        return io.resume[index]
    raise GraphInterrupt((Interrupt(value, interrupt_id(io.checkpoint_ns, index)),))
