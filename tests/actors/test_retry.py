"""RetryPolicy on its own: which errors it retries, and how long it waits (``run_job`` under a policy is in test_job.py)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from actors import RetryPolicy, default_retry_on


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


def test_retry_predicate_sees_the_error() -> None:
    seen: list[BaseException] = []

    def predicate(error: BaseException) -> bool:
        seen.append(error)
        return False

    error = Flaky()
    assert RetryPolicy(retry_on=predicate).should_retry(error, 1) is False
    assert seen == [error]
