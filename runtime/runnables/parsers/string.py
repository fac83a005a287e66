"""``StrOutputParser``: a model's text, chunk by chunk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from .base import BaseTransformOutputParser, text_of

__all__ = ["StrOutputParser"]


class StrOutputParser(BaseTransformOutputParser[str]):
    """The text of each message chunk (empty chunks included, as LangChain)."""

    def parse(self, text: str) -> str:
        return text

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[str]:
        async for chunk in inputs:
            yield text_of(chunk)
