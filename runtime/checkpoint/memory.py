"""``InMemorySaver``: checkpoints in dicts, for tests and single-process runs.

It keeps serialised bytes, not the caller's objects, so what comes back is a
fresh copy every time and later mutation on either side cannot reach the store
— the same isolation a database gives. Each namespace holds its checkpoints by
id plus the ids in sorted order, so "latest" is the last id, ``alist`` slices
from a bisection, and a checkpoint's writes sit in their own insertion-ordered
dict keyed by ``(task_id, index)``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import islice
from typing import final

import attrs
import trio

from .base import BaseCheckpointSaver, CheckpointStoreError, RawCheckpoint, RawWrite

__all__ = ["InMemorySaver", "MemorySaver"]


@attrs.frozen
class _Stored:
    parent_checkpoint_id: str | None
    checkpoint: bytes
    metadata: bytes


@attrs.define(eq=False)
class _Namespace:
    ids: list[str] = attrs.Factory(list)  # sorted; new ids are the greatest, so insort appends
    checkpoints: dict[str, _Stored] = attrs.Factory(dict)
    writes: dict[str, dict[tuple[str, int], tuple[str, str, bytes]]] = attrs.Factory(dict)

    def raw(self, checkpoint_id: str) -> RawCheckpoint:
        stored = self.checkpoints[checkpoint_id]
        return RawCheckpoint(
            checkpoint_id=checkpoint_id,
            parent_checkpoint_id=stored.parent_checkpoint_id,
            checkpoint=stored.checkpoint,
            metadata=stored.metadata,
            writes=tuple(self.writes[checkpoint_id].values()),
        )

    def add_writes(self, checkpoint_id: str, writes: Iterable[RawWrite]) -> None:
        stored = self.writes[checkpoint_id]
        for task_id, index, channel, value in writes:
            stored.setdefault((task_id, index), (task_id, channel, value))


@final
@attrs.define(eq=False)
class InMemorySaver(BaseCheckpointSaver):
    """A saver that lives in this process's memory and dies with it.

    Closing it drops everything it holds.
    """

    _threads: dict[str, dict[str, _Namespace]] = attrs.field(factory=dict, init=False)

    def _namespace(self, thread_id: str, checkpoint_ns: str) -> _Namespace | None:
        namespaces = self._threads.get(thread_id)
        return None if namespaces is None else namespaces.get(checkpoint_ns)

    async def _put(
        self,
        thread_id: str,
        checkpoint_ns: str,
        checkpoint_id: str,
        parent_checkpoint_id: str | None,
        checkpoint: bytes,
        metadata: bytes,
        writes: Iterable[RawWrite],
        *,
        parent_writes: Iterable[RawWrite] = (),
    ) -> None:
        await trio.lowlevel.checkpoint()
        namespace = self._threads.setdefault(thread_id, {}).setdefault(checkpoint_ns, _Namespace())
        if checkpoint_id not in namespace.checkpoints:
            bisect.insort(namespace.ids, checkpoint_id)
            namespace.writes[checkpoint_id] = {}
        namespace.checkpoints[checkpoint_id] = _Stored(parent_checkpoint_id, checkpoint, metadata)
        namespace.add_writes(checkpoint_id, writes)
        if parent_checkpoint_id in namespace.checkpoints:
            namespace.add_writes(parent_checkpoint_id, parent_writes)

    async def _put_writes(
        self, thread_id: str, checkpoint_ns: str, checkpoint_id: str, writes: Iterable[RawWrite]
    ) -> None:
        await trio.lowlevel.checkpoint()
        namespace = self._namespace(thread_id, checkpoint_ns)
        if namespace is None or checkpoint_id not in namespace.checkpoints:
            raise CheckpointStoreError(
                f"cannot put writes for checkpoint {checkpoint_id!r} of thread {thread_id!r} "
                f"(namespace {checkpoint_ns!r}): no such checkpoint; put the checkpoint first"
            )
        namespace.add_writes(checkpoint_id, writes)

    async def _get(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str | None) -> RawCheckpoint | None:
        await trio.lowlevel.checkpoint()
        namespace = self._namespace(thread_id, checkpoint_ns)
        if namespace is None or not namespace.ids:
            return None
        if checkpoint_id is None:
            checkpoint_id = namespace.ids[-1]
        elif checkpoint_id not in namespace.checkpoints:
            return None
        return namespace.raw(checkpoint_id)

    async def _list(
        self, thread_id: str, checkpoint_ns: str, before: str | None, limit: int | None
    ) -> list[RawCheckpoint]:
        await trio.lowlevel.checkpoint()
        namespace = self._namespace(thread_id, checkpoint_ns)
        if namespace is None:
            return []
        ids = namespace.ids
        end = len(ids) if before is None else bisect.bisect_left(ids, before)
        newest_first = (ids[i] for i in range(end - 1, -1, -1))
        return [namespace.raw(checkpoint_id) for checkpoint_id in islice(newest_first, limit)]

    async def _delete_thread(self, thread_id: str) -> None:
        await trio.lowlevel.checkpoint()
        self._threads.pop(thread_id, None)

    async def _aclose(self) -> None:
        await trio.lowlevel.checkpoint()
        self._close()

    def _close(self) -> None:
        self._threads.clear()


MemorySaver = InMemorySaver
"""LangGraph's older name for :class:`InMemorySaver`, kept as an alias as LangGraph keeps it."""
