"""Tasks: one node's execution in one step, with a deterministic id."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import attrs

from ..core.config import RunnableConfig
from ..core.stream import StreamWriter
from .channel import Channel
from .program import NodeSpec, Write

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
    cached: bool = False
    """The task finished before a resume; ``writes`` were read back, it does not run again."""
    folded: dict[str, Channel] | None = None
    """Channels with this task's own writes already applied (made for its routers'
    view of the state); the barrier adopts them for keys no other task wrote."""

    def __repr__(self) -> str:
        return f"<Task {self.name!r} step={self.step} id={self.id}>"


@attrs.define(slots=True, eq=False)
class TaskRuntime:
    """What a node's ``run`` gets besides its input: the task, the step's channels
    and values (both read-only until the barrier), its config and its ``custom`` writer."""

    task: Task
    channels: Mapping[str, Channel]
    values: Mapping[str, Any]
    config: RunnableConfig
    writer: StreamWriter
