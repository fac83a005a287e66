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

Failure policy is the supervisor's: a job that fails (after its retries) raises
out of its worker, which makes the supervisor cancel everything and re-raise the
error as itself. A failed batch therefore ends the supervisor's block.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, final

import attrs
import trio

from ._retry import RetryPolicy
from ._supervisor import Supervisor, attempt, is_cancellation

__all__ = ["Job", "WorkerPool", "run_job"]


@attrs.frozen
class Job:
    """One unit of work for a :class:`WorkerPool`.

    Args:
        name: names the job in errors.
        behaviour: ``await behaviour()`` does the work.
        retry: run it again after a failure, as the policy says.
        timeout: seconds each attempt may take before ``TimeoutError``.
        note: the note added to the job's error (default ``"in job '<name>'"``), or a
            function making it, so that jobs that succeed never format one.
    """

    name: str
    behaviour: Callable[[], Awaitable[Any]]
    retry: RetryPolicy | None = None
    timeout: float | None = None
    note: str | Callable[[], str] | None = None


@final
class WorkerPool:
    """Long-lived workers under ``supervisor`` running batches of :class:`Job`s.

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
        self._starting = 0
        self._workers = 0
        self._pending = 0
        self._batch_done = trio.lowlevel.ParkingLot()

    @property
    def workers(self) -> int:
        """How many workers have been spawned so far."""
        return self._workers

    async def run(self, jobs: Sequence[Job]) -> None:
        """Run every job, concurrently where they block; return once all are done.

        If a job fails, the supervisor cancels this call along with everything
        else, and its block raises the job's error.
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
        self._workers += 1
        self._supervisor.spawn(f"{self._name}-{self._workers}", self._work, note="")

    async def _work(self) -> None:
        self._starting -= 1
        queue = self._queue
        clean = contextvars.copy_context()
        while True:
            if not queue:
                self._idle_count += 1
                await self._idle.park()  # whoever unparks us has already counted us out
                continue
            job = queue.popleft()
            if queue and not (self._idle_count or self._starting):
                self._spawn()
            await run_job(job)
            self._pending -= 1
            if not self._pending:
                self._batch_done.unpark_all()
            if contextvars.copy_context() != clean:
                # The job left a context change behind: retire this worker rather
                # than let the next job see it (cheap to detect, rare to happen).
                if queue and not (self._idle_count or self._starting):
                    self._spawn()
                return
            # A worker can run many non-blocking jobs in one slice; stay cancellable.
            await trio.lowlevel.checkpoint_if_cancelled()


async def run_job(job: Job) -> None:
    """Run ``job`` in the calling task, with its retries, timeout and error note.

    For a caller that is itself an actor and has exactly one job to do: it saves
    the hand-off to a worker.
    """
    attempts = 0
    while True:
        attempts += 1
        try:
            await attempt(job.name, job.behaviour, (), job.timeout)
            return
        except BaseException as error:
            retry = job.retry
            if is_cancellation(error) or retry is None or not retry.should_retry(error, attempts):
                if not is_cancellation(error):
                    note = job.note() if callable(job.note) else job.note
                    error.add_note(note if note is not None else f"in job {job.name!r}")
                raise
            delay = retry.delay(attempts)
        await trio.sleep(delay)
