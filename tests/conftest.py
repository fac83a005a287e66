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

Hosts: the async tests of the scenario directories (``HOSTED_DIRS``: streaming,
events, persistence, messages, runnables, tools, models) run twice, ``[trio]`` under
pytest-trio and ``[asyncio]`` under ``asyncio.run`` — Tributary's async API hosted
by asyncio, unchanged test code. A test that itself uses trio (its source names
``trio`` or a nursery), that is a hypothesis test, or that needs an async fixture
runs under trio only: those exercise trio-side machinery, not the public API.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
from pathlib import Path
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


HOSTED_DIRS = frozenset({"core", "events", "persistence", "messages_mode", "runnables", "tools", "models", "store", "graph_api"})


def _runs_on_both_hosts(metafunc: pytest.Metafunc) -> bool:
    function = metafunc.function
    if Path(str(metafunc.definition.fspath)).parent.name not in HOSTED_DIRS:
        return False
    if not inspect.iscoroutinefunction(function) or hasattr(function, "hypothesis"):
        return False
    if any(_uses_trio(thing) for thing in [function, *_helpers(function)]):
        return False
    for definitions in metafunc.definition._fixtureinfo.name2fixturedefs.values():
        for definition in definitions:
            if inspect.iscoroutinefunction(definition.func) or inspect.isasyncgenfunction(definition.func):
                return False
    return True


def _uses_trio(thing: Any) -> bool:
    try:
        source = inspect.getsource(thing)
    except (OSError, TypeError):
        return True
    return "trio" in source or "nursery" in source


def _helpers(function: Any) -> list[Any]:
    """The test module's functions and classes a test reaches (names read, nested code
    included), transitively."""
    module, found = function.__globals__, {}
    pending = [function]
    while pending:
        codes = [pending.pop().__code__]
        while codes:
            code = codes.pop()
            codes.extend(c for c in code.co_consts if inspect.iscode(c))
            for name in code.co_names:
                thing = module.get(name)
                if name in found or getattr(thing, "__module__", None) != function.__module__:
                    continue
                found[name] = thing
                if inspect.isfunction(thing):
                    pending.append(thing)
    return [thing for thing in found.values() if inspect.isfunction(thing) or inspect.isclass(thing)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if _runs_on_both_hosts(metafunc):
        metafunc.fixturenames.append("host")
        metafunc.parametrize("host", ["trio", "asyncio"])


def _on_asyncio(test: AsyncTest) -> Callable[..., None]:
    """Run an async test under ``asyncio.run`` instead of trio."""

    @functools.wraps(test)
    def hosted(*args: Any, **kwargs: Any) -> None:
        async def main() -> None:
            await asyncio.wait_for(test(*args, **kwargs), HANG_AFTER_REAL_SECONDS)

        asyncio.run(main())

    return hosted


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("host") == "asyncio":
            item.obj = _on_asyncio(item.obj)
            item.own_markers = [mark for mark in item.own_markers if mark.name != "trio"]
            continue
        hypothesis = getattr(item.obj, "hypothesis", None)
        if hypothesis is not None:
            if inspect.iscoroutinefunction(hypothesis.inner_test):
                hypothesis.inner_test = _guard(hypothesis.inner_test)
        elif inspect.iscoroutinefunction(item.obj):
            item.obj = _guard(item.obj)
