"""Checkpoints as the step core sees them: one to save, and one read back.

A checkpoint holds everything the planner needs to plan the next step: every
channel's snapshot, the channels the last step updated, and the ``Send``\\s it
produced. Tasks that finish while a step is being computed save their writes
at once as *pending writes* of the checkpoint the step was planned from, so that
a run that failed, was interrupted or was killed mid-step resumes without
repeating them: the resumed step gets the same task ids (they hash the
checkpoint id) and takes their writes instead of running them.

A step of one task saves that task's writes with the step's checkpoint, as
pending writes of the checkpoint the step was planned from, in the same
transaction (:attr:`Checkpoint.task_writes`): history shows what each task of
a step wrote, whatever the number of tasks. A finished task that wrote nothing
leaves a ``__no_writes__`` marker, so it still counts as finished.

Pending writes are first-write-wins per (checkpoint, key), so a task that is
interrupted several times, and the resume values answering it, are stored under
suffixed keys: ``<task id>|interrupt|<k>`` and ``<task id>|resume|<k>``, where
``k`` counts the answers the task had when it asked. A task that failed leaves
its error's ``repr`` (as LangGraph's serializer turns an exception into its
``repr``) under ``<task id>|error|<id>``, where a time-ordered id makes the
latest failure the one snapshots show; a failed task does not count as
finished. :func:`read_checkpoint` sorts them back out.

A ``Command`` given as input on a saved thread (its ``update`` and ``goto``)
belongs to no task: its writes are saved under :data:`NULL_TASK_ID`
(``<null id>|command|<id>``, a time-ordered id per Command) as pending writes
of the checkpoint the run continues from, and :func:`read_checkpoint` applies
them to that checkpoint's channels, as LangGraph applies its null-task writes.

Nothing here does I/O: :mod:`.persistence` moves these records in and out of a
checkpoint saver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..core.config import RunnableConfig
from ..core.types import Send
from .channel import Channel
from .planner import fold_writes
from .program import Program
from .task import Write

__all__ = [
    "Checkpoint", "Restored", "read_checkpoint", "checkpoint_config", "result_writes", "FORMAT", "INTERRUPT", "RESUME",
    "NO_WRITES", "ERROR", "NULL_TASK_ID",
]

FORMAT = 1
"""The version of the checkpoint layout :class:`Checkpoint` produces."""

RESUME = "__resume__"
"""Pending-write channel holding a task's resume values."""
INTERRUPT = "__interrupt__"
"""Pending-write channel (and stream key) holding a task's interrupts."""
NO_WRITES = "__no_writes__"
"""Pending-write channel marking a task that finished without writing anything."""
ERROR = "__error__"
"""Pending-write channel holding the ``repr`` of a task's error."""
NULL_TASK_ID = "00000000-0000-0000-0000-000000000000"
"""The task id of writes that come from no task (a ``Command`` input), as in LangGraph."""


def result_writes(task_id: str, writes: Sequence[Write]) -> list[tuple[str, str, Any]]:
    """A finished task's writes as ``(task id, channel, value)`` pending writes
    (the ``__no_writes__`` marker when it wrote nothing)."""
    if not writes:
        return [(task_id, NO_WRITES, None)]
    return [(task_id, key, value) for key, value in writes]


def checkpoint_config(
    thread_id: str, checkpoint_ns: str, checkpoint_id: str, parents: Mapping[str, str] | None = None
) -> RunnableConfig:
    """The config that names one checkpoint (what ``get_state().config`` shows).

    A subgraph's checkpoint (one with ``parents``) also carries the
    ``checkpoint_map`` LangGraph puts there: each ancestor namespace's
    checkpoint id, and its own.
    """
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": checkpoint_ns, "checkpoint_id": checkpoint_id}
    if parents:
        configurable["checkpoint_map"] = {**parents, checkpoint_ns: checkpoint_id}
    return {"configurable": configurable}


