"""``CommaSeparatedListOutputParser``: a model's comma-separated text as a list, item by item when streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from ...messages import BaseMessage
from .base import BaseTransformOutputParser

__all__ = ["CommaSeparatedListOutputParser"]


class CommaSeparatedListOutputParser(BaseTransformOutputParser[list[str]]):
    """``"a, b, c"`` → ``["a", "b", "c"]`` (CSV quoting respected); streamed, each completed
    item as a one-item list, as LangChain's list parsers stream."""

    def get_format_instructions(self) -> str:
        return "Your response should be a list of comma separated values, eg: `foo, bar, baz` or `foo,bar,baz`"

    def parse(self, text: str) -> list[str]:
        try:
            reader = csv.reader(io.StringIO(text), quotechar='"', delimiter=",", skipinitialspace=True)
            return [item for row in reader for item in row]
        except csv.Error:
            return [part.strip() for part in text.split(",")]

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[list[str]]:
        buffer = ""
        async for chunk in inputs:
            if isinstance(chunk, BaseMessage):
                if not isinstance(chunk.content, str):
                    continue
                buffer += chunk.content
            else:
                buffer += chunk
            parts = self.parse(buffer)
            if len(parts) > 1:
                for part in parts[:-1]:
                    yield [part]
                buffer = parts[-1]
        for part in self.parse(buffer):
            yield [part]
