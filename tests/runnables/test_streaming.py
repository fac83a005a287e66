"""Streaming through chains: generator steps transform chunk by chunk, plain steps wait.

The seeds' "breaking the stream" walk-through, with a scripted model in place
of the provider: ``model | JsonOutputParser() | extract`` yields one final
list when ``extract`` is a plain function and ``France|Sp|Spain|Japan`` when it
is a generator over the input stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from runtime import JsonOutputParser, RunnableLambda, StrOutputParser
from runtime.messages import AIMessageChunk, BaseMessage
from runtime.models import BaseChatModel

PROMPT = (
    "output a list of the countries france, spain and japan and their populations in JSON format. "
    'Use a dict with an outer key of "countries" which contains a list of countries. '
    "Each country should have the key `name` and `population`"
)

COUNTRY_TOKENS = [
    " Here", " is", " the", " JSON", ":", "\n\n```", "json", "\n{", '\n  "countries": [', "\n    {",
    ' "name": "', "France", '", "population": 67', "39", "15", "82", " },\n    {", ' "name": "', "Sp", "ain",
    '", "population": 46', "75", "47", "78", " },\n    {", ' "name": "', "Japan", '", "population": 12',
    "647", "64", "61", " }\n  ]\n}\n```",
]


class ScriptedModel(BaseChatModel):
    """Streams a fixed list of tokens and logs each one as it produces it."""

    def __init__(self, tokens: list[str], log: list[str] | None = None) -> None:
        super().__init__()
        self.tokens = tokens
        self.log = log if log is not None else []

    async def _astream(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
        for token in self.tokens:
            self.log.append(f"model:{token}")
            yield AIMessageChunk(token)


def extract_country_names(inputs: Any) -> Any:
    """Works on the final input: breaks streaming."""
    if not isinstance(inputs, dict) or "countries" not in inputs:
        return ""
    countries = inputs["countries"]
    if not isinstance(countries, list):
        return ""
    return [country.get("name") for country in countries if isinstance(country, dict)]


async def extract_country_names_streaming(input_stream: AsyncIterator[Any]) -> AsyncIterator[str]:
    """Works on the input stream: keeps streaming."""
    so_far: set[str] = set()
    async for input in input_stream:
        if not isinstance(input, dict) or not isinstance(input.get("countries"), list):
            continue
        for country in input["countries"]:
            name = country.get("name")
            if name and name not in so_far:
                yield name
                so_far.add(name)


async def test_a_plain_function_step_breaks_the_stream() -> None:
    chain = ScriptedModel(COUNTRY_TOKENS) | JsonOutputParser() | extract_country_names
    assert [chunk async for chunk in chain.astream(PROMPT)] == [["France", "Spain", "Japan"]]


async def test_a_generator_step_keeps_the_stream() -> None:
    chain = ScriptedModel(COUNTRY_TOKENS) | JsonOutputParser() | extract_country_names_streaming
    assert [chunk async for chunk in chain.astream(PROMPT)] == ["France", "Sp", "Spain", "Japan"]


async def test_generator_steps_see_each_chunk_before_the_next_is_produced() -> None:
    log: list[str] = []

    async def tap(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
        async for chunk in chunks:
            log.append(f"tap:{chunk}")
            yield chunk

    chain = ScriptedModel(["a", "b", "c"], log) | StrOutputParser() | tap
    assert [c async for c in chain.astream("x")] == ["a", "b", "c", ""]
    assert log[:6] == ["model:a", "tap:a", "model:b", "tap:b", "model:c", "tap:c"]


async def test_a_plain_step_is_called_once_with_the_whole_input() -> None:
    log: list[str] = []

    def whole(text: str) -> str:
        log.append(f"whole:{text}")
        return text.upper()

    chain = ScriptedModel(["a", "b", "c"], log) | StrOutputParser() | whole
    assert [c async for c in chain.astream("x")] == ["ABC"]
    assert log == ["model:a", "model:b", "model:c", "whole:abc"]


async def test_steps_after_the_last_blocking_step_stream_again() -> None:
    chain = ScriptedModel(["a", "b"]) | StrOutputParser() | RunnableLambda(lambda s: s + "!") | _letters
    assert [c async for c in chain.astream("x")] == ["a", "b", "!"]


async def _letters(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
    async for chunk in chunks:
        for letter in chunk:
            yield letter
