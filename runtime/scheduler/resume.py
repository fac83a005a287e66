"""Resuming interrupted tasks: interrupt ids, and which answer goes to which task.

Interrupt ids are derived from the task's checkpoint namespace (stable across a
resume) and the call's index within the task, so a resume map ``{id: value}``
can answer several interrupts at once. :func:`answers` decides which waiting
task gets which value: a map answers the tasks whose interrupts it names (the
others ask again); a plain value answers the one pending interrupt, and is
refused when there are several, as in LangGraph.

Pure: the step core uses this without an event loop.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["TaskInterrupts", "interrupt_id", "answers", "is_resume_map"]

_INTERRUPT_ID = re.compile(r"[0-9a-f]{32}")


def interrupt_id(checkpoint_ns: str, index: int) -> str:
    """32 hex characters naming the ``index``-th interrupt of the task at ``checkpoint_ns``."""
    return hashlib.blake2b(f"{checkpoint_ns}#{index}".encode(), digest_size=16).hexdigest()


@attrs.define(slots=True, eq=False)
class TaskInterrupts:
    """A task's interrupt bookkeeping.

    Attributes:
        checkpoint_ns: the task's namespace, which interrupt ids hash.
        resume: the answers given to the task so far, oldest first.
        calls: ``interrupt()`` calls made in this run of the task; a node runs
            again from the top, so its n-th call gets ``resume[n]``.
        answered: how many of ``resume`` a graph nested in the task has already
            taken. A nested graph does not start again from the top: it continues
            from its own checkpoint, so it takes only the answers after these.
        spare: a resume value given when no interrupt was pending (after an
            edit, or a pause by ``interrupt_before``), shared by the step's tasks:
            the first ``interrupt()`` call without an answer takes it, as in LangGraph.
    """

    checkpoint_ns: str
    resume: list[Any] = attrs.field(factory=list)
    calls: int = 0
    answered: int = 0
    spare: list[Any] | None = None


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
