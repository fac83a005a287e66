"""The list parsers: whole texts and streams give the items LangChain's parsers give
(expected values read off langchain-core 1.8), and streaming yields an item as soon as
the next one has started."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import trio

from runtime.messages import AIMessageChunk
from runtime.runnables.parsers import (
    CommaSeparatedListOutputParser,
    ListOutputParser,
    MarkdownListOutputParser,
    NumberedListOutputParser,
)

CASES = [
    (NumberedListOutputParser, "Here:\n1. apples\n2. pears, ripe\n10. figs", ["apples", "pears, ripe", "figs"]),
    (MarkdownListOutputParser, "Intro\n- one\n* two\n  - three\nend", ["one", "two", "three"]),
    (CommaSeparatedListOutputParser, 'a, "b, c", d', ["a", "b, c", "d"]),
]


def pieces(text: str, size: int = 3) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.mark.parametrize(("parser", "text", "items"), CASES)
def test_parse_and_stream_give_langchains_items(parser: type[ListOutputParser], text: str, items: list[str]) -> None:
    assert parser().parse(text) == items
    assert parser().invoke(text) == items
    assert list(parser().transform(iter(pieces(text)))) == [[item] for item in items]
    # Message chunks are read for their text, as a model's stream would feed them.
    chunks = [AIMessageChunk(content=piece) for piece in pieces(text)]
    assert list(parser().transform(iter(chunks))) == [[item] for item in items]


@pytest.mark.parametrize(
    ("parser", "first", "second"),
    [
        (NumberedListOutputParser, "1. apples\n2. p", "ears\n"),
        (MarkdownListOutputParser, "- one\n- t", "wo\n"),
        (CommaSeparatedListOutputParser, "a, b", ", c"),
    ],
)
async def test_an_item_comes_out_once_the_next_has_started(
    parser: type[ListOutputParser], first: str, second: str
) -> None:
    first_item_out = trio.Event()

    async def source() -> AsyncIterator[str]:
        yield first
        # The second piece only comes once the first item is out: a parser that held
        # items back until its input ended would wait here for ever.
        await first_item_out.wait()
        yield second

    seen: list[list[str]] = []
    with trio.fail_after(10):
        async for chunk in parser().atransform(source()):
            seen.append(chunk)
            first_item_out.set()
    assert seen == [[item] for item in parser().parse(first + second)]


def test_format_instructions_are_langchains() -> None:
    assert NumberedListOutputParser().get_format_instructions().startswith(
        "Your response should be a numbered list with each item on a new line."
    )
    assert MarkdownListOutputParser().get_format_instructions() == (
        "Your response should be a markdown list, eg: `- foo\n- bar\n- baz`"
    )


def test_output_parser_exception_takes_langchains_arguments() -> None:
    from runtime.core import (
        ErrorCode,
        LangChainException,
        OutputParserException,
        TracerException,
        create_message,
    )

    error = OutputParserException("bad", observation="fix it", llm_output="{", send_to_llm=True)
    # LangChain's wording: the text, then the troubleshooting link for its error code.
    assert str(error) == (
        "bad\nFor troubleshooting, visit: https://docs.langchain.com/oss/python/langchain/errors/OUTPUT_PARSING_FAILURE "
    )
    assert str(error) == create_message(message="bad", error_code=ErrorCode.OUTPUT_PARSING_FAILURE)
    assert (error.observation, error.llm_output, error.send_to_llm) == ("fix it", "{", True)
    assert isinstance(error, ValueError) and isinstance(error, LangChainException)
    assert issubclass(TracerException, LangChainException)
    with pytest.raises(ValueError, match="send_to_llm=True needs both observation and llm_output"):
        OutputParserException("bad", send_to_llm=True)
    # A non-text error is kept as it is.
    assert OutputParserException(KeyError("k")).args[0].args == ("k",)
