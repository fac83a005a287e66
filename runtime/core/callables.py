"""Calling a user's function: nodes, routers, lambdas and tools alike.

A :class:`UserFunction` inspects a function once — async or sync, plain or
generator, which injectable parameters it declares — so that calling it costs
no introspection. Sync code runs in a worker thread by default (a function that
blocks must not stall every other actor); trio copies the caller's context into
the thread, so the ambient config, ``get_config()`` and the stream writer work
there. Generators are advanced one step at a time under the same rule.

There are two ways to call, for the two kinds of caller:

* a graph task (a node, a router) calls ``await function(state)`` or
  :meth:`UserFunction.call_sync`: the scheduler has already made the task's
  config ambient, so the call does no config work at all unless the function
  declares ``config`` / ``callbacks``;
* a runnable or tool calls :meth:`~UserFunction.call`,
  :meth:`~UserFunction.iterate` (or their ``_kwargs`` twins, for a tool's
  keyword arguments) with its run's child config, which is made ambient around
  each call or generator step.

A function may declare ``config`` (a copy of the config it runs in),
``writer`` (the graph task's ``custom`` writer, a no-op outside a graph) and
``callbacks`` (the run's callback manager), as LangChain and LangGraph inject them.
Under an asyncio host (see :mod:`runtime.hosting`), a user's coroutine — an async
node, router, tool or lambda, or an async generator — runs on the host's asyncio
loop, so it may await anything written for asyncio; the calling actor waits for it
in trio, and it sees the task's config, writer and interrupts as it would in trio.

A graph's nodes and routers (``graph_params=True``) may also declare
``runtime`` (the task's :class:`~runtime.core.graph_runtime.Runtime`), ``store``
(the run's store; only when unannotated or annotated as a ``BaseStore``) and
``previous`` (always ``None`` for a ``StateGraph``), as LangGraph injects them.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import os
import sys
import types
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, final

import attrs
import trio

from ..hosting import GUEST, AsyncioGuest, current_guest
from ..store.base import BaseStore
from .config import RunnableConfig, ambient, complete_config, current_config, in_config
from .context import current_task_context, set_task_context, task_runtime
from .graph_runtime import DEFAULT_RUNTIME

__all__ = [
    "UserFunction", "function_name", "host_context", "injected", "is_users", "iterate_on_host_loop",
    "on_host_loop", "sync_iterate",
]

# Tributary's own packages, by directory: a user's package may well be called ``graphs``.
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_OUR_DIRS = tuple(os.path.join(_ROOT, package) + os.sep for package in ("actors", "runtime", "graphs"))


def is_users(function: Any) -> bool:
    """Whether ``function`` (or a class, or an async generator object) is the user's code
    rather than Tributary's own, which is written for trio and always runs there."""
    frame = getattr(function, "ag_frame", None)
    if frame is not None:  # an async generator: the module its code was written in
        module = frame.f_globals.get("__name__") or ""
    else:
        module = getattr(function, "__module__", None) or ""
    return not _is_our_module(module)


@functools.lru_cache(maxsize=1024)
def _is_our_module(name: str) -> bool:
    path = getattr(sys.modules.get(name), "__file__", None) or ""
    return os.path.abspath(path).startswith(_OUR_DIRS)

INJECTABLE = ("config", "writer", "callbacks")
GRAPH_INJECTABLE = ("runtime", "store", "previous")

_DONE = object()


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


def injected(names: tuple[str, ...], config: RunnableConfig) -> dict[str, Any]:
    """The keyword arguments a function declaring ``names`` gets when it runs with ``config``."""
    kwargs: dict[str, Any] = {}
    for name in names:
        if name == "config":
            kwargs["config"] = complete_config(config)  # a copy: callers may set run_id on it
        elif name == "callbacks":
            kwargs["callbacks"] = config.get("callbacks")
        elif name == "writer":
            task = current_task_context()
            kwargs["writer"] = task.writer if task is not None else _noop_writer
        else:
            runtime = task_runtime(current_task_context())
            if name == "runtime":
                kwargs["runtime"] = runtime if runtime is not None else DEFAULT_RUNTIME
            elif name == "store":
                kwargs["store"] = runtime.store if runtime is not None else None
            else:
                kwargs["previous"] = runtime.previous if runtime is not None else None
    return kwargs


