"""``runnable.with_retry(...)``: invoke again when the runnable raises.

As langchain-core's ``RunnableRetry``: the retry is a chain run named after the
runnable, and each attempt is a child run of it — the second and later tagged
``retry:attempt:N``. Between attempts it waits ``initial * exp_base ** (n - 1)``
seconds plus a random jitter up to ``jitter`` (tenacity's exponential jitter,
defaults 1, 2 and 1, capped at ``max``), unless ``wait_exponential_jitter=False``.
The last attempt's error comes out as itself.

Only invoking (and batching) retries: streaming goes straight to the runnable,
once, as in langchain-core — chunks already handed on cannot be taken back.
"""

from __future__ import annotations

import random
import sys
from collections.abc import AsyncIterator, Mapping
from typing import Any

import trio

from ..core.config import RunnableConfig
from ..tracing.scope import RunScope
from .base import In, Out, Runnable
from .transform import TransformRunnable

__all__ = ["RunnableRetry"]

_JITTER_DEFAULTS = {"initial": 1.0, "max": sys.maxsize / 2, "exp_base": 2.0, "jitter": 1.0}


class RunnableRetry(TransformRunnable[In, Out]):
    """``bound`` retried on failure; what :meth:`Runnable.with_retry` returns.

    Args:
        bound: the runnable to call.
        retry_exception_types: the exceptions worth another attempt (others come out at once;
            cancellation is never retried).
        wait_exponential_jitter: wait between attempts (see the module docstring).
        exponential_jitter_params: ``initial``, ``max``, ``exp_base``, ``jitter`` overrides.
        max_attempt_number: attempts in all, the first included.
    """

    def __init__(
        self,
        bound: Runnable[In, Out],
        *,
        retry_exception_types: tuple[type[BaseException], ...] = (Exception,),
        wait_exponential_jitter: bool = True,
        exponential_jitter_params: Mapping[str, float] | None = None,
        max_attempt_number: int = 3,
    ) -> None:
        if max_attempt_number < 1:
            raise ValueError(f"with_retry(stop_after_attempt={max_attempt_number}) needs at least 1 attempt")
        unknown = set(exponential_jitter_params or {}) - set(_JITTER_DEFAULTS)
        if unknown:
            raise TypeError(f"exponential_jitter_params: unknown key(s) {sorted(unknown)}; use {sorted(_JITTER_DEFAULTS)}")
        self.bound = bound
        self.retry_exception_types = tuple(retry_exception_types)
        self.wait_exponential_jitter = wait_exponential_jitter
        self.jitter_params = {**_JITTER_DEFAULTS, **(exponential_jitter_params or {})}
        self.max_attempt_number = max_attempt_number
        self.name = None

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        return self.bound.get_name(suffix, name=name or self.name)

    def __repr__(self) -> str:
        return f"RunnableRetry(bound={self.bound!r}, max_attempt_number={self.max_attempt_number})"

    def wait_after(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if not self.wait_exponential_jitter:
            return 0.0
        params = self.jitter_params
        wait = params["initial"] * params["exp_base"] ** (attempt - 1) + random.uniform(0, params["jitter"])
        return max(0.0, min(wait, params["max"]))

    async def _invoke(self, input: In, scope: RunScope, **kwargs: Any) -> Out:
        attempt = 1
        while True:
            config = scope.child_config(f"retry:attempt:{attempt}" if attempt > 1 else None)
            try:
                return await self.bound.ainvoke(input, config, **kwargs)
            except Exception as error:
                if attempt >= self.max_attempt_number or not isinstance(error, self.retry_exception_types):
                    raise
            wait = self.wait_after(attempt)
            if wait:
                await trio.sleep(wait)
            attempt += 1

    # Streaming is the bound runnable's own, once (as langchain-core).
    def _stream_chunks(self, input: In, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Out]:
        return self.bound._stream_chunks(input, config, **kwargs)

    def _transform_chunks(
        self, chunks: AsyncIterator[In], config: RunnableConfig | None, **kwargs: Any
    ) -> AsyncIterator[Out]:
        return self.bound._transform_chunks(chunks, config, **kwargs)

    def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Out]:
        raise AssertionError("unreachable: streaming goes to the bound runnable")  # pragma: no cover
