"""A failing step's siblings get their first turn, as in LangGraph's ``astream``.

LangGraph starts every task of a step at once (one asyncio task each), so each
runs until it first waits before anything else happens; a sibling that finishes
in that first turn has streamed its ``updates`` by the time a failure stops the
step, even one started after the task that fails. Siblings that were waiting
are cancelled and stream nothing.

Tributary's workers take a step's tasks one after the other, so when a task
fails some may not have started. :class:`FirstTurn` keeps the count: the
failing task holds its error until every sibling has had a turn; a sibling that
starts after the failure runs its node under a cancelled scope (it may finish,
but not wait); and a sibling whose node waited (trio's count of the task's scheduling points tells) finishes
only once every sibling has had its turn — then, if one failed, it neither
streams nor saves nor raises its own error, as LangGraph would have cancelled
it. So what streams does not depend on how the workers happened to take the
tasks, nor on the order trio wakes them in.
"""

from __future__ import annotations

import trio

__all__ = ["FirstTurn"]


class FirstTurn:
    """The first-turn bookkeeping of one step's concurrent tasks (see the module docstring).

    Args:
        count: how many tasks of the step run as jobs.
    """

    __slots__ = ("_late", "_seen", "_settled", "_unsettled", "failed")

    def __init__(self, count: int) -> None:
        self._unsettled = count
        self._seen: set[str] = set()
        self._late: set[str] = set()
        self._settled: trio.Event | None = None  # made only when a failing task must wait
        self.failed = False
        """A task of the step has failed for good."""

    def start(self, task_id: str) -> bool:
        """Count the start of an attempt at a task; return whether it started after the failure.

        A task started before the failure has had its turn already when it
        starts; one started after it has had it once its first attempt is over
        (:meth:`settle`). A retry's attempt is not a new start.
        """
        if task_id in self._seen:
            return task_id in self._late
        self._seen.add(task_id)
        if self.failed:
            self._late.add(task_id)
            return True
        self._unsettled -= 1  # _tick inlined: this runs for every task of every wide step
        if not self._unsettled and self._settled is not None:
            self._settled.set()
        return False

    def settle(self, task_id: str) -> None:
        """A task started after the failure has had its turn."""
        if task_id in self._late:
            self._tick()

    async def hold(self) -> None:
        """Wait until every task of the step has had its first turn (the failing
        task, before it raises; a task that waited, before it finishes)."""
        if self._unsettled:
            if self._settled is None:
                self._settled = trio.Event()
            await self._settled.wait()

    def _tick(self) -> None:
        self._unsettled -= 1
        if not self._unsettled and self._settled is not None:
            self._settled.set()
