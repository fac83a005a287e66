"""The Runnable protocol every component (and every compiled graph) implements.

A subclass implements :meth:`Runnable.ainvoke` and, if it produces output
incrementally, :meth:`Runnable._stream_chunks` (its whole-input streaming hook)
and/or :meth:`Runnable._transform_chunks` (its hook for an input that itself
arrives as a stream). Everything else derives from those: the sync methods run
the async ones (see :mod:`runtime.core._sync`); ``astream``, ``atransform``,
``astream_events`` and ``astream_log`` wrap the hooks in a :class:`SafeStream`, so
leaving any of them early always cancels cleanly; ``|`` builds a
:class:`~runtime.runnables.RunnableSequence`, and ``pick`` / ``assign`` /
``with_retry`` / ``with_fallbacks`` / ``as_tool`` the other langchain-core combinators.

The hooks are plain async generators run inline in the consumer's task: a chain
of steps streams chunk by chunk with no task or mailbox per step, and the run
events its steps report come out in the order things happened.
"""

from __future__ import annotations

import contextvars
import functools
from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import trio

from actors import Mailbox, Supervisor

from ..core import iterate_sync, run_sync
from ..core.callables import is_users
from ..hosting import TrioEntryPoints, current_guest, trio_entry
from ..core.config import CompleteConfig, RunnableConfig, complete_config, merge_configs
from ..core.safe_stream import SafeStream
from ..core.stream import DEFAULT_STREAM_BUFFER
from ..tracing.events import EventStreamHandler
from ..tracing.events_v1 import astream_events_v1
from ..tracing.run_log import astream_log
from ..tracing.stream_events import EVENT_BUFFER, astream_events
from .chunks import MISSING, collect

__all__ = ["Runnable", "RunnableBinding"]

In = TypeVar("In")
Out = TypeVar("Out")


