"""run_job: the one retry loop — attempts, backoff, timeouts, notes, ``on_retry`` (on a mock clock)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn

import pytest
import trio
import trio.testing

from actors import Job, RetryPolicy, Supervisor, run_job


class Flaky(Exception):
    pass


class Fatal(BaseException):
    pass


Retry = tuple[int, BaseException, float]


def flaky_behaviour(failures: Sequence[BaseException], starts: list[float]) -> Callable[[], Awaitable[str]]:
    """A behaviour that raises ``failures`` one per attempt, then returns ``"ok"``."""
    remaining = list(failures)

    async def behaviour() -> str:
        starts.append(trio.current_time())
        if remaining:
            raise remaining.pop(0)
        return "ok"

    return behaviour


def recording(retries: list[Retry]) -> Callable[[int, BaseException, float], None]:
    return lambda attempt, error, delay: retries.append((attempt, error, delay))


# -- the job --------------------------------------------------------------------------


def test_job_takes_on_retry_by_keyword_only() -> None:
    # (Not frozen: one is built per task, and a frozen class builds 2.4x slower.)
    async def nothing() -> None:
        pass

    job = Job("j", nothing, None, 1.0, "a note")  # the engine builds jobs positionally
    assert (job.retry, job.timeout, job.note, job.on_retry) == (None, 1.0, "a note", None)
    with pytest.raises(TypeError):
        Job("j", nothing, None, None, None, print)  # type: ignore[call-arg]  # on_retry is keyword-only


async def test_a_job_without_policy_runs_once() -> None:
    starts: list[float] = []
    with pytest.raises(Flaky) as caught:
        await run_job(Job("once", flaky_behaviour([Flaky()], starts)))
    assert len(starts) == 1
    assert caught.value.__notes__ == ["in job 'once'"]


async def test_a_successful_job_runs_once_and_formats_no_note() -> None:
    notes: list[str] = []

    def note() -> str:
        notes.append("formatted")
        return "in node 'x'"

    starts: list[float] = []
    await run_job(Job("fine", flaky_behaviour([], starts), note=note))
    assert len(starts) == 1
    assert notes == []


async def test_a_note_function_is_called_once_on_failure() -> None:
    calls: list[str] = []

    def note() -> str:
        calls.append("called")
        return "in node 'agent' at step 3"

    policy = RetryPolicy(max_attempts=3, initial_interval=0, jitter=False)
    with pytest.raises(Flaky) as caught:
        await run_job(Job("x", flaky_behaviour([Flaky()] * 3, []), policy, note=note))
    assert calls == ["called"]
    assert caught.value.__notes__ == ["in node 'agent' at step 3"]


async def test_a_string_note_replaces_the_default() -> None:
    with pytest.raises(Flaky) as caught:
        await run_job(Job("x", flaky_behaviour([Flaky()], []), note="in task 'x:1'"))
    assert caught.value.__notes__ == ["in task 'x:1'"]


async def test_the_jobs_error_keeps_its_cause() -> None:
    async def failing() -> NoReturn:
        try:
            raise KeyError("k")
        except KeyError as key_error:
            raise Flaky("wrapped") from key_error

    with pytest.raises(Flaky) as caught:
        await run_job(Job("x", failing))
    assert isinstance(caught.value.__cause__, KeyError)


# -- retries --------------------------------------------------------------------------


async def test_retry_restarts_until_success(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[Retry] = []
    starts: list[float] = []
    first, second = Flaky("one"), Flaky("two")
    policy = RetryPolicy(initial_interval=1.0, backoff_factor=3.0, jitter=False, max_attempts=3)

    t0 = trio.current_time()
    await run_job(Job("flaky", flaky_behaviour([first, second], starts), policy, on_retry=recording(retries)))

    assert retries == [(1, first, 1.0), (2, second, 3.0)]
    assert [start - t0 for start in starts] == pytest.approx([0.0, 1.0, 4.0])
    # Retried errors are not the job's outcome: no note was added to them.
    assert not hasattr(first, "__notes__") and not hasattr(second, "__notes__")


async def test_max_attempts_is_respected(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[Retry] = []
    starts: list[float] = []
    errors = [Flaky(str(i)) for i in range(10)]
    policy = RetryPolicy(initial_interval=2.0, backoff_factor=1.0, jitter=False, max_attempts=4)

    with pytest.raises(Flaky) as caught:
        await run_job(Job("always", flaky_behaviour(errors, starts), policy, on_retry=recording(retries)))
    assert caught.value is errors[3]
    assert caught.value.__notes__ == ["in job 'always'"]
    assert len(starts) == 4
    assert [attempt for attempt, _, _ in retries] == [1, 2, 3]
    assert starts[-1] - starts[0] == pytest.approx(6.0)


async def test_max_attempts_one_means_no_retry(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    retries: list[Retry] = []
    policy = RetryPolicy(max_attempts=1)
    with pytest.raises(Flaky):
        await run_job(Job("once", flaky_behaviour([Flaky()], starts), policy, on_retry=recording(retries)))
    assert len(starts) == 1
    assert retries == []


@pytest.mark.parametrize("error_type", [ValueError, KeyError, TypeError, RuntimeError, AttributeError])
async def test_programming_errors_are_not_retried_by_default(
    autojump_clock: trio.testing.MockClock, error_type: type[Exception]
) -> None:
    starts: list[float] = []
    retries: list[Retry] = []
    error = error_type("bug")
    with pytest.raises(error_type) as caught:
        await run_job(Job("buggy", flaky_behaviour([error], starts), RetryPolicy(max_attempts=5), on_retry=recording(retries)))
    assert caught.value is error
    assert len(starts) == 1
    assert retries == []


async def test_base_exceptions_are_not_retried_by_default(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    with pytest.raises(Fatal) as caught:
        await run_job(Job("fatal", flaky_behaviour([Fatal()], starts), RetryPolicy(max_attempts=5)))
    assert len(starts) == 1
    assert caught.value.__notes__ == ["in job 'fatal'"]


@pytest.mark.parametrize(
    "retry_on",
    [
        ConnectionError,
        (KeyError, ConnectionError),
        lambda error: isinstance(error, ConnectionError) and "again" in str(error),
    ],
    ids=["type", "tuple", "predicate"],
)
async def test_retry_on_forms_through_run_job(autojump_clock: trio.testing.MockClock, retry_on: Any) -> None:
    policy = RetryPolicy(retry_on=retry_on, jitter=False, initial_interval=1, max_attempts=5)
    retried: list[float] = []
    await run_job(Job("retried", flaky_behaviour([ConnectionError("try again")] * 2, retried), policy))
    assert len(retried) == 3

    refused: list[float] = []
    with pytest.raises(OSError):
        await run_job(Job("refused", flaky_behaviour([OSError("disk")], refused), policy))
    assert len(refused) == 1


async def test_retry_on_can_retry_a_programming_error(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    policy = RetryPolicy(retry_on=(ValueError,), jitter=False, max_attempts=2)
    await run_job(Job("v", flaky_behaviour([ValueError("once")], starts), policy))
    assert len(starts) == 2


async def test_jittered_delay_is_what_the_job_waits(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[Retry] = []
    starts: list[float] = []
    policy = RetryPolicy(initial_interval=2.0, backoff_factor=2.0, jitter=True, max_attempts=3)
    await run_job(Job("j", flaky_behaviour([Flaky(), Flaky()], starts), policy, on_retry=recording(retries)))
    delays = [delay for _, _, delay in retries]
    assert 2.0 <= delays[0] <= 3.0
    assert 4.0 <= delays[1] <= 5.0
    assert [b - a for a, b in zip(starts, starts[1:])] == pytest.approx(delays)


# -- on_retry -------------------------------------------------------------------------


async def test_on_retry_runs_before_the_backoff(autojump_clock: trio.testing.MockClock) -> None:
    # The engine reports the failed attempt from on_retry; the next attempt's start
    # must come after that report, and the report must not wait for the backoff.
    events: list[tuple[str, float]] = []
    remaining = [Flaky()]

    async def behaviour() -> None:
        events.append(("attempt", trio.current_time()))
        if remaining:
            raise remaining.pop()

    def on_retry(attempt: int, error: BaseException, delay: float) -> None:
        events.append(("retry", trio.current_time()))

    policy = RetryPolicy(initial_interval=5.0, jitter=False)
    t0 = trio.current_time()
    await run_job(Job("x", behaviour, policy, on_retry=on_retry))
    assert [(kind, time - t0) for kind, time in events] == [("attempt", 0.0), ("retry", 0.0), ("attempt", 5.0)]


async def test_on_retry_is_not_called_for_the_final_failure(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[Retry] = []
    errors = [Flaky("1"), Flaky("2")]
    policy = RetryPolicy(max_attempts=2, initial_interval=1, jitter=False)
    with pytest.raises(Flaky) as caught:
        await run_job(Job("x", flaky_behaviour(errors, []), policy, on_retry=recording(retries)))
    assert caught.value is errors[1]
    assert retries == [(1, errors[0], 1.0)]


async def test_an_error_in_on_retry_ends_the_job(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    error = Flaky("attempt 1")

    def on_retry(attempt: int, failed: BaseException, delay: float) -> None:
        raise LookupError("reporting failed")

    policy = RetryPolicy(max_attempts=3, jitter=False)
    with pytest.raises(LookupError, match="reporting failed") as caught:
        await run_job(Job("x", flaky_behaviour([error], starts), policy, on_retry=on_retry))
    assert len(starts) == 1
    assert caught.value.__context__ is error


# -- cancellation ---------------------------------------------------------------------


async def test_cancellation_is_never_retried(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    retries: list[Retry] = []

    async def hangs() -> None:
        starts.append(trio.current_time())
        await trio.sleep_forever()

    everything = RetryPolicy(retry_on=lambda error: True, max_attempts=10)
    with trio.move_on_after(3) as scope:
        await run_job(Job("hangs", hangs, everything, on_retry=recording(retries)))
    assert scope.cancelled_caught
    assert len(starts) == 1
    assert retries == []


async def test_a_group_of_cancellations_is_never_retried(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []

    async def with_helpers() -> None:
        starts.append(trio.current_time())
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.sleep_forever)
            nursery.start_soon(trio.sleep_forever)

    everything = RetryPolicy(retry_on=lambda error: True, max_attempts=10)
    with trio.move_on_after(3) as scope:
        await run_job(Job("helpers", with_helpers, everything))
    assert scope.cancelled_caught
    assert len(starts) == 1


async def test_cancelled_during_backoff_stops_without_a_note(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[Retry] = []
    starts: list[float] = []
    error = Flaky()
    policy = RetryPolicy(initial_interval=100.0, jitter=False, max_attempts=3)
    with trio.move_on_after(10) as scope:
        await run_job(Job("backing-off", flaky_behaviour([error], starts), policy, on_retry=recording(retries)))
    assert scope.cancelled_caught
    assert len(starts) == 1
    assert retries == [(1, error, 100.0)]
    assert not hasattr(error, "__notes__")


async def test_sibling_failure_during_backoff_cancels_the_retrying_job(
    autojump_clock: trio.testing.MockClock,
) -> None:
    starts: list[float] = []

    async def fails_later() -> NoReturn:
        await trio.sleep(5)
        raise KeyError("sibling")

    policy = RetryPolicy(initial_interval=100.0, jitter=False, max_attempts=3)
    with pytest.raises(KeyError):
        async with Supervisor() as sup:
            sup.spawn("retrying", run_job, Job("retrying", flaky_behaviour([Flaky()], starts), policy))
            sup.spawn("failing", fails_later)
    assert len(starts) == 1
    assert trio.current_time() == pytest.approx(5.0)


async def test_siblings_keep_running_while_a_job_retries(autojump_clock: trio.testing.MockClock) -> None:
    done: list[str] = []

    async def steady() -> None:
        await trio.sleep(10)
        done.append("steady")

    starts: list[float] = []
    policy = RetryPolicy(initial_interval=1.0, jitter=False, max_attempts=3)
    async with Supervisor() as sup:
        sup.spawn("flaky", run_job, Job("flaky", flaky_behaviour([Flaky(), Flaky()], starts), policy))
        sup.spawn("steady", steady)
    assert done == ["steady"]
    assert len(starts) == 3


# -- timeouts -------------------------------------------------------------------------


async def test_timeout_raises_timeout_error(autojump_clock: trio.testing.MockClock) -> None:
    async def slow() -> None:
        await trio.sleep(10)

    start = trio.current_time()
    with pytest.raises(TimeoutError, match="job 'slow' took longer than 1.5 seconds") as caught:
        await run_job(Job("slow", slow, timeout=1.5))
    assert trio.current_time() - start == pytest.approx(1.5)
    assert caught.value.__notes__ == ["in job 'slow'"]


async def test_timeout_not_hit_lets_the_job_finish(autojump_clock: trio.testing.MockClock) -> None:
    finished: list[float] = []

    async def quick() -> None:
        await trio.sleep(0.5)
        finished.append(trio.current_time())

    t0 = trio.current_time()
    await run_job(Job("quick", quick, timeout=1))
    assert [time - t0 for time in finished] == pytest.approx([0.5])


async def test_a_behaviours_own_too_slow_error_is_not_rewritten(autojump_clock: trio.testing.MockClock) -> None:
    async def own_deadline() -> None:
        with trio.fail_after(1):
            await trio.sleep(5)

    with pytest.raises(trio.TooSlowError):
        await run_job(Job("own", own_deadline, timeout=100))


async def test_each_attempt_gets_its_own_timeout(autojump_clock: trio.testing.MockClock) -> None:
    retries: list[Retry] = []
    starts: list[float] = []

    async def hangs() -> None:
        starts.append(trio.current_time())
        await trio.sleep_forever()

    policy = RetryPolicy(initial_interval=1.0, backoff_factor=1.0, jitter=False, max_attempts=3)
    t0 = trio.current_time()
    with pytest.raises(TimeoutError):
        await run_job(Job("hangs", hangs, policy, timeout=5, on_retry=recording(retries)))
    assert [start - t0 for start in starts] == pytest.approx([0.0, 6.0, 12.0])
    assert trio.current_time() - t0 == pytest.approx(17.0)
    assert [type(error) for _, error, _ in retries] == [TimeoutError, TimeoutError]


async def test_a_timeout_in_a_supervised_job_cancels_siblings(autojump_clock: trio.testing.MockClock) -> None:
    log: list[str] = []

    async def sibling() -> None:
        try:
            await trio.sleep_forever()
        finally:
            log.append("sibling finally")

    async def slow() -> None:
        await trio.sleep(10)

    with pytest.raises(TimeoutError) as caught:
        async with Supervisor() as sup:
            sup.spawn("sibling", sibling)
            sup.spawn("slow", run_job, Job("slow", slow, timeout=2), note="")
    assert log == ["sibling finally"]
    assert trio.current_time() == pytest.approx(2.0)
    assert caught.value.__notes__ == ["in job 'slow'"]


async def test_an_outer_cancel_is_not_reported_as_a_timeout(autojump_clock: trio.testing.MockClock) -> None:
    async def slow() -> None:
        await trio.sleep(10)

    with trio.move_on_after(1) as scope:
        await run_job(Job("slow", slow, timeout=5))
    assert scope.cancelled_caught
    assert trio.current_time() == pytest.approx(1.0)


# -- a list of policies ------------------------------------------------------------------


async def test_a_list_of_policies_uses_the_first_that_matches(autojump_clock: trio.testing.MockClock) -> None:
    errors: list[BaseException] = [KeyError("k"), KeyError("k"), OSError("o")]
    started: list[float] = []

    async def behaviour() -> None:
        started.append(trio.current_time())
        raise errors[len(started) - 1]

    policies = [
        RetryPolicy(retry_on=OSError, max_attempts=3, initial_interval=10.0, jitter=False),
        RetryPolicy(retry_on=KeyError, max_attempts=5, initial_interval=1.0, backoff_factor=1.0, jitter=False),
    ]
    with pytest.raises(OSError):
        await run_job(Job("listed", behaviour, policies))
    # Two KeyErrors waited the KeyError policy's second each; the OSError came on
    # the third attempt, which the OSError policy's budget of three does not extend.
    assert [b - a for a, b in zip(started, started[1:])] == [1.0, 1.0]


async def test_an_error_no_listed_policy_matches_ends_the_job(autojump_clock: trio.testing.MockClock) -> None:
    attempts = 0

    async def behaviour() -> None:
        nonlocal attempts
        attempts += 1
        raise LookupError("nobody retries me")

    with pytest.raises(LookupError):
        await run_job(Job("listed", behaviour, [RetryPolicy(retry_on=OSError)]))
    assert attempts == 1
