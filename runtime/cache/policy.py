"""``CachePolicy``: how a node's results are cached, and the key its writes are cached under.

A node with a cache policy, in a graph compiled with a cache, is looked up
before it runs: the key is ``key_func(node input)`` (by default a pickle of the
input with dicts and lists frozen, so equal inputs give equal keys), hashed,
in the namespace ``("__pregel_ns_writes", <module.qualname of the action>,
<node name>)``. A hit skips the node and replays the writes it made last time;
a miss runs it and, when it finished (no error, no interrupt), stores its
writes for ``ttl`` seconds (``None``: until cleared).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

__all__ = ["CACHE_NS_WRITES", "CachePolicy", "cache_key", "cache_namespace", "default_cache_key"]

CACHE_NS_WRITES = "__pregel_ns_writes"
"""The first label of every namespace a graph's node writes are cached under."""

KeyFuncT = TypeVar("KeyFuncT", bound=Callable[..., str | bytes])


def _freeze(obj: Any, depth: int = 10) -> Hashable:
    """``obj`` as something hashable: mappings become sorted pairs, sequences tuples."""
    if isinstance(obj, Hashable) or depth <= 0:
        return cast(Hashable, obj)
    if isinstance(obj, Mapping):
        return tuple(sorted((k, _freeze(v, depth - 1)) for k, v in obj.items()))
    if isinstance(obj, Sequence):
        return tuple(_freeze(item, depth - 1) for item in obj)
    if hasattr(obj, "tobytes"):  # numpy and the like
        return (type(obj).__name__, obj.tobytes(), getattr(obj, "shape", None))
    return cast(Hashable, obj)  # unhashable and unknown: pickled as it is


def default_cache_key(*args: Any, **kwargs: Any) -> bytes:
    """The default key: a pickle of the (frozen) arguments — equal inputs, equal keys,
    whatever the order of their dicts' keys."""
    frozen = (tuple(_freeze(a) for a in args), tuple(sorted((k, _freeze(v)) for k, v in kwargs.items())))
    return pickle.dumps(frozen, protocol=5, fix_imports=False)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CachePolicy(Generic[KeyFuncT]):
    """Cache a node's results (``add_node(..., cache_policy=CachePolicy(ttl=60))``).

    Attributes:
        key_func: makes the cache key (``str`` or ``bytes``) from the node's input.
        ttl: seconds an entry lives; ``None`` keeps it until the cache is cleared.
    """

    key_func: KeyFuncT = default_cache_key  # type: ignore[assignment]  # a generic default, as LangGraph's
    ttl: int | float | None = None


def cache_namespace(action: Any, node: str) -> tuple[str, str, str]:
    """The namespace a node's writes are cached under (LangGraph's layout)."""
    target = action
    while isinstance(target, functools.partial):
        target = target.func
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
    module = getattr(target, "__module__", None)
    identifier = f"{module}.{name}" if name is not None and module is not None else "__dynamic__"
    return (CACHE_NS_WRITES, identifier, node)


def cache_key(policy: CachePolicy[Any], input: Any) -> str:
    """The hashed key of ``input`` under ``policy``."""
    raw = policy.key_func(input)
    data = raw.encode() if isinstance(raw, str) else raw
    return hashlib.blake2b(data, digest_size=16).hexdigest()
