"""The concurrent half of a superstep: run tasks as actors, barrier, emit, save.

A :class:`GraphRun` drives one run of a :class:`Program` at one namespace:

1. a new input is written to the input channel (step -1 on a fresh thread) and
   the hidden input node maps it into state in the next step; a resumed run
   instead restores the latest checkpoint and re-emits its state;
2. each step, the pure planner picks the tasks; each runs as an actor under a
   :class:`~actors.Supervisor` (concurrently, first error cancels siblings) and
   emits its ``updates``/``tasks``/``debug`` parts the moment it finishes;
3. at the barrier the writes are applied in task-path order, ``values`` is
   emitted if a state key changed, the checkpoint is saved, and the next step is
   planned from it.

Stream parts go straight from the actor that made them into every interested
consumer's mailbox — no relay task — so a chunk is one hop from producer to
consumer and the mailbox bound is the back-pressure.

Interrupts: a task that calls ``interrupt()`` ends the step without applying it
(finished siblings' writes are kept as pending writes); ``interrupt_before`` /
``interrupt_after`` stop between steps. A nested run re-raises its interrupt to
the task running it, so it surfaces at every level.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

import trio

from actors import Job, Supervisor, WorkerPool

from ..config import RunnableConfig, reset_current, set_current
from ..context import TaskScope, reset_task_scope, set_task_scope
from ..errors import TROUBLESHOOTING, EmptyInputError, GraphInterrupt, GraphRecursionError
from ..stream import STREAM_MODES, StreamTarget, StreamWriter
from ..types import Command
from .interrupts import INTERRUPT, TaskIO, answers
from .payloads import checkpoint_payload, debug_item, task_result, task_start
from .persistence import Persistence, Restored, checkpoint_config
from .planner import apply_writes, plan_tasks, read_values
from .program import Program
from .task import Task, TaskRuntime

__all__ = ["GraphRun", "recursion_error"]


def recursion_error(limit: int) -> GraphRecursionError:
    return GraphRecursionError(
        f"Recursion limit of {limit} reached without hitting a stop condition. You can increase the "
        "limit by setting the `recursion_limit` config key."
        f"{TROUBLESHOOTING}GRAPH_RECURSION_LIMIT"
    )


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
        self.values = program.values_of(self.channels)
        self._value_keys = frozenset(program.value_keys)
        self._output_copy = program.outputs_all_values
        self.persistence = persistence
        self.checkpoint_id = checkpoint_id
        self.interrupt_before = frozenset(interrupt_before)
        self.interrupt_after = frozenset(interrupt_after)
        self.parent_io = parent_io
        self.step = 0
        self._plan_id = ""
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
        # One supervisor for the whole run: its pool's workers are the node actors
        # of every step, kept alive between steps (see actors.WorkerPool).
        async with Supervisor(self.program.name) as supervisor:
            self._pool = WorkerPool(supervisor, self.program.name)
            try:
                return await self._steps(input)
            finally:
                supervisor.cancel()  # idle workers wait for work forever: release them

    async def _steps(self, input: Any) -> dict[str, Any]:
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
            if resume is None and self._forks(restored):
                # Time travel: replay from a fork, so the steps after the chosen
                # checkpoint run again under new task ids instead of reusing its writes.
                await self._checkpoint(step, "fork", updated, sends, restored.checkpoint_id)
                step, restored = step + 1, None
            else:
                self._announce = (restored.checkpoint_id, restored.metadata, restored.parent_id, restored)
            if self._wants["values"]:
                await self.emit("values", self.state())
            skip_interrupt_before = True
        elif input is None:
            raise EmptyInputError("Received no input for __start__")
        else:
            if restored is not None:
                self._use_channels(restored.channels)
            input_step = restored.step + 1 if restored is not None else -1
            self.channels[program.input_channel].update([input])
            updated, sends = {program.input_channel}, []
            await self._checkpoint(input_step, "input", updated, sends, restored.checkpoint_id if restored else None)
            step, skip_interrupt_before = input_step + 1, False
            restored = None
        stop_after = False
        first = step
        while True:
            self.step = step
            tasks = plan_tasks(
                program, self.channels, self.values, updated, sends,
                step=step, checkpoint_id=self._plan_id, checkpoint_ns=self.checkpoint_ns,
            )
            await self._announce_checkpoint(tasks)
            if not tasks:
                break
            if stop_after or (
                not skip_interrupt_before and any(t.name in self.interrupt_before for t in tasks)
            ):
                return await self._interrupted(())
            if step >= first + limit:
                raise recursion_error(limit)
            skip_interrupt_before = False
            if restored is not None:
                await self._prefill(tasks, restored, resume)
                restored = None
            await self._run_step(tasks)
            interrupts = tuple(i for t in tasks for i in t.interrupts)
            if interrupts:
                return await self._interrupted(interrupts)
            updated, sends = apply_writes(self.channels, tasks)
            self._refresh_values(updated)
            if self._wants["values"] and not updated.isdisjoint(program.stream_keys):
                await self.emit("values", self.state())
            await self._checkpoint(step, "loop", updated, sends, self._plan_id)
            stop_after = any(t.name in self.interrupt_after for t in tasks)
            step += 1
        return self.state()

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
    async def _run_step(self, tasks: list[Task]) -> None:
        # A task's writes are saved at once only when a sibling could still fail or
        # be interrupted: a lone task's writes go into the step's checkpoint, one
        # transaction (and fsync) instead of two. A subgraph's are saved anyway, so
        # a crash before the checkpoint does not run the whole subgraph again.
        self._save_results = len(tasks) > 1
        if len(tasks) == 1 and tasks[0].node.hidden:
            await self._execute(tasks[0])
            return
        if self._wants["tasks"] or self._wants["debug"]:
            user_metadata = self._user_metadata()
            for task in tasks:
                if not task.cached:
                    await self._emit_task_part("task", task_start(task, user_metadata), task.step)
        namespace = self.namespace
        await self._pool.run([
            Job(
                task.name,
                functools.partial(self._execute, task),
                task.node.retry_policy,
                task.node.timeout,
                functools.partial(_task_note, task, namespace),
            )
            for task in tasks
        ])

    def _user_metadata(self) -> dict[str, Any] | None:
        config = self.config
        return dict(config.get("metadata", {})) if config.get("metadata") or config.get("tags") else None

    def task_config(self, task: Task) -> RunnableConfig:
        """The config a node sees: the run's, plus LangGraph's per-task metadata."""
        config = self.config
        node = task.node
        metadata = {
            **config.get("metadata", {}),
            **node.metadata,
            "langgraph_step": task.step,
            "langgraph_node": task.name,
            "langgraph_triggers": task.triggers,
            "langgraph_path": task.path,
            "langgraph_checkpoint_ns": task.checkpoint_ns,
        }
        tags = config.get("tags", [])
        if node.tags:
            tags = [*tags, *(t for t in node.tags if t not in tags)]
        return {
            **config,
            "metadata": metadata,
            "tags": tags,
            "configurable": {**config.get("configurable", {}), "checkpoint_ns": task.checkpoint_ns},
        }

    async def _execute(self, task: Task) -> None:
        if task.cached:
            await self._finished(task)
            return
        config = self.task_config(task)
        persistence = self.persistence
        scope = TaskScope(
            self.namespace, task.checkpoint_ns, self.targets, self.writer,
            io=TaskIO(task.checkpoint_ns, task.resume, answered=self._answered.get(task.id, 0)),
            saver=persistence.saver if persistence else None,
            thread_id=persistence.thread_id if persistence else None,
        )
        # Actors run in their own task, so these would not leak; the hidden input
        # node runs inline in the loop's task, so reset them for it.
        config_token, scope_token = set_current(config), set_task_scope(scope)
        runtime = TaskRuntime(task, self.channels, self.values, config, self.writer)
        try:
            task.writes = list(await task.node.run(task.input, runtime))
        except GraphInterrupt as paused:
            task.interrupts = tuple(paused.interrupts)
            if persistence is not None:
                await persistence.put_interrupts(self._plan_id, task.id, len(task.resume), task.interrupts)
            if self._wants["tasks"] or self._wants["debug"]:
                await self._emit_task_part("task_result", task_result(task, self.program.output_keys), task.step)
            return
        except Exception as error:
            task.error = error
            if not task.node.hidden and (self._wants["tasks"] or self._wants["debug"]):
                # Without a checkpoint: the supervisor must cancel the siblings
                # before any of them streams again (SEMANTICS difference 5).
                self._emit_task_part_now("task_result", task_result(task, self.program.output_keys), task.step)
            raise
        finally:
            reset_task_scope(scope_token)
            reset_current(config_token)
        # A sync node's thread runs to its end even when the step was cancelled
        # (a sibling failed, the consumer left); its result must not stream.
        await trio.lowlevel.checkpoint_if_cancelled()
        if persistence is not None and (self._save_results or task.node.is_subgraph):
            await persistence.put_result(self._plan_id, task.id, task.writes)
        await self._finished(task)

    async def _finished(self, task: Task) -> None:
        task.done = True
        if task.node.hidden:
            return
        # A task's completion streams whole or not at all, and never once its step
        # is cancelled: a wait for room between its parts would let a sibling's
        # error (and the cancellation) in between. So its update and results go
        # out together right after the check — past a full mailbox by at most
        # three parts per finishing task.
        await trio.lowlevel.checkpoint_if_cancelled()
        if self._wants["updates"]:
            self.emit_now("updates", {task.name: self._update_of(task)})
        if not task.cached and (self._wants["tasks"] or self._wants["debug"]):
            self._emit_task_part_now("task_result", task_result(task, self.program.output_keys), task.step)

    def _update_of(self, task: Task) -> Any:
        keys = self.program.output_keys
        update = {key: value for key, value in task.writes if key in keys}
        return update or None

    async def _emit_task_part(self, kind: str, payload: dict[str, Any], step: int) -> None:
        """One task event in ``tasks`` and ``debug``: each consumer waits for room for
        its first part and gets the other at once, so a cancellation never leaves it
        with half of the pair."""
        parts = [("tasks", payload)] if self._wants["tasks"] else []
        if self._wants["debug"]:
            parts.append(("debug", debug_item(step, kind, payload)))
        for target in dict.fromkeys(target for mode, _ in parts for target in self._wants[mode]):
            (mode, chunk), *rest = [(mode, chunk) for mode, chunk in parts if target in self._wants[mode]]
            await target.put(self.namespace, mode, chunk)
            for mode, chunk in rest:
                target.put_sync(self.namespace, mode, chunk)

    def _emit_task_part_now(self, kind: str, payload: dict[str, Any], step: int) -> None:
        if self._wants["tasks"]:
            self.emit_now("tasks", payload)
        if self._wants["debug"]:
            self.emit_now("debug", debug_item(step, kind, payload))


def _task_note(task: Task, namespace: tuple[str, ...]) -> str:
    return f"During task with name {task.name!r} and id {task.id!r} (step {task.step}, namespace {namespace!r})"


def _unfinished(program: Program, restored: Restored) -> bool:
    return bool(restored.sends) or any(program.trigger_index.get(ch) for ch in restored.updated)
