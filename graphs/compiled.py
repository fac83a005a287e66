"""The compiled graph: a Runnable whose runs are scheduler runs of its Program."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Any

from runtime.core import run_sync
from runtime.core.config import RunnableConfig, ensure_config
from runtime.core.context import TaskContext, current_task_context
from runtime.core.safe_stream import SafeStream
from runtime.core.stream import StreamPart, StreamTarget, normalize_stream_mode, projector
from runtime.core.types import StateSnapshot
from runtime.runnables.base import Runnable
from runtime.scheduler import NS_SEP, GraphRun, Program
from runtime.scheduler.persistence import Persistence
from runtime.tracing import EventStreamHandler

from . import state_api
from .state_api import persistence_for
from .reporting import begin_graph_run, run_graph, with_messages_handler
from .spec import GraphSpec

__all__ = ["CompiledStateGraph"]

_PROPAGATE_TO_METADATA = ("thread_id", "checkpoint_id", "checkpoint_ns", "task_id", "run_id", "assistant_id", "graph_id")


class CompiledStateGraph(Runnable[Any, Any]):
    """A validated graph, ready to run: ``invoke`` / ``stream`` / ``astream`` / ``astream_parts``.

    Nodes run as actors under a supervisor, one superstep at a time; all their
    output is multiplexed into one stream of ``StreamPart(namespace, mode, chunk)``
    that the streaming methods project onto LangGraph's shapes.
    """

    stream_mode: str = "updates"
    """The default ``stream_mode`` of ``stream()`` / ``astream()``, as in LangGraph."""

    def __init__(
        self,
        builder: object,
        spec: GraphSpec,
        program: Program,
        *,
        checkpointer: Any,
        interrupt_before: tuple[str, ...],
        interrupt_after: tuple[str, ...],
        debug: bool,
        name: str,
    ) -> None:
        self.builder = builder
        """The ``StateGraph`` this was compiled from (as LangGraph keeps it)."""
        self.spec = spec
        self.program = program
        self.checkpointer = checkpointer
        self.interrupt_before_nodes = interrupt_before
        self.interrupt_after_nodes = interrupt_after
        self.debug = debug
        self.name = name
        self.input_keys = program.input_keys
        self.output_keys = program.output_keys

    @property
    def nodes(self) -> dict[str, Any]:
        """The user's nodes by name, as declared."""
        return {name: node.action for name, node in self.spec.nodes.items()}

    # -- running ---------------------------------------------------------------
    def _prepare(self, config: RunnableConfig | None) -> tuple[RunnableConfig, TaskContext | None]:
        """The run's config, and the graph task it runs inside (``None`` for a root run).

        A run started inside a graph task is that task's subgraph: it takes the
        task's namespace, streams to the task's consumers too, and saves its
        checkpoints under the task's namespace on the parent's thread.
        """
        config = ensure_config(config)
        parent_task = current_task_context()
        if parent_task is None:
            # As LangGraph's ensure_config: these configurable values (when set)
            # join the run's metadata; other configurable values do not.
            configurable = config.get("configurable", {})
            propagated = {k: configurable[k] for k in _PROPAGATE_TO_METADATA if configurable.get(k)}
            if propagated:
                config["metadata"] = {**propagated, **config.get("metadata", {})}
        return config, parent_task

    def _persistence(self, config: RunnableConfig, parent_task: TaskContext | None) -> Persistence | None:
        if self.checkpointer is False:
            return None
        if parent_task is not None:
            saver = self.checkpointer or parent_task.saver
            if saver is None or parent_task.thread_id is None:
                return None
            return Persistence(saver, parent_task.thread_id, parent_task.checkpoint_ns)
        if self.checkpointer is None:
            return None
        return persistence_for(self, config)

    async def _run(
        self,
        input: Any,
        config: RunnableConfig | None,
        consumer: StreamTarget | None = None,
        *,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
        in_own_task: bool = False,
    ) -> dict[str, Any]:
        config, parent_task = self._prepare(config)
        persistence = self._persistence(config, parent_task)
        if parent_task is None:
            namespace: tuple[str, ...] = ()
            targets: tuple[StreamTarget, ...] = ()
            checkpoint_ns = ""
            checkpoint_id = config["configurable"].get("checkpoint_id")
        else:
            checkpoint_ns = parent_task.checkpoint_ns
            namespace, targets, checkpoint_id = tuple(checkpoint_ns.split(NS_SEP)), parent_task.targets, None
        if consumer is not None:
            consumer.depth = len(namespace)
            targets = (consumer, *targets)
        trace = begin_graph_run(self.get_name(), with_messages_handler(config, consumer))
        run = GraphRun(
            self.program, trace.child_config(), targets, namespace, checkpoint_ns,
            persistence=persistence,
            checkpoint_id=checkpoint_id,
            interrupt_before=_nodes(interrupt_before, self.interrupt_before_nodes, self.spec.nodes),
            interrupt_after=_nodes(interrupt_after, self.interrupt_after_nodes, self.spec.nodes),
            parent_interrupts=parent_task.interrupts if parent_task is not None else None,
        )
        return await run_graph(trace, input, functools.partial(run.run, in_own_task=in_own_task))

    async def _produce_events(self, input: Any, config: RunnableConfig, handler: EventStreamHandler, **kwargs: Any) -> None:
        await self._produce_graph_events(input, config, handler, **kwargs)

    async def _produce_graph_events(
        self,
        input: Any,
        config: RunnableConfig,
        handler: EventStreamHandler,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = False,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
    ) -> None:
        """Run for ``astream_events``: the run's stream parts go into the events mailbox,
        where they become the root's ``on_chain_stream`` events, shaped by
        ``stream_mode=`` / ``subgraphs=`` as ``astream()`` would yield them."""
        modes, multi = normalize_stream_mode(stream_mode if stream_mode is not None else self.stream_mode)
        target = StreamTarget(frozenset(modes), subgraphs, mailbox=handler.mailbox)
        handler.part_shape = projector(modes, multi, subgraphs)
        await self._run(input, config, target, interrupt_before=interrupt_before, interrupt_after=interrupt_after)

    async def ainvoke(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: str | Sequence[str] = "values",
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run to the end; return the final state (or, for another ``stream_mode``, the list of chunks).

        An interrupted run returns its state with the interrupts under ``__interrupt__``.
        """
        _reject_unknown(kwargs, "ainvoke")
        if stream_mode == "values":
            return await self._run(input, config, interrupt_before=interrupt_before, interrupt_after=interrupt_after)
        chunks = []
        async with self.astream(
            input, config, stream_mode=stream_mode, interrupt_before=interrupt_before, interrupt_after=interrupt_after
        ) as stream:
            async for chunk in stream:
                chunks.append(chunk)
        return chunks

    def astream(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = False,
        version: str = "v1",
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> SafeStream[Any]:
        """Stream the run in LangGraph's shapes (see docs/streaming.md).

        Lazy: nothing runs and nothing is raised (not even for a bad
        ``stream_mode``) until the first item is requested.
        """
        try:
            _reject_unknown(kwargs, "astream")
            if version not in ("v1", "v2"):
                raise ValueError(f"Unknown version {version!r}; use 'v1' or 'v2'")
            modes, multi = normalize_stream_mode(stream_mode if stream_mode is not None else self.stream_mode)
            problem: Exception | None = None
        except (ValueError, TypeError) as error:
            modes, multi, problem = ("updates",), False, error
        target = StreamTarget(frozenset(modes), subgraphs)

        async def produce() -> None:
            if problem is not None:
                raise problem
            await self._run(
                input, config, target, interrupt_before=interrupt_before, interrupt_after=interrupt_after,
                in_own_task=True,
            )

        return SafeStream(produce, target.mailbox, projector(modes, multi, subgraphs, version))

    def astream_parts(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = True,
    ) -> SafeStream[StreamPart]:
        """Stream every ``StreamPart(namespace, mode, chunk)`` unprojected (all modes
        asked for, from every subgraph unless ``subgraphs=False``)."""
        try:
            modes, _ = normalize_stream_mode(stream_mode if stream_mode is not None else self.stream_mode)
            problem: Exception | None = None
        except (ValueError, TypeError) as error:
            modes, problem = ("updates",), error
        target = StreamTarget(frozenset(modes), subgraphs)

        async def produce() -> None:
            if problem is not None:
                raise problem
            await self._run(input, config, target, in_own_task=True)

        return SafeStream(produce, target.mailbox)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Synchronous :meth:`ainvoke`."""
        return super().invoke(input, config, **kwargs)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Synchronous :meth:`astream`: the same items, the same error behaviour."""
        return super().stream(input, config, **kwargs)

    # -- saved state -------------------------------------------------------------
    async def aget_state(self, config: RunnableConfig, *, subgraphs: bool = False) -> StateSnapshot:
        """The thread's latest (or ``config``'s ``checkpoint_id``) state, next tasks and interrupts."""
        return await state_api.get_state(self, config, subgraphs=subgraphs)

    def get_state(self, config: RunnableConfig, *, subgraphs: bool = False) -> StateSnapshot:
        """Synchronous :meth:`aget_state`."""
        return run_sync("get_state", functools.partial(self.aget_state, config, subgraphs=subgraphs))

    async def aget_state_history(
        self, config: RunnableConfig, *, before: RunnableConfig | None = None, limit: int | None = None
    ) -> list[StateSnapshot]:
        """Every saved state of the thread, newest first."""
        return await state_api.get_state_history(self, config, before=before, limit=limit)

    def get_state_history(
        self, config: RunnableConfig, *, before: RunnableConfig | None = None, limit: int | None = None
    ) -> Iterator[StateSnapshot]:
        """Synchronous :meth:`aget_state_history`."""
        return iter(run_sync("get_state_history", functools.partial(self.aget_state_history, config, before=before, limit=limit)))

    async def aupdate_state(self, config: RunnableConfig, values: Any, as_node: str | None = None) -> RunnableConfig:
        """Apply ``values`` through the reducers as a new checkpoint (``source: "update"``); return its config."""
        return await state_api.update_state(self, config, values, as_node)

    def update_state(self, config: RunnableConfig, values: Any, as_node: str | None = None) -> RunnableConfig:
        """Synchronous :meth:`aupdate_state`."""
        return run_sync("update_state", functools.partial(self.aupdate_state, config, values, as_node))


def _nodes(given: Sequence[str] | None, compiled: tuple[str, ...], nodes: Any) -> tuple[str, ...]:
    if given is None:
        return compiled
    if given == "*":
        return tuple(nodes)
    unknown = [name for name in given if name not in nodes]
    if unknown:
        raise ValueError(f"Interrupt node(s) {unknown} not found; the graph has {sorted(nodes)}")
    return tuple(given)


def _reject_unknown(kwargs: dict[str, Any], method: str) -> None:
    if kwargs:
        raise TypeError(f"{method}() got unexpected keyword argument(s) {sorted(kwargs)}")
