"""Shared set-up for the persistence tests: every test runs against both savers.

The ``saver`` fixture is parametrised over ``InMemorySaver()`` and
``SqliteSaver(tmp_path / "x.sqlite")``, so each behaviour is checked on both
backends. Async tests get the same guards as ``tests/core``: an escaped
``trio.Cancelled`` fails the test instead of passing it, and a lost wake-up
fails after a deadline instead of hanging.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.testing

from graphs import InMemorySaver, SqliteSaver
from runtime.checkpoint import BaseCheckpointSaver

HANG_AFTER_REAL_SECONDS = 20.0
HANG_AFTER_VIRTUAL_SECONDS = 1e6

_HERE = Path(__file__).resolve().parent

AsyncTest = Callable[..., Coroutine[Any, Any, None]]


@pytest.fixture(params=["memory", "sqlite"])
def saver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BaseCheckpointSaver]:
    made: BaseCheckpointSaver = InMemorySaver() if request.param == "memory" else SqliteSaver(tmp_path / "x.sqlite")
    yield made
    made.close()


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
