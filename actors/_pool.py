"""A pool of long-lived worker actors that runs batches of jobs concurrently.

Spawning a trio task costs ~7 µs; a trivial graph node runs in well under that.
So instead of one fresh actor per job, a :class:`WorkerPool` keeps workers alive
for the life of its supervisor and hands them jobs from a queue:

* a worker that takes a job while more wait in the queue first makes sure one
  *spare* worker exists (idle, or spawned and not yet started). If the job
  completes without blocking, the worker simply takes the next one and the
  spare finds nothing to do; if the job blocks (I/O, a sleep, a worker thread),
  the spare runs and takes the next job, spawning its own spare. Every job that
  blocks therefore gets its own actor — jobs of a batch are as concurrent as
  with one task each — while jobs that never block cost no spawn at all.
* idle workers park; the next batch wakes as many as it has jobs.

Isolation: jobs on one worker share its trio task, hence its context. Each job
gets the context the worker started with: a job that leaves a ``ContextVar``
change behind (sets one without resetting it) retires its worker — the next job
runs on a fresh one — so no job ever sees another's context changes.

Failure policy is the supervisor's: a job that fails (after its retries, which
:func:`~actors.run_job` handles in the worker) raises out of its worker, which
makes the supervisor cancel everything and re-raise the error as itself. A failed
batch therefore ends the supervisor's block. Workers add no note of their own:
the job's note is the one that says where the error happened.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Sequence
from typing import final

import trio

from ._job import Job, run_job
from ._supervisor import Supervisor

__all__ = ["WorkerPool"]


@final
class WorkerPool:
    """Long-lived workers under ``supervisor`` running batches of :class:`~actors.Job`.

    Idle workers wait for the next batch for as long as the supervisor lives, so
    its block does not end by itself: whoever owns it calls ``supervisor.cancel()``
    once the last batch is done.

    Args:
        supervisor: the running supervisor the workers live in (and fail through).
        name: prefix of the workers' names.
    """

    def __init__(self, supervisor: Supervisor, name: str = "worker") -> None:
        self._supervisor = supervisor
        self._name = name
        self._queue: deque[Job] = deque()
        self._idle = trio.lowlevel.ParkingLot()
        self._idle_count = 0
        self._starting = 0  # spawned, not yet taking jobs
        self._spawned = 0  # numbers the workers' names
        self._pending = 0  # queued or running
        self._batch_done = trio.lowlevel.ParkingLot()

    async def run(self, jobs: Sequence[Job]) -> None:
        """Run every job, concurrently where they block; return once all are done.

        Jobs start in the order given. If a job fails, the supervisor cancels this
        call along with everything else, and its block raises the job's error.
        Meant for one batch at a time: calls that overlap share the queue, and
        each returns only when every job queued so far is done.
        """
        if not jobs:
            return
        self._queue.extend(jobs)
        self._pending += len(jobs)
        wake = min(len(jobs), self._idle_count)
        if wake:
            self._idle_count -= wake
            self._idle.unpark(count=wake)
        elif not self._starting:
            self._spawn()
        while self._pending:
            await self._batch_done.park()

    def _spawn(self) -> None:
        self._starting += 1
        self._spawned += 1
        self._supervisor.spawn(f"{self._name}-{self._spawned}", self._worker_loop, note="")

    def _spawn_spare_if_needed(self) -> None:
        # Jobs still queued and nobody idle or starting to take the next if this
        # worker's job blocks (see the module docstring).
        if self._queue and not (self._idle_count or self._starting):
            self._spawn()

    async def _worker_loop(self) -> None:
        self._starting -= 1
        queue = self._queue
        start_context = contextvars.copy_context()
        while True:
            # Once the supervisor is cancelled (a job failed, or its owner is done)
            # no job may start: a fresh worker runs until its first checkpoint, and
            # a job that never blocks would otherwise run to its end. This check
            # also keeps a worker running many non-blocking jobs in one slice cancellable.
            await trio.lowlevel.checkpoint_if_cancelled()
            if not queue:
                self._idle_count += 1
                await self._idle.park()  # whoever unparks us has already counted us out
                continue
            job = queue.popleft()
            self._spawn_spare_if_needed()
            await run_job(job)
            self._pending -= 1
            if not self._pending:
                self._batch_done.unpark_all()
            if contextvars.copy_context() != start_context:
                # The job left a context change behind: retire this worker rather
                # than let the next job see it (cheap to detect, rare to happen).
                self._spawn_spare_if_needed()
                return
