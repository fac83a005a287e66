"""The concurrent half of a superstep: run tasks as actors, barrier, emit.

A :class:`GraphRun` drives one run of a :class:`Program` at one namespace:

1. the input is written to the input channel (step -1), and the hidden input
   node maps it into state at step 0 — the first ``values`` part is that state;
2. each step, the pure planner picks the tasks; each runs as an actor under a
   :class:`~actors.Supervisor` (concurrently, first error cancels siblings);
   a task emits its ``updates``/``tasks``/``debug`` parts the moment it finishes;
3. at the barrier the writes are applied in task-path order and ``values`` is
   emitted if a state key changed; then the next step is planned.

Stream parts go straight from the actor that made them into every interested
consumer's mailbox — there is no relay task, so a chunk is one hop from
producer to consumer and the mailbox bound is the back-pressure.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from actors import Supervisor

from ..config import RunnableConfig, set_current
from ..context import TaskScope, set_task_scope
from ..errors import TROUBLESHOOTING, GraphRecursionError
from ..stream import STREAM_MODES, StreamTarget, StreamWriter
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


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


class GraphRun:
    """One run of a program at one namespace (a root run, or a subgraph inside a task).

    Args:
        program: what to run.
        config: the run's config (tags, metadata, configurable, recursion_limit).
        targets: every consumer that may want this run's parts.
        namespace: the stream namespace, ``()`` for a root run.
        checkpoint_ns: the ``|``-joined checkpoint namespace (``""`` for a root run).
    """

    def __init__(
        self,
        program: Program,
        config: RunnableConfig,
        targets: Sequence[StreamTarget] = (),
        namespace: tuple[str, ...] = (),
        checkpoint_ns: str = "",
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
        self.step = 0

    # -- emitting -------------------------------------------------------------
    def wants(self, mode: str) -> bool:
        return bool(self._wants[mode])

    async def emit(self, mode: str, chunk: Any) -> None:
        for target in self._wants[mode]:
            await target.put(self.namespace, mode, chunk)

    # -- the run --------------------------------------------------------------
    async def run(self, input: Any) -> dict[str, Any]:
        """Run to completion; return the output keys' final values."""
        program = self.program
        channels = self.channels
        limit = self.config.get("recursion_limit", 25)
        if limit < 1:
            raise ValueError("recursion_limit must be at least 1")
        channels[program.input_channel].update([input])
        updated: set[str] = {program.input_channel}
        sends: list[Any] = []
        step = 0
        while True:
            self.step = step
            tasks = plan_tasks(
                program, channels, updated, sends,
                step=step, checkpoint_id=str(uuid.uuid4()), checkpoint_ns=self.checkpoint_ns,
            )
            if not tasks:
                break
            if step >= limit:
                raise recursion_error(limit)
            await self._run_step(tasks)
            updated, sends = apply_writes(channels, tasks)
            if self._wants["values"] and not updated.isdisjoint(program.stream_keys):
                await self.emit("values", read_values(channels, program.output_keys))
            step += 1
        return read_values(channels, program.output_keys)

    async def _run_step(self, tasks: list[Task]) -> None:
        if len(tasks) == 1 and tasks[0].node.hidden:
            await self._execute(tasks[0])
            return
        if self._wants["tasks"] or self._wants["debug"]:
            for task in tasks:
                await self._emit_task_start(task)
        async with Supervisor(self.program.name) as supervisor:
            for task in tasks:
                node = task.node
                supervisor.spawn(
                    task.name,
                    self._execute,
                    task,
                    retry=node.retry_policy,
                    timeout=node.timeout,
                    note=f"During task with name {task.name!r} and id {task.id!r} "
                    f"(step {task.step}, namespace {self.namespace!r})",
                )

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
        # Runs in the actor's own task, so these context changes stay with it
        # (and flow into everything the node starts).
        config = self.task_config(task)
        set_current(config)
        set_task_scope(TaskScope(self.namespace, task.checkpoint_ns, self.targets, self.writer))
        runtime = TaskRuntime(task, self.channels, config, self.writer)
        try:
            task.writes = list(await task.node.run(task.input, runtime))
        except BaseException as error:
            task.error = error
            if not task.node.hidden and (self._wants["tasks"] or self._wants["debug"]):
                if isinstance(error, Exception):
                    await self._emit_task_result(task)
            raise
        task.done = True
        if task.node.hidden:
            return
        if self._wants["updates"]:
            await self.emit("updates", {task.name: self._update_of(task)})
        if self._wants["tasks"] or self._wants["debug"]:
            await self._emit_task_result(task)

    def _update_of(self, task: Task) -> Any:
        keys = self.program.output_keys
        update = {key: value for key, value in task.writes if key in keys}
        return update or None

    async def _emit_task_start(self, task: Task) -> None:
        payload: dict[str, Any] = {
            "id": task.id,
            "name": task.name,
            "input": task.input,
            "triggers": task.triggers,
        }
        if self.config.get("metadata") or self.config.get("tags"):
            payload["metadata"] = {**self.config.get("metadata", {}), **task.node.metadata}
        if self._wants["tasks"]:
            await self.emit("tasks", payload)
        if self._wants["debug"]:
            await self.emit("debug", {"step": task.step, "timestamp": _now(), "type": "task", "payload": payload})

    async def _emit_task_result(self, task: Task) -> None:
        keys = self.program.output_keys
        payload = {
            "id": task.id,
            "name": task.name,
            "error": task.error,
            "result": {} if task.error is not None else {k: v for k, v in task.writes if k in keys},
            "interrupts": list(task.interrupts),
        }
        if self._wants["tasks"]:
            await self.emit("tasks", payload)
        if self._wants["debug"]:
            await self.emit(
                "debug", {"step": task.step, "timestamp": _now(), "type": "task_result", "payload": payload}
            )
