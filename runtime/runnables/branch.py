"""``RunnableBranch((condition, runnable), ..., default)``: the first branch whose condition holds.

As langchain-core: one chain run named ``RunnableBranch``; each condition is a
child run tagged ``condition:N`` (called on the input, in order, until one is
truthy), and the chosen runnable a child run tagged ``branch:N`` — or
``branch:default`` when no condition holds. Streamed, the chosen runnable's
output streams.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from ..tracing.scope import RunScope
from .base import In, Out, Runnable
from .chunks import MISSING, collect
from .parallel import coerce_to_runnable
from .transform import TransformRunnable

__all__ = ["RunnableBranch"]


class RunnableBranch(TransformRunnable[In, Out]):
    """Pick a runnable by condition.

    Args:
        *branches: ``(condition, runnable)`` pairs, then the default runnable last.
            Conditions and runnables may be runnables, functions or dicts of them.

    Raises:
        ValueError: fewer than two arguments, or a branch that is not a pair.
        TypeError: a condition, runnable or default that cannot be a runnable.
    """

    def __init__(self, *branches: tuple[Any, Any] | Any) -> None:
        if len(branches) < 2:
            raise ValueError(f"RunnableBranch needs at least one (condition, runnable) pair and a default, got {len(branches)} argument(s)")
        *pairs, default = branches
        if not isinstance(default, (Runnable, Callable, Mapping)):  # type: ignore[arg-type]
            raise TypeError(f"RunnableBranch's default (its last argument) must be a runnable, callable or dict, got {type(default).__name__}")
        self.branches: list[tuple[Runnable[In, Any], Runnable[In, Out]]] = []
        for index, pair in enumerate(pairs, start=1):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                size = len(pair) if isinstance(pair, (tuple, list)) else type(pair).__name__
                raise ValueError(f"RunnableBranch branch {index} must be a (condition, runnable) pair, got {size}")
            self.branches.append((coerce_to_runnable(pair[0]), coerce_to_runnable(pair[1])))
        self.default: Runnable[In, Out] = coerce_to_runnable(default)
        self.name = None

    def __repr__(self) -> str:
        return f"RunnableBranch({self.branches!r}, default={self.default!r})"

    async def _choose(self, input: In, scope: RunScope) -> tuple[Runnable[In, Out], str]:
        for index, (condition, runnable) in enumerate(self.branches, start=1):
            if await condition.ainvoke(input, scope.child_config(f"condition:{index}")):
                return runnable, f"branch:{index}"
        return self.default, "branch:default"

    async def _invoke(self, input: In, scope: RunScope, **kwargs: Any) -> Out:
        runnable, tag = await self._choose(input, scope)
        return await runnable.ainvoke(input, scope.child_config(tag), **kwargs)

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Out]:
        value = await collect(inputs)
        if value is MISSING:
            return
        runnable, tag = await self._choose(value, scope)
        async for chunk in runnable._stream_chunks(value, scope.child_config(tag), **kwargs):
            yield chunk
