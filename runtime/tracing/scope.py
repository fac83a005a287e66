"""Starting a run, reporting what it does, and the config its children get.

Every runnable call goes through :func:`begin_run` and reports its run one
way: ``async with scope.reporting(input) as report: ...; report.output = x``
(:meth:`RunScope.reporting`) starts the run, and ends it or reports its error.
With no handler attached :func:`begin_run` returns an untraced
:class:`RunScope` whose reporting does nothing — no record, no uuid, no event —
so tracing costs nothing unless asked for.

User code must see its run's *child* config as the ambient config (that is how
nested runnables find their parent without being passed ``config``): see
:func:`runtime.core.config.ambient` and :func:`~runtime.core.config.in_config`.

Errors: a run whose body raises reports ``on_run_error`` before the error moves
on, so the innermost failing run reports first and every enclosing run after
it. Cancellation and control flow (a :class:`~runtime.core.errors.GraphBubbleUp`:
a graph ``interrupt()``, a command for the parent graph) are not errors: such
a run simply has no end.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, final

from ..core.config import CompleteConfig, RunnableConfig, complete_config
from ..core.errors import GraphBubbleUp
from .run import NO_INPUT, CallbackManager, RunInfo, resolve_callbacks

__all__ = [
    "RunScope",
    "RunReport",
    "begin_run",
    "is_control_flow",
    "has_handlers",
]

_CONFIGURABLE_TO_METADATA = ("model", "checkpoint_ns")


def is_control_flow(error: BaseException) -> bool:
    """Whether ``error`` leaving a run is not a failure of that run."""
    return not isinstance(error, Exception) or isinstance(error, GraphBubbleUp)


def has_handlers(config: Mapping[str, Any] | None) -> bool:
    """Whether a run started with ``config`` would be traced."""
    if not config:
        return False
    return resolve_callbacks(config.get("callbacks")) is not None


def _with_scalars(metadata: dict[str, Any], configurable: Mapping[str, Any] | None) -> dict[str, Any]:
    # As langchain-core 1.8's ensure_config: the configurable ``model`` and
    # ``checkpoint_ns`` strings join the metadata once, and the first value seen
    # down the tree sticks. Other configurable values (secrets too) stay out.
    if not configurable:
        return metadata
    extra = {
        key: value
        for key in _CONFIGURABLE_TO_METADATA
        if key not in metadata and isinstance(value := configurable.get(key), str)
    }
    return {**metadata, **extra} if extra else metadata


def _strip_run_keys(config: RunnableConfig) -> RunnableConfig:
    # run_name and run_id name one run; its children must not inherit them.
    if "run_name" in config or "run_id" in config:
        return complete_config({k: v for k, v in config.items() if k != "run_name" and k != "run_id"})
    if type(config) is CompleteConfig:
        return config  # type: ignore[return-value]  # a CompleteConfig is a RunnableConfig (a dict class cannot subclass a TypedDict)
    return complete_config(config)


@final
class RunScope:
    """One runnable call: its run record (``None`` when untraced) and its children's config."""

    __slots__ = ("run", "_child")

    def __init__(self, run: RunInfo | None, child: RunnableConfig) -> None:
        self.run = run
        self._child = child

    @property
    def traced(self) -> bool:
        return self.run is not None

    @property
    def streaming(self) -> bool:
        """Whether a handler wants tokens (a chat model's ``invoke`` then streams)."""
        run = self.run
        return run is not None and any(h.streaming for h in run.handlers)

    def child_config(self, tag: str | None = None) -> RunnableConfig:
        """The config for a child of this run; ``tag`` goes first in that child's tags only."""
        run = self.run
        if tag is None or run is None:
            return self._child
        return complete_config({**self._child, "callbacks": CallbackManager(run.handlers, run, tag)})

    def reporting(self, input: Any = NO_INPUT, **extra: Any) -> RunReport:
        """Report this run around a block: ``async with scope.reporting(input) as report:``.

        Entering starts the run with ``input``. Leaving normally ends it with
        ``report.output`` and ``report.input`` (a run over an input stream sets
        the input it consumed before leaving). Leaving with an error reports
        that error — with ``extra``, say a tool's ``tool_call_id`` — and lets it
        go on; cancellation and control flow leave the run without an end.
        Untraced, entering and leaving do nothing.
        """
        run = self.run
        return _UNTRACED_REPORT if run is None else RunReport(run, input, extra)

    async def stream(self, chunk: Any) -> None:
        """Report an output chunk of this run (``on_<type>_stream``)."""
        run = self.run
        if run is None:
            return
        run.streamed_own_events = True
        for handler in run.handlers:
            await handler.on_run_stream(run, chunk)

    async def token(self, chunk: Any) -> None:
        """Report a chat model's message chunk (``on_chat_model_stream``, ``messages`` mode)."""
        run = self.run
        if run is None:
            return
        run.streamed_own_events = True
        for handler in run.handlers:
            await handler.on_llm_new_token(run, chunk)


