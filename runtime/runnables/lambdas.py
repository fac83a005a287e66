"""Functions as runnables: ``RunnableLambda``, ``RunnableGenerator`` and ``@chain``.

``RunnableLambda(f)`` calls ``f`` on its *whole* input: streamed into, it waits
for every input chunk before calling — the "breaking the stream" step of the
seeds. A generator ``f`` still streams what it yields. If ``f`` returns a
runnable, that runnable runs on the same input.

``RunnableGenerator(g)`` hands ``g`` the input *stream* (an async iterator for an
async generator, an iterator for a sync one), so it can transform chunk by
chunk; ``runnable | g`` makes one of a generator function, as LangChain does.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, final

import trio

from ..core.callables import UserFunction, function_name, sync_iterate
from ..core.config import RunnableConfig, in_config
from ..tracing.scope import RunScope
from .base import In, Out, Runnable
from .chunks import MISSING, Accumulator, collect
from .transform import TransformRunnable

__all__ = ["RunnableLambda", "RunnableGenerator", "chain"]


class RunnableLambda(TransformRunnable[In, Out]):
    """A function (sync or async, plain or generator) as a runnable; ``RunnableLambda[In, Out]``
    types it.

    Keyword arguments of the call (and those bound with :meth:`bind`) are passed to
    the function, as langchain-core does.

    Args:
        func: called with the input; may declare ``config`` / ``writer`` / ``callbacks``.
        afunc: an async twin of a sync ``func``, used instead of it.
        name: the run name (default: the function's name, ``RunnableLambda`` for a lambda).
    """

    def __init__(self, func: Callable[..., Any], afunc: Callable[..., Any] | None = None, name: str | None = None) -> None:
        if not callable(func):
            raise TypeError(f"RunnableLambda needs a callable, got {type(func).__name__}")
        self.func = func
        self._function = UserFunction(afunc if afunc is not None else func)
        self.name = name or function_name(func)

    def __repr__(self) -> str:
        return f"RunnableLambda({self.name})"

    def _with(self, kwargs: dict[str, Any]) -> UserFunction:
        # Call keyword arguments are rare: prepare a function for them only then.
        if not kwargs:
            return self._function
        return UserFunction(functools.partial(self._function.func, **kwargs))

    async def _invoke(self, input: Any, scope: RunScope, **kwargs: Any) -> Any:
        child = scope.child_config()
        function = self._with(kwargs) if kwargs else self._function
        if function.streams:
            total = Accumulator()
            async for chunk in function.iterate(input, child):
                total.add(chunk)
            return total.result()
        output = await function.call(input, child)
        if isinstance(output, Runnable):
            return await output.ainvoke(input, child)
        return output

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        final = await collect(inputs)
        if final is MISSING:
            return
        child = scope.child_config()
        function = self._with(kwargs) if kwargs else self._function
        if function.streams:
            async for chunk in function.iterate(final, child):
                yield chunk
            return
        output = await function.call(final, child)
        if isinstance(output, Runnable):
            async for chunk in output._stream_chunks(final, child):
                yield chunk
        else:
            yield output


class RunnableGenerator(TransformRunnable[In, Out]):
    """A generator function over the input stream, as a runnable (``RunnableGenerator[In, Out]``).
    Keyword arguments of the call (and bound ones) are passed to the function.

    Args:
        transform: ``g(input_chunks)`` yielding output chunks; sync or async.
        atransform: an async twin of a sync ``transform``, used instead of it.
        name: the run name (default: the function's name).
    """

    def __init__(
        self, transform: Callable[..., Any], atransform: Callable[..., Any] | None = None, name: str | None = None
    ) -> None:
        self._function = UserFunction(atransform if atransform is not None else transform)
        if not self._function.streams:
            raise TypeError(f"RunnableGenerator needs a generator function, got {transform!r}")
        self.name = name or function_name(transform)

    def __repr__(self) -> str:
        return f"RunnableGenerator({self.name})"

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """The sum of what the generator yields for ``input`` (one run over a one-chunk stream)."""
        total = Accumulator()
        async for chunk in self._stream_chunks(input, config, **kwargs):
            total.add(chunk)
        return total.result()

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        # Call keyword arguments (bound ones too) reach the function, as in langchain-core.
        function, child = self._function, scope.child_config()
        if function.inject:
            kwargs = {**kwargs, **function.injected(child)}
        if function.is_async_gen:
            async for chunk in in_config(function.func(inputs, **kwargs), child):
                yield chunk
            return
        async for chunk in sync_iterate(function.func(_ThreadInput(inputs), **kwargs), child):
            yield chunk


@final
class _ThreadInput(Iterator[Any]):
    """The input stream as a sync iterator, for a sync generator running in a worker thread."""

    __slots__ = ("_source",)

    def __init__(self, source: AsyncIterator[Any]) -> None:
        self._source = source

    def __next__(self) -> Any:
        chunk = trio.from_thread.run(anext, self._source, MISSING)
        if chunk is MISSING:
            raise StopIteration
        return chunk


def chain(func: Callable[..., Any]) -> RunnableLambda[Any, Any]:
    """Decorate a function to make it a runnable (``@chain``), named after the function."""
    return RunnableLambda(func)
