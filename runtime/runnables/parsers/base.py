"""Output parsers: runnables that turn a model's output into something else.

A parser is a ``parser`` run. Invoked, it parses its whole input. Streamed into,
it is a transform: it starts once its first input chunk arrives, reports each
parsed chunk as ``on_parser_stream``, and ends with the sum of its input chunks
as ``data.input`` — so ``model | parser`` streams parsed output as the model
produces tokens.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from ...core.errors import OutputParserException
from ...messages import BaseMessage
from ...tracing.scope import RunScope
from ..transform import TransformRunnable

__all__ = ["BaseTransformOutputParser", "OutputParserException", "text_of"]

T = TypeVar("T")


def text_of(value: Any) -> str:
    """The text of a message (its string content and text blocks) or of a string."""
    if isinstance(value, BaseMessage):
        return str(value.text)  # a plain str, not the callable TextAccessor
    if isinstance(value, str):
        return value
    raise TypeError(f"an output parser takes a message or a string, got {type(value).__name__}")


class BaseTransformOutputParser(TransformRunnable[Any, T]):
    """A parser that can parse its input chunk by chunk (``BaseTransformOutputParser[T]``
    for one whose output is a ``T``).

    Subclasses implement :meth:`parse` (a whole text) and :meth:`_parse_stream`
    (an async generator from input chunks to output chunks).
    """

    run_type = "parser"

    @abstractmethod
    def parse(self, text: str) -> T:
        """Parse a whole text."""

    @abstractmethod
    def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[T]:
        """Parse input chunks as they come."""

    async def _invoke(self, input: Any, scope: RunScope, **kwargs: Any) -> T:
        return self.parse(text_of(input))

    def _transform(self, inputs: AsyncIterator[Any], scope: RunScope, **kwargs: Any) -> AsyncIterator[T]:
        return self._parse_stream(inputs)
