"""Custom events: ``adispatch_custom_event(name, data)`` from inside any run.

The event belongs to the run it is dispatched in — the run whose child config
is ambient (or given as ``config``) — and carries that child config's tags and
metadata. With no handler attached it does nothing, but as in langchain-core,
dispatching outside any run is an error.
"""

from __future__ import annotations

from typing import Any

import trio

from ..core.config import RunnableConfig, current_config, ensure_config
from ..hosting import trio_entry
from .run import resolve_callbacks

__all__ = ["adispatch_custom_event", "dispatch_custom_event"]

_NO_PARENT = (
    "Unable to dispatch a custom event without a parent run: call it inside a runnable, "
    "a tool or a graph node (or pass that run's config)"
)


@trio_entry
async def adispatch_custom_event(name: str, data: Any, *, config: RunnableConfig | None = None) -> None:
    """Report ``on_custom_event`` named ``name`` with payload ``data`` to the current run's handlers.

    Raises:
        RuntimeError: called outside any run.
    """
    config = ensure_config(config)
    manager = resolve_callbacks(config.get("callbacks"))
    if manager is None:
        _require_run()
        return
    parent = manager.parent
    if parent is None:
        raise RuntimeError(_NO_PARENT)
    config_tags = config.get("tags") or []
    tag = manager.tag
    tags = [tag, *(t for t in config_tags if t != tag)] if tag else list(config_tags)
    metadata = dict(config.get("metadata") or {})
    for handler in manager.handlers:
        await handler.on_custom_event(parent, name, data, tags, metadata)


def dispatch_custom_event(name: str, data: Any, *, config: RunnableConfig | None = None) -> None:
    """The synchronous :func:`adispatch_custom_event`, for sync code running in a worker thread
    (a sync node, tool or lambda).

    Raises:
        RuntimeError: called outside any run, or on the trio thread (use the async form there).
    """
    config = ensure_config(config)
    if resolve_callbacks(config.get("callbacks")) is None:
        _require_run()
        return
    try:
        trio.lowlevel.current_trio_token()
    except RuntimeError:
        pass
    else:
        raise RuntimeError(
            "dispatch_custom_event() was called on the trio thread, where it would block every task; "
            "use 'await adispatch_custom_event(...)' in async code"
        )
    trio.from_thread.run(_dispatch, name, data, config)


def _require_run() -> None:
    # Untraced runs keep no record, but every run makes its child config ambient.
    if current_config() is None:
        raise RuntimeError(_NO_PARENT)


async def _dispatch(name: str, data: Any, config: RunnableConfig) -> None:
    await adispatch_custom_event(name, data, config=config)
