"""Caching: ``BaseCache``, ``InMemoryCache`` and the ``CachePolicy`` a graph node caches its results by.

A graph compiled with ``compile(cache=InMemoryCache())`` skips a node declared
with ``add_node(..., cache_policy=CachePolicy(...))`` when its input was seen
before, replaying the writes it made then. The cache itself knows nothing of
graphs.
"""

from .base import BaseCache, FullKey, Namespace
from .memory import InMemoryCache
from .policy import (
    CACHE_NS_WRITES,
    CachePolicy,
    cache_key,
    cache_namespace,
    default_cache_key,
)

__all__ = [
    "CACHE_NS_WRITES",
    "BaseCache",
    "CachePolicy",
    "FullKey",
    "InMemoryCache",
    "Namespace",
    "cache_key",
    "cache_namespace",
    "default_cache_key",
]
