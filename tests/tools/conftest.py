"""Guards for the async tests in this directory (as in ``tests/core``).

* a ``trio.Cancelled`` escaping a test would make pytest-trio *pass* it (its
  fixture nursery absorbs it); leaking ``Cancelled`` is a bug, so it fails the test;
* a lost wake-up would hang a test; a deadline (virtual under ``autojump_clock``)
  turns that into a failure.
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

HANG_AFTER_REAL_SECONDS = 20.0
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
        if inspect.iscoroutinefunction(item.obj):
            item.obj = _guard(item.obj)
