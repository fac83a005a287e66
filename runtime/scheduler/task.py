"""Tasks: one node's execution in one step, with a deterministic id."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .channel import Channel
from .program import NodeSpec, Write

if TYPE_CHECKING:
    from ..config import RunnableConfig
    from ..stream import StreamWriter

__all__ = ["Task", "TaskRuntime", "task_id", "NS_SEP", "NS_END"]

NS_SEP = "|"
"""Joins the segments of a nested checkpoint namespace."""
NS_END = ":"
"""Separates a namespace segment's node name from its task id."""


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
    done: bool = False
    resume: list[Any] = attrs.field(factory=list)
    """Answers to this task's ``interrupt()`` calls, in call order (from a resumed thread)."""
    answered: int = 0
    """How many of ``resume`` the task had before this run (a graph nested in it took those)."""
    cached: bool = False
    """The task finished before a resume; ``writes`` were read back, it does not run again."""
    folded: dict[str, Channel] | None = None
    """Channels with this attempt's own writes applied, made by
    :meth:`~runtime.scheduler.machine.StepMachine.task_view` for its routers; the
    barrier adopts them for keys no other task wrote."""

    def __repr__(self) -> str:
        return f"<Task {self.name!r} step={self.step} id={self.id}>"


@attrs.define(slots=True, eq=False)
class TaskRuntime:
    """What a node's ``run`` gets besides its input: its task, its config, its
    ``custom`` writer, and the state as it sees it."""

    task: Task
    config: RunnableConfig
    writer: StreamWriter
    view: Callable[[Task, Sequence[Write]], Mapping[str, Any]]

    def values_with(self, writes: Sequence[Write]) -> Mapping[str, Any]:
        """The step's values with this task's own ``writes`` applied (what its routers see)."""
        return self.view(self.task, writes)
