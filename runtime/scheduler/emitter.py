"""Delivering one run's stream parts to the consumers that asked for them.

Each mode's interested targets are found once per run, so asking whether
anybody wants a mode costs a dict lookup, and a payload nobody asked for is
never built. Two ways to deliver:

* :meth:`Emitter.emit` waits while a consumer's mailbox is full — the
  back-pressure every barrier part takes.
* :meth:`Emitter.emit_without_waiting` never suspends, past the bound if need
  be. It is for parts that must land together or not at all, such as a task's
  completion (see :mod:`.runner`): a wait between them would let a sibling's
  error, and the cancellation, in between. Each use overflows by a constant
  number of parts per finishing task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, final

from ..core.stream import STREAM_MODES, StreamTarget
from .payloads import debug_item

__all__ = ["Emitter"]


@final
class Emitter:
    """The stream parts of one run at one namespace.

    Args:
        targets: every consumer that may want this run's parts.
        namespace: the run's stream namespace (``()`` for a root run).
    """

    __slots__ = ("targets", "namespace", "wants_task_events", "_wants")

    def __init__(self, targets: Sequence[StreamTarget], namespace: tuple[str, ...]) -> None:
        self.targets = tuple(targets)
        self.namespace = namespace
        depth = len(namespace)
        self._wants: dict[str, tuple[StreamTarget, ...]] = {
            mode: tuple(t for t in self.targets if t.wants(mode, depth)) for mode in STREAM_MODES
        }
        self.wants_task_events = bool(self._wants["tasks"] or self._wants["debug"])
        """Whether task starts and results are streamed (``tasks`` or ``debug``)."""

    def wants(self, mode: str) -> bool:
        """Whether any consumer takes ``mode`` parts from this run."""
        return bool(self._wants[mode])

    @property
    def backlog(self) -> bool:
        """Whether a consumer has parts waiting."""
        for target in self.targets:
            if len(target.mailbox):
                return True
        return False

    async def emit(self, mode: str, chunk: Any) -> None:
        """Deliver a part, waiting while a consumer's mailbox is full."""
        for target in self._wants[mode]:
            await target.put(self.namespace, mode, chunk)

    def emit_without_waiting(self, mode: str, chunk: Any) -> None:
        """Deliver a part at once, past a full mailbox if need be (see the module docstring)."""
        for target in self._wants[mode]:
            target.put_from_sync_code(self.namespace, mode, chunk)

    async def emit_task_event(self, kind: str, payload: dict[str, Any], step: int) -> None:
        """One task event in ``tasks`` and ``debug``: each consumer waits for room for
        its first part and gets the other at once, so a cancellation never leaves it
        with half of the pair."""
        parts = [("tasks", payload)] if self._wants["tasks"] else []
        if self._wants["debug"]:
            parts.append(("debug", debug_item(step, kind, payload)))
        for target in dict.fromkeys(target for mode, _ in parts for target in self._wants[mode]):
            (mode, chunk), *rest = [(mode, chunk) for mode, chunk in parts if target in self._wants[mode]]
            await target.put(self.namespace, mode, chunk)
            for mode, chunk in rest:
                target.put_from_sync_code(self.namespace, mode, chunk)

    def emit_task_event_without_waiting(self, kind: str, payload: dict[str, Any], step: int) -> None:
        """:meth:`emit_task_event` that never suspends."""
        if self._wants["tasks"]:
            self.emit_without_waiting("tasks", payload)
        if self._wants["debug"]:
            self.emit_without_waiting("debug", debug_item(step, kind, payload))
