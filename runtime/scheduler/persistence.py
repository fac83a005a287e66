"""Saving and restoring a run's step state through a checkpoint saver.

A checkpoint holds everything the planner needs to plan the next step: every
channel's snapshot, the channels the last step updated, and the ``Send``s it
produced. Tasks that finish while a step is being computed save their writes at
once as *pending writes* of the checkpoint the step was planned from, so that a
run that failed, was interrupted or was killed mid-step resumes without
repeating them: the resumed step gets the same task ids (they hash the
checkpoint id) and takes their writes instead of running them. (A step of one
task skips this unless the task is a subgraph: no sibling can fail after it, and
its writes reach the store with the step's checkpoint.)

Continuing from a checkpoint named in the config (time travel) does not reuse
its pending writes: the run saves a ``fork`` copy of it and plans from that, so
the later steps run again under new task ids, on a new branch of the history.

Pending writes are first-write-wins per (checkpoint, key), so a task that is
interrupted several times, and the resume values answering it, are stored under
suffixed keys: ``<task id>|interrupt|<k>`` and ``<task id>|resume|<k>``, where
``k`` counts the answers the task had when it asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..checkpoint.base import BaseCheckpointSaver, new_checkpoint_id
from ..core.types import Send
from .channel import MISSING, Channel
from .interrupts import INTERRUPT, RESUME
from .program import Program, Write

__all__ = ["Persistence", "Restored", "checkpoint_config"]

FORMAT = 1


def checkpoint_config(thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> dict[str, Any]:
    """The config that names one checkpoint (what ``get_state().config`` shows)."""
    return {"configurable": {"thread_id": thread_id, "checkpoint_ns": checkpoint_ns, "checkpoint_id": checkpoint_id}}


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

    def waiting(self) -> dict[str, tuple[Any, ...]]:
        """Tasks whose latest interrupt has no answer yet."""
        return {
            task_id: found
            for task_id, (asked_after, found) in self.interrupts.items()
            if asked_after >= len(self.resumes.get(task_id, ())) and task_id not in self.results
        }


@attrs.define(eq=False)
class Persistence:
    """One thread's checkpoints at one namespace."""

    saver: BaseCheckpointSaver
    thread_id: str
    checkpoint_ns: str

    async def load(self, program: Program, checkpoint_id: str | None = None) -> Restored | None:
        found = await self.saver.aget_tuple(self.thread_id, self.checkpoint_ns, checkpoint_id)
        if found is None:
            return None
        return self.restore(program, found)

    def restore(self, program: Program, found: Any) -> Restored:
        data = found.checkpoint
        snapshots: Mapping[str, Any] = data.get("channels", {})
        channels = {
            key: (proto.restore(snapshots[key]) if key in snapshots else proto.copy())
            for key, proto in program.channels.items()
        }
        results: dict[str, list[Write]] = {}
        interrupts: dict[str, tuple[int, tuple[Any, ...]]] = {}
        resumes: dict[str, dict[int, Any]] = {}
        for key, channel, value in found.pending_writes:
            task_id, _, rest = key.partition("|")
            if not rest:
                results.setdefault(task_id, []).append((channel, value))
                continue
            kind, _, index = rest.partition("|")
            if kind == "interrupt":
                k = int(index)
                if task_id not in interrupts or interrupts[task_id][0] <= k:
                    interrupts[task_id] = (k, tuple(value))
            elif kind == "resume":
                resumes.setdefault(task_id, {})[int(index)] = value
        return Restored(
            checkpoint_id=found.checkpoint_id,
            parent_id=found.parent_checkpoint_id,
            step=found.metadata.get("step", -1),
            source=found.metadata.get("source", "loop"),
            created_at=data.get("ts", ""),
            metadata=found.metadata,
            channels=channels,
            updated=set(data.get("updated", ())),
            sends=list(data.get("sends", ())),
            results=results,
            interrupts=interrupts,
            resumes={task_id: [answers[i] for i in sorted(answers)] for task_id, answers in resumes.items()},
        )

    async def save(
        self,
        channels: Mapping[str, Channel],
        *,
        step: int,
        source: str,
        updated: Iterable[str],
        sends: list[Send],
        parent_id: str | None,
        metadata: Mapping[str, Any] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """Save a checkpoint; return its id and metadata."""
        snapshots = {}
        for key, channel in channels.items():
            value = channel.snapshot()
            if value is not MISSING:
                snapshots[key] = value
        checkpoint_id = new_checkpoint_id()
        checkpoint = {
            "v": FORMAT,
            "ts": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "channels": snapshots,
            "updated": sorted(updated),
            "sends": list(sends),
        }
        meta = {**(metadata or {}), "source": source, "step": step, "parents": {}}
        await self.saver.aput(
            self.thread_id, self.checkpoint_ns, checkpoint_id, checkpoint, meta, parent_id
        )
        return checkpoint_id, meta

    async def put_result(self, checkpoint_id: str, task_id: str, writes: list[Write]) -> None:
        await self.saver.aput_writes(self.thread_id, self.checkpoint_ns, checkpoint_id, task_id, writes)

    async def put_interrupts(self, checkpoint_id: str, task_id: str, answered: int, interrupts: tuple[Any, ...]) -> None:
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, f"{task_id}|interrupt|{answered}", [(INTERRUPT, list(interrupts))]
        )

    async def put_resume(self, checkpoint_id: str, task_id: str, index: int, value: Any) -> None:
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, f"{task_id}|resume|{index}", [(RESUME, value)]
        )
