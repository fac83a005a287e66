"""The trio side of a run: actors that run the step core's tasks, saves, stream parts.

A :class:`GraphRun` drives one run of a :class:`Program` at one namespace. All
the decisions are the step core's (:class:`~.machine.StepMachine`); this layer
only does what waits: loading and saving checkpoints, running tasks, and
delivering stream parts. It owns a :class:`~actors.Supervisor` for the whole
run, with two kinds of actor:

* the **driver** runs the step loop: plan (core), announce the checkpoint the
  step is planned from, run the tasks, finish the step (core), stream
  ``values``, save the checkpoint.
* a step's tasks run as jobs (:mod:`.runner`): a lone task is run by the driver
  itself, several fan out to the pool's long-lived **worker** actors.

Node tasks never see each other's context changes: an actor whose node left a
``ContextVar`` change behind retires, and a fresh one (spawned from the run's
own task, with the caller's context) takes over. For the driver that costs
nothing to get right, since the loop's state lives in the step core, not in
the driver's frame.

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
from collections.abc import Mapping, Sequence
from typing import Any

import trio

from actors import Supervisor, WorkerPool

from ..cache import BaseCache
from ..core.config import DEFAULT_RECURSION_LIMIT, RunnableConfig
from ..core.errors import GraphInterrupt
from ..core.graph_runtime import Runtime
from ..core.stream import StreamTarget, StreamWriter
from .checkpoints import INTERRUPT, Checkpoint, Restored, checkpoint_config
from .emitter import Emitter
from .machine import StepMachine, StepPlan, Verdict
from .payloads import checkpoint_payload, debug_item
from .persistence import Persistence
from .program import Program
from .resume import TaskInterrupts
from .runner import TaskRunner
from .task import Task

__all__ = ["GraphRun"]


class GraphRun:
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
        parent_interrupts: for a nested run, the interrupt bookkeeping of the task
            running it, whose unused resume values answer this run's pending interrupts.
        parents: for a nested run, each ancestor namespace's checkpoint id (the
            ``parents`` of this run's checkpoints).
        runtime: what the run's nodes get as their ``Runtime`` (context, store).
        cache: where nodes with a cache policy keep their writes.
        output_keys: the state keys its result and ``values`` / ``updates``
            chunks show (``None``: all of them).
        stateful: a nested run that keeps its history across invocations (see
            :class:`~.machine.StepMachine`).
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
        parent_interrupts: TaskInterrupts | None = None,
        parents: Mapping[str, str] | None = None,
        runtime: Runtime[Any] | None = None,
        cache: BaseCache[Any] | None = None,
        output_keys: Sequence[str] | None = None,
        stateful: bool = False,
    ) -> None:
        self.program = program
        self.runtime = runtime
        self.cache = cache
        self.config = config
        self.emitter = Emitter(targets, namespace)
        self.writer = StreamWriter(self.emitter.targets, namespace)
        self.persistence = persistence
        self.checkpoint_id = checkpoint_id
        self.machine = StepMachine(
            program,
            checkpoint_ns=checkpoint_ns,
            recursion_limit=config.get("recursion_limit", DEFAULT_RECURSION_LIMIT),
            persistent=persistence is not None,
            nested=bool(namespace),
            stateful=stateful,
            time_travel=checkpoint_id is not None,
            interrupt_before=frozenset(interrupt_before),
            interrupt_after=frozenset(interrupt_after),
            parent_io=parent_interrupts,
            parents=parents,
            output_keys=output_keys,
        )
        self._input: Any = None
        self._begun = False
        self._result: dict[str, Any] | None = None  # set by the driver that ends the run
        self._input_values = False  # the input step's values chunk is still to stream

    async def run(self, input: Any, *, in_own_task: bool = False) -> dict[str, Any]:
        """Run until the graph ends or is interrupted; return the output keys' values.

        A root run that is interrupted returns its state with ``__interrupt__``
        added; a nested one raises :class:`GraphInterrupt` to its task.

        ``in_own_task``: the calling task exists only for this run (a stream's
        producer), so nothing can see what nodes leave in its context, and the
        first driver runs right here instead of in an actor of its own — one
        spawn and one scheduling round less before the first part.
        """
        clean = contextvars.copy_context()
        async with Supervisor(self.program.name) as supervisor:
            pool = WorkerPool(supervisor, self.program.name)
            self._runner = TaskRunner(
                self.machine, self.config, self.emitter, self.writer, self.persistence, pool,
                runtime=self.runtime, cache=self.cache,
            )
            self._input = input
            try:
                if in_own_task:
                    await self._drive(None)
                while self._result is None:
                    handoff = trio.Event()
                    # Spawned from the caller's context as it was when the run
                    # began, whatever a previous driver's nodes left behind.
                    clean.run(supervisor.spawn, f"{self.program.name}-driver", self._drive, handoff, note="")
                    await handoff.wait()
            finally:
                supervisor.cancel()  # idle workers wait for work forever: release them
        assert self._result is not None  # a driver that stops without one raised instead
        return self._result

    async def _drive(self, handoff: trio.Event | None) -> None:
        """The step loop, run by a driver (see :meth:`run`); it sets ``handoff`` when it stops."""
        clean = contextvars.copy_context()
        if not self._begun:
            await self._begin(self._input)
            self._begun = True
        machine, emitter = self.machine, self.emitter
        while True:
            plan = machine.plan_step()
            if self._input_values:
                self._input_values = False
                await emitter.emit("values", machine.output())
            if plan.announce is not None:
                await self._announce(plan)
            verdict = plan.verdict
            if verdict is not Verdict.RUN:
                if verdict is Verdict.DONE:
                    self._result = machine.output()
                elif verdict is Verdict.PAUSE:
                    self._result = await self._interrupted(())
                else:
                    raise machine.recursion_error()
                break
            if plan.resume_writes:
                assert self.persistence is not None
                for task_id, index, value in plan.resume_writes:
                    await self.persistence.put_resume(machine.checkpoint_id, task_id, index, value)
            try:
                await self._runner.run_step(plan.tasks)
            except BaseException:  # a task's error, or the cancellation it caused
                if self.persistence is not None:
                    await self._record_errors(plan.tasks)
                raise
            outcome = machine.finish_step(plan.tasks)
            if outcome.paused:
                self._result = await self._interrupted(outcome.interrupts, plan.tasks)
                break
            if outcome.values_changed and emitter.wants("values"):
                if plan.tasks[0].node.hidden:
                    # The input step's values wait until the next step's tasks have
                    # read their input: an input their schema refuses raises first, as in LangGraph.
                    self._input_values = True
                else:
                    await emitter.emit("values", machine.output())
            if outcome.checkpoint is not None:
                await self._save(outcome.checkpoint)
            if contextvars.copy_context() != clean:
                break  # a node left a context change behind: a fresh driver goes on
            if emitter.backlog:
                # Let consumers take what this step streamed before the next one runs.
                await trio.lowlevel.cancel_shielded_checkpoint()
        if handoff is not None:
            handoff.set()

    async def _begin(self, input: Any) -> None:
        """Load the saved checkpoint (if any) and start the step core from it."""
        persistence = self.persistence
        restored = await persistence.load(self.program, self.checkpoint_id) if persistence is not None else None
        beginning = self.machine.begin(input, restored, thread_id=persistence.thread_id if persistence else None)
        if beginning.command_writes:
            assert persistence is not None
            await persistence.put_command(self.machine.checkpoint_id, list(beginning.command_writes))
        if beginning.checkpoint is not None:
            await self._save(beginning.checkpoint)
        if beginning.continued and self.emitter.wants("values"):
            await self.emitter.emit("values", self.machine.output())

    async def _record_errors(self, tasks: Sequence[Task]) -> None:
        """Save the errors of a failed step's tasks, so snapshots show them (as LangGraph does)."""
        failed = [(task.id, task.error) for task in tasks if task.error is not None and not task.node.hidden]
        if not failed:
            return
        assert self.persistence is not None
        # A sibling's failure reaches this driver as a cancellation: the record
        # is made anyway, as the error leaves.
        with trio.CancelScope(shield=True):
            for task_id, error in failed:
                await self.persistence.put_error(self.machine.checkpoint_id, task_id, error)

    async def _save(self, checkpoint: Checkpoint) -> None:
        assert self.persistence is not None
        await self.persistence.save(checkpoint)

    async def _announce(self, plan: StepPlan) -> None:
        """Stream the checkpoint ``plan`` was planned from (``checkpoints`` / ``debug``)."""
        emitter, persistence = self.emitter, self.persistence
        if persistence is None or not (emitter.wants("checkpoints") or emitter.wants("debug")):
            return
        checkpoint = plan.announce
        restored = checkpoint if isinstance(checkpoint, Restored) else None
        assert checkpoint is not None
        thread, ns = persistence.thread_id, persistence.checkpoint_ns
        parents = checkpoint.metadata.get("parents")
        payload = checkpoint_payload(
            checkpoint_config(thread, ns, checkpoint.checkpoint_id, parents),
            checkpoint_config(thread, ns, checkpoint.parent_id, parents) if checkpoint.parent_id else None,
            dict(self.machine.values),
            checkpoint.metadata,
            plan.tasks,
            thread_id=thread,
            output_keys=self.program.value_keys,
            results=restored.results if restored is not None else None,
            interrupts=restored.waiting() if restored is not None else None,
            run_configurable=self.config.get("configurable"),
        )
        if emitter.wants("checkpoints"):
            await emitter.emit("checkpoints", payload)
        if emitter.wants("debug"):
            await emitter.emit("debug", debug_item(checkpoint.metadata["step"], "checkpoint", payload))

    async def _interrupted(self, interrupts: tuple[Any, ...], tasks: Sequence[Task] = ()) -> dict[str, Any]:
        emitter = self.emitter
        if emitter.wants("updates"):
            await emitter.emit("updates", {INTERRUPT: interrupts})
        if self.emitter.namespace:
            # A nested run that stops (for input, or by its own interrupt_before /
            # interrupt_after) stops its parent's task, and so its parent, as in LangGraph.
            raise GraphInterrupt(interrupts)
        state = self.machine.output()
        if interrupts:
            state[INTERRUPT] = interrupts
            if emitter.wants("values"):
                await emitter.emit("values", dict(state))
            later = self.machine.output_after(tasks)  # with the finished siblings' writes
            if later is not None:
                if emitter.wants("values"):
                    await emitter.emit("values", dict(later))
                state = {**later, INTERRUPT: interrupts}
            # The result lists them, as LangGraph's invoke() does; the chunks keep its tuple.
            state[INTERRUPT] = list(interrupts)
        return state

