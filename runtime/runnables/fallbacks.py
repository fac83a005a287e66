"""``runnable.with_fallbacks([...])``: when a runnable fails, try the next one.

As langchain-core's ``RunnableWithFallbacks``: one chain run named
``RunnableWithFallbacks`` holds the attempts (untagged child runs). An error of
a type in ``exceptions_to_handle`` moves on to the next runnable; any other
error comes out at once; when every runnable fails, the *first* error comes
out. With ``exception_key``, the input must be a dict and each later runnable
gets it with the previous error under that key.

Streamed, a runnable counts as failed only if it raises before its first chunk;
after that its chunks are the output and a later error comes out as itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from ..core.config import RunnableConfig
from ..tracing.scope import RunScope
from .base import In, Out, Runnable
from .chunks import MISSING, collect
from .parallel import coerce_to_runnable
from .transform import TransformRunnable, close

__all__ = ["RunnableWithFallbacks"]


class RunnableWithFallbacks(TransformRunnable[In, Out]):
    """``runnable``, then each of ``fallbacks`` while they fail (see the module docstring).

    Attributes:
        runnable: tried first.
        fallbacks: tried in order after it.
        exceptions_to_handle: the error types that move on to the next runnable.
        exception_key: the input key that passes the previous error on (``None``: not passed).
    """

    def __init__(
        self,
        runnable: Runnable[In, Out],
        fallbacks: Sequence[Runnable[In, Out]],
        *,
        exceptions_to_handle: tuple[type[BaseException], ...] = (Exception,),
        exception_key: str | None = None,
    ) -> None:
        self.runnable = coerce_to_runnable(runnable)
        self.fallbacks = [coerce_to_runnable(fallback) for fallback in fallbacks]
        self.exceptions_to_handle = tuple(exceptions_to_handle)
        self.exception_key = exception_key
        self.name = None

    @property
    def runnables(self) -> Iterator[Runnable[In, Out]]:
        """The runnable, then its fallbacks."""
        yield self.runnable
        yield from self.fallbacks

    def __repr__(self) -> str:
        return f"RunnableWithFallbacks(runnable={self.runnable!r}, fallbacks={self.fallbacks!r})"

    def _check(self, input: Any) -> None:
        if self.exception_key is not None and not isinstance(input, dict):
            raise TypeError(
                f"with_fallbacks(exception_key={self.exception_key!r}) needs a dict input, got {type(input).__name__}"
            )

    def _handles(self, error: Exception) -> bool:
        return isinstance(error, self.exceptions_to_handle)

    def _next_input(self, input: Any, error: Exception) -> Any:
        return {**input, self.exception_key: error} if self.exception_key is not None else input

    async def ainvoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        self._check(input)  # the caller's mistake, before the run starts
        return await super().ainvoke(input, config, **kwargs)

    async def _invoke(self, input: In, scope: RunScope, **kwargs: Any) -> Out:
        first_error: Exception | None = None
        value: Any = input
        for runnable in self.runnables:
            try:
                return await runnable.ainvoke(value, scope.child_config(), **kwargs)
            except Exception as error:
                if not self._handles(error):
                    raise
                first_error = first_error or error
                value = self._next_input(value, error)
        assert first_error is not None
        raise first_error

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Out]:
        value = await collect(inputs)
        if value is MISSING:
            return
        self._check(value)
        first_error: Exception | None = None
        for runnable in self.runnables:
            stream = runnable._stream_chunks(value, scope.child_config(), **kwargs)
            try:
                try:
                    first = await anext(stream, MISSING)
                except Exception as error:
                    if not self._handles(error):
                        raise
                    first_error = first_error or error
                    value = self._next_input(value, error)
                    continue
                if first is not MISSING:
                    yield first
                    async for chunk in stream:
                        yield chunk
                return
            finally:
                await close(stream)
        assert first_error is not None
        raise first_error
