"""The compiled graph: a Runnable whose runs are scheduler runs of its Program."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from runtime.cache import BaseCache, cache_namespace
from runtime.core import run_sync
from runtime.core.config import RunnableConfig, ensure_config
from runtime.core.context import TaskContext, current_task_context
from runtime.core.graph_runtime import Runtime, coerce_context
from runtime.core.safe_stream import SafeStream
from runtime.hosting import HostedStream, in_trio
from runtime.core.stream import StreamPart, StreamTarget, normalize_stream_mode, projector
from runtime.core.types import START, StateSnapshot, StateUpdate
from runtime.runnables.base import Runnable
from runtime.runnables.chunks import MISSING, collect
from runtime.runnables.graph import Graph
from runtime.scheduler import NS_SEP, GraphRun, Program
from runtime.scheduler.persistence import Persistence
from runtime.store import BaseStore
from runtime.tracing import EventStreamHandler

from . import state_api
from .state_api import persistence_for, stateful_namespace
from .reporting import begin_graph_run, run_graph, with_messages_handler
from .drawing import draw_graph
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
        store: BaseStore | None = None,
        cache: BaseCache[Any] | None = None,
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
        self.store = store
        """The store handed to the graph's nodes (``compile(store=...)``)."""
        self.cache = cache
        """Where nodes with a cache policy keep their writes (``compile(cache=...)``)."""
        self.context_schema: type | None = getattr(builder, "context_schema", None)

    @property
    def nodes(self) -> dict[str, Any]:
        """The user's nodes by name, as declared."""
        return {name: node.action for name, node in self.spec.nodes.items()}

    # -- running ---------------------------------------------------------------
    def _prepare(self, config: RunnableConfig | None) -> tuple[RunnableConfig, TaskContext | None]:
        """The run's config, and the graph task it runs inside (``None`` for a root run).

        A run started inside a graph task is that task's subgraph: it takes the
        task's namespace, streams to the task's consumers too, and saves its
        checkpoints under the task's namespace on the parent's thread. Unless
        its config names a thread of its own (a ``thread_id``, without the
        task's ``checkpoint_ns`` that a node's own config carries): then it is
        a root run on that thread, as in LangGraph, where such a config's
        ``configurable`` replaces the caller's.
        """
        given = config
        config = ensure_config(config)
        parent_task = current_task_context()
        if parent_task is not None and _names_own_thread(given, parent_task):
            config["configurable"] = dict(given["configurable"])  # type: ignore[index]  # checked by _names_own_thread
            parent_task = None
        if parent_task is None:
            # As LangGraph's ensure_config: these configurable values (when set)
            # join the run's metadata; other configurable values do not.
            configurable = config.get("configurable", {})
            propagated = {k: configurable[k] for k in _PROPAGATE_TO_METADATA if configurable.get(k)}
            if propagated:
                config["metadata"] = {**propagated, **config.get("metadata", {})}
        return config, parent_task

    def _persistence(self, config: RunnableConfig, parent_task: TaskContext | None) -> Persistence | None:
        """Where the run saves: nowhere for ``checkpointer=False``; a subgraph saves on its
        parent's thread, under its task's namespace — or, with ``checkpointer=True``,
        under that namespace without task ids, so it keeps one history across calls."""
        if self.checkpointer is False:
            return None
        if parent_task is not None:
            saver = parent_task.saver if self.checkpointer is True else self.checkpointer or parent_task.saver
            if saver is None or parent_task.thread_id is None:
                return None
            namespace = parent_task.checkpoint_ns
            if self.checkpointer is True:
                namespace = stateful_namespace(namespace)
            return Persistence(saver, parent_task.thread_id, namespace)
        if self.checkpointer is None:
            return None
        if self.checkpointer is True:
            raise RuntimeError(
                f"checkpointer=True cannot be used for root graphs (graph {self.get_name()!r} runs as a root here); "
                "it keeps a subgraph's history on its parent's thread"
            )
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
        context: Any = None,
        output_keys: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        config, parent_task = self._prepare(config)
        runtime = self._runtime(context, parent_task)
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
            runtime=runtime,
            cache=self.cache,
            parents=parent_task.parents if parent_task is not None else None,
            output_keys=output_keys,
            stateful=self.checkpointer is True and persistence is not None,
        )
        return await run_graph(trace, input, functools.partial(run.run, in_own_task=in_own_task))

    async def _transform_chunks(
        self, chunks: AsyncIterator[Any], config: RunnableConfig | None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        # As LangGraph (langchain-core's default): the whole input, then what astream() yields.
        final = await collect(chunks)
        if final is MISSING:
            return
        async with self.astream(final, config, **kwargs) as stream:
            async for item in stream:
                yield item

    def _open_stream(self, input: Any, kwargs: dict[str, Any], config: RunnableConfig) -> SafeStream[Any]:
        # astream_log / v1 events: the root's chunks are what astream() yields.
        return self.astream(input, config, **kwargs)
    def _runtime(self, context: Any, parent_task: TaskContext | None) -> Runtime[Any]:
        """The run's runtime: its context (coerced to the context schema) and store; a graph
        run inside a node inherits the caller's context and store unless given its own."""
        context = coerce_context(self.context_schema, context)
        parent = parent_task.runtime if parent_task is not None else None
        if parent is None:
            return Runtime(context=context, store=self.store)
        return Runtime(
            context=context if context is not None else parent.context,
            store=parent.store or self.store,
            previous=parent.previous,
        )

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
        context: Any = None,
    ) -> None:
        """Run for ``astream_events``: the run's stream parts go into the events mailbox,
        where they become the root's ``on_chain_stream`` events, shaped by
        ``stream_mode=`` / ``subgraphs=`` as ``astream()`` would yield them."""
        modes, multi = normalize_stream_mode(stream_mode if stream_mode is not None else self.stream_mode)
        target = StreamTarget(frozenset(modes), subgraphs, mailbox=handler.mailbox)
        handler.part_shape = projector(modes, multi, subgraphs)
        await self._run(
            input, config, target, interrupt_before=interrupt_before, interrupt_after=interrupt_after, context=context
        )

    async def ainvoke(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: str | Sequence[str] = "values",
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
        context: Any = None,
        output_keys: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run to the end; return the final state (or, for another ``stream_mode``, the list of chunks).

        The state, and the ``values`` and ``updates`` chunks, show the output
        schema's keys (or ``output_keys``). An interrupted run returns its state
        with the interrupts under ``__interrupt__``. ``context`` is the run's
        static context (``runtime.context`` in the nodes).
        """
        _reject_unknown(kwargs, "ainvoke")
        _check_output_keys(output_keys, self.program)
        keys = self.output_keys if output_keys is None else output_keys
        if stream_mode == "values":
            return await self._run(
                input, config, interrupt_before=interrupt_before, interrupt_after=interrupt_after, context=context,
                output_keys=keys,
            )
        chunks = []
        async with self.astream(
            input, config, stream_mode=stream_mode, interrupt_before=interrupt_before, interrupt_after=interrupt_after,
            context=context,
            output_keys=keys,
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
        context: Any = None,
        output_keys: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> SafeStream[Any]:
        """Stream the run in LangGraph's shapes (see docs/streaming.md).

        ``values`` and ``updates`` show every state key, or only
        ``output_keys`` when given (``invoke`` gives the output schema's).
        Lazy: nothing runs and nothing is raised (not even for a bad
        ``stream_mode``) until the first item is requested.
        """
        try:
            _reject_unknown(kwargs, "astream")
            if version not in ("v1", "v2"):
                raise ValueError(f"Unknown version {version!r}; use 'v1' or 'v2'")
            modes, multi = normalize_stream_mode(stream_mode if stream_mode is not None else self.stream_mode)
            _check_output_keys(output_keys, self.program)
            problem: Exception | None = None
        except (ValueError, TypeError) as error:
            modes, multi, problem = ("updates",), False, error
        target = StreamTarget(frozenset(modes), subgraphs)

        async def produce() -> None:
            if problem is not None:
                raise problem
            await self._run(
                input, config, target, interrupt_before=interrupt_before, interrupt_after=interrupt_after,
                in_own_task=True, context=context, output_keys=output_keys,
            )

        return SafeStream(produce, target.mailbox, projector(modes, multi, subgraphs, version))

    def astream_parts(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = True,
        context: Any = None,
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
            await self._run(input, config, target, in_own_task=True, context=context)

        return SafeStream(produce, target.mailbox)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Synchronous :meth:`ainvoke`."""
        return super().invoke(input, config, **kwargs)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Synchronous :meth:`astream`: the same items, the same error behaviour."""
        return super().stream(input, config, **kwargs)

    # -- drawing -------------------------------------------------------------------
    def get_graph(self, config: RunnableConfig | None = None, *, xray: int | bool = False) -> Graph:
        """A drawable graph of the nodes and edges (``draw_mermaid()``, ``to_json()``).

        ``xray`` draws subgraph nodes as their own graphs: ``True`` all the way
        down, a number that many levels deep.
        """
        subgraphs: dict[str, Graph] = {}
        if xray:
            deeper = xray if isinstance(xray, bool) or xray <= 0 else xray - 1
            for name, node in self.spec.nodes.items():
                if isinstance(node.action, CompiledStateGraph):
                    subgraphs[name] = node.action.get_graph(config, xray=deeper)
        return draw_graph(
            self.spec,
            start_data=self.program.nodes[START].run,
            interrupt_before=self.interrupt_before_nodes,
            interrupt_after=self.interrupt_after_nodes,
            subgraphs=subgraphs,
        )

    async def aget_graph(self, config: RunnableConfig | None = None, *, xray: int | bool = False) -> Graph:
        """As :meth:`get_graph` (nothing to wait for)."""
        return self.get_graph(config, xray=xray)

    # -- node cache ----------------------------------------------------------------
    async def aclear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Forget the cached results of ``nodes`` (default: every node).

        Raises:
            ValueError: the graph was compiled without a cache.
        """
        if self.cache is None:
            raise ValueError("No cache is set for this graph. Cannot clear cache.")
        await self.cache.aclear(self._cache_namespaces(nodes))

    def clear_cache(self, nodes: Sequence[str] | None = None) -> None:
        """Synchronous :meth:`aclear_cache`."""
        if self.cache is None:
            raise ValueError("No cache is set for this graph. Cannot clear cache.")
        self.cache.clear(self._cache_namespaces(nodes))

    def _cache_namespaces(self, nodes: Sequence[str] | None) -> list[tuple[str, ...]]:
        names = nodes or list(self.spec.nodes)
        return [cache_namespace(self.spec.nodes[n].action, n) for n in names if n in self.spec.nodes]

    # -- saved state -------------------------------------------------------------
    async def aget_state(self, config: RunnableConfig, *, subgraphs: bool = False) -> StateSnapshot:
        """The thread's latest (or ``config``'s ``checkpoint_id``) state, next tasks and interrupts."""
        return await state_api.get_state(self, config, subgraphs=subgraphs)

    def get_state(self, config: RunnableConfig, *, subgraphs: bool = False) -> StateSnapshot:
        """Synchronous :meth:`aget_state`."""
        return run_sync("get_state", functools.partial(self.aget_state, config, subgraphs=subgraphs))

    def aget_state_history(
        self,
        config: RunnableConfig,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[StateSnapshot]:
        """The thread's saved states, newest first, as an async iterator (``async for``).

        Args:
            filter: only checkpoints whose metadata has these key-value pairs
                (``{"source": "loop", "step": 1}``).
            before: only checkpoints older than the one this config names.
            limit: at most this many (of those that match ``filter``).
        """
        history = state_api.history_iterator(self, config, filter=filter, before=before, limit=limit)
        # From asyncio the generator runs in the loop's guest trio run, one snapshot per hop.
        return history if in_trio() else HostedStream.of(history)

    def get_state_history(
        self,
        config: RunnableConfig,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[StateSnapshot]:
        """Synchronous :meth:`aget_state_history`: a generator that reads the
        checkpoints when first advanced and describes them one at a time."""
        found = run_sync(
            "get_state_history",
            functools.partial(state_api.history, self, config, filter=filter, before=before, limit=limit),
        )
        yield from found.snapshots()

    async def aupdate_state(
        self, config: RunnableConfig, values: Any, as_node: str | None = None, task_id: str | None = None
    ) -> RunnableConfig:
        """Apply ``values`` as if node ``as_node`` returned them, as a new checkpoint; return its config.

        ``as_node="__input__"`` writes them as input, ``"__copy__"`` copies the
        checkpoint forward as a ``fork``, ``END`` with ``values=None`` ends the
        planned step (see :meth:`abulk_update_state`).
        """
        return await state_api.update_state(self, config, values, as_node, task_id)

    def update_state(
        self, config: RunnableConfig, values: Any, as_node: str | None = None, task_id: str | None = None
    ) -> RunnableConfig:
        """Synchronous :meth:`aupdate_state`."""
        return run_sync("update_state", functools.partial(self.aupdate_state, config, values, as_node, task_id))

    async def abulk_update_state(
        self, config: RunnableConfig, supersteps: Sequence[Sequence[StateUpdate]]
    ) -> RunnableConfig:
        """Apply supersteps of updates (``StateUpdate(values, as_node[, task_id])``),
        one checkpoint per superstep; return the last one's config."""
        return await state_api.bulk_update_state(self, config, supersteps)

    def bulk_update_state(self, config: RunnableConfig, supersteps: Sequence[Sequence[StateUpdate]]) -> RunnableConfig:
        """Synchronous :meth:`abulk_update_state`."""
        return run_sync("bulk_update_state", functools.partial(self.abulk_update_state, config, supersteps))

    def get_subgraphs(self, *, namespace: str | None = None, recurse: bool = False) -> Iterator[tuple[str, Any]]:
        """``(namespace, subgraph)`` for each node that is a compiled graph; with
        ``recurse``, nested ones too (``"parent|child"``). ``namespace`` picks one."""
        return state_api.get_subgraphs(self, namespace, recurse)

    async def aget_subgraphs(
        self, *, namespace: str | None = None, recurse: bool = False
    ) -> AsyncIterator[tuple[str, Any]]:
        """Async :meth:`get_subgraphs`."""
        for found in state_api.get_subgraphs(self, namespace, recurse):
            yield found


def _names_own_thread(given: RunnableConfig | None, task: TaskContext) -> bool:
    """Whether a config given to a graph invoked inside ``task`` names a thread of its own."""
    configurable = given.get("configurable") if given else None
    if not isinstance(configurable, Mapping) or configurable.get("thread_id") is None:
        return False
    return configurable.get("checkpoint_ns") != task.checkpoint_ns


def _nodes(given: Sequence[str] | None, compiled: tuple[str, ...], nodes: Any) -> tuple[str, ...]:
    if given is None:
        return compiled
    if given == "*":
        return tuple(nodes)
    unknown = [name for name in given if name not in nodes]
    if unknown:
        raise ValueError(f"Interrupt node(s) {unknown} not found; the graph has {sorted(nodes)}")
    return tuple(given)


def _check_output_keys(keys: Sequence[str] | None, program: Program) -> None:
    if keys is None:
        return
    if isinstance(keys, str):
        raise TypeError(f"output_keys={keys!r}: give a list of state keys (a single key is not supported)")
    unknown = [key for key in keys if key not in program.value_keys]
    if unknown:
        raise ValueError(f"output_keys names {unknown}, which are not state keys; the state has {list(program.value_keys)}")


def _reject_unknown(kwargs: dict[str, Any], method: str) -> None:
    if kwargs:
        raise TypeError(f"{method}() got unexpected keyword argument(s) {sorted(kwargs)}")
