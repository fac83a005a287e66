"""WorkerPool: which worker runs what, concurrency where jobs block, isolation, failures, cancellation."""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import NoReturn

import pytest
import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from actors import Job, RetryPolicy, Supervisor, WorkerPool


class Boom(Exception):
    pass


def current_worker() -> str:
    return trio.lowlevel.current_task().name


def live_workers(prefix: str = "pool-") -> set[str]:
    """Names of the pool's workers still alive."""
    names: set[str] = set()

    def walk(task: trio.lowlevel.Task) -> None:
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                if child.name.startswith(prefix):
                    names.add(child.name)
                walk(child)

    root = trio.lowlevel.current_root_task()
    assert root is not None
    walk(root)
    return names


def recorded(log: list[tuple[str, str]], name: str, wait: Callable[[], Awaitable[object]] | None = None) -> Job:
    """A job that records which worker started it (and waits on ``wait``, if given)."""

    async def behaviour() -> None:
        log.append((name, current_worker()))
        if wait is not None:
            await wait()

    return Job(name, behaviour)


# -- who runs what --------------------------------------------------------------------


async def test_an_empty_batch_returns_at_once_and_spawns_nothing() -> None:
    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([])
        assert live_workers() == set()


async def test_jobs_that_never_block_run_in_order_on_one_worker() -> None:
    log: list[tuple[str, str]] = []
    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([recorded(log, f"job-{i}") for i in range(20)])
        supervisor.cancel()
    assert [name for name, _ in log] == [f"job-{i}" for i in range(20)]
    assert {worker for _, worker in log} == {"pool-1"}


async def test_jobs_that_block_each_get_a_worker_and_overlap() -> None:
    log: list[tuple[str, str]] = []
    release = trio.Event()
    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        async with trio.open_nursery() as nursery:
            nursery.start_soon(pool.run, [recorded(log, f"job-{i}", release.wait) for i in range(5)])
            await trio.testing.wait_all_tasks_blocked()
            # All five started before any finished: they run concurrently.
            assert [name for name, _ in log] == [f"job-{i}" for i in range(5)]
            assert len({worker for _, worker in log}) == 5
            release.set()
        supervisor.cancel()


async def test_a_blocking_job_does_not_hold_back_the_rest_of_its_batch(
    autojump_clock: trio.testing.MockClock,
) -> None:
    finished: dict[str, float] = {}

    def job(name: str, seconds: float) -> Job:
        async def behaviour() -> None:
            await trio.sleep(seconds)
            finished[name] = trio.current_time()

        return Job(name, behaviour)

    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        t0 = trio.current_time()
        await pool.run([job("slow", 10), job("fast-1", 0), job("fast-2", 1)])
        assert trio.current_time() - t0 == pytest.approx(10)  # run() returns after the last job
        supervisor.cancel()
    assert finished["fast-1"] - t0 == pytest.approx(0)
    assert finished["fast-2"] - t0 == pytest.approx(1)
    assert finished["slow"] - t0 == pytest.approx(10)


async def test_idle_workers_take_the_next_batch() -> None:
    log: list[tuple[str, str]] = []
    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([recorded(log, f"first-{i}", trio.lowlevel.checkpoint) for i in range(4)])
        await trio.testing.wait_all_tasks_blocked()
        idle = live_workers()
        assert len(idle) >= 2
        # Fewer jobs than idle workers: those woken take them all, nobody new is spawned.
        await pool.run([recorded(log, f"second-{i}", trio.lowlevel.checkpoint) for i in range(len(idle) - 1)])
        await trio.testing.wait_all_tasks_blocked()
        assert live_workers() == idle
        supervisor.cancel()
    assert {worker for name, worker in log if name.startswith("second")} <= idle


# -- isolation ------------------------------------------------------------------------


async def test_pool_jobs_never_see_each_others_context_changes() -> None:
    leaked: contextvars.ContextVar[str] = contextvars.ContextVar("leaked", default="clean")
    seen: list[str] = []

    async def leaky() -> None:
        seen.append(leaked.get())
        leaked.set("dirty")  # never reset

    async with Supervisor("pool") as supervisor:
        pool = WorkerPool(supervisor)
        for _ in range(3):
            await pool.run([Job("leaky", leaky), Job("leaky", leaky)])
        supervisor.cancel()

    assert seen == ["clean"] * 6


async def test_a_job_that_leaves_a_context_change_retires_its_worker() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="clean")
    log: list[tuple[str, str]] = []

    async def leaky() -> None:
        log.append(("leaky", current_worker()))
        var.set("dirty")

    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([Job("leaky", leaky)])
        await trio.testing.wait_all_tasks_blocked()
        retired = log[0][1]
        assert retired not in live_workers()
        await pool.run([recorded(log, "next")])
        supervisor.cancel()
    assert log[1][1] != retired


async def test_a_job_that_resets_its_context_change_keeps_its_worker() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="clean")
    log: list[tuple[str, str]] = []

    async def tidy() -> None:
        log.append(("tidy", current_worker()))
        token = var.set("mine")
        var.reset(token)

    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([Job("tidy", tidy), Job("tidy", tidy)])
        supervisor.cancel()
    assert log[0][1] == log[1][1]


# -- failures -------------------------------------------------------------------------


async def test_a_failing_job_cancels_its_batch_and_comes_out_with_its_note_only() -> None:
    log: list[str] = []
    error = Boom("job failed")

    async def waits() -> None:
        try:
            await trio.sleep_forever()
        finally:
            log.append("waiting job finally")

    async def fails() -> NoReturn:
        await trio.testing.wait_all_tasks_blocked()
        raise error

    with pytest.raises(Boom) as caught:
        async with Supervisor() as supervisor:
            pool = WorkerPool(supervisor, "pool")
            await pool.run([Job("waits", waits), Job("fails", fails, note="in node 'n'")])
            log.append("run returned")  # never: the failure cancels the caller too
    assert caught.value is error
    assert caught.value.__notes__ == ["in node 'n'"]  # the worker adds none
    assert log == ["waiting job finally"]


