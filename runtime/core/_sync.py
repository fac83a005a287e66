"""The sync API, derived from the async one.

``invoke()`` / ``stream()`` may be called from three places:

* plain synchronous code: they start ``trio.run`` themselves (``stream`` runs it in
  a helper thread and hands batches over a one-slot queue, so the caller's loop
  body runs while the graph is paused on back-pressure);
* a worker thread that trio started (a sync node calling ``subgraph.invoke``):
  they run on the *parent* loop through ``trio.from_thread``, so the nested run
  joins the parent's stream, config and cancellation;
* the trio thread itself: that would block the loop, so they refuse;
* an asyncio loop's thread (code on the loop that hosts a guest trio run, or any
  asyncio code): they block that loop while the graph runs, as LangGraph's sync API
  does, in a trio run of their own in a helper thread (a guest run may already own
  this thread's trio state). The run is independent: it takes the caller's
  contextvars, but not the graph task or run config the caller may be inside.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar, cast

import trio

from .safe_stream import SafeStream

__all__ = ["run_sync", "iterate_sync", "refuse_in_trio"]

T = TypeVar("T")


def refuse_in_trio(method: str) -> None:
    """Raise if called from a trio task, where a blocking call would stall the loop."""
    if not trio.lowlevel.in_trio_task():
        return
    raise RuntimeError(
        f"{method}() was called inside a running trio loop, where it would block every task; "
        f"use the async form (a{method}) with 'await' or 'async for' instead"
    )


def _in_trio_worker_thread() -> bool:
    try:
        trio.from_thread.check_cancelled()
    except RuntimeError:
        return False
    return True


def run_sync(method: str, async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run ``async_fn(*args)`` to completion from synchronous code (see module docstring)."""
    refuse_in_trio(method)
    if _in_trio_worker_thread():
        return trio.from_thread.run(async_fn, *args)
    if asyncio._get_running_loop() is not None:
        return _run_in_helper_thread(async_fn, args)
    return trio.run(async_fn, *args)


def _run_in_helper_thread(async_fn: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> T:
    # The caller's contextvars come along (as trio.run would take them), but not a
    # graph task or run config the caller may be inside (a coroutine on the host
    # loop): the new run cannot join a run that lives in another trio run.
    context = contextvars.copy_context()
    context.run(_detach_from_runs)
    outcome: list[Any] = []

    def host() -> None:
        try:
            outcome.append((True, context.run(trio.run, async_fn, *args)))
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            outcome.append((False, error))

    thread = threading.Thread(target=host, name="tributary-sync-call", daemon=True)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


def _detach_from_runs() -> None:
    from .config import set_current
    from .context import set_task_context

    set_current(None)
    set_task_context(None)


_DONE = object()


def iterate_sync(method: str, make_stream: Callable[[], SafeStream[T]]) -> Iterator[T]:
    """Iterate an async stream from synchronous code (see module docstring)."""
    refuse_in_trio(method)
    if _in_trio_worker_thread():
        yield from _iterate_on_parent_loop(make_stream)
    else:
        yield from _iterate_in_own_loop(make_stream)


def _iterate_on_parent_loop(make_stream: Callable[[], SafeStream[T]]) -> Iterator[T]:
    # Made on the loop: a stream's consumer end remembers the thread it was made
    # on as the loop's, and tells writers on that thread from worker threads by it.
    stream = trio.from_thread.run_sync(make_stream)
    try:
        while True:
            try:
                batch = trio.from_thread.run(stream.next_batch)
            except StopAsyncIteration:
                return
            yield from batch
    finally:
        trio.from_thread.run(stream.aclose)


def _iterate_in_own_loop(make_stream: Callable[[], SafeStream[T]]) -> Iterator[T]:
    # One slot: the graph runs at most one batch ahead of the caller's loop body.
    handoff: queue.Queue[Any] = queue.Queue(maxsize=1)
    started = threading.Event()
    control: dict[str, Any] = {}
    # The caller's contextvars, as invoke() takes them (without any run the caller is inside).
    context = contextvars.copy_context()
    context.run(_detach_from_runs)

    async def pump() -> None:
        control["token"] = trio.lowlevel.current_trio_token()
        with trio.CancelScope() as scope:
            control["scope"] = scope
            started.set()
            try:
                async with make_stream() as stream:
                    async for item in stream:
                        await _hand_over(handoff, ("items", [item, *stream.drain_ready()]))
            except Exception as error:
                await _hand_over(handoff, ("error", error))
                return
            await _hand_over(handoff, ("end", None))

    def host() -> None:
        try:
            context.run(trio.run, pump)
        except BaseException as error:  # the loop itself failed: tell the caller
            handoff.put(("error", error))
        finally:
            started.set()
            handoff.put((_DONE, None))

    thread = threading.Thread(target=host, name="tributary-stream", daemon=True)
    thread.start()
    started.wait()
    finished = False
    try:
        while True:
            kind, payload = handoff.get()
            if kind == "items":
                yield from payload
            elif kind == "error":
                raise payload
            else:
                finished = kind is _DONE
                return
    finally:
        token, scope = control.get("token"), control.get("scope")
        if token is not None and scope is not None:
            try:
                token.run_sync_soon(scope.cancel)
            except trio.RunFinishedError:
                pass
        while not finished:  # unblock the loop thread until it says it is done
            finished = handoff.get()[0] is _DONE
        thread.join()


async def _hand_over(handoff: queue.Queue[Any], message: Any) -> None:
    try:
        handoff.put_nowait(message)
    except queue.Full:
        await trio.to_thread.run_sync(handoff.put, message, abandon_on_cancel=True)
