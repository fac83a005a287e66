"""The chat model base and its deterministic fakes, with LangChain's behaviour."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from runtime import (
    FakeListChatModel,
    FakeMessagesListChatModel,
    FakeToolCallingModel,
    GenericFakeChatModel,
)
from runtime.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from runtime.models import BaseChatModel


async def stream(model: Any, input: Any = "hi", **kwargs: Any) -> list[Any]:
    return [chunk async for chunk in model.astream(input, **kwargs)]


async def test_generic_fake_splits_on_whitespace_keeping_separators() -> None:
    model = GenericFakeChatModel(iter([AIMessage("hi there  you", id="m1")]))
    chunks = await stream(model)
    assert [c.content for c in chunks] == ["hi", " ", "there", " ", "", " ", "you"]
    assert all(isinstance(c, AIMessageChunk) and c.id == "m1" for c in chunks)
    assert [c.chunk_position for c in chunks] == [None] * 6 + ["last"]
    total = chunks[0] + chunks[1:]
    assert total.content == "hi there  you" and total.chunk_position == "last"


async def test_generic_fake_invoke_and_string_replies() -> None:
    model = GenericFakeChatModel(itertools.cycle(["plain text"]))
    reply = await model.ainvoke([HumanMessage("q")])
    assert isinstance(reply, AIMessage) and reply.content == "plain text"
    assert reply.id is not None and reply.id.startswith("lc_run--")
    chunks = await stream(model)
    assert chunks[0].id.startswith("lc_run--")
    assert len({c.id for c in chunks}) == 1


async def test_generic_fake_streams_additional_kwargs_then_a_closing_chunk() -> None:
    message = AIMessage("", additional_kwargs={"function_call": {"name": "f", "arguments": '{"a",1}'}}, id="fc")
    chunks = await stream(GenericFakeChatModel(iter([message])))
    pieces = [c.additional_kwargs["function_call"] for c in chunks[:-1]]
    assert pieces[0] == {"name": "f"}
    assert [p.get("arguments") for p in pieces[1:]] == ['{"a"', ",", "1}"]
    assert chunks[-1].chunk_position == "last" and chunks[-1].content == ""
    total = chunks[0] + chunks[1:]
    assert total.additional_kwargs == message.additional_kwargs


async def test_generic_fake_streams_tool_calls_as_chunks() -> None:
    calls = [{"name": "get_weather", "args": {"city": "San Francisco"}, "id": "c1"}]
    chunks = await stream(GenericFakeChatModel(iter([AIMessage("ok", tool_calls=calls, id="t1")])))
    assert len([c for c in chunks if c.tool_call_chunks]) > 2
    total = chunks[0] + chunks[1:]
    assert total.tool_calls == [{"name": "get_weather", "args": {"city": "San Francisco"}, "id": "c1", "type": "tool_call"}]


async def test_fake_list_streams_characters_and_cycles() -> None:
    model = FakeListChatModel(["ab", "cd"])
    assert [c.content for c in await stream(model)] == ["a", "b"]
    assert (await model.ainvoke("x")).content == "cd"
    assert (await model.ainvoke("x")).content == "ab"
    assert (await stream(model))[-1].chunk_position == "last"


async def test_fake_list_error_on_chunk_number() -> None:
    model = FakeListChatModel(["hello"], error_on_chunk_number=3)
    got: list[str] = []
    with pytest.raises(Exception, match="Fake error"):
        async for chunk in model.astream("x"):
            got.append(chunk.content)
    assert got == ["h", "e", "l"]


async def test_fake_messages_list_does_not_stream() -> None:
    replies = [AIMessage("one", id="r1"), AIMessage("two", id="r2")]
    model = FakeMessagesListChatModel(replies)
    chunks = await stream(model)
    assert chunks == [AIMessage("one", id="r1")]
    assert await model.ainvoke("x") == AIMessage("two", id="r2")
    assert await model.ainvoke("x") == AIMessage("one", id="r1")
    chunk_events = [e async for e in model.astream_events("x") if e["event"] == "on_chat_model_stream"]
    assert chunk_events == []


async def test_fake_tool_calling_model_streams_tool_calls_that_add_up() -> None:
    calls = [
        {"name": "search", "args": {"query": "weather in sf", "limit": 3}, "id": "a"},
        {"name": "lookup", "args": {"key": "x"}, "id": "b"},
    ]
    model = FakeToolCallingModel([calls, []], piece=5)
    chunks = await stream(model, [HumanMessage("what"), HumanMessage("now")])
    assert chunks[0].content == "what-now"
    call_chunks = [c for c in chunks if c.tool_call_chunks]
    assert len(call_chunks) > 6
    assert call_chunks[0].tool_call_chunks[0]["name"] == "search"
    assert call_chunks[1].tool_call_chunks[0]["name"] is None
    total = chunks[0] + chunks[1:]
    assert [(t["name"], t["args"], t["id"]) for t in total.tool_calls] == [
        ("search", {"query": "weather in sf", "limit": 3}, "a"),
        ("lookup", {"key": "x"}, "b"),
    ]
    second = await model.ainvoke("x")
    assert second.tool_calls == [] and second.id == "1"


async def test_inputs_are_coerced_to_messages() -> None:
    class Echo(BaseChatModel):
        async def _agenerate(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AIMessage:
            return AIMessage(" | ".join(f"{m.type}:{m.text}" for m in messages))

    class Prompt:
        def to_messages(self) -> list[BaseMessage]:
            return [SystemMessage("sys")]

    echo = Echo()
    assert (await echo.ainvoke("hi")).content == "human:hi"
    assert (await echo.ainvoke([("system", "s"), ("user", "u")])).content == "system:s | human:u"
    assert (await echo.ainvoke(Prompt())).content == "system:sys"
    with pytest.raises(ValueError, match="Invalid input type"):
        await echo.ainvoke(42)


async def test_a_provider_with_only_astream_still_invokes() -> None:
    class Streamer(BaseChatModel):
        async def _astream(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
            for token in ("a", "b"):
                yield AIMessageChunk(token)

    reply = await Streamer().ainvoke("x")
    assert isinstance(reply, AIMessage) and reply.content == "ab"


async def test_invoke_streams_tokens_when_a_handler_wants_them() -> None:
    model = GenericFakeChatModel(itertools.cycle([AIMessage("a b", id="m")]))

    async def via_invoke(x: Any) -> Any:
        return await model.ainvoke(x)

    from runtime import RunnableLambda

    events = [e async for e in RunnableLambda(via_invoke).astream_events("x")]
    tokens = [e["data"]["chunk"].content for e in events if e["event"] == "on_chat_model_stream"]
    assert tokens == ["a", " ", "b"]
    end = next(e for e in events if e["event"] == "on_chat_model_end")
    assert end["data"]["output"] == AIMessage("a b", id="m")


async def test_disable_streaming_and_metadata() -> None:
    model = GenericFakeChatModel(itertools.cycle(["a b"]), disable_streaming=True, tags=["model-tag"], metadata={"k": 1})
    model.model_name = "fake-1"
    events = [e async for e in model.astream_events("x")]
    assert [e["event"] for e in events] == ["on_chat_model_start", "on_chat_model_end"]
    assert events[0]["tags"] == ["model-tag"]
    assert events[0]["metadata"] == {
        "k": 1, "ls_integration": "langchain_chat_model", "ls_provider": "genericfakechatmodel",
        "ls_model_type": "chat", "ls_model_name": "fake-1",
    }
    bound = model.bind(stop=["</s>"])
    events = [e async for e in bound.astream_events("x")]
    assert events[0]["metadata"]["ls_stop"] == ["</s>"]


async def test_bind_tools_on_the_base_is_not_supported_and_on_fakes_is_loose() -> None:
    class Plain(BaseChatModel):
        async def _agenerate(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AIMessage:
            return AIMessage(str(sorted(kwargs)))

    with pytest.raises(NotImplementedError):
        Plain().bind_tools([])
    fake = FakeMessagesListChatModel([AIMessage("r")])
    assert (await fake.bind_tools([]).ainvoke("x")).content == "r"
