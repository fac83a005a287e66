"""The cache interface: values under ``(namespace, key)``, each with an optional time to live.

A graph compiled with ``compile(cache=...)`` keeps the writes of its cached
nodes here (see :mod:`runtime.cache.policy`); nothing in this package knows
about graphs. A key is a *full key*, ``(namespace, key)``, where the namespace
is a tuple of strings that :meth:`BaseCache.clear` can drop as a whole.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

from ..hosting import TrioEntryPoints

__all__ = ["BaseCache", "FullKey", "Namespace"]

ValueT = TypeVar("ValueT")
Namespace = tuple[str, ...]
FullKey = tuple[Namespace, str]


class BaseCache(TrioEntryPoints, ABC, Generic[ValueT]):
    """A cache of values by full key; TTLs are in seconds (``None``: never expires)."""

    _entry_points = ("aget", "aset", "aclear")

    @abstractmethod
    def get(self, keys: Sequence[FullKey]) -> dict[FullKey, ValueT]:
        """The values present (and not expired) for ``keys``; missing keys are left out."""

    @abstractmethod
    async def aget(self, keys: Sequence[FullKey]) -> dict[FullKey, ValueT]:
        """Async :meth:`get`."""

    @abstractmethod
    def set(self, pairs: Mapping[FullKey, tuple[ValueT, int | float | None]]) -> None:
        """Store each ``value`` with its ``ttl`` under its key: ``{key: (value, ttl)}``."""

    @abstractmethod
    async def aset(self, pairs: Mapping[FullKey, tuple[ValueT, int | float | None]]) -> None:
        """Async :meth:`set`."""

    @abstractmethod
    def clear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """Drop everything under ``namespaces`` (everything at all when ``None``)."""

    @abstractmethod
    async def aclear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """Async :meth:`clear`."""
