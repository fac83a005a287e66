"""Folding streamed chunks into one value, the way LangChain does.

Chunks that support ``+`` (strings, message chunks, ``AddableDict``) are added
up; the first pair that does not (plain dicts, say) switches to keeping the
latest chunk — for a cumulative stream such as a JSON parser's, the latest is
the most complete.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final, final

__all__ = ["Accumulator", "MISSING", "collect", "one"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()


@final
class Accumulator:
    """The running sum of a stream of chunks (``MISSING`` until the first one)."""

    __slots__ = ("value", "_adding")

    def __init__(self) -> None:
        self.value: Any = MISSING
        self._adding = True

    def add(self, chunk: Any) -> None:
        if self.value is MISSING or not self._adding:
            self.value = chunk
            return
        try:
            self.value = self.value + chunk
        except TypeError:
            self.value = chunk
            self._adding = False

    def result(self, default: Any = None) -> Any:
        return default if self.value is MISSING else self.value


async def collect(chunks: AsyncIterator[Any]) -> Any:
    """The whole input of a stream (``MISSING`` if it was empty)."""
    total = Accumulator()
    async for chunk in chunks:
        total.add(chunk)
    return total.value


async def one(value: Any) -> AsyncIterator[Any]:
    """A stream of exactly ``value``."""
    yield value
