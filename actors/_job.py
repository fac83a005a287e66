"""A job: one unit of work with its retry policy, timeout and error note — and the one retry loop.

Every retried piece of work in Tributary is a :class:`Job` run by :func:`run_job`,
either by a :class:`~actors.WorkerPool` worker or directly by the task that has
exactly one job to do. The loop:

1. attempt ``behaviour()``, inside ``trio.move_on_after(timeout)`` if a timeout is
   set (without one there is no cancel scope at all: a scope costs ~2 µs, and
   most nodes have no timeout);
2. on success, return; on cancellation, re-raise at once — being cancelled is not
   failing, and is never retried;
3. on failure, ask the policy. No policy, an attempt budget spent, or an error the
   policy does not retry: add the job's note and re-raise the error as itself.
   Otherwise report the retry through ``on_retry`` and sleep the policy's delay
   (a checkpoint: a sibling's failure cancels the job during its backoff).

``on_retry`` is called before the sleep, synchronously, so that whoever watches
the job (the engine's ``tasks``/``debug`` stream) sees the failed attempt end
before the next one starts. Errors of retried attempts get no note: they are not
the job's outcome.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import attrs
import trio

from ._groups import is_cancellation
from ._retry import RetryPolicy, matching_policy

__all__ = ["Job", "run_job"]


@attrs.define
class Job:
    """One unit of work for :func:`run_job` or a :class:`~actors.WorkerPool`.

    Args:
        name: names the job in its timeout error and default note.
        behaviour: ``await behaviour()`` does the work; called once per attempt.
        retry: run it again after a failure, as the policy says (never, if omitted);
            given a list, the first policy whose ``retry_on`` matches the error
            decides, with the attempts counted across all of them.
        timeout: seconds each attempt may take before it fails with ``TimeoutError``.
        note: the note added to the job's final error (default ``"in job '<name>'"``),
            or a function making it, so that jobs that succeed never format one.
        on_retry: called as ``on_retry(attempt, error, delay)`` when attempt number
            ``attempt`` (1-based) failed with ``error`` and the next one starts after
            ``delay`` seconds. It runs synchronously before the backoff; an error it
            raises ends the job with that error.
    """

    name: str
    behaviour: Callable[[], Awaitable[Any]]
    retry: RetryPolicy | Sequence[RetryPolicy] | None = None
    timeout: float | None = None
    note: str | Callable[[], str] | None = None
    on_retry: Callable[[int, BaseException, float], None] | None = attrs.field(default=None, kw_only=True)

    # Not frozen: the engine makes one Job per task, and a frozen slotted class
    # takes 2.4x as long to build (610 vs 250 ns measured). Nothing mutates one.


async def run_job(job: Job) -> None:
    """Run ``job`` in the calling task, with its retries, timeout and error note.

    For a caller that has exactly one job to do (the engine's driver running a
    step's lone task): it saves the hand-off to a worker and back.

    Raises:
        BaseException: the last attempt's error, as itself, with the job's note
            added — a ``TimeoutError`` if that attempt outlived ``job.timeout``.
            A cancellation is re-raised untouched, never retried.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            if job.timeout is None:
                await job.behaviour()
            else:
                await _attempt_with_timeout(job.name, job.behaviour, job.timeout)
            return
        except BaseException as error:
            if is_cancellation(error):
                raise
            retry = matching_policy(job.retry, error) if job.retry is not None else None
            if retry is None or not retry.should_retry(error, attempt):
                note = job.note() if callable(job.note) else job.note
                error.add_note(note if note is not None else f"in job {job.name!r}")
                raise
            delay = retry.delay(attempt)
            if job.on_retry is not None:
                job.on_retry(attempt, error, delay)
        await trio.sleep(delay)


async def _attempt_with_timeout(name: str, behaviour: Callable[[], Awaitable[Any]], timeout: float) -> None:
    with trio.move_on_after(timeout) as deadline:
        await behaviour()
    if deadline.cancelled_caught:
        # trio.TooSlowError is not a TimeoutError; the behaviour's own fail_after
        # deadlines still raise it, only the job's deadline is reported as the builtin.
        raise TimeoutError(f"job {name!r} took longer than {timeout} seconds")
