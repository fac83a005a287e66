"""Lifecycle records an actor emits, for tracing and for the graph's debug stream."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["ActorStarted", "ActorRetrying", "ActorStopped", "LifecycleRecord"]


@attrs.frozen
class ActorStarted:
    """The actor's behaviour began its first attempt."""

    name: str


@attrs.frozen
class ActorRetrying:
    """Attempt ``attempt`` failed with ``error``; the next starts after ``delay`` seconds."""

    name: str
    attempt: int
    error: BaseException
    delay: float


@attrs.frozen
class ActorStopped:
    """The actor finished: ``ok``, failed with ``error``, or was ``cancelled``."""

    name: str
    outcome: Literal["ok", "error", "cancelled"]
    error: BaseException | None = None


LifecycleRecord = ActorStarted | ActorRetrying | ActorStopped
