"""Moving a run's checkpoints in and out of a checkpoint saver.

The records themselves (what a checkpoint holds, how pending writes are keyed)
are in :mod:`.checkpoints`; this is the I/O around them, one thread at one
namespace. A step of one task saves its writes with the step's checkpoint, in
one transaction (no sibling can fail after it), unless the task is a subgraph,
whose writes are saved at once so that a crash before the checkpoint does not
run the whole subgraph again.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..checkpoint.base import BaseCheckpointSaver
from ..checkpoint.ids import new_checkpoint_id
from .checkpoints import ERROR, INTERRUPT, NO_WRITES, NULL_TASK_ID, RESUME, Checkpoint, Restored, read_checkpoint
from .program import Program
from .task import Write

__all__ = ["Persistence"]


@attrs.define(eq=False)
class Persistence:
    """One thread's checkpoints at one namespace."""

    saver: BaseCheckpointSaver
    thread_id: str
    checkpoint_ns: str

    async def load(self, program: Program, checkpoint_id: str | None = None) -> Restored | None:
        """The latest checkpoint (or ``checkpoint_id``) with its pending writes, or ``None``."""
        found = await self.saver.aget_tuple(self.thread_id, self.checkpoint_ns, checkpoint_id)
        if found is None:
            return None
        return read_checkpoint(program, found)

    async def save(self, checkpoint: Checkpoint) -> None:
        await self.saver.aput(
            self.thread_id, self.checkpoint_ns, checkpoint.checkpoint_id, checkpoint.as_document(),
            checkpoint.metadata, checkpoint.parent_id, parent_writes=checkpoint.task_writes,
        )

    async def put_result(self, checkpoint_id: str, task_id: str, writes: list[Write]) -> None:
        """Save a finished task's writes (a marker when it wrote nothing, so it counts as finished)."""
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, task_id, writes or [(NO_WRITES, None)]
        )

    async def put_interrupts(self, checkpoint_id: str, task_id: str, answered: int, interrupts: tuple[Any, ...]) -> None:
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, f"{task_id}|interrupt|{answered}",
            [(INTERRUPT, list(interrupts))],
        )

    async def put_resume(self, checkpoint_id: str, task_id: str, index: int, value: Any) -> None:
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, f"{task_id}|resume|{index}", [(RESUME, value)]
        )

    async def put_command(self, checkpoint_id: str, writes: list[Write]) -> None:
        """Save the writes of a ``Command`` input as null-task writes of the checkpoint the
        run continues from (read back with it, after the ones saved before)."""
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, f"{NULL_TASK_ID}|command|{new_checkpoint_id()}", writes
        )

    async def put_error(self, checkpoint_id: str, task_id: str, error: BaseException) -> None:
        """Record that a task failed: its error's ``repr``, which snapshots show as the task's
        ``error`` (the latest, when it failed in several runs)."""
        await self.saver.aput_writes(
            self.thread_id, self.checkpoint_ns, checkpoint_id, f"{task_id}|error|{new_checkpoint_id()}",
            [(ERROR, repr(error))],
        )