@attrs.frozen
class Checkpoint:
    """A checkpoint to save."""

    checkpoint_id: str
    parent_id: str | None
    step: int
    source: str
    """``"input"``, ``"loop"``, ``"update"`` or ``"fork"``, as in LangGraph's metadata."""
    channels: dict[str, Any]
    """Every non-empty channel's snapshot."""
    updated: tuple[str, ...]
    sends: tuple[Send, ...]
    created_at: str
    parents: Mapping[str, str] = attrs.field(factory=dict)
    """For a subgraph: each ancestor namespace's checkpoint its task ran from (``{"": root's id}``)."""
    task_writes: tuple[tuple[str, str, Any], ...] = ()
    """``(task id, channel, value)``: the writes of the step's lone task, saved as
    pending writes of the parent checkpoint with this one."""

    @property
    def metadata(self) -> dict[str, Any]:
        return {"source": self.source, "step": self.step, "parents": dict(self.parents)}

    def as_document(self) -> dict[str, Any]:
        """The checkpoint as the savers store it."""
        return {
            "v": FORMAT,
            "ts": self.created_at,
            "channels": self.channels,
            "updated": list(self.updated),
            "sends": list(self.sends),
        }


@attrs.define(eq=False)
class Restored:
    """A checkpoint read back, ready to plan from."""

    checkpoint_id: str
    parent_id: str | None
    step: int
    source: str
    created_at: str
    metadata: dict[str, Any]
    channels: dict[str, Channel]
    updated: set[str]
    sends: list[Send]
    results: dict[str, list[Write]]
    """Writes of tasks that finished after this checkpoint, by task id."""
    interrupts: dict[str, tuple[int, tuple[Any, ...]]]
    """The latest interrupts of tasks waiting for an answer: task id → (answers so far, interrupts)."""
    resumes: dict[str, list[Any]]
    """Answers given so far, by task id, in order."""
    errors: dict[str, str] = attrs.field(factory=dict)
    """The ``repr`` of the error each failed task raised, by task id."""

    @property
    def parents(self) -> dict[str, str]:
        """The ancestors' checkpoint ids of a subgraph's checkpoint (``{}`` at the root)."""
        parents = self.metadata.get("parents")
        return dict(parents) if isinstance(parents, dict) else {}

    def waiting(self) -> dict[str, tuple[Any, ...]]:
        """Tasks whose latest interrupt has no answer yet."""
        return {
            task_id: found
            for task_id, (asked_after, found) in self.interrupts.items()
            if asked_after >= len(self.resumes.get(task_id, ())) and task_id not in self.results
        }


def read_checkpoint(program: Program, found: Any) -> Restored:
    """Rebuild ``program``'s channels and the step's pending writes from a saver's ``CheckpointTuple``."""
    data = found.checkpoint
    snapshots: Mapping[str, Any] = data.get("channels", {})
    channels = {
        key: (proto.restore(snapshots[key]) if key in snapshots else proto.copy())
        for key, proto in program.channels.items()
    }
    results: dict[str, list[Write]] = {}
    interrupts: dict[str, tuple[int, tuple[Any, ...]]] = {}
    resumes: dict[str, dict[int, Any]] = {}
    errors: dict[str, tuple[str, str]] = {}
    commands: dict[str, list[Write]] = {}
    for key, channel, value in found.pending_writes:
        task_id, _, rest = key.partition("|")
        if not rest:
            writes = results.setdefault(task_id, [])
            if channel != NO_WRITES:
                writes.append((channel, value))
            continue
        kind, _, index = rest.partition("|")
        if kind == "command":
            commands.setdefault(index, []).append((channel, value))
        elif kind == "interrupt":
            k = int(index)
            if task_id not in interrupts or interrupts[task_id][0] <= k:
                interrupts[task_id] = (k, tuple(value))
        elif kind == "resume":
            resumes.setdefault(task_id, {})[int(index)] = value
        elif kind == "error" and (task_id not in errors or errors[task_id][0] < index):
            errors[task_id] = (index, value)  # the latest failure wins
    updated = set(data.get("updated", ()))
    sends = list(data.get("sends", ()))
    if commands:
        null_writes = [write for index in sorted(commands) for write in commands[index]]
        null_updated, null_sends = fold_writes(channels, null_writes)
        updated |= null_updated
        sends += null_sends
    return Restored(
        checkpoint_id=found.checkpoint_id,
        parent_id=found.parent_checkpoint_id,
        step=found.metadata.get("step", -1),
        source=found.metadata.get("source", "loop"),
        created_at=data.get("ts", ""),
        metadata=found.metadata,
        channels=channels,
        updated=updated,
        sends=sends,
        results=results,
        interrupts=interrupts,
        resumes={task_id: [answers[i] for i in sorted(answers)] for task_id, answers in resumes.items()},
        errors={task_id: value for task_id, (_, value) in errors.items()},
    )