class RunReport:
    """The start, and the end or error, of one run (what :meth:`RunScope.reporting` returns).

    Attributes:
        input: the input the end or error event shows.
        output: the output the end event shows; the block sets it.
    """

    __slots__ = ("_run", "input", "output", "_extra")

    def __init__(self, run: RunInfo, input: Any, extra: dict[str, Any]) -> None:
        self._run = run
        self.input = input
        self.output: Any = None
        self._extra = extra

    async def __aenter__(self) -> RunReport:
        run = self._run
        run.inputs = input = self.input
        for handler in run.handlers:
            await handler.on_run_start(run, input)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        run = self._run
        if error is None:
            run.finished = True
            for handler in run.handlers:
                await handler.on_run_end(run, self.output, self.input)
        elif not run.finished and not is_control_flow(error):
            run.finished = True
            for handler in run.handlers:
                await handler.on_run_error(run, error, self.input, self._extra)


@final
class _UntracedReport(RunReport):
    """The report of a run nobody watches: one shared instance that keeps nothing."""

    __slots__ = ()

    def __init__(self) -> None:
        pass

    input = output = property(lambda self: None, lambda self, value: None)

    async def __aenter__(self) -> RunReport:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        return None


_UNTRACED_REPORT = _UntracedReport()


def begin_run(
    config: RunnableConfig,
    name: str,
    run_type: str,
    *,
    tag: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    kind: str = "",
    own_scalars: bool = True,
    child_scalars: bool = True,
    use_run_name: bool = True,
) -> RunScope:
    """The scope of a run started with ``config`` (an ensured config).

    Args:
        name: the run's name unless the config gives ``run_name``.
        run_type: the event family (``on_<run_type>_start`` …).
        tag: overrides the one-generation tag the parent handed down.
        metadata: added to this run's metadata only (``ls_provider`` …).
        kind: ``"node"`` / ``"graph"`` for graph runs.
        own_scalars: whether this run's metadata gets the configurable scalars
            (a graph node's does not; its children do).
        child_scalars: whether its children's config metadata gets them (a
            graph's children — its tasks — do not: the scheduler sets their metadata).
        use_run_name: whether ``config["run_name"]`` names the run.
    """
    child = _strip_run_keys(config)
    manager = resolve_callbacks(config.get("callbacks"))
    if manager is None:
        return RunScope(None, child)
    if tag is None:
        tag = manager.tag
    config_tags = config.get("tags") or ()
    tags = [tag, *(t for t in config_tags if t != tag)] if tag else list(config_tags)
    base_metadata = config.get("metadata") or {}
    with_scalars = _with_scalars(base_metadata, config.get("configurable"))
    child_metadata = with_scalars if child_scalars else base_metadata
    run_metadata = with_scalars if own_scalars else base_metadata
    if metadata:
        run_metadata = {**run_metadata, **metadata}
    run_name = config.get("run_name") if use_run_name else None
    run_id = config.get("run_id") if use_run_name else None
    run = RunInfo(
        str(run_id) if run_id is not None else str(uuid.uuid4()),
        run_name or name,
        run_type,
        tags,
        run_metadata if run_metadata is not base_metadata else dict(run_metadata),
        manager.parent,
        manager.handlers,
        kind,
    )
    child = complete_config({**child, "callbacks": CallbackManager(manager.handlers, run), "metadata": child_metadata})
    return RunScope(run, child)
