"""Runnables that are one run however they are called, and the two shapes of that run.

* :func:`traced_invoke` — a call on a whole input: the run starts with its
  input, the body runs with the run's child config ambient, the run ends with
  its output (or reports its error).
* :func:`traced_transform` — a run over an input *stream*, as LangChain's
  ``_atransform_stream_with_config``: it waits for its first input chunk (so
  the step feeding it starts first), starts without an input, reports every
  output chunk as it passes (``on_<type>_stream``), and ends with the sum of
  its output chunks and the sum of its input chunks.

:class:`TransformRunnable` is the base of every runnable built that way (the
combinators, the function runnables, the output parsers): a subclass says what
it does to a whole input (:meth:`~TransformRunnable._invoke`) and to an input
stream (:meth:`~TransformRunnable._transform`); the base gives it the run, the
events and both streaming hooks.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from typing import Any, ClassVar, TypeVar

from ..core.config import RunnableConfig, ambient, ensure_config
from ..tracing.run import NO_INPUT
from ..tracing.scope import RunScope, begin_run
from .base import In, Out, Runnable
from .chunks import MISSING, Accumulator, single_chunk

__all__ = ["TransformRunnable", "traced_invoke", "traced_transform", "close"]

T = TypeVar("T")


class TransformRunnable(Runnable[In, Out]):
    """A runnable whose every call is one run of type :attr:`run_type`.

    Invoked, the run is :func:`traced_invoke` around :meth:`_invoke`. Streamed,
    or streamed into, it is :func:`traced_transform` around :meth:`_transform`
    (a whole input is a stream of one chunk). Keyword arguments of the call go
    to the hook (only a sequence uses them: it hands them to its first step).
    """

    run_type: ClassVar[str] = "chain"
    """The event family of the runs (``on_<run_type>_start`` …)."""

    async def _invoke(self, input: In, scope: RunScope, **kwargs: Any) -> Out:
        """The output for a whole ``input``, with ``scope`` the run (its child config is ambient).

        A subclass implements this or overrides :meth:`ainvoke`.
        """
        raise NotImplementedError(f"{type(self).__name__} implements neither _invoke nor ainvoke")

    @abstractmethod
    def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Out]:
        """Output chunks for the input chunks ``inputs``, with ``scope`` the run."""

    async def ainvoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        return await traced_invoke(config, self.get_name(), self.run_type, input, self._invoke, kwargs)

    def _stream_chunks(self, input: In, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Out]:
        return self._transform_chunks(single_chunk(input), config, **kwargs)

    def _transform_chunks(
        self, chunks: AsyncIterator[In], config: RunnableConfig | None, **kwargs: Any
    ) -> AsyncIterator[Out]:
        return traced_transform(chunks, config, self.get_name(), self.run_type, self._transform, kwargs)


async def traced_invoke(
    config: RunnableConfig | None,
    name: str,
    run_type: str,
    input: Any,
    body: Callable[..., Awaitable[T]],
    kwargs: Mapping[str, Any] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    start_input: Any = MISSING,
) -> T:
    """Run ``body(input, scope, **kwargs)`` as one run on ``input``; ``start_input`` overrides what events show."""
    scope = begin_run(ensure_config(config), name, run_type, metadata=metadata)
    async with scope.reporting(input if start_input is MISSING else start_input) as report:
        with ambient(scope.child_config()):
            report.output = output = await (body(input, scope, **kwargs) if kwargs else body(input, scope))
    return output


async def traced_transform(
    chunks: AsyncIterator[Any],
    config: RunnableConfig | None,
    name: str,
    run_type: str,
    body: Callable[..., AsyncIterator[T]],
    kwargs: Mapping[str, Any] | None = None,
) -> AsyncIterator[T]:
    """Run ``body(input_stream, scope, **kwargs)`` as one run that streams (see the module docstring)."""
    source = chunks.__aiter__()
    first = await anext(source, MISSING)
    scope = begin_run(ensure_config(config), name, run_type)
    kwargs = kwargs or {}
    if not scope.traced:
        async for chunk in _untraced(first, source, scope, body, kwargs):
            yield chunk
        return
    seen = Accumulator()
    total = Accumulator()
    try:
        async with scope.reporting(NO_INPUT) as report:
            try:
                async with aclosing(_inputs(first, source, seen)) as stream_in:
                    outputs = body(stream_in, scope, **kwargs)
                    try:
                        async for chunk in outputs:
                            total.add(chunk)
                            await scope.stream(chunk)
                            yield chunk
                    finally:
                        await close(outputs)
                    async for _ in stream_in:  # the rest of the input, for the end event
                        pass
            finally:
                report.input = seen.result()
            report.output = total.result()
    finally:
        await close(source)


async def _inputs(first: Any, source: AsyncIterator[Any], seen: Accumulator | None) -> AsyncGenerator[Any, None]:
    """The input stream again, ``first`` chunk first; each chunk added to ``seen`` if given."""
    if first is MISSING:
        return
    if seen is None:
        yield first
        async for chunk in source:
            yield chunk
        return
    seen.add(first)
    yield first
    async for chunk in source:
        seen.add(chunk)
        yield chunk


async def _untraced(
    first: Any,
    source: AsyncIterator[Any],
    scope: RunScope,
    body: Callable[..., AsyncIterator[T]],
    kwargs: Mapping[str, Any],
) -> AsyncIterator[T]:
    """:func:`traced_transform` with nobody watching: no sums, no events."""
    try:
        async with aclosing(_inputs(first, source, None)) as stream_in:
            outputs = body(stream_in, scope, **kwargs)
            try:
                async for chunk in outputs:
                    yield chunk
            finally:
                await close(outputs)
    finally:
        await close(source)


async def close(iterator: Any) -> None:
    """Close an async generator (a no-op for other iterators), as ``aclosing`` would."""
    closer = getattr(iterator, "aclose", None)
    if closer is not None:
        await closer()
