"""Calling a user's function from a runnable: sync or async, plain or generator.

A :class:`FunctionCall` inspects the function once. Sync code runs in a worker
thread (a function that blocks must not stall every other actor); trio copies
the caller's context into the thread, so the run's child config — made ambient
around each call — reaches whatever the function invokes. Generators are
advanced one step at a time under the same rule, async ones through
:func:`~runtime.tracing.scope.in_config`.

A function may declare ``config`` (a copy of its run's child config),
``writer`` (the graph task's ``custom`` writer, a no-op outside a graph) and
``callbacks`` (the run's callback manager), as LangChain and LangGraph inject them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, final

import trio

from ..callables import function_name
from ..config import RunnableConfig, complete_config
from ..context import current_task_scope
from ..tracing.scope import ambient, in_config

__all__ = ["FunctionCall", "sync_iterate"]

INJECTABLE = ("config", "writer", "callbacks")

_DONE = object()


def _unwrap(func: Any) -> Any:
    while isinstance(func, functools.partial):
        func = func.func
    return func


def _noop_writer(chunk: Any) -> None:
    return None


def _params(func: Any) -> tuple[str, ...]:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return ()
    return tuple(
        name for name in INJECTABLE
        if name in params and params[name].kind in (
            inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD
        )
    )


def injected(names: tuple[str, ...], config: RunnableConfig) -> dict[str, Any]:
    """The keyword arguments a function declaring ``names`` gets in a run with child ``config``."""
    kwargs: dict[str, Any] = {}
    for name in names:
        if name == "config":
            kwargs["config"] = complete_config(config)  # a copy: callers may set run_id on it
        elif name == "callbacks":
            kwargs["callbacks"] = config.get("callbacks")
        else:
            scope = current_task_scope()
            kwargs["writer"] = scope.writer if scope is not None else _noop_writer
    return kwargs


@final
class FunctionCall:
    """A user function prepared for repeated calls with one positional argument."""

    __slots__ = ("func", "name", "is_async", "is_async_gen", "is_gen", "inject")

    def __init__(self, func: Callable[..., Any]) -> None:
        target = _unwrap(func)
        call = getattr(target, "__call__", None)
        self.func = func
        self.name = function_name(func)
        self.is_async_gen = inspect.isasyncgenfunction(target) or inspect.isasyncgenfunction(call)
        self.is_gen = inspect.isgeneratorfunction(target) or inspect.isgeneratorfunction(call)
        self.is_async = inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(call)
        self.inject = _params(func)

    @property
    def streams(self) -> bool:
        """Whether the function is a generator (its yields are the output chunks)."""
        return self.is_gen or self.is_async_gen

    async def call(self, arg: Any, config: RunnableConfig) -> Any:
        """Call a plain function on ``arg`` with ``config`` ambient (a sync one in a worker thread)."""
        return await self._call((arg,), {}, config)

    async def call_kwargs(self, arguments: dict[str, Any], config: RunnableConfig) -> Any:
        """Call a plain function with keyword ``arguments`` (a tool's), ``config`` ambient."""
        return await self._call((), arguments, config)

    def iterate(self, arg: Any, config: RunnableConfig) -> AsyncIterator[Any]:
        """The chunks a generator function yields for ``arg``, each step with ``config`` ambient."""
        return self._iterate((arg,), {}, config)

    def iterate_kwargs(self, arguments: dict[str, Any], config: RunnableConfig) -> AsyncIterator[Any]:
        """The chunks a generator function yields for keyword ``arguments``."""
        return self._iterate((), arguments, config)

    async def _call(self, args: tuple[Any, ...], kwargs: dict[str, Any], config: RunnableConfig) -> Any:
        if self.inject:
            kwargs = {**kwargs, **injected(self.inject, config)}
        with ambient(config):
            if self.is_async:
                return await self.func(*args, **kwargs)
            return await trio.to_thread.run_sync(functools.partial(self.func, *args, **kwargs))

    async def _iterate(self, args: tuple[Any, ...], kwargs: dict[str, Any], config: RunnableConfig) -> AsyncIterator[Any]:
        if self.inject:
            kwargs = {**kwargs, **injected(self.inject, config)}
        if self.is_async_gen:
            async for chunk in in_config(self.func(*args, **kwargs), config):
                yield chunk
            return
        with ambient(config):
            generator = self.func(*args, **kwargs)
        async for chunk in sync_iterate(generator, config):
            yield chunk


async def sync_iterate(generator: Iterator[Any], config: RunnableConfig) -> AsyncIterator[Any]:
    """Advance a sync generator step by step in worker threads, with ``config`` ambient."""
    try:
        while True:
            with ambient(config):
                chunk = await trio.to_thread.run_sync(next, generator, _DONE)
            if chunk is _DONE:
                return
            yield chunk
    finally:
        close = getattr(generator, "close", None)
        if close is not None:
            close()
