"""A chat model written LangChain's way: ``_generate`` returning a ``ChatResult``, ``_stream``
yielding ``ChatGenerationChunk``s, pydantic-style fields. Expected values were observed
with langchain-core 1.8 / LangGraph 1.2 running the same model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graphs import START, MessagesState, StateGraph
from runtime.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from runtime.models import BaseChatModel, ChatGeneration, ChatGenerationChunk, ChatResult


class Echo(BaseChatModel):
    """Echoes the first ``n`` characters of the last message, after ``prefix``."""

    n: int
    prefix: str = ">"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        text = self.prefix + str(messages[-1].content)[: self.n]
        usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}
        message = AIMessage(content=text, usage_metadata=usage)  # type: ignore[arg-type]
        return ChatResult(generations=[ChatGeneration(message=message, generation_info={"g": 1})], llm_output={"l": 2})

    def _stream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        for char in self.prefix + str(messages[-1].content)[: self.n]:
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=char))
            if run_manager:
                run_manager.on_llm_new_token(char, chunk=chunk)
            yield chunk
        yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata={"done": True}), generation_info={"fin": "x"})

    @property
    def _llm_type(self) -> str:
        return "echo"


class WholeOnly(BaseChatModel):
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="whole"))])

    @property
    def _llm_type(self) -> str:
        return "whole"


def test_generate_result_and_fields() -> None:
    model = Echo(n=3)
    reply = model.invoke("hello")
    assert reply.content == ">hel"
    assert reply.response_metadata == {"l": 2, "g": 1}  # llm_output and generation_info join the metadata
    assert reply.usage_metadata == {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}
    assert reply.id is not None and reply.id.startswith("lc_run-")
    assert Echo(n=1, prefix="#").invoke("xyz").content == "#x"
    with pytest.raises(TypeError, match="missing required field"):
        Echo()
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Echo(n=1, colour="red")
    generation = ChatGeneration(message=AIMessage("hi"))
    assert generation.text == "hi" and generation.type == "ChatGeneration"


def test_stream_chunks_and_whole_only_models() -> None:
    model = Echo(n=3)
    chunks = list(model.stream("hello"))
    assert [c.content for c in chunks] == [">", "h", "e", "l", "", ""]
    assert chunks[-1].chunk_position == "last" and chunks[-1].response_metadata == {}
    assert chunks[-2].response_metadata == {"fin": "x", "done": True}
    assert WholeOnly().invoke("x").content == "whole"
    assert [c.content for c in WholeOnly().stream("x")] == ["whole"]
    total = ChatGenerationChunk(message=AIMessageChunk("a"), generation_info={"k": "x"}) + ChatGenerationChunk(
        message=AIMessageChunk("b"), generation_info={"k": "y"})
    assert total.message.content == "ab" and total.generation_info == {"k": "xy"} and total.text == "ab"


async def test_events_and_messages_mode() -> None:
    model = Echo(n=3)
    events = [(e["event"], e["data"]["chunk"].content if "chunk" in e["data"] else None) async for e in model.astream_events("hello")]
    assert events == [
        ("on_chat_model_start", None), ("on_chat_model_stream", ">"), ("on_chat_model_stream", "h"),
        ("on_chat_model_stream", "e"), ("on_chat_model_stream", "l"), ("on_chat_model_stream", ""),
        ("on_chat_model_stream", ""), ("on_chat_model_end", None),
    ]

    def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [model.invoke(state["messages"])]}

    graph = StateGraph(MessagesState)
    graph.add_node("n", node)
    graph.add_edge(START, "n")
    async with graph.compile().astream({"messages": [HumanMessage("abcdef")]}, stream_mode="messages") as stream:
        parts = [(chunk.content, metadata["langgraph_node"]) async for chunk, metadata in stream]
    assert parts == [(">", "n"), ("a", "n"), ("b", "n"), ("c", "n"), ("", "n"), ("", "n")]
