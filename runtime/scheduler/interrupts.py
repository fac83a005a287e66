"""``interrupt()``: pause a node for outside input, and resume it with ``Command(resume=...)``.

A node that calls ``interrupt(value)`` the first time raises :class:`GraphInterrupt`;
the scheduler records the interrupt as the task's pending write and ends the run
with ``__interrupt__`` in the stream. When the thread is resumed, the task runs
again from the top and its ``interrupt()`` calls return the resume values in order
— the first call the first value, and so on; a call beyond them interrupts again.

Interrupt ids are derived from the task's checkpoint namespace (stable across a
resume) and the call's index within the task, so a resume map ``{id: value}``
can answer several interrupts at once. :func:`answers` decides which waiting
task gets which value: a map answers the tasks whose interrupts it names (the
others ask again); a plain value answers the one pending interrupt, and is
refused when there are several, as in LangGraph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ..core.context import current_task_scope
from ..core.errors import GraphInterrupt
from ..core.types import Interrupt

__all__ = ["TaskIO", "interrupt", "interrupt_id", "answers", "is_resume_map", "RESUME", "INTERRUPT"]

RESUME = "__resume__"
"""Pending-write channel holding a task's resume values."""
INTERRUPT = "__interrupt__"
"""Pending-write channel (and stream key) holding a task's interrupts."""

_INTERRUPT_ID = re.compile(r"[0-9a-f]{32}")


def interrupt_id(checkpoint_ns: str, index: int) -> str:
    """32 hex characters naming the ``index``-th interrupt of the task at ``checkpoint_ns``."""
    return hashlib.blake2b(f"{checkpoint_ns}#{index}".encode(), digest_size=16).hexdigest()


@attrs.define(slots=True, eq=False)
class TaskIO:
    """A task's interrupt bookkeeping.

    Attributes:
        checkpoint_ns: the task's namespace, which interrupt ids hash.
        resume: the answers given to the task so far, oldest first.
        calls: ``interrupt()`` calls made in this run of the task; a node runs
            again from the top, so its n-th call gets ``resume[n]``.
        answered: how many of ``resume`` a graph nested in the task has already
            taken. A nested graph does not start again from the top: it continues
            from its own checkpoint, so it takes only the answers after these.
    """

    checkpoint_ns: str
    resume: list[Any] = attrs.field(factory=list)
    calls: int = 0
    answered: int = 0


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


def is_resume_map(resume: Any) -> bool:
    """Whether ``resume`` is an ``{interrupt id: value}`` map rather than one value.

    Only a non-empty dict whose keys are all interrupt ids counts, so a dict the
    user means as the answer itself (``{"approved": True}``) stays one value.
    """
    return (
        isinstance(resume, dict)
        and bool(resume)
        and all(isinstance(key, str) and _INTERRUPT_ID.fullmatch(key) for key in resume)
    )


def answers(resume: Any, waiting: Mapping[str, tuple[Any, ...]]) -> dict[str, Any]:
    """The value each waiting task resumes with, by task id.

    Args:
        resume: ``Command.resume``: one value, or an ``{interrupt id: value}`` map.
        waiting: task id → the interrupts it is waiting on (a subgraph task
            waits on every interrupt pending inside it).

    A task waiting on one interrupt gets the value itself; a task waiting on
    several (a subgraph) gets the part of the map naming them, which its own run
    splits in turn. A task the map does not name gets nothing and asks again.

    Raises:
        ValueError: the map names an id no task is waiting on.
        RuntimeError: one plain value for several pending interrupts.
    """
    if is_resume_map(resume):
        given: dict[str, Any] = {}
        pending: set[str] = set()
        for task_id, interrupts in waiting.items():
            ids = [i.id for i in interrupts]
            pending.update(ids)
            named = {i: resume[i] for i in ids if i in resume}
            if named:
                given[task_id] = next(iter(named.values())) if len(ids) == 1 else named
        unknown = sorted(set(resume) - pending)
        if unknown:
            raise ValueError(
                f"Command(resume={{...}}) names no pending interrupt with id {', '.join(unknown)}; "
                f"the pending interrupts are {', '.join(sorted(pending)) or 'none'}"
            )
        return given
    if sum(len(interrupts) for interrupts in waiting.values()) > 1:
        raise RuntimeError(
            "When there are multiple pending interrupts, you must specify the interrupt id when resuming. "
            "Docs: https://docs.langchain.com/oss/python/langgraph/add-human-in-the-loop"
            "#resume-multiple-interrupts-with-one-invocation."
        )
    return {task_id: resume for task_id in waiting}
