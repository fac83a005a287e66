"""Helpers every workload module shares: building one side per API, formatting notes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..apis import GraphApi, tributary_api
from ..model import Side

__all__ = ["sides", "micros"]


def sides(
    build: Callable[[GraphApi], Callable[[], Awaitable[Any]]],
    langgraph: GraphApi | None,
    *,
    self_timed: bool = False,
) -> tuple[Side, ...]:
    """One side per available API, each running what ``build(api)`` returns.

    ``build`` compiles the graph (once, outside any timing) and returns the
    coroutine function that runs it once.
    """
    apis = (tributary_api(),) if langgraph is None else (tributary_api(), langgraph)
    return tuple(Side(api.name, api.loop, build(api), self_timed) for api in apis)


def micros(seconds: float) -> str:
    """``seconds`` as microseconds, for notes ("12.3 µs")."""
    return f"{seconds * 1e6:.3g} µs"
