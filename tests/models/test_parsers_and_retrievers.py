"""``StrOutputParser``, the streaming ``JsonOutputParser``, and retrievers."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime import (
    BaseRetriever,
    Document,
    GenericFakeChatModel,
    InMemoryRetriever,
    JsonOutputParser,
    StrOutputParser,
)
from runtime.messages import AIMessage, AIMessageChunk, BaseMessage
from runtime.models import BaseChatModel
from runtime.runnables.parsers import OutputParserException
from runtime.runnables.parsers.json import JsonText


class Tokens(BaseChatModel):
    def __init__(self, tokens: list[str]) -> None:
        super().__init__()
        self.tokens = tokens

    async def _astream(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
        for token in self.tokens:
            yield AIMessageChunk(token)


async def test_str_parser_passes_every_chunk_through() -> None:
    chain = Tokens(["a", "", "b"]) | StrOutputParser()
    assert [c async for c in chain.astream("x")] == ["a", "", "b", ""]
    assert await StrOutputParser().ainvoke(AIMessage("whole")) == "whole"
    assert await StrOutputParser().ainvoke("text") == "text"
    with pytest.raises(TypeError, match="message or a string"):
        await StrOutputParser().ainvoke(42)


async def test_json_parser_bare_and_fenced() -> None:
    assert await JsonOutputParser().ainvoke('{"a": [1, 2]}') == {"a": [1, 2]}
    assert await JsonOutputParser().ainvoke('Sure!\n```json\n{"a": 1}\n```\nbye') == {"a": 1}
    assert await JsonOutputParser().ainvoke("```\n[1, 2]\n```") == [1, 2]
    assert await JsonOutputParser().ainvoke('{"a": "unfinished') == {"a": "unfinished"}
    with pytest.raises(OutputParserException, match="Invalid json output"):
        await JsonOutputParser().ainvoke("no json here")


async def test_json_parser_yields_only_changes() -> None:
    tokens = ["```", "js", "on\n", '{"a"', ": ", "1", "}", "\n`", "``", " trailing"]
    values = [v async for v in (Tokens(tokens) | JsonOutputParser()).astream("x")]
    assert values == [{}, {"a": 1}]


async def test_json_parser_events_are_parser_runs() -> None:
    chain = Tokens(['{"k": ', '"v"}']) | JsonOutputParser()
    events = [e async for e in chain.astream_events("x")]
    parser = [e for e in events if e["name"] == "JsonOutputParser"]
    assert [e["event"] for e in parser] == ["on_parser_start", "on_parser_stream", "on_parser_stream", "on_parser_end"]
    assert parser[0]["data"] == {} and parser[0]["tags"] == ["seq:step:2"]
    assert parser[-1]["data"]["output"] == {"k": "v"}
    assert parser[-1]["data"]["input"].content == '{"k": "v"}'


@settings(max_examples=60, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=6),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
        max_leaves=8,
    ).filter(lambda v: isinstance(v, (dict, list))),
    cuts=st.lists(st.integers(0, 400), max_size=12),
    fenced=st.booleans(),
)
def test_streamed_json_ends_at_the_whole_value(value: Any, cuts: list[int], fenced: bool) -> None:
    text = json.dumps(value)
    if fenced:
        text = f"Here you go:\n```json\n{text}\n```\nanything"
    bounds = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    reader = JsonText()
    for start, end in zip(bounds, bounds[1:]):
        reader.feed(text[start:end])
    assert reader.value == value


async def test_in_memory_retriever_ranks_by_shared_words() -> None:
    retriever = InMemoryRetriever(["harrison worked at kensho", "harrison likes spicy food", "bears eat honey"], k=2)
    docs = await retriever.ainvoke("where did harrison work at?")
    assert [d.page_content for d in docs] == ["harrison worked at kensho", "harrison likes spicy food"]
    assert await retriever.ainvoke("honey") == [Document("bears eat honey"), Document("harrison worked at kensho")]
    with pytest.raises(TypeError, match="query string"):
        await retriever.ainvoke(["not", "a", "string"])


async def test_retriever_events() -> None:
    class Fixed(BaseRetriever):
        def _get_relevant_documents(self, query: str) -> list[Document]:
            return [Document(f"about {query}", metadata={"n": 1})]

    events = [e async for e in Fixed().astream_events("cats")]
    assert [(e["event"], e["name"]) for e in events] == [("on_retriever_start", "Fixed"), ("on_retriever_end", "Fixed")]
    assert events[0]["data"] == {"input": "cats"}
    assert events[1]["data"] == {"output": [Document("about cats", metadata={"n": 1})]}


async def test_model_parser_chain_from_a_generic_fake() -> None:
    model = GenericFakeChatModel(itertools.cycle([AIMessage('{"answer": 42}')]))
    assert await (model | JsonOutputParser()).ainvoke("q") == {"answer": 42}
    assert [v async for v in (model | JsonOutputParser()).astream("q")] == [{}, {"answer": 42}]


def test_langchain_json_helpers() -> None:
    # Observed with langchain-core 1.8's parse_json_markdown / parse_partial_json.
    from runtime.runnables import SimpleJsonOutputParser, parse_json_markdown, parse_partial_json

    assert parse_json_markdown('{"a": 1}') == {"a": 1}
    assert parse_json_markdown('```json\n{"a": [1, 2]}\n```') == {"a": [1, 2]}
    assert parse_json_markdown('Sure!\n```json\n{"a": "b"}\n```\nbye') == {"a": "b"}
    assert parse_json_markdown('```\n{"a": 1') == {"a": 1}
    assert parse_json_markdown('  {"a": {"b": tr') == {"a": {}}
    assert parse_json_markdown("[1, 2") == [1, 2]
    assert parse_json_markdown('{"a": "x\ny"}') == {"a": "x\ny"}
    assert parse_partial_json('{"a": [1, {"b": "c') == {"a": [1, {"b": "c"}]}
    assert SimpleJsonOutputParser().invoke('```json\n{"x": 1}\n```') == {"x": 1}


class _Person(pydantic.BaseModel):
    name: str
    age: int


class add(pydantic.BaseModel):  # noqa: N801 - named as the tool it parses
    a: int
    b: int


class mul(pydantic.BaseModel):  # noqa: N801
    x: int


async def test_langchain_list_custom_tool_and_pydantic_parsers() -> None:
    # Observed with langchain-core 1.8's parsers on the same inputs.
    from runtime.messages import AIMessageChunk, tool_call_chunk
    from runtime.models import BaseChatModel
    from runtime.runnables.parsers import (
        BaseOutputParser,
        CommaSeparatedListOutputParser,
        JsonOutputKeyToolsParser,
        JsonOutputToolsParser,
        OutputParserException,
        PydanticOutputParser,
        PydanticToolsParser,
    )

    listing = CommaSeparatedListOutputParser()
    assert await listing.ainvoke("a, b, c") == ["a", "b", "c"]
    assert await listing.ainvoke('"x, y", z') == ["x, y", "z"]
    model = GenericFakeChatModel(iter([AIMessage("red, green, blue")]))
    assert [c async for c in (model | listing).astream("x")] == [["red"], ["green"], ["blue"]]

    class Upper(BaseOutputParser):
        def parse(self, text: str) -> str:
            return text.upper()

    model = GenericFakeChatModel(iter([AIMessage("a b c")]))
    assert await Upper().ainvoke("hi") == "HI" and await Upper().ainvoke(AIMessage("yo")) == "YO"
    assert [c async for c in (model | Upper()).astream("x")] == ["A B C"]

    calls = AIMessage("", tool_calls=[{"name": "add", "args": {"a": 1, "b": 2}, "id": "c1"}, {"name": "mul", "args": {"x": 3}, "id": "c2"}])
    assert await JsonOutputToolsParser().ainvoke(calls) == [{"args": {"a": 1, "b": 2}, "type": "add"}, {"args": {"x": 3}, "type": "mul"}]
    assert await JsonOutputToolsParser(return_id=True).ainvoke(calls) == [
        {"args": {"a": 1, "b": 2}, "id": "c1", "type": "add"}, {"args": {"x": 3}, "id": "c2", "type": "mul"}]
    assert await JsonOutputToolsParser(first_tool_only=True).ainvoke(calls) == {"args": {"a": 1, "b": 2}, "type": "add"}
    assert await JsonOutputKeyToolsParser(key_name="mul").ainvoke(calls) == [{"x": 3}]
    assert await JsonOutputKeyToolsParser(key_name="mul", first_tool_only=True).ainvoke(calls) == {"x": 3}
    assert await JsonOutputKeyToolsParser(key_name="nope", first_tool_only=True).ainvoke(calls) is None
    assert await PydanticToolsParser(tools=[add, mul]).ainvoke(calls) == [add(a=1, b=2), mul(x=3)]
    assert await PydanticToolsParser(tools=[add, mul], first_tool_only=True).ainvoke(calls) == add(a=1, b=2)

    class Streams(BaseChatModel):
        async def _astream(self, messages: Any, stop: Any = None, **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
            yield AIMessageChunk("", tool_call_chunks=[tool_call_chunk(name="add", args='{"a": 1', id="c1", index=0)])
            yield AIMessageChunk("", tool_call_chunks=[tool_call_chunk(args=', "b": 2}', index=0)])

    streamed = [c async for c in (Streams() | JsonOutputToolsParser()).astream("x")]
    assert streamed == [[{"args": {"a": 1}, "type": "add"}], [{"args": {"a": 1, "b": 2}, "type": "add"}]]

    person = PydanticOutputParser(pydantic_object=_Person)
    assert await person.ainvoke('```json\n{"name": "Ada", "age": 36}\n```') == _Person(name="Ada", age=36)
    with pytest.raises(OutputParserException, match=r'^Failed to parse _Person from completion \{"name": "Ada"\}. Got: 1 validation error'):
        await person.ainvoke('{"name": "Ada"}')
    assert person.get_format_instructions().startswith("The output should be formatted as a JSON instance that conforms")
    model = GenericFakeChatModel(iter([AIMessage('{"name": "Ada", "age": 36}')]))
    assert [c async for c in (model | person).astream("x")] == [_Person(name="Ada", age=36)]