@final
class UserFunction:
    """A user callable prepared for repeated calls with one positional argument.

    Args:
        func: sync or async, plain or generator; may declare ``config``,
            ``writer`` and ``callbacks`` parameters.
        in_thread: run a sync function in a worker thread (default ``True``;
            a router, cheap and called on the task's own thread, passes ``False``).
        graph_params: also inject ``runtime``, ``store`` and ``previous`` (a graph's
            nodes and routers).
    """

    __slots__ = ("func", "name", "is_async", "is_gen", "is_async_gen", "inject", "in_thread", "users")

    def __init__(self, func: Callable[..., Any], *, in_thread: bool = True, graph_params: bool = False) -> None:
        target = func
        while isinstance(target, functools.partial):
            target = target.func
        call = getattr(target, "__call__", None)
        self.func = func
        self.name = function_name(func)
        self.is_async = inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(call)
        self.is_gen = inspect.isgeneratorfunction(target) or inspect.isgeneratorfunction(call)
        self.is_async_gen = inspect.isasyncgenfunction(target) or inspect.isasyncgenfunction(call)
        self.inject = _injectable_params(func, graph_params)
        self.in_thread = in_thread and not self.is_async
        # Under an asyncio host the user's coroutines run on the host loop; ours stay in trio.
        self.users = is_users(target)

    @property
    def streams(self) -> bool:
        """Whether the function is a generator (its yields are the output chunks)."""
        return self.is_gen or self.is_async_gen

    def injected(self, config: RunnableConfig) -> dict[str, Any]:
        """The injected keyword arguments for a call with ``config`` (empty if none is declared)."""
        return injected(self.inject, config) if self.inject else {}

    # -- in a graph task, whose config is ambient already ------------------------------
    async def __call__(self, arg: Any) -> Any:
        kwargs = injected(self.inject, current_config() or {}) if self.inject else None
        if self.is_async:
            coroutine = self.func(arg, **kwargs) if kwargs else self.func(arg)
            # Under trio no guest run is set: one ContextVar read, no call.
            guest = current_guest() if self.users and GUEST.get() is not None else None
            if guest is None:
                return await coroutine
            return await guest.run_coroutine(coroutine, host_context(guest))
        if self.in_thread:
            call = functools.partial(self.func, arg, **kwargs) if kwargs else functools.partial(self.func, arg)
            return await trio.to_thread.run_sync(call)
        return self.func(arg, **kwargs) if kwargs else self.func(arg)

    def call_sync(self, arg: Any) -> Any:
        """Call a sync function on the current thread (for code already in a worker thread)."""
        if self.inject:
            return self.func(arg, **injected(self.inject, current_config() or {}))
        return self.func(arg)

    # -- in a run, with the run's child config made ambient -----------------------------
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
                coroutine = self.func(*args, **kwargs)
                return await (on_host_loop(coroutine) if self.users else coroutine)
            return await trio.to_thread.run_sync(functools.partial(self.func, *args, **kwargs))

    async def _iterate(self, args: tuple[Any, ...], kwargs: dict[str, Any], config: RunnableConfig) -> AsyncIterator[Any]:
        if self.inject:
            kwargs = {**kwargs, **injected(self.inject, config)}
        if self.is_async_gen:
            chunks = self.func(*args, **kwargs)
            async for chunk in (iterate_on_host_loop(chunks, config) if self.users else in_config(chunks, config)):
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


def iterate_on_host_loop(iterator: AsyncIterator[Any], config: RunnableConfig) -> AsyncIterator[Any]:
    """A user's async generator, advanced on the asyncio host loop when there is one,
    else in trio; either way each step runs with ``config`` ambient."""
    guest = current_guest()
    if guest is None:
        return in_config(iterator, config)
    with ambient(config):
        context = host_context(guest)
    return guest.iterate(iterator, context)


async def on_host_loop(coroutine: Any) -> Any:
    """Await a user's coroutine where it belongs: on the asyncio host loop when the run is
    a guest of one (see the module docstring), else right here in trio."""
    guest = current_guest()
    if guest is None:
        return await coroutine
    return await guest.run_coroutine(coroutine, host_context(guest))


def host_context(guest: AsyncioGuest) -> contextvars.Context:
    """A copy of the current context for a coroutine on the host loop: the same config
    and task, with a stream writer that hands its writes to trio."""
    context = contextvars.copy_context()
    task = current_task_context()
    if task is not None and task.writer.active:
        token = guest.token
        hosted = attrs.evolve(task, writer=task.writer.for_host_loop(token.run_sync_soon))
        context.run(set_task_context, hosted)
    return context


def _noop_writer(chunk: Any) -> None:
    return None


_NAMED = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _injectable_params(func: Any, graph_params: bool = False) -> tuple[str, ...]:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return ()
    names = tuple(name for name in INJECTABLE if name in params and params[name].kind in _NAMED)
    if graph_params:
        names += tuple(
            name for name in GRAPH_INJECTABLE
            if name in params and params[name].kind in _NAMED
            and (name != "store" or _is_store_annotation(params[name].annotation))
        )
    return names


def _is_store_annotation(annotation: Any) -> bool:
    """Whether a ``store`` parameter asks for the store (as LangGraph decides: unannotated,
    or annotated ``BaseStore`` / ``BaseStore | None``, also as strings)."""
    if annotation is inspect.Parameter.empty:
        return True
    if isinstance(annotation, str):
        return annotation.replace(" ", "") in ("BaseStore", "Optional[BaseStore]", "BaseStore|None", "None|BaseStore")
    candidates = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else (annotation,)
    return any(isinstance(c, type) and issubclass(c, BaseStore) for c in candidates)
