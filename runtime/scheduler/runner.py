"""Running one step's tasks: each as a job on the run's actors.

A :class:`TaskRunner` builds each task's config (LangGraph's per-task
metadata), sets the task's context (config, stream writer, interrupt
bookkeeping) for everything the node starts, runs the node, records
interrupts and errors, saves a finished task's writes, and streams its
``updates`` / ``tasks`` / ``debug`` parts. It decides nothing about the
step itself: the step core (:mod:`.machine`) planned the tasks and applies
their writes once they are all done.

A lone task is run by the calling actor (the run's driver) itself: handing it
to a worker and waiting for it back would cost two scheduling rounds a step.
Several fan out to the pool's long-lived worker actors and run concurrently;
the first error cancels them all once every one has had its first turn, so a
sibling that finishes without waiting still streams (:mod:`.first_turn`).
"""

from __future__ import annotations

import functools
from typing import Any

import trio

from actors import Job, WorkerPool, is_cancellation, matching_policy, run_job

from ..cache import BaseCache, cache_key
from ..core.config import RunnableConfig, reset_current, set_current
from ..core.context import TaskContext, reset_task_context, set_task_context
from ..core.errors import GraphBubbleUp, GraphInterrupt
from ..core.graph_runtime import Runtime
from ..core.stream import StreamWriter
from .emitter import Emitter
from .first_turn import FirstTurn
from .machine import StepMachine
from .payloads import task_result, task_start, user_metadata
from .persistence import Persistence
from .resume import TaskInterrupts
from .task import RunningTask, Task

__all__ = ["TaskRunner"]


