"""``InMemoryStore``: a dict-backed :class:`~runtime.store.base.BaseStore` for tests and single processes.

Items live in a dict of namespaces, each a dict of keys, so a search walks
namespaces and keys in the order they were first written — the order LangGraph's
in-memory store returns them in. A lock makes each batch atomic, since sync
nodes call the store from worker threads.

There is no semantic index: ``search(query=...)`` raises instead of quietly
returning unranked items (docs/differences.md), and ``index=`` on ``put`` is
accepted and ignored, as it is by any store configured without an index.
"""

from __future__ import annotations

import datetime
import operator
import threading
from collections.abc import Callable, Iterable
from typing import Any

from .base import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    MatchCondition,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
)

__all__ = ["InMemoryStore"]


class InMemoryStore(BaseStore):
    """A store that keeps everything in this process's memory.

    Args:
        index: a semantic-search index configuration. Not supported: passing one
            raises ``NotImplementedError`` rather than running without it.
    """

    __slots__ = ("_data", "_lock")

    def __init__(self, *, index: Any = None) -> None:
        if index is not None:
            raise NotImplementedError(
                "InMemoryStore(index=...) is not supported by Tributary: the store has no semantic "
                "(vector) search; search by namespace and filter instead"
            )
        self._data: dict[tuple[str, ...], dict[str, Item]] = {}
        self._lock = threading.Lock()

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Execute ``ops`` in order, atomically with respect to other batches."""
        with self._lock:
            return [self._execute(op) for op in ops]

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """As :meth:`batch` (nothing in memory blocks)."""
        return self.batch(ops)

    def _execute(self, op: Op) -> Result:
        if isinstance(op, GetOp):
            return self._data.get(op.namespace, {}).get(op.key)
        if isinstance(op, PutOp):
            self._put(op)
            return None
        if isinstance(op, SearchOp):
            return self._search(op)
        if isinstance(op, ListNamespacesOp):
            return self._list_namespaces(op)
        raise ValueError(f"Unknown store operation {op!r} (expected GetOp, PutOp, SearchOp or ListNamespacesOp)")

    def _put(self, op: PutOp) -> None:
        if op.value is None:
            items = self._data.get(op.namespace)
            if items is not None:
                items.pop(op.key, None)
                if not items:
                    del self._data[op.namespace]
            return
        now = datetime.datetime.now(datetime.UTC)
        self._data.setdefault(op.namespace, {})[op.key] = Item(
            value=dict(op.value), key=op.key, namespace=op.namespace, created_at=now, updated_at=now
        )

    def _search(self, op: SearchOp) -> list[SearchItem]:
        if op.query:
            raise NotImplementedError(
                f"search(query={op.query!r}) asks for semantic search, which InMemoryStore does not "
                "support (it has no index); search by namespace prefix and filter= instead"
            )
        prefix, depth = op.namespace_prefix, len(op.namespace_prefix)
        found: list[Item] = []
        for namespace, items in self._data.items():
            if namespace[:depth] != prefix:
                continue
            for item in items.values():
                if not op.filter or all(_matches(item.value.get(k), v) for k, v in op.filter.items()):
                    found.append(item)
        return [
            SearchItem(item.namespace, item.key, item.value, item.created_at, item.updated_at)
            for item in found[op.offset : op.offset + op.limit]
        ]

    def _list_namespaces(self, op: ListNamespacesOp) -> list[tuple[str, ...]]:
        namespaces: Iterable[tuple[str, ...]] = self._data
        if op.match_conditions:
            conditions = op.match_conditions
            namespaces = [ns for ns in namespaces if all(_namespace_matches(c, ns) for c in conditions)]
        if op.max_depth is not None:
            ordered = sorted({ns[: op.max_depth] for ns in namespaces})
        else:
            ordered = sorted(namespaces)
        return ordered[op.offset : op.offset + op.limit]


def _namespace_matches(condition: MatchCondition, namespace: tuple[str, ...]) -> bool:
    path = condition.path
    if len(namespace) < len(path):
        return False
    if condition.match_type == "prefix":
        pairs = zip(namespace, path)
    elif condition.match_type == "suffix":
        pairs = zip(reversed(namespace), reversed(path))
    else:
        raise ValueError(f"Unsupported namespace match type {condition.match_type!r} (use 'prefix' or 'suffix')")
    return all(wanted == "*" or label == wanted for label, wanted in pairs)


def _matches(value: Any, wanted: Any) -> bool:
    """Whether an item's ``value`` satisfies one filter entry (JSONB-like, as LangGraph compares)."""
    if isinstance(wanted, dict):
        if any(key.startswith("$") for key in wanted):
            return all(_compare(value, op, operand) for op, operand in wanted.items())
        return isinstance(value, dict) and all(_matches(value.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, (list, tuple)):
        return (
            isinstance(value, (list, tuple))
            and len(value) == len(wanted)
            and all(_matches(v, w) for v, w in zip(value, wanted))
        )
    return bool(value == wanted)


def _compare(value: Any, op: str, operand: Any) -> bool:
    if op == "$eq":
        return bool(value == operand)
    if op == "$ne":
        return bool(value != operand)
    order = _ORDER.get(op)
    if order is None:
        raise ValueError(f"Unsupported filter operator {op!r} (use $eq, $ne, $gt, $gte, $lt or $lte)")
    try:
        left, right = float(value), float(operand)
    except (TypeError, ValueError):
        return False  # a missing or non-numeric value does not match (docs/differences.md)
    return order(left, right)


_ORDER: dict[str, Callable[[float, float], bool]] = {
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
}
