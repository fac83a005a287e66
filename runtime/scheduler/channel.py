"""The channel protocol: how one slot of graph state takes a step's writes.

The scheduler knows nothing of reducers or schemas; it hands each channel all
the values written to it in one step, in task order, and asks whether that
changed it. ``graphs`` provides the concrete channels (last value, reducer, join
barrier, trigger).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Self

from ..core.errors import EmptyChannelError

__all__ = ["Channel", "EmptyChannelError", "MISSING"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The snapshot of a channel that holds no value."""


class Channel(ABC):
    """One slot of state. ``key`` names it in error messages."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    @abstractmethod
    def update(self, values: Sequence[Any]) -> bool:
        """Apply every value written this step, in task order; return whether the channel changed."""

    @abstractmethod
    def get(self) -> Any:
        """The current value. Raises :class:`EmptyChannelError` when there is none."""

    def is_available(self) -> bool:
        """Whether :meth:`get` would return a value."""
        try:
            self.get()
        except EmptyChannelError:
            return False
        return True

    def consume(self) -> bool:
        """Called once a node triggered by this channel has run; return whether that changed it."""
        return False

    def finish(self) -> bool:
        """Called when a step triggered no node; return whether the channel became
        available, triggering its nodes (a deferred node's trigger)."""
        return False

    @abstractmethod
    def snapshot(self) -> Any:
        """A serialisable value that :meth:`restore` turns back into this state (``MISSING`` if empty)."""

    @abstractmethod
    def restore(self, snapshot: Any) -> Self:
        """A fresh channel of the same kind holding ``snapshot``."""

    def copy(self) -> Self:
        """An independent channel with the same value."""
        return self.restore(self.snapshot())
