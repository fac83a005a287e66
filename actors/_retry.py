"""Retry policies: whether a failed job is attempted again, and after how long.

The policy only answers questions; :func:`~actors.run_job` is the loop that asks them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import attrs

__all__ = ["RetryPolicy", "default_retry_on", "matching_policy"]

# Errors that say the code is wrong rather than that the world was unlucky: retrying
# them only repeats the failure, later.
_PROGRAMMING_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    ArithmeticError,
    LookupError,
    NameError,
    AttributeError,
    SyntaxError,
    AssertionError,
    NotImplementedError,
    RuntimeError,
)


def default_retry_on(error: BaseException) -> bool:
    """Retry anything but programming errors (``ValueError``, ``TypeError``, ``KeyError`` …)."""
    return isinstance(error, Exception) and not isinstance(error, _PROGRAMMING_ERRORS)


@attrs.frozen
class RetryPolicy:
    """How often and how patiently to retry a :class:`~actors.Job` whose behaviour raised.

    The intervals and the attempt budget default to LangGraph's values.

    Args:
        initial_interval: seconds to wait before the first retry.
        backoff_factor: each later wait is the previous one times this.
        max_interval: the longest wait, whatever the backoff says.
        max_attempts: attempts in all, the first one included.
        jitter: add up to one second of random delay, so that many jobs failing
            together do not retry in lockstep.
        retry_on: the exception types to retry, or a predicate on the exception.
    """

    initial_interval: float = 0.5
    backoff_factor: float = 2.0
    max_interval: float = 128.0
    max_attempts: int = 3
    jitter: bool = True
    retry_on: type[BaseException] | Sequence[type[BaseException]] | Callable[[BaseException], bool] = (
        default_retry_on
    )

    def __attrs_post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be at least 1, got {self.max_attempts}")

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        """Whether ``attempt`` (1-based) failing with ``error`` earns another attempt."""
        return attempt < self.max_attempts and self.retries(error)

    def retries(self, error: BaseException) -> bool:
        """Whether this policy is about ``error`` at all (its ``retry_on`` matches it)."""
        retry_on = self.retry_on
        if isinstance(retry_on, type):
            return isinstance(error, retry_on)
        if isinstance(retry_on, Sequence):
            return isinstance(error, tuple(retry_on))
        return bool(retry_on(error))

    def delay(self, attempt: int) -> float:
        """Seconds to wait after ``attempt`` (1-based) failed."""
        try:
            interval = min(self.max_interval, self.initial_interval * self.backoff_factor ** (attempt - 1))
        except OverflowError:  # a late attempt of a long policy: the backoff left float range
            interval = self.max_interval if self.initial_interval > 0 else 0.0
        if self.jitter:
            interval += random.uniform(0, 1)
        return interval


def matching_policy(policies: RetryPolicy | Sequence[RetryPolicy], error: BaseException) -> RetryPolicy | None:
    """The policy that governs ``error``: a lone policy, or the first of a list whose
    ``retry_on`` matches it (``None`` when none does)."""
    if isinstance(policies, RetryPolicy):
        return policies
    for policy in policies:
        if policy.retries(error):
            return policy
    return None
