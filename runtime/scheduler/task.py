"""Nodes as the scheduler sees them, and tasks: one node's execution in one step.

A node spec is deliberately small: which channels trigger it, how to read its
input, and an async ``run`` that turns that input into writes. A task is one
run of it in one step, with a deterministic id; ``run`` gets the task's input
and a :class:`RunningTask`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .channel import Channel

if TYPE_CHECKING:
    from actors import RetryPolicy

    from ..cache import CachePolicy

    from ..core.config import RunnableConfig
    from ..core.stream import StreamWriter

__all__ = ["NodeSpec", "Task", "RunningTask", "task_id", "NS_SEP", "NS_END", "PUSH", "PULL", "Write"]

NS_SEP = "|"
"""Joins the segments of a nested checkpoint namespace."""
NS_END = ":"
"""Separates a namespace segment's node name from its task id."""


PUSH = "__pregel_push"
"""Path marker and write channel of a task created by a ``Send``."""
PULL = "__pregel_pull"
"""Path marker of a task triggered by its channels."""

Write = tuple[str, Any]


@attrs.frozen
class NodeSpec:
    """One node as the scheduler sees it.

    Attributes:
        name: the node's name, unique in its graph.
        triggers: channels whose update makes the node run in the next step.
        read: builds a pull task's input from the current values (key → value of
            every value channel that holds one); a hidden node reads the channels.
        run: ``await run(input, running)`` executes the node and returns its
            writes ``[(channel, value), ...]``; a write to :data:`PUSH` carries a ``Send``.
        hidden: internal node (the input mapper): no stream parts, no actor.
        is_subgraph: the node runs a compiled graph (its checkpoints nest).
        cache_policy: cache the node's writes by its input (a
            :class:`~runtime.cache.CachePolicy`), when the run has a cache.
        cache_namespace: the cache namespace of its writes.
    """

    name: str
    triggers: tuple[str, ...]
    read: Callable[[Mapping[str, Any]], Any]
    run: Callable[[Any, RunningTask], Awaitable[Sequence[Write]]]
    hidden: bool = False
    is_subgraph: bool = False
    metadata: Mapping[str, Any] = attrs.field(factory=dict)
    tags: tuple[str, ...] = ()
    retry_policy: RetryPolicy | Sequence[RetryPolicy] | None = None
    timeout: float | None = None
    cache_policy: CachePolicy[Any] | None = None
    cache_namespace: tuple[str, ...] = ()


def task_id(checkpoint_id: str, checkpoint_ns: str, step: int, name: str, *parts: str) -> str:
    """A UUID-formatted hash of where a task sits: stable across a resume of the same checkpoint.

    blake2b is in the standard library and fast; any well-mixed 128-bit hash would do.
    """
    digest = hashlib.blake2b(
        "\x00".join((checkpoint_id, checkpoint_ns, str(step), name, *parts)).encode(), digest_size=16
    ).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"


@attrs.define(slots=True, eq=False, repr=False)
class Task:
    """One node's run in one step.

    ``path`` orders write application: ``("__pregel_pull", name)`` for triggered
    nodes, ``("__pregel_push", index, False)`` for ``Send``s; pull paths sort first.
    """

    id: str
    name: str
    path: tuple[Any, ...]
    triggers: tuple[str, ...]
    input: Any
    node: NodeSpec
    step: int
    checkpoint_ns: str
    writes: list[Write] = attrs.field(factory=list)
    error: BaseException | None = None
    interrupts: tuple[Any, ...] = ()
    paused: bool = False
    """The task stopped for input: it called ``interrupt()``, or a graph nested in it
    paused (``interrupts`` may then be empty)."""
    done: bool = False
    resume: list[Any] = attrs.field(factory=list)
    """Answers to this task's ``interrupt()`` calls, in call order (from a resumed thread)."""
    answered: int = 0
    """How many of ``resume`` the task had before this run (a graph nested in it took those)."""
    cached: bool = False
    """The task finished before a resume, or its node's cache had its writes: ``writes``
    were read back, it does not run again."""
    attempt: int = 1
    """Which attempt at the task is running (a retry policy may run it again)."""
    cache_key: tuple[tuple[str, ...], str] | None = None
    """Where the node cache keeps this task's writes (its node has a cache policy)."""
    folded: dict[str, Channel] | None = None
    """Channels with this attempt's own writes applied, made by
    :meth:`~runtime.scheduler.machine.StepMachine.task_view` for its routers; the
    barrier adopts them for keys no other task wrote."""

    def __repr__(self) -> str:
        return f"<Task {self.name!r} step={self.step} id={self.id}>"


@attrs.define(slots=True, eq=False)
class RunningTask:
    """What a node's ``run`` gets besides its input: its task, its config, its
    ``custom`` writer, and the state as it sees it."""

    task: Task
    config: RunnableConfig
    writer: StreamWriter
    view: Callable[[Task, Sequence[Write]], Mapping[str, Any]]

    def values_with(self, writes: Sequence[Write]) -> Mapping[str, Any]:
        """The step's values with this task's own ``writes`` applied (what its routers see)."""
        return self.view(self.task, writes)
