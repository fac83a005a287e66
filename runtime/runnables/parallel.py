"""``RunnableParallel``: several runnables on the same input, concurrently.

Invoked, every branch runs as an actor under a :class:`~actors.Supervisor`
(the first failure cancels the others and comes out as itself) and the output
is a dict in branch order. Streamed, the branches' chunks come out as they are
produced, each as a one-key :class:`AddableDict` — adding them all up gives
the invoked output. Branch ``k``'s run is tagged ``map:key:k``.

Deliberate difference from LangChain: streamed into, a parallel step waits for
its whole input before starting its branches (LangChain tees the input stream
into every branch). Its output still streams.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from actors import Supervisor

from ..core.config import RunnableConfig
from ..tracing.scope import RunScope
from ._merge import merge
from .base import In, Runnable
from .chunks import MISSING, collect
from .lambdas import RunnableGenerator, RunnableLambda
from .transform import TransformRunnable

__all__ = ["RunnableParallel", "AddableDict", "coerce_to_runnable"]


class AddableDict(dict[str, Any]):
    """A dict that adds key by key: ``{"a": "x"} + {"a": "y", "b": 1} == {"a": "xy", "b": 1}``."""

    def __add__(self, other: Mapping[str, Any]) -> AddableDict:
        merged = AddableDict(self)
        for key, value in other.items():
            old = merged.get(key)
            if old is None:
                merged[key] = value
            elif value is not None:
                try:
                    merged[key] = old + value
                except TypeError:
                    merged[key] = value
        return merged

    def __radd__(self, other: Mapping[str, Any]) -> AddableDict:
        return AddableDict(other) + self


class RunnableParallel(TransformRunnable[In, dict[str, Any]]):
    """Run every branch on the same input; output ``{key: branch output}``
    (``RunnableParallel[In]`` types its input).

    Args:
        steps: a dict of runnables, functions or dicts (coerced like ``|`` operands).
        **kwargs: more branches by keyword.
    """

    def __init__(self, steps: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        merged = {**(steps or {}), **kwargs}
        self.steps: dict[str, Runnable[Any, Any]] = {key: coerce_to_runnable(v) for key, v in merged.items()}
        self.name = None

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        return name or self.name or f"RunnableParallel<{','.join(self.steps)}>"

    def __repr__(self) -> str:
        return f"{{{', '.join(f'{k}: {v!r}' for k, v in self.steps.items())}}}"

    async def _invoke(self, input: Any, scope: RunScope, **kwargs: Any) -> dict[str, Any]:
        results: dict[str, Any] = {}

        async def branch(key: str, step: Runnable[Any, Any]) -> None:
            results[key] = await step.ainvoke(input, scope.child_config(f"map:key:{key}"))

        async with Supervisor(self.get_name()) as supervisor:
            for key, step in self.steps.items():
                supervisor.spawn(key, branch, key, step)
        return {key: results[key] for key in self.steps}

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        final = await collect(inputs)
        if final is MISSING:
            return
        sources = {key: _branch(step, final, scope.child_config(f"map:key:{key}")) for key, step in self.steps.items()}
        merged = merge(sources)
        try:
            async for key, chunk in merged:
                yield AddableDict({key: chunk})
        finally:
            await merged.aclose()


def _branch(step: Runnable[Any, Any], input: Any, config: RunnableConfig) -> Callable[[], AsyncIterator[Any]]:
    return lambda: step._stream_chunks(input, config)


def coerce_to_runnable(thing: Any) -> Runnable[Any, Any]:
    """A runnable from a runnable, a function (a generator function becomes a
    :class:`RunnableGenerator`) or a dict of those (a :class:`RunnableParallel`,
    whose values are coerced in turn — which is why this lives here).

    Raises:
        TypeError: ``thing`` is none of these.
    """
    if isinstance(thing, Runnable):
        return thing
    if isinstance(thing, Mapping):
        return RunnableParallel(dict(thing))
    if callable(thing):
        if inspect.isasyncgenfunction(thing) or inspect.isgeneratorfunction(thing):
            return RunnableGenerator(thing)
        return RunnableLambda(thing)
    raise TypeError(
        f"Expected a Runnable, callable or dict, got {type(thing).__name__} {thing!r}; "
        "wrap constants in a function (lambda _: value)"
    )
