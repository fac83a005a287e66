"""Suite-wide set-up: hypothesis profiles, and two guards around every async test.

Hypothesis: ``ci`` is loaded when the ``CI`` environment variable is set
(``.ci/run`` sets it): examples are derived from each test's name rather than
drawn at random, so a CI failure reproduces on any machine, and no example
database is written. Locally the ``dev`` profile keeps hypothesis's defaults.
Tests set their own ``max_examples``.

Guards, applied to every ``async def`` test (hypothesis-wrapped ones included):

* a ``trio.Cancelled`` that escapes a test makes pytest-trio *pass* it — its
  fixture nursery cancels itself on the way out and absorbs the stray
  ``Cancelled``, skipping every assertion after the leak. Leaking ``Cancelled``
  into a consumer is exactly the kind of bug these tests hunt, so it fails the test;
* a lost wake-up would hang a test; a deadline (virtual under ``autojump_clock``,
  where it is reached at once when everything is stuck) turns that into a failure.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import trio
import trio.testing
from hypothesis import settings

# No per-example deadline: it measures wall time, which a loaded shared machine
# stretches past 200 ms; a hang is caught by the guard below instead.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

HANG_AFTER_REAL_SECONDS = 30.0
HANG_AFTER_VIRTUAL_SECONDS = 1e6

AsyncTest = Callable[..., Coroutine[Any, Any, None]]


def _guard(test: AsyncTest) -> AsyncTest:
    @functools.wraps(test)
    async def guarded(*args: Any, **kwargs: Any) -> None:
        virtual = isinstance(trio.lowlevel.current_clock(), trio.testing.MockClock)
        limit = HANG_AFTER_VIRTUAL_SECONDS if virtual else HANG_AFTER_REAL_SECONDS
        try:
            with trio.move_on_after(limit) as deadline:
                await test(*args, **kwargs)
        except trio.Cancelled as leaked:
            pytest.fail(f"trio.Cancelled escaped the test: {leaked!r}")
        if deadline.cancelled_caught:
            pytest.fail(f"the test hung for {limit} {'virtual ' if virtual else ''}seconds")

    return guarded


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        hypothesis = getattr(item.obj, "hypothesis", None)
        if hypothesis is not None:
            if inspect.iscoroutinefunction(hypothesis.inner_test):
                hypothesis.inner_test = _guard(hypothesis.inner_test)
        elif inspect.iscoroutinefunction(item.obj):
            item.obj = _guard(item.obj)
