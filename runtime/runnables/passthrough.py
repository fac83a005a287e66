"""``RunnablePassthrough``: the input, unchanged; ``RunnableAssign`` adds keys to a dict
input (``.assign()``) and ``RunnablePick`` keeps some of its keys (``.pick()``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TypeVar

from ..core.callables import UserFunction
from ..core.config import RunnableConfig
from ..tracing.scope import RunScope
from .chunks import MISSING, Accumulator, collect
from .parallel import AddableDict, RunnableParallel
from .transform import TransformRunnable

__all__ = ["RunnablePassthrough", "RunnableAssign", "RunnablePick"]

Other = TypeVar("Other")


class RunnablePassthrough(TransformRunnable[Other, Other]):
    """Pass the input through; streamed into, pass every chunk on as it comes
    (``RunnablePassthrough[T]`` types it).

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

    async def _invoke(self, input: Other, scope: RunScope, **kwargs: Any) -> Other:
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

    def __init__(self, mapper: RunnableParallel[Any]) -> None:
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


class RunnablePick(TransformRunnable[dict[str, Any], Any]):
    """Keys of a dict input: one key gives its value (``None`` if absent); a list of
    keys gives an ``AddableDict`` of those present (``None`` if none is).

    Streamed into, it picks from each chunk and passes on what is not ``None``.
    """

    def __init__(self, keys: str | Sequence[str]) -> None:
        self.keys: str | list[str] = keys if isinstance(keys, str) else list(keys)
        self.name = None

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        keys = self.keys if isinstance(self.keys, str) else ",".join(self.keys)
        return name or self.name or f"RunnablePick<{keys}>"

    def __repr__(self) -> str:
        return f"RunnablePick({self.keys!r})"

    def _pick(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"{self.get_name()} needs a dict input, got {type(value).__name__}")
        if isinstance(self.keys, str):
            return value.get(self.keys)
        picked = {key: value[key] for key in self.keys if key in value}
        return AddableDict(picked) if picked else None

    async def _invoke(self, input: dict[str, Any], scope: RunScope, **kwargs: Any) -> Any:
        return self._pick(input)

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        async for chunk in inputs:
            picked = self._pick(chunk)
            if picked is not None:
                yield picked
