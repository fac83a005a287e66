"""``Runtime``: what a graph run hands its nodes besides the state, as LangGraph's ``langgraph.runtime``.

A run has one :class:`Runtime` — the ``context`` it was invoked with, the
graph's store — set on every task's :class:`~runtime.core.context.TaskContext`.
A node reaches it by declaring a ``runtime`` parameter, by calling
:func:`~runtime.core.context.get_runtime`, or (for the store alone) through a
``store`` parameter or :func:`~runtime.core.context.get_store`. The task's
stream writer and :class:`ExecutionInfo` (checkpoint, task id, thread) are
added only when a node asks, so a run whose nodes never look costs nothing per
task.

A graph run inside a node inherits the caller's runtime: its own ``context=``
and store, when given, take precedence (:meth:`Runtime.merge`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ..store.base import BaseStore
    from .stream import StreamWriter

__all__ = ["DEFAULT_RUNTIME", "ExecutionInfo", "Runtime", "coerce_context"]

ContextT = TypeVar("ContextT")


def _no_op_writer(chunk: Any) -> None:
    return None


def _no_op_heartbeat() -> None:
    return None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ExecutionInfo:
    """Read-only facts about the node execution in progress.

    Attributes:
        checkpoint_id: the checkpoint the task's step was planned from.
        checkpoint_ns: the task's checkpoint namespace (``"node:<task id>"``, nested with ``|``).
        task_id: the task's id.
        thread_id: the thread the run is saved under (``None`` without a checkpointer).
        run_id: the ``run_id`` of the run's config, if one was given.
        node_attempt: which attempt at the task this is (1-based).
        node_first_attempt_time: when the first attempt started (Unix seconds), if known.
    """

    checkpoint_id: str
    checkpoint_ns: str
    task_id: str
    thread_id: str | None = None
    run_id: str | None = None
    node_attempt: int = 1
    node_first_attempt_time: float | None = None

    def patch(self, **overrides: Any) -> ExecutionInfo:
        """A copy with ``overrides`` replaced."""
        return dataclasses.replace(self, **overrides)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Runtime(Generic[ContextT]):
    """The run-scoped things a node may use: ``Runtime[MyContext]`` in a node's signature.

    Attributes:
        context: the run's static context (``invoke(..., context=...)``), coerced to
            the graph's ``context_schema`` when that is a dataclass or pydantic model.
        store: the graph's store (``compile(store=...)``), or ``None``.
        stream_writer: writes a chunk to the ``custom`` stream mode.
        heartbeat: accepted for compatibility; Tributary has no idle timeouts, so a no-op.
        previous: the previous return value of the thread (functional API only; ``None`` here).
        execution_info: the current task's :class:`ExecutionInfo` (set inside a node).
        server_info: set by a server deployment; ``None`` when running locally.
        control: LangGraph's cooperative-drain control; Tributary has none, so ``None``.
    """

    context: ContextT = None  # type: ignore[assignment]  # no context: None, whatever ContextT is
    store: BaseStore | None = None
    stream_writer: StreamWriter | Any = _no_op_writer
    heartbeat: Any = _no_op_heartbeat
    previous: Any = None
    execution_info: ExecutionInfo | None = None
    server_info: Any = None
    control: Any = None

    def merge(self, other: Runtime[ContextT]) -> Runtime[ContextT]:
        """``other`` over this runtime: each field ``other`` leaves unset keeps this one's value."""
        return Runtime(
            context=other.context or self.context,
            store=other.store or self.store,
            stream_writer=other.stream_writer if other.stream_writer is not _no_op_writer else self.stream_writer,
            heartbeat=other.heartbeat if other.heartbeat is not _no_op_heartbeat else self.heartbeat,
            previous=self.previous if other.previous is None else other.previous,
            execution_info=other.execution_info or self.execution_info,
            server_info=other.server_info or self.server_info,
            control=other.control or self.control,
        )

    def override(self, **overrides: Any) -> Runtime[ContextT]:
        """A copy with ``overrides`` replaced."""
        return dataclasses.replace(self, **overrides)

    @property
    def drain_requested(self) -> bool:
        """Whether a drain was requested (never, without a ``control``)."""
        return bool(getattr(self.control, "drain_requested", False))

    @property
    def drain_reason(self) -> str | None:
        """Why a drain was requested, if it was."""
        return getattr(self.control, "drain_reason", None)

    def patch_execution_info(self, **overrides: Any) -> Runtime[ContextT]:
        """A copy whose :attr:`execution_info` has ``overrides`` replaced.

        Raises:
            RuntimeError: there is no execution info yet.
        """
        if self.execution_info is None:
            raise RuntimeError("Cannot patch execution_info before it has been set")
        return dataclasses.replace(self, execution_info=self.execution_info.patch(**overrides))


DEFAULT_RUNTIME: Runtime[Any] = Runtime()


def coerce_context(schema: type | None, context: Any) -> Any:
    """``context`` as the run uses it: a dict becomes ``schema(**context)`` when the schema
    is a dataclass or a pydantic model (a TypedDict stays a dict), as LangGraph coerces it.

    Raises:
        TypeError: the dict does not fit the schema (the message names the schema).
    """
    if context is None or schema is None or not isinstance(context, dict):
        return context
    if not (dataclasses.is_dataclass(schema) or _is_pydantic_model(schema)):
        return context
    try:
        return schema(**context)
    except TypeError as error:
        raise TypeError(f"context {context!r} does not fit the graph's context_schema {schema.__name__}: {error}") from None


def _is_pydantic_model(schema: type) -> bool:
    return isinstance(schema, type) and any(
        base.__module__.startswith("pydantic") and base.__name__ == "BaseModel" for base in schema.__mro__
    )
