"""``JsonOutputParser``: JSON out of model text, streamed as ever more complete values.

Models wrap JSON in prose and Markdown fences. The parser finds the JSON the
way LangChain's ``parse_json_markdown`` does — text that starts with ``{`` or
``[`` is JSON; otherwise the text after a ```` ``` ```` fence (and an optional
``json`` tag) is — but incrementally: a :class:`JsonText` feeds only the new
text of each chunk to a :class:`~runtime.messages.partial_json.PartialJsonAccumulator`,
so streaming a document costs time linear in its length rather than
reparsing every prefix. A new value is yielded whenever it differs from the
last one: ``{}``, ``{'countries': []}``, … ``{'name': 'Sp'}``, ``{'name': 'Spain'}``.

Successive values share their completed parts; treat them as read-only.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any, final

from ...messages.partial_json import PartialJsonAccumulator, PartialJsonError, parse_partial_json
from .base import BaseTransformOutputParser, OutputParserException, text_of

__all__ = ["JsonOutputParser", "JsonText", "SimpleJsonOutputParser", "parse_json_markdown"]

_FENCED = re.compile(r"```(json)?(.*)", re.DOTALL)
_STRIP = " \n\r\t`"


def parse_json_markdown(json_string: str, *, parser: Callable[[str], Any] = parse_partial_json) -> Any:
    """The JSON value in ``json_string``, bare or in a Markdown fence, as LangChain's function reads it.

    The whole text (stripped of whitespace and backticks) is parsed first; if that
    fails, the text after the first ```` ``` ```` (and an optional ``json`` tag) is.
    ``parser`` parses the text (default: :func:`parse_partial_json`, so an
    unfinished document gives its value so far).

    Raises:
        ValueError: the text holds no JSON (``PartialJsonError`` or ``json.JSONDecodeError``).
    """
    try:
        return parser(json_string.strip(_STRIP))
    except (json.JSONDecodeError, PartialJsonError):
        match = _FENCED.search(json_string)
        # Up to the closing fence: prose after it is not part of the value.
        text = json_string if match is None else match.group(2).split("```", 1)[0]
    return parser(text.strip(_STRIP))

_FENCE = "```"
_TAG = "json"


@final
class JsonText:
    """The JSON inside streamed model text, parsed as it arrives."""

    __slots__ = ("_json", "_mode", "_pending", "_ended")

    def __init__(self) -> None:
        self._json = PartialJsonAccumulator()
        self._mode = "seek"  # seek -> (tag ->) fenced -> done, or seek -> bare
        self._pending = ""
        self._ended = False

    @property
    def value(self) -> Any:
        """The most complete value the text so far shows (``None`` if none yet)."""
        return self._json.value

    def feed(self, text: str) -> bool:
        """Consume the next piece of text; return whether :attr:`value` changed."""
        mode = self._mode
        if mode == "bare":
            return self._parse(text)
        if mode == "fenced":
            return self._fenced(text)
        if mode == "done":
            return False
        self._pending += text
        if mode == "seek":
            stripped = self._pending.lstrip()
            if stripped[:1] in ("{", "["):
                self._mode, self._pending = "bare", ""
                return self._parse(stripped)
            start = self._pending.find(_FENCE)
            if start < 0:
                return False
            self._mode, self._pending = "tag", self._pending[start + len(_FENCE) :]
        pending = self._pending
        if len(pending) < len(_TAG) and _TAG.startswith(pending):
            return False
        self._mode, self._pending = "fenced", ""
        return self._fenced(pending[len(_TAG) :] if pending.startswith(_TAG) else pending)

    def _fenced(self, text: str) -> bool:
        text = self._pending + text
        end = text.find(_FENCE)
        if end >= 0:
            self._mode, self._pending = "done", ""
            return self._parse(text[:end])
        keep = len(text) - len(text.rstrip("`"))
        self._pending = text[len(text) - keep :] if keep else ""
        return self._parse(text[: len(text) - keep])

    def _parse(self, text: str) -> bool:
        if self._ended or not text:
            return False
        try:
            return self._json.feed(text)
        except PartialJsonError:
            self._ended = True  # prose after the value: the value stands
            return False


class JsonOutputParser(BaseTransformOutputParser[Any]):
    """Parse a model's JSON output; streamed, yield each more complete value."""

    def parse(self, text: str) -> Any:
        """The JSON value in ``text``.

        Raises:
            OutputParserException: ``text`` shows no JSON value.
        """
        reader = JsonText()
        reader.feed(text)
        if reader.value is None:
            raise OutputParserException(f"Invalid json output: {text}", llm_output=text)
        return reader.value

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[Any]:
        reader = JsonText()
        async for chunk in inputs:
            if reader.feed(text_of(chunk)) and reader.value is not None:
                yield reader.value


SimpleJsonOutputParser = JsonOutputParser
"""LangChain's other name for :class:`JsonOutputParser`."""
