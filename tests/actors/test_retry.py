"""RetryPolicy on its own, and actors restarted by the supervisor under it (on a mock clock)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import attrs
import pytest
import trio
import trio.testing
from hypothesis import given
from hypothesis import strategies as st

from actors import (
    ActorRetrying,
    ActorStarted,
    ActorStopped,
    LifecycleRecord,
    RetryPolicy,
    Supervisor,
    default_retry_on,
)


class Flaky(Exception):
    pass


class Fatal(BaseException):
    pass


# -- the policy -----------------------------------------------------------------------


def test_defaults_follow_langgraph() -> None:
    policy = RetryPolicy()
    assert policy.initial_interval == 0.5
    assert policy.backoff_factor == 2.0
    assert policy.max_interval == 128.0
    assert policy.max_attempts == 3
    assert policy.jitter is True
    assert policy.retry_on is default_retry_on


def test_policy_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        RetryPolicy().max_attempts = 5  # type: ignore[misc]


@pytest.mark.parametrize("attempts", [0, -1])
def test_max_attempts_must_be_positive(attempts: int) -> None:
    with pytest.raises(ValueError, match="max_attempts must be at least 1"):
        RetryPolicy(max_attempts=attempts)


@pytest.mark.parametrize(
    "error",
    [
        ValueError(),
        TypeError(),
        KeyError("k"),
        IndexError(),
        ZeroDivisionError(),
        NameError(),
        UnboundLocalError(),
        AttributeError(),
        AssertionError(),
        NotImplementedError(),
        RuntimeError(),
        RecursionError(),
    ],
    ids=lambda error: type(error).__name__,
)
def test_default_does_not_retry_programming_errors(error: BaseException) -> None:
    assert default_retry_on(error) is False
    assert RetryPolicy().should_retry(error, 1) is False


@pytest.mark.parametrize(
    "error",
    [Flaky(), ConnectionError(), ConnectionResetError(), TimeoutError(), OSError(), Exception()],
    ids=lambda error: type(error).__name__,
)
def test_default_retries_other_exceptions(error: BaseException) -> None:
    assert default_retry_on(error) is True
    assert RetryPolicy().should_retry(error, 1) is True


@pytest.mark.parametrize("error", [Fatal(), KeyboardInterrupt(), SystemExit(), GeneratorExit()])
def test_default_never_retries_base_exceptions(error: BaseException) -> None:
    assert default_retry_on(error) is False


@pytest.mark.parametrize(
    "retry_on",
    [Flaky, (KeyError, Flaky), [KeyError, Flaky], lambda error: isinstance(error, Flaky)],
    ids=["type", "tuple", "list", "predicate"],
)
def test_retry_on_forms(retry_on: Any) -> None:
    policy = RetryPolicy(retry_on=retry_on, max_attempts=5)
    assert policy.should_retry(Flaky(), 1)
    assert not policy.should_retry(OSError(), 1)


def test_retry_on_type_matches_subclasses() -> None:
    policy = RetryPolicy(retry_on=OSError)
    assert policy.should_retry(ConnectionResetError(), 1)
    assert not policy.should_retry(ValueError(), 1)


def test_retry_on_type_can_opt_into_programming_errors() -> None:
    assert RetryPolicy(retry_on=ValueError).should_retry(ValueError(), 1)


@pytest.mark.parametrize("max_attempts", [1, 2, 3, 7])
def test_should_retry_stops_at_max_attempts(max_attempts: int) -> None:
    policy = RetryPolicy(max_attempts=max_attempts, retry_on=lambda error: True)
    verdicts = [policy.should_retry(Flaky(), attempt) for attempt in range(1, max_attempts + 2)]
    assert verdicts == [True] * (max_attempts - 1) + [False, False]


def test_delay_backs_off_and_is_capped() -> None:
    policy = RetryPolicy(initial_interval=0.5, backoff_factor=2.0, max_interval=5.0, jitter=False)
    assert [policy.delay(attempt) for attempt in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_delay_with_factor_one_is_constant() -> None:
    policy = RetryPolicy(initial_interval=3, backoff_factor=1, jitter=False)
    assert {policy.delay(attempt) for attempt in range(1, 20)} == {3}


def test_delay_for_a_very_late_attempt_is_the_cap() -> None:
    # Long-running "retry practically forever" policies reach attempts where the
    # backoff no longer fits in a float.
    policy = RetryPolicy(initial_interval=0.1, backoff_factor=2.0, max_interval=60.0, jitter=False)
    assert policy.delay(1100) == 60.0
    assert RetryPolicy(max_interval=60.0).delay(5000) <= 61.0
    assert RetryPolicy(initial_interval=0.0, jitter=False).delay(5000) == 0.0


@given(attempt=st.integers(1, 60), initial=st.floats(0, 10), factor=st.floats(1, 4), cap=st.floats(0, 200))
def test_jitter_adds_at_most_one_second(attempt: int, initial: float, factor: float, cap: float) -> None:
    plain = RetryPolicy(initial_interval=initial, backoff_factor=factor, max_interval=cap, jitter=False)
    jittered = attrs.evolve(plain, jitter=True)
    base = plain.delay(attempt)
    assert base <= cap
    assert base <= jittered.delay(attempt) <= base + 1


# -- the supervisor under a policy ----------------------------------------------------


def flaky_behaviour(failures: Sequence[BaseException], starts: list[float]) -> Callable[[], Any]:
    """A behaviour that raises ``failures`` one per attempt, then returns ``"ok"``."""
    remaining = list(failures)

    async def behaviour() -> str:
        starts.append(trio.current_time())
        if remaining:
            raise remaining.pop(0)
        return "ok"

    return behaviour


async def test_retry_restarts_until_success(autojump_clock: trio.testing.MockClock) -> None:
    records: list[LifecycleRecord] = []
    starts: list[float] = []
    first, second = Flaky("one"), Flaky("two")
    policy = RetryPolicy(initial_interval=1.0, backoff_factor=3.0, jitter=False, max_attempts=3)

    async with Supervisor(on_lifecycle=records.append) as sup:
        t0 = trio.current_time()
        actor = sup.spawn("flaky", flaky_behaviour([first, second], starts), retry=policy)

    assert (actor.state, actor.result, actor.error, actor.attempts) == ("done", "ok", None, 3)
    assert records == [
        ActorStarted("flaky"),
        ActorRetrying("flaky", 1, first, 1.0),
        ActorRetrying("flaky", 2, second, 3.0),
        ActorStopped("flaky", "ok"),
    ]
    assert [start - t0 for start in starts] == pytest.approx([0.0, 1.0, 4.0])
    # Retried errors are not the supervisor's business: no note was added to them.
    assert not hasattr(first, "__notes__") and not hasattr(second, "__notes__")


async def test_max_attempts_is_respected(autojump_clock: trio.testing.MockClock) -> None:
    records: list[LifecycleRecord] = []
    starts: list[float] = []
    errors = [Flaky(str(i)) for i in range(10)]
    policy = RetryPolicy(initial_interval=2.0, backoff_factor=1.0, jitter=False, max_attempts=4)

    with pytest.raises(Flaky) as caught:
        async with Supervisor(on_lifecycle=records.append) as sup:
            actor = sup.spawn("always", flaky_behaviour(errors, starts), retry=policy)
    assert caught.value is errors[3]
    assert caught.value.__notes__ == ["in actor 'always'"]
    assert (actor.state, actor.attempts, actor.error) == ("failed", 4, errors[3])
    assert len(starts) == 4
    assert [r.attempt for r in records if isinstance(r, ActorRetrying)] == [1, 2, 3]
    assert records[0] == ActorStarted("always")
    assert records[-1] == ActorStopped("always", "error", errors[3])
    assert starts[-1] - starts[0] == pytest.approx(6.0)


async def test_max_attempts_one_means_no_retry(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    with pytest.raises(Flaky):
        async with Supervisor() as sup:
            actor = sup.spawn("once", flaky_behaviour([Flaky()], starts), retry=RetryPolicy(max_attempts=1))
    assert actor.attempts == 1
    assert len(starts) == 1


@pytest.mark.parametrize("error_type", [ValueError, KeyError, TypeError, RuntimeError, AttributeError])
async def test_programming_errors_are_not_retried_by_default(
    autojump_clock: trio.testing.MockClock, error_type: type[Exception]
) -> None:
    records: list[LifecycleRecord] = []
    starts: list[float] = []
    error = error_type("bug")
    with pytest.raises(error_type) as caught:
        async with Supervisor(on_lifecycle=records.append) as sup:
            actor = sup.spawn("buggy", flaky_behaviour([error], starts), retry=RetryPolicy(max_attempts=5))
    assert caught.value is error
    assert actor.attempts == 1
    assert records == [ActorStarted("buggy"), ActorStopped("buggy", "error", error)]


async def test_base_exceptions_are_not_retried_by_default(autojump_clock: trio.testing.MockClock) -> None:
    starts: list[float] = []
    with pytest.raises(Fatal):
        async with Supervisor() as sup:
            actor = sup.spawn("fatal", flaky_behaviour([Fatal()], starts), retry=RetryPolicy(max_attempts=5))
    assert actor.attempts == 1


@pytest.mark.parametrize(
    "retry_on",
    [
        ConnectionError,
        (KeyError, ConnectionError),
        lambda error: isinstance(error, ConnectionError) and "again" in str(error),
    ],
    ids=["type", "tuple", "predicate"],
)
async def test_retry_on_forms_through_the_supervisor(
    autojump_clock: trio.testing.MockClock, retry_on: Any
) -> None:
    starts: list[float] = []
    policy = RetryPolicy(retry_on=retry_on, jitter=False, initial_interval=1, max_attempts=5)
    async with Supervisor() as sup:
        retried = sup.spawn(
            "retried", flaky_behaviour([ConnectionError("try again")] * 2, starts), retry=policy
        )
    assert (retried.state, retried.attempts) == ("done", 3)

    with pytest.raises(OSError):
        async with Supervisor() as sup:
            refused = sup.spawn("refused", flaky_behaviour([OSError("disk")], []), retry=policy)
    assert refused.attempts == 1


async def test_retry_on_can_retry_a_programming_error(autojump_clock: trio.testing.MockClock) -> None:
    policy = RetryPolicy(retry_on=(ValueError,), jitter=False, max_attempts=2)
    async with Supervisor() as sup:
        actor = sup.spawn("v", flaky_behaviour([ValueError("once")], []), retry=policy)
    assert (actor.state, actor.attempts) == ("done", 2)


async def test_jittered_delay_is_what_the_actor_waits(autojump_clock: trio.testing.MockClock) -> None:
    records: list[LifecycleRecord] = []
    starts: list[float] = []
    policy = RetryPolicy(initial_interval=2.0, backoff_factor=2.0, jitter=True, max_attempts=3)
    async with Supervisor(on_lifecycle=records.append) as sup:
        sup.spawn("j", flaky_behaviour([Flaky(), Flaky()], starts), retry=policy)
    delays = [r.delay for r in records if isinstance(r, ActorRetrying)]
    assert 2.0 <= delays[0] <= 3.0
    assert 4.0 <= delays[1] <= 5.0
    assert [b - a for a, b in zip(starts, starts[1:])] == pytest.approx(delays)


async def test_each_attempt_gets_its_own_timeout(autojump_clock: trio.testing.MockClock) -> None:
    records: list[LifecycleRecord] = []
    starts: list[float] = []

    async def hangs() -> None:
        starts.append(trio.current_time())
        await trio.sleep_forever()

    policy = RetryPolicy(initial_interval=1.0, backoff_factor=1.0, jitter=False, max_attempts=3)
    with pytest.raises(TimeoutError):
        async with Supervisor(on_lifecycle=records.append) as sup:
            t0 = trio.current_time()
            actor = sup.spawn("hangs", hangs, retry=policy, timeout=5)
    assert actor.attempts == 3
    assert [start - t0 for start in starts] == pytest.approx([0.0, 6.0, 12.0])
    assert trio.current_time() - t0 == pytest.approx(17.0)
    assert all(isinstance(r.error, TimeoutError) for r in records if isinstance(r, ActorRetrying))


async def test_siblings_keep_running_while_an_actor_retries(autojump_clock: trio.testing.MockClock) -> None:
    async def steady() -> str:
        await trio.sleep(10)
        return "steady"

    policy = RetryPolicy(initial_interval=1.0, jitter=False, max_attempts=3)
    async with Supervisor() as sup:
        flaky = sup.spawn("flaky", flaky_behaviour([Flaky(), Flaky()], []), retry=policy)
        other = sup.spawn("steady", steady)
    assert (flaky.state, other.state, other.result) == ("done", "done", "steady")


async def test_cancelled_during_backoff_is_recorded_as_cancelled(
    autojump_clock: trio.testing.MockClock,
) -> None:
    records: list[LifecycleRecord] = []
    policy = RetryPolicy(initial_interval=100.0, jitter=False, max_attempts=3)
    with trio.move_on_after(10) as scope:
        async with Supervisor(on_lifecycle=records.append) as sup:
            actor = sup.spawn("backing-off", flaky_behaviour([Flaky()], []), retry=policy)
    assert scope.cancelled_caught
    assert actor.state == "cancelled"
    assert actor.error is None
    assert [type(r) for r in records] == [ActorStarted, ActorRetrying, ActorStopped]
    assert records[-1] == ActorStopped("backing-off", "cancelled")


async def test_sibling_failure_during_backoff_cancels_the_retrying_actor(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def fails_later() -> NoReturn:
        await trio.sleep(5)
        raise KeyError("sibling")

    policy = RetryPolicy(initial_interval=100.0, jitter=False, max_attempts=3)
    with pytest.raises(KeyError):
        async with Supervisor() as sup:
            retrying = sup.spawn("retrying", flaky_behaviour([Flaky()], []), retry=policy)
            sup.spawn("failing", fails_later)
    assert retrying.state == "cancelled"
    assert retrying.attempts == 1
    assert trio.current_time() == pytest.approx(5.0)


def test_retry_predicate_sees_the_error() -> None:
    seen: list[BaseException] = []

    def predicate(error: BaseException) -> bool:
        seen.append(error)
        return False

    error = Flaky()
    assert RetryPolicy(retry_on=predicate).should_retry(error, 1) is False
    assert seen == [error]
