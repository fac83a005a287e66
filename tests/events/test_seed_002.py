"""Seed 002 (streaming events from inside tools) as a test suite.

The seed's point: on Python < 3.11 LangChain drops the config at the tool
boundary, so the chat model's events inside the tool never show up unless the
tool declares ``config`` and passes it on. In Tributary both forms work, on
every supported Python, because trio carries the config in the context.
"""

from __future__ import annotations

import itertools
from typing import Any

from _seeds import collect_events

from runtime import GenericFakeChatModel, RunnableConfig, RunnableLambda, StrOutputParser, tool
from runtime.messages import AIMessage, AIMessageChunk, HumanMessage

LONG_TEXT = """
NARRATOR:
(Black screen with text; The sound of buzzing bees can be heard)
According to all known laws of aviation, there is no way a bee should be able to fly.
BARRY BENSON:
(Barry is picking out a shirt)
Yellow, black. Yellow, black. Ooh, black and yellow! Let's shake it up a little.
"""

SUMMARY = "Bee defies physics; Barry chooses outfit for graduation day."


def make_model() -> GenericFakeChatModel:
    return GenericFakeChatModel(itertools.cycle([AIMessage(SUMMARY, id="ai-summary")]), name="ChatAnthropic")


def summarization_chain(model: GenericFakeChatModel) -> Any:
    def prompt(inputs: dict[str, Any]) -> list[HumanMessage]:
        return [HumanMessage(
            f"You are an expert writer. Summarize the following text in 10 words or less:\n\n{inputs['long_text']}"
        )]

    def reverse(x: str) -> str:
        return x[::-1]

    return RunnableLambda(prompt) | model | StrOutputParser() | reverse


model_a = make_model()


@tool
async def special_summarization_tool(long_text: str) -> str:
    """A tool that summarizes input text using advanced techniques."""
    return await summarization_chain(model_a).ainvoke({"long_text": long_text})


model_b = make_model()


@tool
async def special_summarization_tool_with_config(long_text: str, config: RunnableConfig) -> str:
    """A tool that summarizes input text using advanced techniques."""
    return await summarization_chain(model_b).ainvoke({"long_text": long_text}, config=config)


async def test_the_tool_works_when_called_directly() -> None:
    result = await special_summarization_tool.ainvoke({"long_text": LONG_TEXT})
    assert result == SUMMARY[::-1]


async def test_chat_model_end_appears_without_passing_config() -> None:
    for the_tool in (special_summarization_tool, special_summarization_tool_with_config):
        events = await collect_events(the_tool.astream_events({"long_text": LONG_TEXT}, version="v2"))
        ends = [e for e in events if e["event"] == "on_chat_model_end"]
        assert len(ends) == 1
        end = ends[0]
        assert end["name"] == "ChatAnthropic"
        assert end["tags"] == ["seq:step:2"]
        assert end["data"]["output"] == AIMessage(SUMMARY, id="ai-summary")
        assert end["data"]["input"]["messages"][0][0].content.startswith("You are an expert writer.")
        assert end["metadata"]["ls_model_type"] == "chat"
        tool_start = events[0]
        assert tool_start["event"] == "on_tool_start" and tool_start["data"] == {"input": {"long_text": LONG_TEXT}}
        sequence = next(e for e in events if e["event"] == "on_chain_start" and e["name"] == "RunnableSequence")
        assert end["parent_ids"] == [tool_start["run_id"], sequence["run_id"]]


async def test_chat_model_tokens_stream_from_inside_the_tool() -> None:
    events = await collect_events(
        special_summarization_tool.astream_events({"long_text": LONG_TEXT}, version="v2", include_types=["chat_model"])
    )
    chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_chat_model_stream"]
    assert all(isinstance(c, AIMessageChunk) and c.id == "ai-summary" for c in chunks)
    assert "".join(c.content for c in chunks) == SUMMARY
    assert chunks[0].content == "Bee" and chunks[2].content == "defies"
    assert {e["run_id"] for e in events} == {events[0]["run_id"]}
