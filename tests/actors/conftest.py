"""Shared set-up for the actor-kernel tests.

Two guards wrap every async test in this directory:

* A ``trio.Cancelled`` that escapes a test function makes pytest-trio *pass* the
  test: its fixture nursery cancels itself on the way out and so absorbs the stray
  ``Cancelled``, skipping every assertion after the leak. Leaking ``Cancelled`` is
  exactly the kind of bug these tests hunt, so every async test here is wrapped to
  turn an escaped ``Cancelled`` into a failure.
* A lost wake-up would hang a test forever, which is not the same as failing it.
  The same wrapper puts a deadline on every test: virtual on a ``MockClock``
  (where an autojumping clock reaches it at once when everything is stuck), real
  otherwise.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.testing

HANG_AFTER_REAL_SECONDS = 30.0
HANG_AFTER_VIRTUAL_SECONDS = 1e6

_HERE = Path(__file__).resolve().parent

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
        if not isinstance(item, pytest.Function) or item.path.parent != _HERE:
            continue
        hypothesis = getattr(item.obj, "hypothesis", None)
        if hypothesis is not None:
            if inspect.iscoroutinefunction(hypothesis.inner_test):
                hypothesis.inner_test = _guard(hypothesis.inner_test)
        elif inspect.iscoroutinefunction(item.obj):
            item.obj = _guard(item.obj)
