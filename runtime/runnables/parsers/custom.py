"""``BaseOutputParser``: the base of a parser written LangChain's way — implement ``parse(text)``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ...messages import BaseMessage
from .base import BaseTransformOutputParser, text_of

__all__ = ["BaseOutputParser"]


class BaseOutputParser(BaseTransformOutputParser[Any]):
    """A parser of whole texts: subclasses implement :meth:`parse`.

    Streamed into, it parses once, when its input is complete (as LangChain's).
    """

    def get_format_instructions(self) -> str:
        """Instructions for the model about the output format (none by default)."""
        raise NotImplementedError(f"{type(self).__name__} has no format instructions")

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[Any]:
        total: Any = None
        async for chunk in inputs:
            total = chunk if total is None else total + chunk
        if total is not None:
            yield self.parse(text_of(total) if isinstance(total, (BaseMessage, str)) else total)
