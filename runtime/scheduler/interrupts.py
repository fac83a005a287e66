"""``interrupt()``: pause a node for outside input, and resume it with ``Command(resume=...)``.

A node that calls ``interrupt(value)`` the first time raises :class:`GraphInterrupt`;
the scheduler records the interrupt as the task's pending write and ends the run
with ``__interrupt__`` in the stream. When the thread is resumed, the task runs
again from the top and its ``interrupt()`` calls return the resume values in order
— the first call the first value, and so on; a call beyond them interrupts again,
unless the resume came when no interrupt was pending: then the first call without
an answer takes it.
Which resume value reaches which task is decided by :mod:`.resume`.
"""

from __future__ import annotations

from typing import Any

from ..core.context import current_task_context
from ..core.errors import GraphInterrupt
from ..core.types import Interrupt
from .resume import interrupt_id

__all__ = ["interrupt"]


def interrupt(value: Any) -> Any:
    """Pause the graph here and surface ``value`` to the caller; return the resume value.

    Raises:
        GraphInterrupt: the first time (the scheduler catches it; the run ends
            with the interrupt in its stream and state).
        RuntimeError: called outside a graph node.
    """
    task = current_task_context()
    if task is None or task.interrupts is None:
        raise RuntimeError("interrupt() can only be called inside a graph node")
    bookkeeping = task.interrupts
    index = bookkeeping.calls
    bookkeeping.calls += 1
    if index < len(bookkeeping.resume):
        return bookkeeping.resume[index]
    spare = bookkeeping.spare
    if spare:  # a resume value nobody was waiting for: this call is the first to ask
        value = spare.pop()
        bookkeeping.resume.append(value)
        return value
    raise GraphInterrupt((Interrupt(value, interrupt_id(bookkeeping.checkpoint_ns, index)),))
