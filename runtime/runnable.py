"""The Runnable protocol every component (and every compiled graph) implements.

Subclasses implement :meth:`Runnable.ainvoke` and, if they produce output
incrementally, :meth:`Runnable._astream`. Everything else derives from those
two: the sync methods run the async ones (see :mod:`runtime._sync`), and
``astream`` wraps the generator in a :class:`SafeStream` so that leaving it early
always cancels cleanly.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import trio

from actors import Mailbox

from ._sync import iterate_sync, run_sync
from .config import RunnableConfig, merge_configs
from .safe_stream import SafeStream
from .stream import DEFAULT_STREAM_BUFFER

__all__ = ["Runnable", "RunnableBinding"]

In = TypeVar("In")
Out = TypeVar("Out")


class Runnable(ABC, Generic[In, Out]):
    """A unit of work with LangChain's calling conventions."""

    name: str | None = None

    def get_name(self) -> str:
        """The run name used in events: ``name`` if set, else the class name."""
        return self.name or type(self).__name__

    @abstractmethod
    async def ainvoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        """Run on ``input`` and return the output."""

    async def _astream(self, input: In, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Out]:
        """Yield output chunks; the default yields the whole output once."""
        yield await self.ainvoke(input, config, **kwargs)

    def astream(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> SafeStream[Out]:
        """Stream output chunks. Use ``async with ... as s: async for c in s`` or plain ``async for``.

        Lazy: nothing runs until the first chunk is requested.
        """
        mailbox: Mailbox[Any] = Mailbox(DEFAULT_STREAM_BUFFER)

        async def produce() -> None:
            async for chunk in self._astream(input, config, **kwargs):
                if not mailbox.put_nowait(chunk):
                    await mailbox.put(chunk)

        return SafeStream(produce, mailbox)

    def invoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        """Synchronous :meth:`ainvoke` (refuses to run on a trio thread)."""
        return run_sync("invoke", functools.partial(self.ainvoke, input, config, **kwargs))

    def stream(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Out]:
        """Synchronous :meth:`astream` (refuses to run on a trio thread)."""
        return iterate_sync("stream", lambda: self.astream(input, config, **kwargs))

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

        async def one(index: int) -> None:
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
        from actors import Supervisor

        async with Supervisor(f"{self.get_name()}.batch") as supervisor:
            for index in range(len(inputs)):
                supervisor.spawn(f"{self.get_name()}[{index}]", one, index)
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

    def with_config(self, config: RunnableConfig | None = None, **kwargs: Any) -> RunnableBinding[In, Out]:
        """This runnable with ``config`` (and keyword config keys) merged into every call."""
        return RunnableBinding(self, merge_configs(config, kwargs))


class RunnableBinding(Runnable[In, Out]):
    """A runnable with config bound to it (what :meth:`Runnable.with_config` returns)."""

    def __init__(self, bound: Runnable[In, Out], config: Mapping[str, Any]) -> None:
        self.bound = bound
        self.config: RunnableConfig = dict(config)  # type: ignore[assignment]
        self.name = self.config.get("run_name") or bound.get_name()

    def _merged(self, config: RunnableConfig | None) -> RunnableConfig:
        return merge_configs(self.config, config)

    async def ainvoke(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> Out:
        return await self.bound.ainvoke(input, self._merged(config), **kwargs)

    def astream(self, input: In, config: RunnableConfig | None = None, **kwargs: Any) -> SafeStream[Out]:
        return self.bound.astream(input, self._merged(config), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bound, name)


def _per_input_configs(config: Any, count: int) -> list[RunnableConfig]:
    if config is None:
        return [{} for _ in range(count)]  # type: ignore[misc]
    if isinstance(config, Sequence):
        if len(config) != count:
            raise ValueError(f"batch got {len(config)} configs for {count} inputs; give one config or one per input")
        return list(config)
    return [config for _ in range(count)]
