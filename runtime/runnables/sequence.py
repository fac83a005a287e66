"""``a | b | c``: a sequence of steps, each fed the previous step's output.

Invoked, the steps run one after another. Streamed, they form a pipeline of
generators in one task: the last step pulls from the one before it, so a step
that transforms its input chunk by chunk (a parser, a generator function)
passes chunks on as they come, and a step that needs its whole input (a plain
function, a chat model) collects it first — output streams again from the
last such step on. Step ``i``'s run is tagged ``seq:step:i``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ..tracing.scope import RunScope
from .base import In, Out, Runnable
from .parallel import coerce_to_runnable
from .transform import TransformRunnable, close

__all__ = ["RunnableSequence", "coerce_to_runnable"]


class RunnableSequence(TransformRunnable[In, Out]):
    """Steps run in order, each on the previous one's output; ``|`` builds one
    (``RunnableSequence[In, Out]`` types it).

    Nested sequences are flattened, so ``(a | b) | c`` has the steps ``a, b, c``.
    """

    def __init__(self, *steps: Any, name: str | None = None) -> None:
        flat: list[Runnable[Any, Any]] = []
        for step in steps:
            runnable = coerce_to_runnable(step)
            if type(runnable) is RunnableSequence and runnable.name is None:
                flat.extend(runnable.steps)
            else:
                flat.append(runnable)
        if len(flat) < 2:
            raise ValueError(f"RunnableSequence needs at least 2 steps, got {len(flat)}")
        self.steps: list[Runnable[Any, Any]] = flat
        self.name = name

    @property
    def first(self) -> Runnable[Any, Any]:
        return self.steps[0]

    @property
    def last(self) -> Runnable[Any, Any]:
        return self.steps[-1]

    def __repr__(self) -> str:
        return " | ".join(repr(step) for step in self.steps)

    def __or__(self, other: Any) -> RunnableSequence[In, Any]:
        return RunnableSequence(*self.steps, coerce_to_runnable(other), name=self.name)

    def __ror__(self, other: Any) -> RunnableSequence[Any, Out]:
        return RunnableSequence(coerce_to_runnable(other), *self.steps, name=self.name)

    async def _invoke(self, input: Any, scope: RunScope, **kwargs: Any) -> Any:
        value = input
        for index, step in enumerate(self.steps):
            value = await step.ainvoke(value, scope.child_config(f"seq:step:{index + 1}"), **(kwargs if index == 0 else {}))
        return value

    async def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[Any]:
        """A pipeline of the steps' generators: the last pulls from the one before it."""
        stream = inputs
        for index, step in enumerate(self.steps):
            config = scope.child_config(f"seq:step:{index + 1}")
            stream = step._transform_chunks(stream, config, **(kwargs if index == 0 else {}))
        try:
            async for chunk in stream:
                yield chunk
        finally:
            await close(stream)