async def test_jobs_retry_on_their_worker_while_the_batch_goes_on(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[tuple[int, float]] = []
    attempts: list[tuple[str, float]] = []
    remaining = [ConnectionError("1"), ConnectionError("2")]

    async def flaky() -> None:
        attempts.append((current_worker(), trio.current_time()))
        if remaining:
            raise remaining.pop(0)

    async def steady() -> None:
        await trio.sleep(2)

    policy = RetryPolicy(initial_interval=1.0, backoff_factor=1.0, jitter=False)
    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        t0 = trio.current_time()
        await pool.run(
            [
                Job("flaky", flaky, policy, on_retry=lambda attempt, _, delay: retries.append((attempt, delay))),
                Job("steady", steady),
            ]
        )
        assert trio.current_time() - t0 == pytest.approx(2)
        supervisor.cancel()
    assert retries == [(1, 1.0), (2, 1.0)]
    assert [time - t0 for _, time in attempts] == pytest.approx([0, 1, 2])
    assert len({worker for worker, _ in attempts}) == 1  # the retry loop runs on the worker


async def test_a_timeout_in_the_pool_fails_the_supervisor(autojump_clock: trio.testing.MockClock) -> None:
    with pytest.raises(TimeoutError) as caught:
        async with Supervisor() as supervisor:
            pool = WorkerPool(supervisor, "pool")
            await pool.run([Job("slow", trio.sleep_forever, timeout=3)])
    assert trio.current_time() == pytest.approx(3)
    assert caught.value.__notes__ == ["in job 'slow'"]


# -- cancellation ---------------------------------------------------------------------


async def test_cancelling_from_outside_during_a_batch_leaves_no_worker_running() -> None:
    finally_ran: list[str] = []

    async def waits() -> None:
        try:
            await trio.sleep_forever()
        finally:
            finally_ran.append(current_worker())

    with trio.CancelScope() as scope:
        async with Supervisor() as supervisor:
            pool = WorkerPool(supervisor, "pool")
            async with trio.open_nursery() as nursery:
                nursery.start_soon(pool.run, [Job(f"w{i}", waits) for i in range(3)])
                await trio.testing.wait_all_tasks_blocked()
                assert len(live_workers()) >= 3
                scope.cancel()
    assert scope.cancelled_caught
    assert live_workers() == set()
    assert len(finally_ran) == 3


async def test_supervisor_cancel_releases_idle_workers() -> None:
    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([Job("one", trio.lowlevel.checkpoint), Job("two", trio.lowlevel.checkpoint)])
        await trio.testing.wait_all_tasks_blocked()
        assert live_workers()  # parked, waiting for the next batch
        supervisor.cancel()
    assert live_workers() == set()


async def test_a_long_run_of_non_blocking_jobs_stays_cancellable() -> None:
    ran: list[int] = []

    def job(i: int) -> Job:
        async def behaviour() -> None:
            ran.append(i)
            if i == 5:
                supervisor.cancel()

        return Job(f"j{i}", behaviour)

    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        await pool.run([job(i) for i in range(1000)])
    # No job starts once the supervisor is cancelled, on this worker or a fresh one.
    assert ran == list(range(6))


async def test_no_job_starts_after_one_failed() -> None:
    # Regression: the spare worker spawned before the failure used to run one queued
    # job before noticing the cancellation, and spawn a spare that did the same,
    # so every remaining job of the batch ran after the batch had failed.
    ran: list[int] = []

    def job(i: int) -> Job:
        async def behaviour() -> None:
            ran.append(i)
            if i == 0:
                raise Boom("first job")

        return Job(f"j{i}", behaviour)

    with pytest.raises(Boom):
        async with Supervisor() as supervisor:
            pool = WorkerPool(supervisor, "pool")
            await pool.run([job(i) for i in range(10)])
    assert ran == [0]


# -- the invariants, over random batches ----------------------------------------------


@settings(deadline=None, max_examples=60)
@given(
    batches=st.lists(
        st.lists(st.sampled_from(["none", "checkpoint", "sleep", "leak"]), min_size=0, max_size=8),
        min_size=1,
        max_size=5,
    )
)
async def test_every_job_runs_once_and_each_batch_ends_when_its_jobs_do(batches: list[list[str]]) -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="clean")
    started: list[tuple[int, int]] = []
    finished: list[tuple[int, int]] = []

    def job(batch: int, index: int, kind: str) -> Job:
        async def behaviour() -> None:
            assert var.get() == "clean"
            started.append((batch, index))
            if kind == "checkpoint":
                await trio.lowlevel.checkpoint()
            elif kind == "sleep":
                await trio.sleep(0.001 * (index + 1))
            elif kind == "leak":
                var.set("dirty")
            finished.append((batch, index))

        return Job(f"{batch}.{index}", behaviour)

    async with Supervisor() as supervisor:
        pool = WorkerPool(supervisor, "pool")
        for number, kinds in enumerate(batches):
            await pool.run([job(number, index, kind) for index, kind in enumerate(kinds)])
            expected = [(b, i) for b, kinds_b in enumerate(batches[: number + 1]) for i in range(len(kinds_b))]
            assert sorted(finished) == expected
            # Jobs start in the order they were given.
            assert [i for b, i in started if b == number] == list(range(len(kinds)))
        supervisor.cancel()
    assert len(started) == len(finished) == sum(map(len, batches))
