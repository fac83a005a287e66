"""What code running inside a graph task can reach without being passed anything.

The scheduler sets a :class:`TaskContext` (and the task's config, see
:mod:`runtime.core.config`) in the task's context before the node's code runs;
trio's context copying carries both into everything the node starts: child
tasks, worker threads, nested runnables, nested graphs.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import attrs

from .config import RunnableConfig, current_config
from .graph_runtime import ContextT, ExecutionInfo, Runtime
from .stream import StreamTarget, StreamWriter

if TYPE_CHECKING:
    from ..scheduler.resume import TaskInterrupts
    from ..store.base import BaseStore

__all__ = [
    "TaskContext",
    "current_task_context",
    "get_config",
    "get_runtime",
    "get_store",
    "get_stream_writer",
    "task_runtime",
]

_OUTSIDE = "Called get_config outside of a runnable context"


@attrs.define(slots=True, eq=False)
class TaskContext:
    """The running task as nested code sees it.

    Attributes:
        namespace: the stream namespace of the graph running the task.
        checkpoint_ns: the task's own checkpoint namespace, ``"node:<task id>"``
            joined with ``"|"`` to its parents'; a graph run started inside this
            task takes it as its namespace.
        targets: the stream consumers parts from this task (and graphs nested in
            it) go to.
        writer: the ``custom``-mode writer for this task.
        interrupts: the task's interrupt bookkeeping, which ``interrupt()`` reads.
        saver: the checkpoint saver of the run, inherited by graphs nested in the task.
        thread_id: the thread the run is saved under.
        parents: each namespace's checkpoint the task runs from, its own
            graph's included (``{"": <root checkpoint id>, ...}``): the
            ``parents`` of the checkpoints of a graph nested in the task.
        runtime: the run's :class:`~runtime.core.graph_runtime.Runtime` (context, store).
        checkpoint_id: the checkpoint the task's step was planned from.
        attempt: which attempt at the task this is (1-based; retries count up).
    """

    namespace: tuple[str, ...]
    checkpoint_ns: str
    targets: tuple[StreamTarget, ...]
    writer: StreamWriter
    interrupts: TaskInterrupts | None = None
    saver: Any = None
    thread_id: str | None = None
    parents: Mapping[str, str] | None = None
    runtime: Runtime[Any] | None = None
    checkpoint_id: str = ""
    attempt: int = 1


_task: ContextVar[TaskContext | None] = ContextVar("tributary_task", default=None)


def current_task_context() -> TaskContext | None:
    """The graph task this code runs in, or ``None``."""
    return _task.get()


def set_task_context(task: TaskContext | None) -> Any:
    """Make ``task`` current in this task; returns the token for :func:`reset_task_context`."""
    return _task.set(task)


def reset_task_context(token: Any) -> None:
    _task.reset(token)


def get_config() -> RunnableConfig:
    """The config of the running node or runnable.

    Raises:
        RuntimeError: called outside any run.
    """
    config = current_config()
    if config is None:
        raise RuntimeError(_OUTSIDE)
    return config


def get_stream_writer() -> StreamWriter:
    """The ``custom``-mode writer of the running graph task.

    Calls are no-ops when the caller did not ask for ``custom``.

    Raises:
        RuntimeError: called outside a graph run.
    """
    task = _task.get()
    if task is None:
        raise RuntimeError(_OUTSIDE)
    return task.writer


def task_runtime(task: TaskContext | None) -> Runtime[Any] | None:
    """The runtime a node of ``task`` sees: its run's, with the task's execution info."""
    if task is None or task.runtime is None:
        return None
    namespace = task.checkpoint_ns
    config = current_config() or {}
    run_id = config.get("run_id")
    info = ExecutionInfo(
        checkpoint_id=task.checkpoint_id,
        checkpoint_ns=namespace,
        task_id=namespace.rpartition(":")[2],
        thread_id=task.thread_id,
        run_id=str(run_id) if run_id else None,
        node_attempt=task.attempt,
    )
    return task.runtime.override(stream_writer=task.writer, execution_info=info)


def get_runtime(context_schema: type[ContextT] | None = None) -> Runtime[ContextT]:
    """The runtime of the graph task this code runs in.

    Args:
        context_schema: only for type checkers (``get_runtime(MyContext).context``).

    Raises:
        RuntimeError: called outside a graph run.
    """
    runtime = task_runtime(_task.get())
    if runtime is None:
        if current_config() is None:
            raise RuntimeError(_OUTSIDE)
        raise RuntimeError("get_runtime() was called outside a graph node: there is no graph run here")
    return runtime


def get_store() -> BaseStore | None:
    """The store of the graph run this code runs in (``None`` if the graph has none).

    Raises:
        RuntimeError: called outside a graph run.
    """
    return get_runtime().store
