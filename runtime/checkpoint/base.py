"""The checkpoint saver interface, the records it returns, and checkpoint ids.

A saver keeps, per thread and checkpoint namespace, a chain of checkpoints and,
for each checkpoint, the *pending writes* of tasks that finished while the step
after it was being computed — so a run that crashed mid-step resumes without
re-running those tasks.

``BaseCheckpointSaver`` does the parts every backend shares: argument checks,
serialising values (at call time, before the first ``await``, so the caller may
mutate its objects as soon as the call is made), numbering writes, and decoding
what comes back. A backend stores and finds bytes; it implements the
underscore-prefixed abstract methods.

"Latest" means the checkpoint with the greatest id. Ids from
``new_checkpoint_id()`` grow with time, so the latest is the newest.
"""

from __future__ import annotations

import abc
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

import attrs
import trio

from ..core.errors import CheckpointStoreError
from ..hosting import TrioEntryPoints, trio_entry
from .ids import new_checkpoint_id
from .serde import JsonSerializer

__all__ = [
    "BaseCheckpointSaver",
    "CheckpointTuple",
    "CheckpointStoreError",
    "RawCheckpoint",
    "RawWrite",
    "new_checkpoint_id",
]




@attrs.frozen
class CheckpointTuple:
    """One saved checkpoint with the writes pending against it.

    Attributes:
        thread_id: the conversation or run history it belongs to.
        checkpoint_ns: ``""`` for the root graph, e.g. ``"sub:<task id>"`` for a subgraph.
        checkpoint_id: its id; the greatest id in a namespace is the latest.
        checkpoint: the scheduler's snapshot (channel values, step, pending sends...).
        metadata: ``{"source": ..., "step": ..., "parents": {...}}`` plus user metadata.
        parent_checkpoint_id: the checkpoint this one followed, or ``None``.
        pending_writes: ``(task_id, channel, value)`` in the order they were put.
    """

    thread_id: str
    checkpoint_ns: str
    checkpoint_id: str
    checkpoint: dict[str, Any]
    metadata: dict[str, Any]
    parent_checkpoint_id: str | None
    pending_writes: tuple[tuple[str, str, Any], ...]


@attrs.frozen
class RawCheckpoint:
    """A checkpoint as a backend keeps it: serialised, with writes as
    ``(task_id, channel, value bytes)`` in the order they were first put."""

    checkpoint_id: str
    parent_checkpoint_id: str | None
    checkpoint: bytes
    metadata: bytes
    writes: tuple[tuple[str, str, bytes], ...]


RawWrite = tuple[str, int, str, bytes]
"""``(task_id, index, channel, value bytes)``: a write as a backend stores it. The
index counts the task's writes in one call, so a write put twice is stored once."""


