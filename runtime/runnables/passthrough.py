"""``RunnablePassthrough``: the input, unchanged (and ``.assign()`` to add keys to it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from ..core.callables import UserFunction
from ..core.config import RunnableConfig
from ..tracing.scope import RunScope
from .chunks import MISSING, Accumulator, collect
from .parallel import AddableDict, RunnableParallel
from .transform import TransformRunnable

__all__ = ["RunnablePassthrough", "RunnableAssign"]


class RunnablePassthrough(TransformRunnable[Any, Any]):
    """Pass the input through; streamed into, pass every chunk on as it comes.

    Args:
        func: optionally called with the (whole) input for its side effect.
        afunc: an async twin of a sync ``func``.
    """

    def __init__(self, func: Callable[..., Any] | None = None, afunc: Callable[..., Any] | None = None) -> None:
        chosen = afunc if afunc is not None else func
        self._function = UserFunction(chosen) if chosen is not None else None
        self.name = None

    @classmethod
    def assign(cls, **kwargs: Any) -> RunnableAssign:
        """A runnable that adds ``kwargs``' outputs (run in parallel on the input dict) to the input dict."""
        return RunnableAssign(RunnableParallel(kwargs))

    async def _invoke(self, input: Any, scope: RunScope, **kwargs: Any) -> Any:
        if self._function is not None:
            await self._function.call(input, scope.child_config())
        return input

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        total = Accumulator()
        async for chunk in inputs:
            total.add(chunk)
            yield chunk
        if self._function is not None and total.value is not MISSING:
            await self._function.call(total.value, scope.child_config())


class RunnableAssign(TransformRunnable[dict[str, Any], dict[str, Any]]):
    """The input dict plus the outputs of ``mapper`` run on it (``RunnablePassthrough.assign``)."""

    def __init__(self, mapper: RunnableParallel) -> None:
        self.mapper = mapper
        self.name = None

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        return name or self.name or f"RunnableAssign<{','.join(self.mapper.steps)}>"

    async def ainvoke(self, input: dict[str, Any], config: RunnableConfig | None = None, **kwargs: Any) -> dict[str, Any]:
        _require_dict(input)  # before the run starts: a wrong input is the caller's error, not the run's
        return await super().ainvoke(input, config, **kwargs)

    async def _invoke(self, input: dict[str, Any], scope: RunScope, **kwargs: Any) -> dict[str, Any]:
        return {**input, **await self.mapper.ainvoke(input, scope.child_config())}

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        final = await collect(inputs)
        if final is MISSING:
            return
        _require_dict(final)
        yield AddableDict(final)
        async for chunk in self.mapper._stream_chunks(final, scope.child_config()):
            yield chunk


def _require_dict(value: Any) -> None:
    if not isinstance(value, dict):
        raise TypeError(f"RunnablePassthrough.assign() needs a dict input, got {type(value).__name__}")
