"""List parsers: a model's comma-separated, numbered or Markdown list as a list of strings,
item by item when streamed.

Streaming yields each *completed* item as a one-item list, as LangChain's list parsers do:
an item is complete once the text after it has started the next one, so the last item
comes out when the input ends. A parser with a ``parse_iter`` (a regular expression over
the text) cuts the buffer at the end of each completed match; one without it (the comma
parser) re-parses the buffer and keeps the unfinished last part.
"""

from __future__ import annotations

import abc
import csv
import io
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from ...messages import BaseMessage
from .base import BaseTransformOutputParser

__all__ = [
    "CommaSeparatedListOutputParser",
    "ListOutputParser",
    "MarkdownListOutputParser",
    "NumberedListOutputParser",
]


class ListOutputParser(BaseTransformOutputParser[list[str]]):
    """Base class of the list parsers: ``parse`` gives every item; ``parse_iter`` (optional)
    gives a match per item whose group 1 is the item, which lets streaming cut the text
    at item boundaries."""

    @abc.abstractmethod
    def parse(self, text: str) -> list[str]:
        """Every item of ``text``."""

    def parse_iter(self, text: str) -> Iterator[re.Match[str]]:
        """A match per item of ``text`` (group 1 is the item); not every parser has it."""
        raise NotImplementedError

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[list[str]]:
        buffer = ""
        async for chunk in inputs:
            if isinstance(chunk, BaseMessage):
                if not isinstance(chunk.content, str):
                    continue
                buffer += chunk.content
            else:
                buffer += chunk
            items, buffer = self._completed(buffer)
            for item in items:
                yield [item]
        for part in self.parse(buffer):
            yield [part]

    def _completed(self, buffer: str) -> tuple[list[str], str]:
        """The completed items of ``buffer`` and the text after them, still to be parsed."""
        try:
            matches = list(self.parse_iter(buffer))
        except NotImplementedError:
            parts = self.parse(buffer)
            if len(parts) < 2:
                return [], buffer
            return parts[:-1], parts[-1]
        if len(matches) < 2:  # the last match may still grow
            return [], buffer
        return [match.group(1) for match in matches[:-1]], buffer[matches[-2].end() :]


class CommaSeparatedListOutputParser(ListOutputParser):
    """``"a, b, c"`` → ``["a", "b", "c"]`` (CSV quoting respected)."""

    def get_format_instructions(self) -> str:
        return "Your response should be a list of comma separated values, eg: `foo, bar, baz` or `foo,bar,baz`"

    def parse(self, text: str) -> list[str]:
        try:
            reader = csv.reader(io.StringIO(text), quotechar='"', delimiter=",", skipinitialspace=True)
            return [item for row in reader for item in row]
        except csv.Error:
            return [part.strip() for part in text.split(",")]


class NumberedListOutputParser(ListOutputParser):
    """``"1. a\\n2. b"`` → ``["a", "b"]``: every ``<digits>. <text>`` up to the end of its line."""

    pattern: str = r"\d+\.\s([^\n]+)"

    def get_format_instructions(self) -> str:
        return (
            "Your response should be a numbered list with each item on a new line. "
            "For example: \n\n1. foo\n\n2. bar\n\n3. baz"
        )

    def parse(self, text: str) -> list[str]:
        return re.findall(self.pattern, text)

    def parse_iter(self, text: str) -> Iterator[re.Match[str]]:
        return re.finditer(self.pattern, text)


class MarkdownListOutputParser(ListOutputParser):
    """``"- a\\n* b"`` → ``["a", "b"]``: every line that is a ``-`` or ``*`` bullet."""

    pattern: str = r"^\s*[-*]\s([^\n]+)$"

    def get_format_instructions(self) -> str:
        return "Your response should be a markdown list, eg: `- foo\n- bar\n- baz`"

    def parse(self, text: str) -> list[str]:
        return re.findall(self.pattern, text, re.MULTILINE)

    def parse_iter(self, text: str) -> Iterator[re.Match[str]]:
        return re.finditer(self.pattern, text, re.MULTILINE)