@attrs.define(eq=False)
class BaseCheckpointSaver(TrioEntryPoints, abc.ABC):
    """Where a graph keeps its checkpoints: one small async interface, many backends.

    Every public coroutine is a trio checkpoint and never blocks the event loop.
    A saver is an async and a sync context manager; leaving either closes it,
    after which every call raises ``CheckpointStoreError``.

    Args:
        serde: turns values into bytes and back; see ``JsonSerializer``.
    """

    serde: JsonSerializer = attrs.field(factory=JsonSerializer, kw_only=True)
    _entry_points = ("aput", "aput_writes", "aget_tuple", "alist", "adelete_thread", "aclose", "aget", "_aopen")
    _closed: bool = attrs.field(default=False, init=False)

    @trio_entry
    async def aput(
        self,
        thread_id: str,
        checkpoint_ns: str,
        checkpoint_id: str,
        checkpoint: dict[str, Any],
        metadata: dict[str, Any],
        parent_checkpoint_id: str | None,
        writes: Sequence[tuple[str, str, Any]] = (),
        *,
        parent_writes: Sequence[tuple[str, str, Any]] = (),
    ) -> None:
        """Save a checkpoint and any writes that belong to it, in one transaction.

        Putting an id that exists replaces its checkpoint, metadata and parent;
        its pending writes are kept and ``writes`` are added as by ``aput_writes``.

        Args:
            writes: ``(task_id, channel, value)`` triples; a task's writes are
                numbered in the order given here.
            parent_writes: writes added, in the same transaction and as by
                ``aput_writes``, to the parent checkpoint: the record of the
                task whose step made this checkpoint, when it was not saved on
                its own. Dropped when the parent is not stored.

        Raises:
            TypeError: a value cannot be serialised; nothing was saved.
        """
        self._check_open()
        if not isinstance(checkpoint, dict) or not isinstance(metadata, dict):
            raise TypeError(
                "aput() takes the checkpoint and its metadata as dicts, got "
                f"{type(checkpoint).__name__} and {type(metadata).__name__}"
            )
        dumps = self.serde.dumps
        raw_writes = self._number(writes)
        raw_parent_writes = self._number(parent_writes) if parent_writes and parent_checkpoint_id else []
        await self._put(
            thread_id,
            checkpoint_ns,
            checkpoint_id,
            parent_checkpoint_id,
            dumps(checkpoint),
            dumps(metadata),
            raw_writes,
            parent_writes=raw_parent_writes,
        )

    def _number(self, writes: Sequence[tuple[str, str, Any]]) -> list[RawWrite]:
        """Serialise ``(task_id, channel, value)`` writes, numbering each task's in order."""
        dumps = self.serde.dumps
        counts: dict[str, int] = {}
        raw_writes: list[RawWrite] = []
        for task_id, channel, value in writes:
            index = counts.get(task_id, 0)
            counts[task_id] = index + 1
            raw_writes.append((task_id, index, channel, dumps(value)))
        return raw_writes

    @trio_entry
    async def aput_writes(
        self,
        thread_id: str,
        checkpoint_ns: str,
        checkpoint_id: str,
        task_id: str,
        writes: Sequence[tuple[str, Any]],
    ) -> None:
        """Save the ``(channel, value)`` writes of one task that finished while the
        step after ``checkpoint_id`` was being computed.

        Idempotent per ``(checkpoint, task_id, index in writes)``: a write that is
        already stored is left as it is, so a task reported twice counts once.

        Raises:
            CheckpointStoreError: the checkpoint was never put (or was deleted).
            TypeError: a value cannot be serialised; nothing was saved.
        """
        self._check_open()
        dumps = self.serde.dumps
        raw_writes = [(task_id, index, channel, dumps(value)) for index, (channel, value) in enumerate(writes)]
        await self._put_writes(thread_id, checkpoint_ns, checkpoint_id, raw_writes)

    @trio_entry
    async def aget_tuple(
        self, thread_id: str, checkpoint_ns: str = "", checkpoint_id: str | None = None
    ) -> CheckpointTuple | None:
        """The checkpoint ``checkpoint_id``, or the latest (greatest id) when it is
        ``None``; ``None`` if there is no such checkpoint."""
        self._check_open()
        raw = await self._get(thread_id, checkpoint_ns, checkpoint_id)
        return None if raw is None else self._decode(thread_id, checkpoint_ns, raw)

    @trio_entry
    async def alist(
        self,
        thread_id: str,
        checkpoint_ns: str = "",
        *,
        before: str | None = None,
        limit: int | None = None,
        filter: Mapping[str, Any] | None = None,
    ) -> list[CheckpointTuple]:
        """The namespace's checkpoints, newest (greatest id) first.

        Args:
            before: only ids less than this one.
            limit: at most this many; ``None`` for all.
            filter: only checkpoints whose metadata has every one of these
                key-value pairs (``{"source": "loop"}``); the limit counts
                those that match.
        """
        self._check_open()
        if limit is not None and limit < 0:
            raise ValueError(f"alist() limit must be None or >= 0, got {limit}")
        if not filter:
            raws = await self._list(thread_id, checkpoint_ns, before, limit)
            return [self._decode(thread_id, checkpoint_ns, raw) for raw in raws]
        found: list[CheckpointTuple] = []
        for raw in await self._list(thread_id, checkpoint_ns, before, None):
            if limit is not None and len(found) >= limit:
                break
            decoded = self._decode(thread_id, checkpoint_ns, raw)
            metadata = decoded.metadata
            if all(key in metadata and metadata[key] == value for key, value in filter.items()):
                found.append(decoded)
        return found

    @trio_entry
    async def adelete_thread(self, thread_id: str) -> None:
        """Forget every checkpoint and write of ``thread_id``, in all namespaces."""
        self._check_open()
        await self._delete_thread(thread_id)

    @trio_entry
    async def aclose(self) -> None:
        """Release the store; waits for calls in flight. Closing twice is fine."""
        if self._closed:
            await trio.lowlevel.checkpoint()
            return
        self._closed = True
        await self._aclose()

    def close(self) -> None:
        """Close from synchronous code. Prefer ``aclose`` inside trio: a backend
        may refuse to close synchronously while a call is in flight."""
        if not self._closed:
            self._close()
            self._closed = True

    @trio_entry
    async def __aenter__(self) -> Self:
        self._check_open()
        await self._aopen()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        await self.aclose()

    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise CheckpointStoreError(f"{type(self).__name__} is closed; open a new one")

    def _decode(self, thread_id: str, checkpoint_ns: str, raw: RawCheckpoint) -> CheckpointTuple:
        loads = self.serde.loads
        return CheckpointTuple(
            thread_id=thread_id,
            checkpoint_ns=checkpoint_ns,
            checkpoint_id=raw.checkpoint_id,
            checkpoint=loads(raw.checkpoint),
            metadata=loads(raw.metadata),
            parent_checkpoint_id=raw.parent_checkpoint_id,
            pending_writes=tuple((task_id, channel, loads(value)) for task_id, channel, value in raw.writes),
        )

    async def _aopen(self) -> None:
        """Acquire resources early (``async with`` calls it); a backend may open lazily instead."""
        await trio.lowlevel.checkpoint()

    @abc.abstractmethod
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
        """Store (or replace) a checkpoint and add its writes, and ``parent_writes``
        to its parent if that is stored, atomically."""

    @abc.abstractmethod
    async def _put_writes(
        self, thread_id: str, checkpoint_ns: str, checkpoint_id: str, writes: Iterable[RawWrite]
    ) -> None:
        """Add writes not already stored; raise ``CheckpointStoreError`` for an unknown checkpoint."""

    @abc.abstractmethod
    async def _get(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str | None) -> RawCheckpoint | None:
        """One checkpoint, or the one with the greatest id when ``checkpoint_id`` is ``None``."""

    @abc.abstractmethod
    async def _list(
        self, thread_id: str, checkpoint_ns: str, before: str | None, limit: int | None
    ) -> list[RawCheckpoint]:
        """Checkpoints with ids below ``before``, greatest id first, at most ``limit``."""

    @abc.abstractmethod
    async def _delete_thread(self, thread_id: str) -> None:
        """Remove the thread's checkpoints and writes in every namespace."""

    @abc.abstractmethod
    async def _aclose(self) -> None:
        """Release resources once calls in flight are done."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Release resources synchronously, or raise ``CheckpointStoreError`` if busy."""
