"""``InMemoryCache``: a :class:`~runtime.cache.base.BaseCache` in this process's memory.

Values are copied in and out (``copy.deepcopy``, or a serializer's bytes when
one is given), so a node that mutates what it got from a cache hit cannot
change what the next hit returns. Expiry is checked against ``clock`` on read:
an expired entry is dropped when it is next asked for. The clock is
injectable, so a test moves time by hand instead of sleeping.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from .base import BaseCache, FullKey, Namespace, ValueT

__all__ = ["InMemoryCache"]


class Serializer(Protocol):
    """Anything with ``dumps(obj) -> bytes`` and ``loads(bytes) -> obj`` (e.g. ``JsonSerializer``)."""

    def dumps(self, obj: Any) -> bytes: ...

    def loads(self, data: bytes) -> Any: ...


class InMemoryCache(BaseCache[ValueT]):
    """A dict of namespaces of entries ``(stored value, expiry time or None)``.

    Args:
        serde: store values as this serializer's bytes instead of deep copies.
        clock: the time in seconds (default ``time.time``); TTLs are measured on it.
    """

    def __init__(self, *, serde: Serializer | None = None, clock: Callable[[], float] = time.time) -> None:
        self.serde = serde
        self.clock = clock
        self._entries: dict[Namespace, dict[str, tuple[Any, float | None]]] = {}
        self._lock = threading.Lock()

    def _store(self, value: Any) -> Any:
        return self.serde.dumps(value) if self.serde is not None else copy.deepcopy(value)

    def _load(self, stored: Any) -> Any:
        return self.serde.loads(stored) if self.serde is not None else copy.deepcopy(stored)

    def get(self, keys: Sequence[FullKey]) -> dict[FullKey, ValueT]:
        """The live values for ``keys``; expired entries are dropped on the way."""
        found: dict[FullKey, ValueT] = {}
        if not keys:
            return found
        with self._lock:
            now = self.clock()
            for namespace, key in keys:
                entries = self._entries.get(tuple(namespace))
                if entries is None or key not in entries:
                    continue
                stored, expiry = entries[key]
                if expiry is not None and now >= expiry:
                    del entries[key]
                    continue
                found[(tuple(namespace), key)] = self._load(stored)
        return found

    async def aget(self, keys: Sequence[FullKey]) -> dict[FullKey, ValueT]:
        """As :meth:`get` (nothing in memory blocks)."""
        return self.get(keys)

    def set(self, pairs: Mapping[FullKey, tuple[ValueT, int | float | None]]) -> None:
        """Store each value; an entry with a ``ttl`` expires ``ttl`` seconds from now."""
        with self._lock:
            now = self.clock()
            for (namespace, key), (value, ttl) in pairs.items():
                expiry = now + ttl if ttl is not None else None
                self._entries.setdefault(tuple(namespace), {})[key] = (self._store(value), expiry)

    async def aset(self, pairs: Mapping[FullKey, tuple[ValueT, int | float | None]]) -> None:
        """As :meth:`set`."""
        self.set(pairs)

    def clear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """Drop the given namespaces, or everything."""
        with self._lock:
            if namespaces is None:
                self._entries.clear()
                return
            for namespace in namespaces:
                self._entries.pop(tuple(namespace), None)

    async def aclear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """As :meth:`clear`."""
        self.clear(namespaces)
