"""The multiplexed stream: ``StreamPart``s, where they go, and how callers see them.

Every producer in a run (node actors, the scheduler at each barrier, nested
subgraph runs) emits ``StreamPart(namespace, mode, chunk)`` into one or more
:class:`StreamTarget`s. A target is one consumer's end: its own bounded
:class:`~actors.Mailbox`, the modes it asked for, and whether it wants parts from
subgraphs. Producers check :meth:`StreamTarget.wants` *before* building a payload,
so a mode nobody asked for costs nothing.

A run nested in another (a subgraph node, or a graph invoked inside a node)
emits to its caller's targets as well as its own, with the namespace made
absolute; each target strips the prefix it sits under.

:func:`project` is the pure function that turns a part into the shape
LangGraph's ``stream()`` yields for a given ``stream_mode``/``subgraphs``/``version``.
"""

from __future__ import annotations

import functools
import operator
import threading
from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple, final

import attrs
from trio.lowlevel import in_trio_task

from actors import Mailbox

from ..hosting import guest_for_caller

__all__ = [
    "StreamPart",
    "StreamMode",
    "STREAM_MODES",
    "StreamTarget",
    "StreamWriter",
    "HostLoopStreamWriter",
    "normalize_stream_mode",
    "project",
    "projector",
    "DEFAULT_STREAM_BUFFER",
]

StreamMode = Literal["values", "updates", "custom", "messages", "debug", "tasks", "checkpoints"]
STREAM_MODES: tuple[str, ...] = ("values", "updates", "checkpoints", "tasks", "debug", "messages", "custom")

DEFAULT_STREAM_BUFFER = 1024
"""Parts a consumer's mailbox holds before producers are held back.

Large enough that a consumer draining in batches rarely makes a producer wait,
small enough (a parked part is a tuple and its payload) to bound memory."""


class StreamPart(NamedTuple):
    """One item of the multiplexed stream: which (sub)graph, which mode, what payload."""

    namespace: tuple[str, ...]
    mode: str
    chunk: Any


_new_part = tuple.__new__  # builds a StreamPart without NamedTuple's Python-level __new__


