"""The compiled graph: a Runnable whose runs are scheduler runs of its Program."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from runtime.config import RunnableConfig, ensure_config
from runtime.context import current_task_scope
from runtime.runnable import Runnable
from runtime.safe_stream import SafeStream
from runtime.scheduler import NS_SEP, GraphRun, Program
from runtime.stream import StreamPart, StreamTarget, normalize_stream_mode, project

if TYPE_CHECKING:
    from .builder import StateGraph

__all__ = ["CompiledStateGraph"]

_SCALARS = (str, int, float, bool)


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
        builder: StateGraph,
        program: Program,
        *,
        checkpointer: Any,
        interrupt_before: tuple[str, ...],
        interrupt_after: tuple[str, ...],
        debug: bool,
        name: str,
        input_keys: tuple[str, ...],
    ) -> None:
        self.builder = builder
        self.program = program
        self.checkpointer = checkpointer
        self.interrupt_before_nodes = interrupt_before
        self.interrupt_after_nodes = interrupt_after
        self.debug = debug
        self.name = name
        self.input_keys = input_keys
        self.output_keys = program.output_keys

    @property
    def nodes(self) -> dict[str, Any]:
        """The user's nodes by name, as declared."""
        return {name: node.action for name, node in self.builder.nodes.items()}

    # -- running ---------------------------------------------------------------
    def _prepare(self, config: RunnableConfig | None) -> tuple[RunnableConfig, tuple[str, ...], str, tuple[StreamTarget, ...]]:
        """The run's config, namespace, checkpoint namespace and inherited stream targets.

        A run started inside a graph task is that task's subgraph: it takes the
        task's namespace and streams to the task's consumers too.
        """
        config = ensure_config(config)
        scope = current_task_scope()
        if scope is None:
            configurable = config.get("configurable", {})
            scalars = {
                k: v for k, v in configurable.items()
                if isinstance(v, _SCALARS) and not k.startswith("__") and k != "checkpoint_ns"
            }
            if scalars:
                config["metadata"] = {**scalars, **config.get("metadata", {})}
            return config, (), "", ()
        return config, tuple(scope.checkpoint_ns.split(NS_SEP)), scope.checkpoint_ns, scope.targets

    async def _run(self, input: Any, config: RunnableConfig | None, own: StreamTarget | None = None) -> dict[str, Any]:
        config, namespace, checkpoint_ns, inherited = self._prepare(config)
        targets = inherited
        if own is not None:
            own.depth = len(namespace)
            targets = (own, *inherited)
        return await GraphRun(self.program, config, targets, namespace, checkpoint_ns).run(input)

    async def ainvoke(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: str | Sequence[str] = "values",
        **kwargs: Any,
    ) -> Any:
        """Run to the end; return the final state (or, for another ``stream_mode``, the list of chunks)."""
        _reject_unknown(kwargs, "ainvoke")
        if stream_mode == "values":
            return await self._run(input, config)
        chunks = []
        async with self.astream(input, config, stream_mode=stream_mode) as stream:
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
        **kwargs: Any,
    ) -> SafeStream[Any]:
        """Stream the run in LangGraph's shapes (see SEMANTICS.md §1).

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
            await self._run(input, config, target)

        def shape(part: StreamPart) -> Any:
            return project(part, modes, multi, subgraphs, version)

        return SafeStream(produce, target.mailbox, shape)

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
            await self._run(input, config, target)

        return SafeStream(produce, target.mailbox)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Synchronous :meth:`ainvoke`."""
        return super().invoke(input, config, **kwargs)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Synchronous :meth:`astream`: the same items, the same error behaviour."""
        return super().stream(input, config, **kwargs)


def _reject_unknown(kwargs: dict[str, Any], method: str) -> None:
    if kwargs:
        raise TypeError(f"{method}() got unexpected keyword argument(s) {sorted(kwargs)}")
