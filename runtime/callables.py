"""Calling user functions the way nodes, routers and lambdas need.

A :class:`UserFunction` inspects a function once (async or not, which of the
injectable parameters ``config`` / ``writer`` it declares) so that calling it
per task costs no introspection. Synchronous functions run in a worker thread
by default — a node that blocks must not stall every other actor — with the
caller's context copied in, so ``get_config()`` and the stream writer work there.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, final

import trio

from .config import current_config
from .context import current_task_scope

__all__ = ["UserFunction", "function_name"]

INJECTABLE = ("config", "writer")


def function_name(func: Any) -> str:
    """The name a node or run takes from a callable (LangGraph's rules)."""
    if isinstance(func, functools.partial):
        return function_name(func.func)
    name = getattr(func, "name", None)
    if isinstance(name, str) and name:
        return name
    name = getattr(func, "__name__", None)
    if isinstance(name, str) and name != "<lambda>":
        return name
    if name == "<lambda>":
        return "RunnableLambda"
    return type(func).__name__


@final
class UserFunction:
    """A user callable prepared for repeated calls.

    Args:
        func: a sync or async function of one positional argument, optionally
            declaring ``config`` and/or ``writer`` parameters.
        in_thread: run a sync function in a worker thread (default ``True``).
    """

    __slots__ = ("func", "is_async", "inject", "in_thread", "name")

    def __init__(self, func: Callable[..., Any], *, in_thread: bool = True) -> None:
        self.func = func
        self.name = function_name(func)
        self.is_async = _is_async_callable(func)
        self.in_thread = in_thread and not self.is_async
        self.inject = _injectable_params(func)

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        for name in self.inject:
            if name == "config":
                kwargs["config"] = current_config() or {}
            else:
                scope = current_task_scope()
                kwargs["writer"] = scope.writer if scope is not None else _noop_writer
        return kwargs

    async def __call__(self, arg: Any) -> Any:
        kwargs = self._kwargs() if self.inject else None
        if self.is_async:
            return await (self.func(arg, **kwargs) if kwargs else self.func(arg))
        if self.in_thread:
            call = functools.partial(self.func, arg, **kwargs) if kwargs else functools.partial(self.func, arg)
            return await trio.to_thread.run_sync(call)
        return self.func(arg, **kwargs) if kwargs else self.func(arg)

    def call_sync(self, arg: Any) -> Any:
        """Call a sync function on the current thread (for code already in a worker thread)."""
        kwargs = self._kwargs() if self.inject else None
        return self.func(arg, **kwargs) if kwargs else self.func(arg)


def _noop_writer(chunk: Any) -> None:
    return None


def _is_async_callable(func: Any) -> bool:
    while isinstance(func, functools.partial):
        func = func.func
    return inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(getattr(func, "__call__", None))


def _injectable_params(func: Any) -> tuple[str, ...]:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return ()
    return tuple(
        name for name in INJECTABLE
        if name in params and params[name].kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    )