class Runnable(TrioEntryPoints, ABC, Generic[In, Out]):
    """A unit of work with LangChain's calling conventions.

    Its coroutine methods work from trio and from asyncio alike (see
    :mod:`runtime.hosting`): a subclass's ``ainvoke`` is made an entry point when the
    class is created.
    """

    name: str | None = None
    _entry_points = (
        "ainvoke", "abatch", "arun", "aget_state", "aupdate_state", "abulk_update_state",
        "aget_graph", "aclear_cache", "aget_subgraphs",
    )

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        """The run name used in events: ``name`` if set, else the class name (plus ``suffix``)."""
        name = name or self.name or type(self).__name__
        if not suffix:
            return name
        return name + suffix.title() if name[0].isupper() else f"{name}_{suffix.lower()}"

    @abstractmethod
    async def ainvoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        """Run on ``input`` and return the output."""

    # -- streaming hooks --------------------------------------------------------
    async def _stream_chunks(self, input: In, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Out]:
        """Yield output chunks for a whole input; the default yields the whole output once."""
        yield await self.ainvoke(input, config, **kwargs)

    async def _transform_chunks(
        self, chunks: AsyncIterator[In], config: RunnableConfig | None, **kwargs: Any
    ) -> AsyncIterator[Out]:
        """Yield output chunks for an input that arrives in chunks.

        The default waits for the whole input (chunks added with ``+``) and then
        streams; runnables that can work chunk by chunk override it.
        """
        final = await collect(chunks)
        if final is MISSING:
            return
        async for chunk in self._stream_chunks(final, config, **kwargs):
            yield chunk

    # -- public API ---------------------------------------------------------------
    def astream(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> SafeStream[Out]:
        """Stream output chunks. Use ``async with ... as s: async for c in s`` or plain ``async for``.

        Lazy: nothing runs until the first chunk is requested.
        """
        mailbox: Mailbox[Any] = Mailbox(DEFAULT_STREAM_BUFFER)

        async def produce() -> None:
            async for chunk in self._stream_chunks(input, config, **kwargs):
                if not mailbox.put_nowait(chunk):
                    await mailbox.put(chunk)

        return SafeStream(produce, mailbox)

    def astream_events(
        self,
        input: In,
        config: RunnableConfig | None = None,
        *,
        version: str = "v2",
        include_names: Sequence[str] | None = None,
        include_types: Sequence[str] | None = None,
        include_tags: Sequence[str] | None = None,
        exclude_names: Sequence[str] | None = None,
        exclude_types: Sequence[str] | None = None,
        exclude_tags: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> SafeStream[dict[str, Any]]:
        """Stream the events of every run inside this one, in LangChain's v2 (default) or v1 format.

        Each event is a dict with ``event`` (``on_chain_start``, ``on_chat_model_stream``,
        ``on_tool_end``, ``on_custom_event`` …), ``name``, ``run_id``, ``parent_ids``
        (root first), ``tags``, ``metadata`` and ``data``. ``include_*`` filters are
        OR-ed (everything passes when none is given), then ``exclude_*`` remove.
        A failing run reports ``on_<type>_error`` — it and every enclosing run,
        innermost first — before the error is raised from the iterator.
        ``version="v1"`` is langchain-core's older format, read off :meth:`astream_log`
        (see :mod:`runtime.tracing.events_v1`).

        Lazy, and as safe to leave as :meth:`astream`. Other keyword arguments
        go to the streaming call (a graph's ``stream_mode`` / ``subgraphs``).
        """
        filters = {
            "include_names": include_names, "include_types": include_types, "include_tags": include_tags,
            "exclude_names": exclude_names, "exclude_types": exclude_types, "exclude_tags": exclude_tags,
        }
        if version == "v1":
            return astream_events_v1(
                functools.partial(self._open_stream, input, kwargs), input, config,
                root_name=self.get_name(), buffer=EVENT_BUFFER, **filters,
            )
        return astream_events(
            functools.partial(self._produce_events, input, **kwargs), input, config, version=version, **filters
        )

    def astream_log(
        self,
        input: In,
        config: RunnableConfig | None = None,
        *,
        diff: bool = True,
        with_streamed_output_list: bool = True,
        include_names: Sequence[str] | None = None,
        include_types: Sequence[str] | None = None,
        include_tags: Sequence[str] | None = None,
        exclude_names: Sequence[str] | None = None,
        exclude_types: Sequence[str] | None = None,
        exclude_tags: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> SafeStream[Any]:
        """Stream the run as a log: :class:`~runtime.tracing.RunLogPatch` es of JSON Patch
        operations (``diff=False``: the whole :class:`~runtime.tracing.RunLog` after each).

        The log holds this run's ``streamed_output`` (what :meth:`astream` yields;
        left out with ``with_streamed_output_list=False``) and ``final_output``, and
        under ``logs`` every run inside it that passes the ``include_*``/``exclude_*``
        filters (see :mod:`runtime.tracing.run_log`). Lazy, and as safe to leave as
        :meth:`astream`; other keyword arguments go to :meth:`astream`.
        """
        return astream_log(
            functools.partial(self._open_stream, input, kwargs), config,
            root_name=self.get_name(), diff=diff, with_streamed_output_list=with_streamed_output_list,
            buffer=EVENT_BUFFER, include_names=include_names, include_types=include_types,
            include_tags=include_tags, exclude_names=exclude_names, exclude_types=exclude_types,
            exclude_tags=exclude_tags,
        )

    def _open_stream(
        self, input: In, kwargs: dict[str, Any], config: RunnableConfig
    ) -> AbstractAsyncContextManager[AsyncIterator[Any]]:
        """The output stream for :meth:`astream_log`, run inline so that the root's chunks
        keep their place among the events of the runs inside it."""
        return _closing(self._stream_chunks(input, config, **kwargs))

    async def _produce_events(
        self, input: In, config: RunnableConfig, handler: EventStreamHandler, **kwargs: Any
    ) -> None:
        """Run for :meth:`astream_events`; ``config`` already carries ``handler``.

        Runs in streaming mode, tapping the output as the root's stream events.
        """
        async for chunk in self._stream_chunks(input, config, **kwargs):
            await handler.tap_root(chunk)

    def atransform(
        self, input: AsyncIterator[In], config: RunnableConfig | None = None, **kwargs: Any
    ) -> SafeStream[Out]:
        """Stream output chunks for an input that itself arrives as a stream of chunks.

        A runnable that works chunk by chunk (a parser, a generator function,
        a passthrough) passes chunks on as they come; others wait for the whole
        input (its chunks added with ``+``). Lazy and as safe to leave as :meth:`astream`.
        """
        mailbox: Mailbox[Any] = Mailbox(DEFAULT_STREAM_BUFFER)

        async def produce() -> None:
            async for chunk in self._transform_chunks(_chunks_of(input), config, **kwargs):
                if not mailbox.put_nowait(chunk):
                    await mailbox.put(chunk)

        return SafeStream(produce, mailbox)

    def transform(self, input: Iterator[In], config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Out]:
        """Synchronous :meth:`atransform`: ``input`` is pulled in a worker thread, chunk by chunk."""
        return iterate_sync("transform", lambda: self.atransform(_pulled_in_thread(input), config, **kwargs))

    def invoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        """Synchronous :meth:`ainvoke` (refuses to run on a trio thread)."""
        return run_sync("invoke", functools.partial(self.ainvoke, input, config, **kwargs))

    def stream(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Out]:
        """Synchronous :meth:`astream` (refuses to run on a trio thread)."""
        return iterate_sync("stream", lambda: self.astream(input, config, **kwargs))

    @trio_entry
    async def abatch(
        self,
        inputs: Sequence[In],
        config: RunnableConfig | Sequence[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Out | BaseException]:
        """Run on every input concurrently (at most ``max_concurrency`` at once); outputs in input order."""
        configs = _per_input_configs(config, len(inputs))
        limit = configs[0].get("max_concurrency") if configs else None
        limiter = trio.CapacityLimiter(limit) if limit else None
        results: list[Any] = [None] * len(inputs)

        async def invoke_one(index: int) -> None:
            try:
                if limiter is not None:
                    async with limiter:
                        results[index] = await self.ainvoke(inputs[index], configs[index], **kwargs)
                else:
                    results[index] = await self.ainvoke(inputs[index], configs[index], **kwargs)
            except Exception as error:
                if not return_exceptions:
                    raise
                results[index] = error

        if not inputs:
            return []
        async with Supervisor(f"{self.get_name()}.batch") as supervisor:
            for index in range(len(inputs)):
                supervisor.spawn(f"{self.get_name()}[{index}]", invoke_one, index)
        return results

    def batch(
        self,
        inputs: Sequence[In],
        config: RunnableConfig | Sequence[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Out | BaseException]:
        """Synchronous :meth:`abatch`."""
        return run_sync(
            "batch", functools.partial(self.abatch, inputs, config, return_exceptions=return_exceptions, **kwargs)
        )

    # -- composition --------------------------------------------------------------
    def with_config(self, config: RunnableConfig | None = None, **kwargs: Any) -> RunnableBinding[In, Out]:
        """This runnable with ``config`` (and keyword config keys: ``run_name=``, ``tags=``,
        ``metadata=`` …) merged into every call."""
        return RunnableBinding(self, merge_configs(config, kwargs))

    def bind(self, **kwargs: Any) -> RunnableBinding[In, Out]:
        """This runnable with ``kwargs`` passed to every call (a model's ``stop=``, say)."""
        return RunnableBinding(self, {}, kwargs)

    def __or__(self, other: Any) -> Runnable[In, Any]:
        """``self | other``: a sequence that feeds this runnable's output to ``other``.

        ``other`` may be a runnable, a function (a generator function transforms
        the stream chunk by chunk), or a dict of them (run in parallel).
        """
        return _sequence(self, other)

    def __ror__(self, other: Any) -> Runnable[Any, Out]:
        return _sequence(other, self)

    def pipe(self, *others: Any, name: str | None = None) -> Runnable[In, Any]:
        """``self | others[0] | others[1] …`` as one sequence named ``name``."""
        return _sequence(self, *others, name=name)

    # The combinators below construct subclasses of Runnable, hence their imports
    # at call time (the same inherent circle as ``|``'s).
    def pick(self, keys: str | Sequence[str]) -> Runnable[In, Any]:
        """``self`` followed by picking ``keys`` from its dict output: one key gives that
        value, a list gives a dict of the listed keys present."""
        from .passthrough import RunnablePick

        return _sequence(self, RunnablePick(keys))

    def assign(self, **kwargs: Any) -> Runnable[Any, dict[str, Any]]:
        """``self`` followed by adding keys to its dict output: each value of ``kwargs``
        (a runnable, function or dict of them) runs on that output, in parallel."""
        from .parallel import RunnableParallel
        from .passthrough import RunnableAssign

        return _sequence(self, RunnableAssign(RunnableParallel(kwargs)))

    def with_retry(
        self,
        *,
        retry_if_exception_type: tuple[type[BaseException], ...] = (Exception,),
        wait_exponential_jitter: bool = True,
        exponential_jitter_params: Mapping[str, float] | None = None,
        stop_after_attempt: int = 3,
    ) -> Runnable[In, Out]:
        """This runnable, invoked again when it raises one of ``retry_if_exception_type``,
        up to ``stop_after_attempt`` calls in all (see :class:`~runtime.runnables.RunnableRetry`)."""
        from .retry import RunnableRetry

        return RunnableRetry(
            self,
            retry_exception_types=retry_if_exception_type,
            wait_exponential_jitter=wait_exponential_jitter,
            exponential_jitter_params=exponential_jitter_params,
            max_attempt_number=stop_after_attempt,
        )

    def with_fallbacks(
        self,
        fallbacks: Sequence[Runnable[In, Out]],
        *,
        exceptions_to_handle: tuple[type[BaseException], ...] = (Exception,),
        exception_key: str | None = None,
    ) -> Runnable[In, Out]:
        """This runnable, and when it raises one of ``exceptions_to_handle``, each of
        ``fallbacks`` in turn (see :class:`~runtime.runnables.RunnableWithFallbacks`)."""
        from .fallbacks import RunnableWithFallbacks

        return RunnableWithFallbacks(
            self, fallbacks, exceptions_to_handle=exceptions_to_handle, exception_key=exception_key
        )

    def as_tool(
        self,
        args_schema: Any = None,
        *,
        name: str | None = None,
        description: str | None = None,
        arg_types: Mapping[str, Any] | None = None,
    ) -> Any:
        """A tool (a ``BaseTool``) that invokes this runnable.

        A runnable taking a string becomes a one-argument tool (``tool_input``);
        one taking a dict needs its keys typed: by ``args_schema`` (a pydantic
        model, a TypedDict or a JSON schema), by ``arg_types`` (key -> type), or by
        a TypedDict / pydantic annotation on a function's parameter.
        """
        if _tool_maker is None:  # runtime.tools registers it; importing runtime does that
            raise RuntimeError("as_tool() needs runtime.tools: import runtime.tools first")
        return _tool_maker(self, args_schema, name=name, description=description, arg_types=arg_types)


class RunnableBinding(Runnable[In, Out]):
    """A runnable with config (and call keyword arguments) bound to it.

    What :meth:`Runnable.with_config` and :meth:`Runnable.bind` return. It is not
    a run of its own: events come from the bound runnable, named by the bound
    ``run_name`` if any.
    """

    bound: Runnable[In, Out]
    config: RunnableConfig
    kwargs: dict[str, Any]

    def __init__(
        self, bound: Runnable[In, Out], config: RunnableConfig | None = None, kwargs: Mapping[str, Any] | None = None
    ) -> None:
        if isinstance(bound, RunnableBinding):
            config = merge_configs(bound.config, config)
            kwargs = {**bound.kwargs, **(kwargs or {})}
            bound = bound.bound
        self.bound = bound
        self.config = {**config} if config else {}
        self.kwargs = dict(kwargs or {})
        self.name = self.config.get("run_name") or bound.get_name()

    def _merged(self, config: RunnableConfig | None) -> RunnableConfig:
        if not self.config:
            return config or {}
        merged = merge_configs(self.config, config)
        # A run's child config stays complete with the bound keys on top.
        return complete_config(merged) if type(config) is CompleteConfig else merged

    def _kw(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {**self.kwargs, **kwargs} if self.kwargs else kwargs

    async def ainvoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        return await self.bound.ainvoke(input, self._merged(config), **self._kw(kwargs))

    def _stream_chunks(self, input: In, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Out]:
        return self.bound._stream_chunks(input, self._merged(config), **self._kw(kwargs))

    def _transform_chunks(
        self, chunks: AsyncIterator[In], config: RunnableConfig | None, **kwargs: Any
    ) -> AsyncIterator[Out]:
        return self.bound._transform_chunks(chunks, self._merged(config), **self._kw(kwargs))

    async def _produce_events(
        self, input: In, config: RunnableConfig, handler: EventStreamHandler, **kwargs: Any
    ) -> None:
        await self.bound._produce_events(input, self._merged(config), handler, **self._kw(kwargs))

    def _open_stream(
        self, input: In, kwargs: dict[str, Any], config: RunnableConfig
    ) -> AbstractAsyncContextManager[AsyncIterator[Any]]:
        return self.bound._open_stream(input, self._kw(kwargs), self._merged(config))

    def astream_events(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> SafeStream[dict[str, Any]]:
        if kwargs.get("version") == "v1":
            # v1 shows the root's config tags and metadata: the bound ones count.
            return self.bound.astream_events(input, self._merged(config), **self._kw(kwargs))
        return super().astream_events(input, config, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name == "bound":
            raise AttributeError(name)
        return getattr(self.bound, name)

    def __repr__(self) -> str:
        return f"RunnableBinding(bound={self.bound!r}, config={self.config!r}, kwargs={self.kwargs!r})"


_tool_maker: Callable[..., Any] | None = None


def register_tool_maker(maker: Callable[..., Any]) -> None:
    """Set what :meth:`Runnable.as_tool` calls; :mod:`runtime.tools` does, as tools are
    runnables and runnables must not depend on tools."""
    global _tool_maker
    _tool_maker = maker


def _sequence(*steps: Any, name: str | None = None) -> Runnable[Any, Any]:
    # The one import circle left in runtime, and an inherent one: ``|`` on the
    # base class builds a RunnableSequence (coercing functions and dicts to
    # RunnableLambda / RunnableParallel), and all of those are Runnables.
    from .sequence import RunnableSequence

    return RunnableSequence(*steps, name=name)


@asynccontextmanager
async def _closing(chunks: AsyncIterator[Any]) -> AsyncIterator[AsyncIterator[Any]]:
    try:
        yield chunks
    finally:
        closer = getattr(chunks, "aclose", None)
        if closer is not None:
            await closer()


async def _chunks_of(source: AsyncIterator[Any]) -> AsyncIterator[Any]:
    # The caller's iterator as an async generator of our own, which the stream closes.
    # Under an asyncio host, a user's iterator (not one of our streams) is advanced on
    # the host loop, where it may await asyncio.
    guest = current_guest()
    if guest is not None and not isinstance(source, SafeStream) and is_users(source):
        source = guest.iterate(aiter(source), contextvars.copy_context())
    async for chunk in source:
        yield chunk


async def _pulled_in_thread(source: Iterator[Any]) -> AsyncIterator[Any]:
    # A sync iterator may block (a file, a socket): never advance it on the trio thread.
    iterator = iter(source)
    while True:
        chunk = await trio.to_thread.run_sync(next, iterator, MISSING)
        if chunk is MISSING:
            return
        yield chunk


def _per_input_configs(config: Any, count: int) -> list[RunnableConfig]:
    if config is None:
        return [{} for _ in range(count)]
    if isinstance(config, Sequence):
        if len(config) != count:
            raise ValueError(f"batch got {len(config)} configs for {count} inputs; give one config or one per input")
        return list(config)
    return [config for _ in range(count)]

