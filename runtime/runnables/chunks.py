"""Folding streamed chunks into one value, the way LangChain does.

Chunks that support ``+`` (strings, message chunks, ``AddableDict``) are added
up; the first pair that does not (plain dicts, say) switches to keeping the
latest chunk — for a cumulative stream such as a JSON parser's, the latest is
the most complete.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final, final

from ..messages import BaseMessageChunk

__all__ = ["Accumulator", "MISSING", "collect", "single_chunk"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()


@final
class Accumulator:
    """The running sum of a stream of chunks (``MISSING`` until the first one).

    Chunks are kept and added up when the sum is asked for: strings join and
    message chunks merge in one linear pass, where adding them one at a time
    would copy the growing text at every chunk.
    """

    __slots__ = ("_chunks",)

    def __init__(self) -> None:
        self._chunks: list[Any] = []

    def add(self, chunk: Any) -> None:
        self._chunks.append(chunk)

    @property
    def value(self) -> Any:
        chunks = self._chunks
        if not chunks:
            return MISSING
        if len(chunks) == 1:
            return chunks[0]
        first = chunks[0]
        if type(first) is str and all(type(c) is str for c in chunks):
            return "".join(chunks)
        if isinstance(first, BaseMessageChunk) and all(isinstance(c, BaseMessageChunk) for c in chunks):
            try:
                return first + chunks[1:]
            except TypeError:
                pass
        total = first
        for chunk in chunks[1:]:
            try:
                total = total + chunk
            except TypeError:
                return chunks[-1]  # not addable: the latest chunk stands for the whole
        return total

    def result(self, default: Any = None) -> Any:
        value = self.value
        return default if value is MISSING else value


async def collect(chunks: AsyncIterator[Any]) -> Any:
    """The whole input of a stream (``MISSING`` if it was empty)."""
    total = Accumulator()
    async for chunk in chunks:
        total.add(chunk)
    return total.value


async def single_chunk(value: Any) -> AsyncIterator[Any]:
    """A stream of exactly ``value``."""
    yield value