class TaskRunner:
    """Runs the tasks of one run's steps (see the module docstring).

    Args:
        machine: the run's step core: the plan id, and each task's view of the state.
        config: the run's config; each task's is derived from it.
        emitter: where the tasks' parts go.
        writer: the run's ``custom`` writer, handed to its nodes.
        persistence: where finished tasks' writes and interrupts are saved.
        pool: the run's worker actors.
        runtime: the run's :class:`~runtime.core.graph_runtime.Runtime`, handed to its nodes.
        cache: the node cache of the run, if any of its nodes has a cache policy.
    """

    def __init__(
        self,
        machine: StepMachine,
        config: RunnableConfig,
        emitter: Emitter,
        writer: StreamWriter,
        persistence: Persistence | None,
        pool: WorkerPool,
        runtime: Runtime[Any] | None = None,
        cache: BaseCache[Any] | None = None,
    ) -> None:
        self.machine = machine
        self.runtime = runtime
        self.cache = cache
        self.config = config
        self.emitter = emitter
        self.writer = writer
        self.persistence = persistence
        self.pool = pool
        self._output_keys = machine.output_keys  # what ``updates`` chunks show
        self._state_keys = machine.program.value_keys  # a task's result shows every state key it wrote
        self._save_each_result = False
        self._first_turn: FirstTurn | None = None  # for a step whose tasks run as jobs
        self._wants_updates = emitter.wants("updates")  # asked once per run, not per task

    async def run_step(self, tasks: list[Task]) -> None:
        """Run every task of a step; return when all are done (or raise the first error)."""
        # A task's writes are saved at once only when a sibling could still fail or
        # be interrupted: a lone task's writes go into the step's checkpoint, one
        # transaction (and fsync) instead of two. A subgraph's are saved anyway, so
        # a crash before the checkpoint does not run the whole subgraph again.
        self._save_each_result = len(tasks) > 1
        self._first_turn = None
        if len(tasks) == 1 and tasks[0].node.hidden:
            await self._execute(tasks[0])
            return
        emitter = self.emitter
        hits = await self._match_cached(tasks) if self.cache is not None else ()
        metadata = user_metadata(self.config) if emitter.wants_task_events else {}
        if emitter.wants_task_events:
            for task in tasks:
                await emitter.emit_task_event("task", task_start(task, metadata), task.step)
        if tasks[0].cached if len(tasks) == 1 else any(task.cached for task in tasks):
            # Tasks whose writes are known already stream their updates first, as
            # LangGraph does: results kept from before a resume in task order, then
            # cache hits in the order they were looked up. Then the others run.
            looked_up = set(hits)
            for task in tasks:
                if task.cached and task not in looked_up:
                    await self._finished(task)
            for task in hits:
                await self._finished(task)
            tasks = [task for task in tasks if not task.cached]
            if not tasks:
                return
        namespace = emitter.namespace
        if len(tasks) == 1 and tasks[0].node.retry_policy is None and tasks[0].node.timeout is None:
            # The common step: one task, nothing to retry or time. The driver runs
            # it itself, without a Job; its error gets the same note run_job adds.
            task = tasks[0]
            try:
                await self._execute(task)
            except BaseException as error:
                if not is_cancellation(error):
                    error.add_note(_task_note(task, namespace))
                raise
            return
        jobs = [
            Job(
                task.name,
                functools.partial(self._execute, task),
                task.node.retry_policy,
                task.node.timeout,
                functools.partial(_task_note, task, namespace),
                on_retry=functools.partial(self._retrying, task, metadata) if task.node.retry_policy else None,
            )
            for task in tasks
        ]
        if len(jobs) == 1:
            await run_job(jobs[0])
        else:
            self._first_turn = FirstTurn(len(jobs))
            await self.pool.run(jobs)

    async def _match_cached(self, tasks: list[Task]) -> list[Task]:
        """Give the tasks whose node's cache holds writes for their input those writes;
        return them in lookup order. Of tasks sharing a key, the last one gets the hit
        (and the others run), as in LangGraph."""
        assert self.cache is not None
        keyed: dict[tuple[tuple[str, ...], str], Task] = {}
        for task in tasks:
            policy = task.node.cache_policy
            if policy is None or task.cached:
                continue
            task.cache_key = (task.node.cache_namespace, cache_key(policy, task.input))
            keyed[task.cache_key] = task
        if not keyed:
            return []
        hits = []
        for key, writes in (await self.cache.aget(list(keyed))).items():
            task = keyed[key]
            task.writes = list(writes)
            task.cached = True
            hits.append(task)
        return hits

    def _retrying(self, task: Task, metadata: dict[str, Any], attempt: int, error: BaseException, delay: float) -> None:
        """A failed attempt will be retried: its error result has streamed (see
        :meth:`_execute`); the next attempt streams as a fresh start of the same task."""
        task.error = None
        task.attempt = attempt + 1
        if self.emitter.wants_task_events:
            self.emitter.emit_task_event_without_waiting("task", task_start(task, metadata), task.step)

    def _parents(self) -> dict[str, str]:
        """The ``parents`` of a graph nested in a task of the current step."""
        machine = self.machine
        return {**machine.parents, machine.checkpoint_ns: machine.checkpoint_id}

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
        """One attempt at ``task`` (a retry calls this again)."""
        if task.cached:
            await self._finished(task)
            return
        turn = self._first_turn
        if turn is None:
            await self._attempt(task, None, late=False)
            return
        late = turn.start(task.id)
        try:
            await self._attempt(task, turn, late=late)
        finally:
            if late:
                # Only now, once it has streamed: the failing task may raise.
                turn.settle(task.id)

    async def _attempt(self, task: Task, turn: FirstTurn | None, *, late: bool) -> None:
        """Run the node of ``task``, record what came of it, save and stream it.

        ``turn``: the step's first-turn bookkeeping when its tasks run as jobs;
        ``late``: the task started after a sibling failed.
        """
        config = self.task_config(task)
        persistence = self.persistence
        emitter = self.emitter
        context = TaskContext(
            emitter.namespace, task.checkpoint_ns, emitter.targets, self.writer,
            interrupts=TaskInterrupts(task.checkpoint_ns, task.resume, answered=task.answered, spare=self.machine.spare),
            saver=persistence.saver if persistence else None,
            thread_id=persistence.thread_id if persistence else None,
            parents=self._parents() if persistence else None,
            runtime=self.runtime,
            checkpoint_id=self.machine.checkpoint_id,
            attempt=task.attempt,
        )
        # Actors run in their own task, so these would not leak; the hidden input
        # node runs inline in the loop's task, so reset them for it.
        config_token, context_token = set_current(config), set_task_context(context)
        task.folded = None  # an attempt folds its own writes afresh
        running = RunningTask(task, config, self.writer, self.machine.task_view)
        asked = len(task.resume)
        # Only a step's jobs are watched: did the node wait (yield to trio)? trio counts
        # each task's scheduling points (trio.testing.assert_checkpoints reads the same).
        me = trio.lowlevel.current_task() if turn is not None else None
        points = me._schedule_points if me is not None else 0
        try:
            if turn is None:
                task.writes = list(await task.node.run(task.input, running))
            elif late:
                # Started after a sibling failed: it may finish in this turn, not wait.
                with trio.CancelScope() as first_turn:
                    first_turn.cancel()
                    task.writes = list(await task.node.run(task.input, running))
                if first_turn.cancelled_caught:
                    return  # it would have waited: cancelled, as LangGraph cancels it
            else:
                task.writes = list(await task.node.run(task.input, running))
        except GraphInterrupt as paused:
            task.interrupts = tuple(paused.interrupts)
            task.paused = True
            if persistence is not None and task.interrupts:
                if len(task.resume) > asked:  # it took the step's spare answer: keep it for its next run
                    await persistence.put_resume(self.machine.checkpoint_id, task.id, asked, task.resume[asked])
                await persistence.put_interrupts(
                    self.machine.checkpoint_id, task.id, len(task.resume), task.interrupts
                )
            if emitter.wants_task_events:
                await emitter.emit_task_event("task_result", task_result(task, self._state_keys), task.step)
            return
        except Exception as error:
            if turn is not None and me is not None and me._schedule_points != points:
                await turn.hold()
                if turn.failed:
                    return  # a sibling failed in its first turn: LangGraph would have cancelled this one
            task.error = error
            if not task.node.hidden and emitter.wants_task_events:
                # Without waiting: the supervisor must cancel the siblings
                # before any of them streams again (docs/differences.md, difference 5).
                emitter.emit_task_event_without_waiting(
                    "task_result", task_result(task, self._state_keys), task.step
                )
            if turn is not None and not isinstance(error, GraphBubbleUp) and _final(task, error):
                if late:
                    return  # failed in the same turn as the first failure, which is the one raised
                turn.failed = True
                await turn.hold()
            raise
        finally:
            reset_task_context(context_token)
            reset_current(config_token)
        # A sync node's thread runs to its end even when the step was cancelled
        # (a sibling failed, the consumer left); its result must not stream.
        await trio.lowlevel.checkpoint_if_cancelled()
        if turn is not None and me is not None and me._schedule_points != points:
            # It finishes after its first turn: only once every sibling has had
            # theirs does it know whether one failed, which would have cancelled it.
            await turn.hold()
            if turn.failed:
                return
        if persistence is not None and (self._save_each_result or task.node.is_subgraph):
            await persistence.put_result(self.machine.checkpoint_id, task.id, task.writes)
        if task.cache_key is not None and self.cache is not None:
            policy = task.node.cache_policy
            assert policy is not None
            await self.cache.aset({task.cache_key: (task.writes, policy.ttl)})
        await self._finished(task, checked=True)

    async def _finished(self, task: Task, *, checked: bool = False) -> None:
        task.done = True
        if task.node.hidden:
            return
        # A task's completion streams whole or not at all, and never once its step
        # is cancelled: a wait for room between its parts would let a sibling's
        # error (and the cancellation) in between. So its update and results go
        # out together right after the check — past a full mailbox by at most
        # three parts per finishing task. (_execute has just checked for a task it ran.)
        if not checked:
            await trio.lowlevel.checkpoint_if_cancelled()
        emitter = self.emitter
        if self._wants_updates:
            if task.cached:  # as LangGraph marks writes it did not just compute
                emitter.emit_without_waiting("updates", {task.name: self._update_of(task), "__metadata__": {"cached": True}})
            else:
                emitter.emit_without_waiting("updates", {task.name: self._update_of(task)})
        if not task.cached and emitter.wants_task_events:
            emitter.emit_task_event_without_waiting("task_result", task_result(task, self._state_keys), task.step)

    def _update_of(self, task: Task) -> Any:
        keys = self._output_keys
        update: dict[str, Any] = {}
        for key, value in task.writes:
            if key in keys:
                if key in update:
                    # A key written more than once (a list of Commands, or of pairs): one
                    # update per write, in order, as LangGraph streams them.
                    return [{key: value} for key, value in task.writes if key in keys]
                update[key] = value
        return update or None


def _final(task: Task, error: Exception) -> bool:
    """Whether ``error`` ends the task (its retry policy gives it no other attempt)."""
    policies = task.node.retry_policy
    # The same choice run_job makes next (a retry_on predicate is asked twice).
    policy = matching_policy(policies, error) if policies is not None else None
    return policy is None or not policy.should_retry(error, task.attempt)


def _task_note(task: Task, namespace: tuple[str, ...]) -> str:
    return f"During task with name {task.name!r} and id {task.id!r} (step {task.step}, namespace {namespace!r})"
