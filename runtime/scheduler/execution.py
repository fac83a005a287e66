"""How one step's tasks run: each as a job on the run's worker actors.

:class:`TaskExecution` is the half of :class:`~runtime.scheduler.loop.GraphRun`
that runs a step's tasks: it builds each task's config (LangGraph's per-task
metadata), sets the task's context (config, stream writer, interrupt
bookkeeping) for everything the node starts, runs the node, records interrupts
and errors, saves a finished task's writes, and emits its ``updates`` /
``tasks`` / ``debug`` parts. It relies on the run's attributes set in
``GraphRun.__init__`` (program, config, namespace, targets, writer, channels,
values, persistence, the worker pool and the wanted modes).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import trio

from actors import Job, WorkerPool, run_job

from ..core.config import RunnableConfig, reset_current, set_current
from ..core.context import TaskScope, reset_task_scope, set_task_scope
from ..core.errors import GraphInterrupt
from ..core.stream import StreamTarget, StreamWriter
from .channel import Channel
from .interrupts import TaskIO
from .payloads import debug_item, task_result, task_start
from .persistence import Persistence
from .program import Program
from .task import Task, TaskRuntime

__all__ = ["TaskExecution"]


class TaskExecution:
    """Running a step's tasks (a mixin of ``GraphRun``; see the module docstring)."""

    # Set by GraphRun.__init__ and its step loop:
    program: Program
    config: RunnableConfig
    namespace: tuple[str, ...]
    targets: tuple[StreamTarget, ...]
    writer: StreamWriter
    channels: dict[str, Channel]
    values: dict[str, Any]
    persistence: Persistence | None
    _wants: dict[str, tuple[StreamTarget, ...]]
    _pool: WorkerPool
    _plan_id: str
    _save_results: bool
    _answered: dict[str, int]
    emit_now: Callable[[str, Any], None]

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
        jobs = [
            Job(
                task.name,
                functools.partial(self._execute, task),
                task.node.retry_policy,
                task.node.timeout,
                functools.partial(_task_note, task, namespace),
            )
            for task in tasks
        ]
        if len(jobs) == 1:
            # The driver actor runs a lone task itself: handing it to a worker
            # and waiting for it back would cost two scheduling rounds a step.
            await run_job(jobs[0])
        else:
            await self._pool.run(jobs)

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
