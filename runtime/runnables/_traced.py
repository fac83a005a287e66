"""The two shapes of a run, shared by every runnable here.

* :func:`traced_invoke` — a call on a whole input: the run starts with its
  input, the body runs with the run's child config ambient, the run ends with
  its output (or reports its error).
* :func:`traced_transform` — a run over an input *stream*, as LangChain's
  ``_atransform_stream_with_config``: it waits for its first input chunk (so
  the step feeding it starts first), starts without an input, reports every
  output chunk as it passes (``on_<type>_stream``), and ends with the sum of
  its output chunks and the sum of its input chunks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from typing import Any, TypeVar

from .._chunks import MISSING, Accumulator
from ..config import RunnableConfig, ensure_config
from ..tracing.run import NO_INPUT
from ..tracing.scope import RunScope, ambient, begin_run

__all__ = ["traced_invoke", "traced_transform", "close"]

T = TypeVar("T")


async def traced_invoke(
    config: RunnableConfig | None,
    name: str,
    run_type: str,
    input: Any,
    body: Callable[[RunScope], Awaitable[T]],
    *,
    metadata: Mapping[str, Any] | None = None,
    start_input: Any = MISSING,
) -> T:
    """Run ``body(scope)`` as one run on ``input``; ``start_input`` overrides what events show."""
    scope = begin_run(ensure_config(config), name, run_type, metadata=metadata)
    async with scope.reporting(input if start_input is MISSING else start_input) as report:
        with ambient(scope.child_config()):
            report.output = output = await body(scope)
    return output


async def traced_transform(
    chunks: AsyncIterator[Any],
    config: RunnableConfig | None,
    name: str,
    run_type: str,
    body: Callable[[AsyncIterator[Any], RunScope], AsyncIterator[T]],
) -> AsyncIterator[T]:
    """Run ``body(input_stream, scope)`` as one run that streams (see the module docstring)."""
    source = chunks.__aiter__()
    first = await anext(source, MISSING)
    scope = begin_run(ensure_config(config), name, run_type)
    if not scope.traced:
        async for chunk in _untraced(first, source, scope, body):
            yield chunk
        return
    seen = Accumulator()

    async def inputs() -> AsyncIterator[Any]:
        if first is MISSING:
            return
        seen.add(first)
        yield first
        async for chunk in source:
            seen.add(chunk)
            yield chunk

    total = Accumulator()
    try:
        async with scope.reporting(NO_INPUT) as report:
            try:
                async with aclosing(inputs()) as stream_in:
                    async with aclosing(body(stream_in, scope)) as outputs:
                        async for chunk in outputs:
                            total.add(chunk)
                            await scope.stream(chunk)
                            yield chunk
                    async for _ in stream_in:  # the rest of the input, for the end event
                        pass
            finally:
                report.input = seen.result()
            report.output = total.result()
    finally:
        await close(source)


async def _untraced(
    first: Any,
    source: AsyncIterator[Any],
    scope: RunScope,
    body: Callable[[AsyncIterator[Any], RunScope], AsyncIterator[T]],
) -> AsyncIterator[T]:
    """:func:`traced_transform` with nobody watching: no sums, no events."""

    async def inputs() -> AsyncIterator[Any]:
        if first is MISSING:
            return
        yield first
        async for chunk in source:
            yield chunk

    try:
        async with aclosing(inputs()) as stream_in, aclosing(body(stream_in, scope)) as outputs:
            async for chunk in outputs:
                yield chunk
    finally:
        await close(source)


async def close(iterator: Any) -> None:
    """Close an async generator (a no-op for other iterators), as ``aclosing`` would."""
    closer = getattr(iterator, "aclose", None)
    if closer is not None:
        await closer()