def normalize_stream_mode(stream_mode: str | Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """Validate ``stream_mode``; return the modes and whether the caller gave several.

    A list *or tuple* of modes counts as several (Tributary's deliberate difference
    from LangGraph, which treats a tuple like a single mode).

    Raises:
        ValueError: naming an unknown mode and listing the valid ones.
    """
    if isinstance(stream_mode, str):
        modes: tuple[str, ...] = (stream_mode,)
        multi = False
    elif isinstance(stream_mode, Sequence):
        modes = tuple(stream_mode)
        multi = True
    else:
        raise TypeError(f"stream_mode must be a mode name or a list of them, got {stream_mode!r}")
    for mode in modes:
        if mode not in STREAM_MODES:
            raise ValueError(f"Unknown stream_mode {mode!r}; valid modes are {', '.join(STREAM_MODES)}")
    if not modes:
        raise ValueError(f"stream_mode is an empty list; give at least one of {', '.join(STREAM_MODES)}")
    return tuple(dict.fromkeys(modes)), multi


@final
@attrs.define(eq=False)
class StreamTarget:
    """One consumer's end of the stream.

    Args:
        modes: the modes this consumer asked for.
        subgraphs: whether it wants parts from namespaces below ``depth``.
        depth: the namespace depth of the graph the consumer called (parts are
            re-based to it, so a nested graph's caller sees ``()`` for its own parts).
        mailbox: where parts wait for the consumer.
    """

    modes: frozenset[str]
    subgraphs: bool = False
    depth: int = 0
    mailbox: Mailbox[Any] = attrs.field(factory=lambda: Mailbox(DEFAULT_STREAM_BUFFER))
    loop_thread: int = attrs.field(factory=threading.get_ident)

    def wants(self, mode: str, depth: int) -> bool:
        """Whether a part of ``mode`` from a graph at namespace depth ``depth`` reaches this consumer."""
        return mode in self.modes and (depth == self.depth or (self.subgraphs and depth > self.depth))

    def _part(self, namespace: tuple[str, ...], mode: str, chunk: Any) -> StreamPart:
        return _new_part(StreamPart, (namespace[self.depth :] if self.depth else namespace, mode, chunk))

    async def put(self, namespace: tuple[str, ...], mode: str, chunk: Any) -> None:
        """Emit from an async producer on the loop thread, waiting while the mailbox is full."""
        part = self._part(namespace, mode, chunk)
        if not self.mailbox.put_nowait(part):
            await self.mailbox.put(part)

    def put_from_sync_code(self, namespace: tuple[str, ...], mode: str, chunk: Any) -> None:
        """Emit from synchronous code: blocks a worker thread while full; on the loop
        thread (which must not block) it may exceed the bound — see ``Mailbox.put_past_bound``."""
        part = self._part(namespace, mode, chunk)
        if threading.get_ident() == self.loop_thread:
            if not self.mailbox.put_nowait(part):
                self.mailbox.put_past_bound(part)
        else:
            self.mailbox.put_from_thread(part)


class StreamWriter:
    """The ``writer`` a node gets: ``writer(chunk)`` emits a ``custom`` part.

    It is a no-op when nobody asked for ``custom`` (or for parts of this
    subgraph), so nodes may call it unconditionally. In a worker thread a call
    blocks while the consumer is behind; an async node that writes many chunks
    between awaits should use ``await writer.asend(chunk)`` to get the same
    back-pressure.
    """

    __slots__ = ("_targets", "_namespace", "_sinks", "_loop_thread")

    def __init__(self, targets: Sequence[StreamTarget], namespace: tuple[str, ...]) -> None:
        depth = len(namespace)
        self._targets = tuple(t for t in targets if t.wants("custom", depth))
        self._namespace = namespace
        # Per chunk, the hot path only appends: namespaces are re-based once, here.
        self._sinks = tuple((t.mailbox, namespace[t.depth :]) for t in self._targets)
        self._loop_thread = self._targets[0].loop_thread if self._targets else 0

    @property
    def active(self) -> bool:
        """Whether anything written here reaches a consumer."""
        return bool(self._targets)

    def __call__(self, chunk: Any) -> None:
        if threading.get_ident() == self._loop_thread:
            # The loop thread must not block: append, past the bound if the
            # consumer is behind (the argued overflow of Mailbox.put_past_bound).
            for mailbox, namespace in self._sinks:
                mailbox.put_past_bound(_new_part(StreamPart, (namespace, "custom", chunk)))
        else:
            for target in self._targets:
                target.put_from_sync_code(self._namespace, "custom", chunk)

    async def asend(self, chunk: Any) -> None:
        """Emit ``chunk``, waiting while the consumer is behind."""
        for target in self._targets:
            await target.put(self._namespace, "custom", chunk)

    def for_host_loop(self, run_soon: Callable[..., object]) -> StreamWriter:
        """This writer as seen by a coroutine running on an asyncio host loop, outside
        trio's ticks, where trio's wake-ups cannot be called directly."""
        writer = HostLoopStreamWriter.__new__(HostLoopStreamWriter)
        writer._targets, writer._namespace = self._targets, self._namespace
        writer._sinks, writer._loop_thread = self._sinks, self._loop_thread
        writer._run_soon = run_soon
        return writer


@final
class HostLoopStreamWriter(StreamWriter):
    """A :class:`StreamWriter` for code on the asyncio host loop of a guest trio run.

    Outside trio's ticks a write is handed to trio with ``run_soon`` (the guest run's
    ``TrioToken.run_sync_soon``): in order, ahead of the coroutine's completion,
    which crosses the same way. ``await writer.asend(chunk)`` waits in trio for room.
    """

    __slots__ = ("_run_soon",)

    _run_soon: Callable[..., object]

    def __call__(self, chunk: Any) -> None:
        if in_trio_task():
            StreamWriter.__call__(self, chunk)
        else:
            self._run_soon(StreamWriter.__call__, self, chunk)

    async def asend(self, chunk: Any) -> None:
        if in_trio_task():
            await StreamWriter.asend(self, chunk)
        else:
            guest = await guest_for_caller("asend()")
            await guest.call(StreamWriter.asend, self, chunk)


def projector(modes: tuple[str, ...], multi: bool, subgraphs: bool, version: str = "v1") -> Callable[[StreamPart], Any]:
    """:func:`project` specialised once per stream: v1 shapes are plain item
    selections, done by ``operator.itemgetter`` in C rather than per-part Python."""
    if version == "v2":
        return functools.partial(project, modes=modes, multi=multi, subgraphs=subgraphs, version=version)
    if multi:
        return operator.itemgetter(0, 1, 2) if subgraphs else operator.itemgetter(1, 2)
    return operator.itemgetter(0, 2) if subgraphs else operator.itemgetter(2)


def project(
    part: StreamPart,
    modes: tuple[str, ...],
    multi: bool,
    subgraphs: bool,
    version: str = "v1",
) -> Any:
    """The item ``stream()`` yields for ``part`` (see docs/streaming.md).

    ``modes``/``multi`` come from :func:`normalize_stream_mode`.
    """
    namespace, mode, chunk = part
    if version == "v2":
        item: dict[str, Any] = {"type": mode, "ns": namespace, "data": chunk}
        if mode == "values":
            if isinstance(chunk, dict) and "__interrupt__" in chunk:
                chunk = dict(chunk)
                item["interrupts"] = chunk.pop("__interrupt__")
                item["data"] = chunk
            else:
                item["interrupts"] = ()
        return item
    if multi:
        return (namespace, mode, chunk) if subgraphs else (mode, chunk)
    return (namespace, chunk) if subgraphs else chunk
