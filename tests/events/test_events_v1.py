"""``astream_events(version="v1")`` — the shapes langchain-core 1.8 gives, and the seed's v1 examples."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from _seeds import (
    COUNTRY_TOKENS,
    PROMPT,
    SEED_JSON_OUTPUTS,
    ScriptedModel,
    collect_events,
)

from graphs import END, START, StateGraph
from runtime import (
    GenericFakeChatModel,
    JsonOutputParser,
    RunnableLambda,
    RunnablePassthrough,
    StrOutputParser,
    adispatch_custom_event,
)
from runtime.messages import AIMessage, AIMessageChunk, HumanMessage


def shape(events: list[dict[str, Any]]) -> list[tuple[str, str, list[str], Any]]:
    return [(e["event"], e["name"], e["tags"], e["data"]) for e in events]


def rev(s: str) -> str:
    return s[::-1]


async def test_v1_chain_events() -> None:
    chain = RunnableLambda(rev) | {"a": RunnablePassthrough(), "b": lambda x: len(x)}
    events = await collect_events(chain.astream_events("hello", version="v1"))
    assert all(e["parent_ids"] == [] for e in events)
    assert all(sorted(e) == ["data", "event", "metadata", "name", "parent_ids", "run_id", "tags"] for e in events)
    assert shape(events)[0] == ("on_chain_start", "RunnableSequence", [], {"input": "hello"})
    assert shape(events)[-1] == ("on_chain_end", "RunnableSequence", [], {"output": {"a": "olleh", "b": 5}})
    by_run: dict[str, list[tuple[str, Any]]] = {}
    for event in events[1:-1]:
        by_run.setdefault(event["name"], []).append((event["event"], event["data"]))
    # Each run's own events as langchain-core gives them (runs interleave differently).
    assert by_run == {
        "rev": [("on_chain_start", {}), ("on_chain_stream", {"chunk": "olleh"}),
                ("on_chain_end", {"input": "hello", "output": "olleh"})],
        "RunnableParallel<a,b>": [
            ("on_chain_start", {}), ("on_chain_stream", {"chunk": {"a": "olleh"}}), ("on_chain_stream", {"chunk": {"b": 5}}),
            ("on_chain_end", {"input": "olleh", "output": {"a": "olleh", "b": 5}}),
        ],
        "RunnablePassthrough": [("on_chain_start", {}), ("on_chain_stream", {"chunk": "olleh"}),
                                ("on_chain_end", {"input": "olleh", "output": "olleh"})],
        "RunnableLambda": [("on_chain_start", {}), ("on_chain_stream", {"chunk": 5}),
                           ("on_chain_end", {"input": "olleh", "output": 5})],
        "RunnableSequence": [("on_chain_stream", {"chunk": {"a": "olleh"}}), ("on_chain_stream", {"chunk": {"b": 5}})],
    }


async def test_v1_chat_model_end_is_an_llm_result() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hi there")]))
    events = await collect_events((model | StrOutputParser()).astream_events("q", version="v1"))
    message = events[-3]["data"]["output"]["generations"][0][0]["message"]
    assert isinstance(message, AIMessageChunk) and message.content == "hi there"
    chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_chat_model_stream"]
    assert [(kind, name, tags, data) for kind, name, tags, data in shape(events)] == [
        ("on_chain_start", "RunnableSequence", [], {"input": "q"}),
        ("on_chat_model_start", "GenericFakeChatModel", ["seq:step:1"], {"input": {"messages": [[HumanMessage("q")]]}}),
        ("on_chat_model_stream", "GenericFakeChatModel", ["seq:step:1"], {"chunk": chunks[0]}),
        ("on_parser_start", "StrOutputParser", ["seq:step:2"], {}),
        ("on_parser_stream", "StrOutputParser", ["seq:step:2"], {"chunk": "hi"}),
        ("on_chain_stream", "RunnableSequence", [], {"chunk": "hi"}),
        ("on_chat_model_stream", "GenericFakeChatModel", ["seq:step:1"], {"chunk": chunks[1]}),
        ("on_parser_stream", "StrOutputParser", ["seq:step:2"], {"chunk": " "}),
        ("on_chain_stream", "RunnableSequence", [], {"chunk": " "}),
        ("on_chat_model_stream", "GenericFakeChatModel", ["seq:step:1"], {"chunk": chunks[2]}),
        ("on_parser_stream", "StrOutputParser", ["seq:step:2"], {"chunk": "there"}),
        ("on_chain_stream", "RunnableSequence", [], {"chunk": "there"}),
        ("on_chat_model_end", "GenericFakeChatModel", ["seq:step:1"], {
            "input": {"messages": [[HumanMessage("q")]]},
            "output": {
                "generations": [[{"text": "hi there", "generation_info": None, "type": "ChatGenerationChunk",
                                  "message": message}]],
                "llm_output": None, "run": None, "type": "LLMResult",
            },
        }),
        ("on_parser_end", "StrOutputParser", ["seq:step:2"], {"input": message, "output": "hi there"}),
        ("on_chain_end", "RunnableSequence", [], {"output": "hi there"}),
    ]


# -- the seed's v1 examples (LangChain's streaming guide) ----------------------------------
async def test_seed_model_events_v1() -> None:
    model = ScriptedModel([" Hello", "!"], name="ChatAnthropic")
    events = await collect_events(model.astream_events("hello", version="v1"))
    assert shape(events[:2]) == [
        ("on_chat_model_start", "ChatAnthropic", [], {"input": "hello"}),
        ("on_chat_model_stream", "ChatAnthropic", [], {"chunk": events[1]["data"]["chunk"]}),
    ]
    assert events[1]["data"]["chunk"].content == " Hello"
    assert events[-1]["event"] == "on_chat_model_end"


def named_chain() -> Any:
    return ScriptedModel(COUNTRY_TOKENS).with_config({"run_name": "model"}) | JsonOutputParser().with_config(
        {"run_name": "my_parser"}
    )


async def test_seed_chain_has_three_start_events() -> None:
    chain = ScriptedModel(COUNTRY_TOKENS, name="ChatAnthropic") | JsonOutputParser()
    events = await collect_events(chain.astream_events(PROMPT, version="v1"))
    starts = [(e["event"], e["name"], e["data"]) for e in events if e["event"].endswith("_start")]
    assert starts == [
        ("on_chain_start", "RunnableSequence", {"input": PROMPT}),
        ("on_chat_model_start", "ChatAnthropic", {"input": {"messages": [[HumanMessage(PROMPT)]]}}),
        ("on_parser_start", "JsonOutputParser", {}),
    ]
    assert [e["data"]["chunk"] for e in events if e["event"] == "on_parser_stream"] == SEED_JSON_OUTPUTS


async def test_seed_filters_v1() -> None:
    by_name = await collect_events(named_chain().astream_events(PROMPT, version="v1", include_names=["my_parser"]))
    # v1 gives no event the caller's input when the root is filtered out.
    assert shape(by_name[:2]) == [
        ("on_parser_start", "my_parser", ["seq:step:2"], {}),
        ("on_parser_stream", "my_parser", ["seq:step:2"], {"chunk": {}}),
    ]
    assert {e["name"] for e in by_name} == {"my_parser"}
    by_type = await collect_events(named_chain().astream_events(PROMPT, version="v1", include_types=["chat_model"]))
    assert by_type[0]["event"] == "on_chat_model_start" and by_type[0]["name"] == "model"
    assert by_type[1]["data"]["chunk"].content == " Here"
    tagged = (ScriptedModel(COUNTRY_TOKENS, name="ChatAnthropic") | JsonOutputParser()).with_config({"tags": ["my_chain"]})
    by_tag = await collect_events(tagged.astream_events(PROMPT, version="v1", include_tags=["my_chain"]))
    assert [(e["event"], e["name"], e["tags"]) for e in by_tag[:3]] == [
        ("on_chain_start", "RunnableSequence", ["my_chain"]),
        ("on_chat_model_start", "ChatAnthropic", ["seq:step:1", "my_chain"]),
        ("on_chat_model_stream", "ChatAnthropic", ["seq:step:1", "my_chain"]),
    ]


async def test_v1_has_no_custom_events_and_no_error_events() -> None:
    async def emits(x: str) -> str:
        await adispatch_custom_event("progress", 1)
        return x

    events = await collect_events(RunnableLambda(emits).astream_events("x", version="v1"))
    assert [e["event"] for e in events] == ["on_chain_start", "on_chain_stream", "on_chain_end"]

    def fails(x: str) -> str:
        raise ValueError("boom")

    seen: list[str] = []
    with pytest.raises(ValueError, match="boom"):
        async with (RunnableLambda(rev) | RunnableLambda(fails)).astream_events("x", version="v1") as stream:
            async for event in stream:
                seen.append(f"{event['event']} {event['name']}")
    # As langchain-core, a failed run's log entry ends with no output.
    assert seen[-1] == "on_chain_end fails"


class State(TypedDict):
    x: int


async def test_v1_on_a_graph() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": s["x"] + 1})
    graph.add_edge(START, "a")
    graph.add_edge("a", END)
    events = await collect_events(graph.compile().astream_events({"x": 1}, version="v1", stream_mode="updates"))
    assert shape(events)[0] == ("on_chain_start", "LangGraph", [], {"input": {"x": 1}})
    assert ("on_chain_stream", "LangGraph", [], {"chunk": {"a": {"x": 2}}}) in shape(events)
    assert shape(events)[-1] == ("on_chain_end", "LangGraph", [], {"output": {"a": {"x": 2}}})
    node = [(e["event"], e["data"]) for e in events if e["name"] == "a"]
    assert node[0] == ("on_chain_start", {"input": {"x": 1}})
    assert node[-1] == ("on_chain_end", {"input": {"x": 1}, "output": {"x": 2}})


async def test_v1_and_astream_log_are_lazy() -> None:
    bad_config: Any = {"bogus": 1}
    events = RunnableLambda(rev).astream_events("x", bad_config, version="v1")  # nothing raised yet
    log = RunnableLambda(rev).astream_log("x", bad_config)
    for stream in (events, log):
        with pytest.raises(TypeError, match=r"Unknown config key\(s\) \['bogus'\]"):
            await collect_events(stream)
