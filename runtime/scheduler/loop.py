"""The concurrent half of a superstep: run tasks as actors, barrier, emit, save.

A :class:`GraphRun` drives one run of a :class:`Program` at one namespace. It
owns a :class:`~actors.Supervisor` for the whole run, with two kinds of actor:

* the **driver** runs the step loop. A new input is written to the input channel
  (step -1 on a fresh thread) and the hidden input node maps it into state in the
  next step; a resumed run instead restores the latest checkpoint and re-emits
  its state. Each step, the pure planner picks the tasks; at the barrier the
  writes are applied in task-path order, ``values`` is emitted if a state key
  changed, the checkpoint is saved, and the next step is planned from it.
* a step's tasks run as jobs: a lone task is run by the driver itself (handing
  it to another actor and back costs two scheduling rounds, more than a trivial
  node), several fan out to the pool's long-lived **worker** actors and run
  concurrently. A task emits its ``updates``/``tasks``/``debug`` parts the
  moment it finishes; the first error cancels everything.

Node tasks never see each other's context changes: an actor whose node left a
``ContextVar`` change behind retires, and a fresh one (spawned from the run's
own task, with the caller's context) takes over — for the driver, from the loop
state in :class:`_Loop`.

Stream parts go straight from the actor that made them into every interested
consumer's mailbox — no relay task — so a chunk is one hop from producer to
consumer and the mailbox bound is the back-pressure.

Interrupts: a task that calls ``interrupt()`` ends the step without applying it
(finished siblings' writes are kept as pending writes); ``interrupt_before`` /
``interrupt_after`` stop between steps. A nested run re-raises its interrupt to
the task running it, so it surfaces at every level.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Sequence
from typing import Any

import attrs
import trio

from actors import Supervisor, WorkerPool

from ..core.config import RunnableConfig
from ..core.errors import TROUBLESHOOTING, EmptyInputError, GraphInterrupt, GraphRecursionError
from ..core.stream import STREAM_MODES, StreamTarget, StreamWriter
from ..core.types import Command
from .interrupts import INTERRUPT, TaskIO, answers
from .payloads import checkpoint_payload, debug_item
from .persistence import Persistence, Restored, checkpoint_config
from .planner import apply_writes, plan_tasks, read_values
from .program import Program
from .execution import TaskExecution
from .task import Task

__all__ = ["GraphRun", "recursion_error"]


def recursion_error(limit: int) -> GraphRecursionError:
    return GraphRecursionError(
        f"Recursion limit of {limit} reached without hitting a stop condition. You can increase the "
        "limit by setting the `recursion_limit` config key."
        f"{TROUBLESHOOTING}GRAPH_RECURSION_LIMIT"
    )


class GraphRun(TaskExecution):
    """One run of a program at one namespace (a root run, or a subgraph inside a task).

    Args:
        program: what to run.
        config: the run's config (tags, metadata, configurable, recursion_limit).
        targets: every consumer that may want this run's parts.
        namespace: the stream namespace, ``()`` for a root run.
        checkpoint_ns: the ``|``-joined checkpoint namespace (``""`` for a root run).
        persistence: where checkpoints go (``None``: nothing is saved).
        checkpoint_id: resume from this checkpoint instead of the latest (time travel).
        interrupt_before / interrupt_after: stop before / after these nodes run.
        parent_io: for a nested run, the interrupt bookkeeping of the task running
            it, whose unused resume values answer this run's pending interrupts.
    """

    def __init__(
        self,
        program: Program,
        config: RunnableConfig,
        targets: Sequence[StreamTarget] = (),
        namespace: tuple[str, ...] = (),
        checkpoint_ns: str = "",
        *,
        persistence: Persistence | None = None,
        checkpoint_id: str | None = None,
        interrupt_before: Sequence[str] = (),
        interrupt_after: Sequence[str] = (),
        parent_io: TaskIO | None = None,
    ) -> None:
        self.program = program
        self.config = config
        self.namespace = namespace
        self.checkpoint_ns = checkpoint_ns
        self.targets = tuple(targets)
        depth = len(namespace)
        self._wants: dict[str, tuple[StreamTarget, ...]] = {
            mode: tuple(t for t in self.targets if t.wants(mode, depth)) for mode in STREAM_MODES
        }
        self.writer = StreamWriter(self.targets, namespace)
        self.channels = program.new_channels()
        self.values = program.initial_values()
        self._value_keys = frozenset(program.value_keys)
        self._output_copy = program.outputs_all_values
        self.persistence = persistence
        self.checkpoint_id = checkpoint_id
        self.interrupt_before = frozenset(interrupt_before)
        self.interrupt_after = frozenset(interrupt_after)
        self.parent_io = parent_io
        self.step = 0
        self._plan_id = ""
        self._loop: _Loop | None = None
        self._input: Any = None
        self._result: Any = _PENDING
        self._run_key = ""
        self._save_results = False
        self._answered: dict[str, int] = {}  # task id -> answers it had before this run
        # The checkpoint to announce once the next step is planned: its id, metadata,
        # parent, and (for a restored one) what it holds of the step after it.
        self._announce: tuple[str, dict[str, Any], str | None, Restored | None] | None = None

    # -- emitting -------------------------------------------------------------
    def wants(self, mode: str) -> bool:
        return bool(self._wants[mode])

    async def emit(self, mode: str, chunk: Any) -> None:
        for target in self._wants[mode]:
            await target.put(self.namespace, mode, chunk)

    def emit_now(self, mode: str, chunk: Any) -> None:
        """Emit without a checkpoint, past a full mailbox if need be: for parts that
        must land together, or before anything else can run (see ``_finished``)."""
        for target in self._wants[mode]:
            target.put_sync(self.namespace, mode, chunk)

    def state(self) -> dict[str, Any]:
        """The output keys' current values."""
        if self._output_copy:
            return dict(self.values)
        return read_values(self.values, self.program.output_keys)

    def _use_channels(self, channels: dict[str, Any]) -> None:
        self.channels = channels
        self.values = self.program.values_of(channels)

    def _refresh_values(self, updated: set[str]) -> None:
        """Bring ``values`` up to date with the channels a barrier just updated."""
        values, channels = self.values, self.channels
        changed = updated & self._value_keys
        appeared = not changed <= values.keys()
        for key in changed:
            values[key] = channels[key].get()
        if appeared:  # keep schema order: a key seen for the first time goes in its place
            self.values = {key: values[key] for key in self.program.value_keys if key in values}

    # -- the run --------------------------------------------------------------
    async def run(self, input: Any) -> dict[str, Any]:
        """Run until the graph ends or is interrupted; return the output keys' values.

        A root run that is interrupted returns its state with ``__interrupt__``
        added; a nested one raises :class:`GraphInterrupt` to its task.
        """
        # One supervisor for the whole run. Its *driver* actor runs the step loop
        # and executes a step's lone task itself (no hand-off); steps with several
        # tasks fan out to the pool's worker actors, kept alive between steps.
        async with Supervisor(self.program.name) as supervisor:
            self._pool = WorkerPool(supervisor, self.program.name)
            self._input = input
            try:
                while True:
                    handoff = trio.Event()
                    # Spawned from this task, so every driver starts from the
                    # caller's context, whatever a previous driver's nodes left.
                    supervisor.spawn(f"{self.program.name}-driver", self._drive, handoff, note="")
                    await handoff.wait()
                    if self._result is not _PENDING:
                        return self._result  # type: ignore[no-any-return]
            finally:
                supervisor.cancel()  # idle workers wait for work forever: release them

    async def _drive(self, handoff: trio.Event) -> None:
        """The step loop, run by the driver actor (see :meth:`run`)."""
        clean = contextvars.copy_context()
        if self._loop is None:
            self._loop = await self._begin(self._input)
        loop = self._loop
        program = self.program
        while True:
            self.step = loop.step
            tasks = plan_tasks(
                program, self.channels, self.values, loop.updated, loop.sends,
                step=loop.step, checkpoint_id=self._plan_id, checkpoint_ns=self.checkpoint_ns,
            )
            await self._announce_checkpoint(tasks)
            if not tasks:
                self._result = self.state()
                break
            if loop.stop_after or (
                not loop.skip_interrupt_before and any(t.name in self.interrupt_before for t in tasks)
            ):
                self._result = await self._interrupted(())
                break
            if loop.step >= loop.first + loop.limit:
                raise recursion_error(loop.limit)
            loop.skip_interrupt_before = False
            if loop.restored is not None:
                await self._prefill(tasks, loop.restored, loop.resume)
                loop.restored = None
            await self._run_step(tasks)
            interrupts = tuple(i for t in tasks for i in t.interrupts)
            if interrupts:
                self._result = await self._interrupted(interrupts)
                break
            loop.updated, loop.sends = apply_writes(self.channels, tasks)
            self._refresh_values(loop.updated)
            if self._wants["values"] and not loop.updated.isdisjoint(program.stream_keys):
                await self.emit("values", self.state())
            await self._checkpoint(loop.step, "loop", loop.updated, loop.sends, self._plan_id)
            loop.stop_after = any(t.name in self.interrupt_after for t in tasks)
            loop.step += 1
            if contextvars.copy_context() != clean:
                break  # a node left a context change behind: a fresh driver goes on
            if any(len(target.mailbox) for target in self.targets):
                # Let consumers take what this step streamed before the next one runs.
                await trio.lowlevel.cancel_shielded_checkpoint()
        handoff.set()

    async def _begin(self, input: Any) -> _Loop:
        """Restore or start the run: the loop state the first step is planned from."""
        program = self.program
        limit = self.config.get("recursion_limit", 25)
        if limit < 1:
            raise ValueError("recursion_limit must be at least 1")
        restored = await self._restore()
        resume = self._resume_value(input, restored)
        if restored is not None and (input is None or resume is not None or self.namespace):
            # Continue the saved step: same checkpoint, same task ids. A nested run
            # only finds an unfinished run in its namespace (see _restore) when its
            # task runs again after a failure, a crash or an interrupt: it continues
            # that run rather than applying its input a second time.
            self._use_channels(restored.channels)
            step, updated, sends = restored.step + 1, restored.updated, restored.sends
            self._plan_id = restored.checkpoint_id
            pending: Restored | None = restored
            if resume is None and self._forks(restored):
                # Time travel: replay from a fork, so the steps after the chosen
                # checkpoint run again under new task ids instead of reusing its writes.
                await self._checkpoint(step, "fork", updated, sends, restored.checkpoint_id)
                step, pending = step + 1, None
            else:
                self._announce = (restored.checkpoint_id, restored.metadata, restored.parent_id, restored)
            if self._wants["values"]:
                await self.emit("values", self.state())
            return _Loop(step, updated, sends, limit, step, pending, resume, skip_interrupt_before=True)
        if input is None:
            raise EmptyInputError("Received no input for __start__")
        if restored is not None:
            self._use_channels(restored.channels)
        input_step = restored.step + 1 if restored is not None else -1
        self.channels[program.input_channel].update([input])
        updated: set[str] = {program.input_channel}
        await self._checkpoint(input_step, "input", updated, [], restored.checkpoint_id if restored else None)
        return _Loop(input_step + 1, updated, [], limit, input_step + 1, None, None)

    # -- persistence and interrupts ----------------------------------------------
    async def _restore(self) -> Restored | None:
        if self.persistence is None:
            return None
        restored = await self.persistence.load(self.program, self.checkpoint_id)
        if restored is not None and self.namespace and not _unfinished(self.program, restored):
            return None  # a finished subgraph run in this namespace: a new invocation starts afresh
        return restored

    def _resume_value(self, input: Any, restored: Restored | None) -> dict[str, Any] | None:
        """The resume value for each waiting task, or ``None`` when this run is no resume."""
        if isinstance(input, Command) and input.resume is not None:
            # A thread paused by interrupt_before/after has no interrupt to answer,
            # but it is waiting: resuming it continues, as ``None`` would.
            paused = restored is not None and _unfinished(self.program, restored)
            if restored is None or not (restored.waiting() or paused):
                thread = self.persistence.thread_id if self.persistence else None
                raise ValueError(
                    f"Command(resume=...) was given for thread {thread!r}, which has no pending interrupt"
                    + ("" if self.persistence else " (the graph has no checkpointer, so nothing can be resumed)")
                )
            return answers(input.resume, restored.waiting()) if restored.waiting() else {}
        io = self.parent_io
        if restored is not None and restored.waiting() and io is not None and io.answered < len(io.resume):
            io.answered += 1
            return answers(io.resume[io.answered - 1], restored.waiting())
        return None

    def _forks(self, restored: Restored) -> bool:
        """Whether continuing from ``restored`` is time travel that must fork.

        Continuing from a checkpoint named in the config replays the steps after
        it. A checkpoint a run or an earlier replay went on from holds that
        run's task writes, so the replay forks: it saves a copy (``source:
        "fork"``) and plans from that. An ``update`` or ``fork`` checkpoint
        nothing has run from yet is already the start of a branch.
        """
        if self.checkpoint_id is None:
            return False
        return restored.source not in ("update", "fork") or bool(restored.results or restored.interrupts)

    async def _prefill(self, tasks: list[Task], restored: Restored, resume: dict[str, Any] | None) -> None:
        """Give resumed tasks their saved results and resume values."""
        given = resume or {}
        for task in tasks:
            if task.id in restored.results:
                task.writes = list(restored.results[task.id])
                task.cached = True
                continue
            task.resume = list(restored.resumes.get(task.id, ()))
            self._answered[task.id] = len(task.resume)
            if task.id in given:
                value = given[task.id]
                if self.persistence is not None:
                    await self.persistence.put_resume(self._plan_id, task.id, len(task.resume), value)
                task.resume.append(value)

    async def _checkpoint(self, step: int, source: str, updated: set[str], sends: list[Any], parent: str | None) -> None:
        if self.persistence is None:
            # Nothing is saved, so the id only has to make this run's task ids
            # unique: one random prefix per run, the step after it.
            if not self._run_key:
                self._run_key = uuid.uuid4().hex
            self._plan_id = f"{self._run_key}:{step}"
            return
        self._plan_id, metadata = await self.persistence.save(
            self.channels, step=step, source=source, updated=updated, sends=sends, parent_id=parent
        )
        self._announce = (self._plan_id, metadata, parent, None)

    async def _announce_checkpoint(self, next_tasks: list[Task]) -> None:
        if self._announce is None or self.persistence is None:
            return
        checkpoint_id, metadata, parent, restored = self._announce
        self._announce = None
        if not (self._wants["checkpoints"] or self._wants["debug"]):
            return
        thread, ns = self.persistence.thread_id, self.checkpoint_ns
        payload = checkpoint_payload(
            checkpoint_config(thread, ns, checkpoint_id),
            checkpoint_config(thread, ns, parent) if parent else None,
            self.state(),
            metadata,
            next_tasks,
            thread_id=thread,
            output_keys=self.program.output_keys,
            results=restored.results if restored is not None else None,
            interrupts=restored.waiting() if restored is not None else None,
        )
        if self._wants["checkpoints"]:
            await self.emit("checkpoints", payload)
        if self._wants["debug"]:
            await self.emit("debug", debug_item(metadata["step"], "checkpoint", payload))

    async def _interrupted(self, interrupts: tuple[Any, ...]) -> dict[str, Any]:
        if self._wants["updates"]:
            await self.emit("updates", {INTERRUPT: interrupts})
        if self.namespace and interrupts:
            raise GraphInterrupt(interrupts)
        state = self.state()
        if interrupts:
            state[INTERRUPT] = interrupts
            if self._wants["values"]:
                await self.emit("values", dict(state))
        return state

    # -- one step -------------------------------------------------------------


def _unfinished(program: Program, restored: Restored) -> bool:
    return bool(restored.sends) or any(program.trigger_index.get(ch) for ch in restored.updated)


@attrs.define(slots=True, eq=False)
class _Loop:
    """Where the step loop stands: what a replacement driver continues from."""

    step: int
    updated: set[str]
    sends: list[Any]
    limit: int
    first: int
    restored: Restored | None
    resume: dict[str, Any] | None
    skip_interrupt_before: bool = False
    stop_after: bool = False


_PENDING: Any = object()
