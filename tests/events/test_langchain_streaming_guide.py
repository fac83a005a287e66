"""Seed 001 (LangChain's streaming guide) as a test suite, with fakes in place of providers.

Where the seed shows ``version="v1"`` output, these expectations are v2's:
``parent_ids`` on every event, no ``on_tool_stream`` for a tool that does not
stream (the seed's v1 examples themselves are in ``test_events_v1.py``). One deliberate difference: runnables called
inside a tool report their events even when the tool does not pass
``callbacks`` on — the config reaches them through the context.
"""

from __future__ import annotations

import itertools
from typing import Any

from _seeds import COUNTRY_TOKENS, PROMPT, SEED_JSON_OUTPUTS, ScriptedModel, collect_events, strip_ids

from runtime import (
    GenericFakeChatModel,
    InMemoryRetriever,
    JsonOutputParser,
    RunnableLambda,
    RunnablePassthrough,
    StrOutputParser,
    chain,
    tool,
)
from runtime.messages import AIMessage, AIMessageChunk, HumanMessage


def extract_country_names(inputs: Any) -> Any:
    if not isinstance(inputs, dict) or "countries" not in inputs:
        return ""
    countries = inputs["countries"]
    if not isinstance(countries, list):
        return ""
    return [country.get("name") for country in countries if isinstance(country, dict)]


async def extract_country_names_streaming(input_stream: Any) -> Any:
    so_far: set[str] = set()
    async for input in input_stream:
        if not isinstance(input, dict) or not isinstance(input.get("countries"), list):
            continue
        for country in input["countries"]:
            name = country.get("name")
            if name and name not in so_far:
                yield name
                so_far.add(name)


# -- using stream ------------------------------------------------------------------
async def test_model_astream_yields_addable_chunks() -> None:
    model = ScriptedModel([" Hello", "!", " My", " name", " is", " Claude", "."])
    chunks = [chunk async for chunk in model.astream("hello. tell me something about yourself")]
    assert chunks[0].content == " Hello"
    assert isinstance(chunks[0], AIMessageChunk)
    assert (chunks[0] + chunks[1] + chunks[2] + chunks[3] + chunks[4]).content == " Hello! My name is"


async def test_prompt_model_parser_chain_streams_tokens() -> None:
    prompt = RunnableLambda(lambda d: f"tell me a joke about {d['topic']}")
    model = GenericFakeChatModel(itertools.cycle([AIMessage("Here's a silly joke about a parrot")]))
    chain_ = prompt | model | StrOutputParser()
    pieces = [piece async for piece in chain_.astream({"topic": "parrot"})]
    assert pieces == ["Here's", " ", "a", " ", "silly", " ", "joke", " ", "about", " ", "a", " ", "parrot"]


async def test_json_parser_streams_the_seeds_partial_outputs() -> None:
    chain_ = ScriptedModel(COUNTRY_TOKENS) | JsonOutputParser()
    assert [value async for value in chain_.astream(PROMPT)] == SEED_JSON_OUTPUTS


async def test_breaking_the_stream_and_the_generator_that_fixes_it() -> None:
    broken = ScriptedModel(COUNTRY_TOKENS) | JsonOutputParser() | extract_country_names
    assert [c async for c in broken.astream(PROMPT)] == [["France", "Spain", "Japan"]]
    fixed = ScriptedModel(COUNTRY_TOKENS) | JsonOutputParser() | extract_country_names_streaming
    assert [c async for c in fixed.astream(PROMPT)] == ["France", "Sp", "Spain", "Japan"]


async def test_non_streaming_retriever_and_a_retrieval_chain_that_still_streams() -> None:
    retriever = InMemoryRetriever(["harrison worked at kensho", "harrison likes spicy food"])
    chunks = [chunk async for chunk in retriever.astream("where did harrison work?")]
    assert len(chunks) == 1
    assert [d.page_content for d in chunks[0]] == ["harrison worked at kensho", "harrison likes spicy food"]

    def prompt(inputs: dict[str, Any]) -> list[Any]:
        context = "\n".join(d.page_content for d in inputs["context"])
        return [HumanMessage(f"Answer based only on:\n{context}\n\nQuestion: {inputs['question']}")]

    model = GenericFakeChatModel(itertools.cycle(["Harrison worked at Kensho."]))
    retrieval_chain = (
        {"context": retriever.with_config(run_name="Docs"), "question": RunnablePassthrough()}
        | RunnableLambda(prompt)
        | model
        | StrOutputParser()
    )
    pieces = [p async for p in retrieval_chain.astream("Where did harrison work?")]
    assert pieces == ["Harrison", " ", "worked", " ", "at", " ", "Kensho."]
    events = await collect_events(retrieval_chain.astream_events("Where did harrison work?"))
    docs = [e for e in events if e["name"] == "Docs"]
    assert [e["event"] for e in docs] == ["on_retriever_start", "on_retriever_end"]
    assert docs[0]["data"] == {"input": {"query": "Where did harrison work?"}}
    assert docs[0]["tags"] == ["map:key:context"]


# -- using stream events -------------------------------------------------------------
async def test_chat_model_events() -> None:
    model = ScriptedModel([" Hello", "!"], name="ChatAnthropic")
    events = await collect_events(model.astream_events("hello", version="v2"))
    assert strip_ids(events[:3]) == [
        {"event": "on_chat_model_start", "name": "ChatAnthropic", "tags": [], "metadata": events[0]["metadata"],
         "data": {"input": "hello"}},
        {"event": "on_chat_model_stream", "name": "ChatAnthropic", "tags": [], "metadata": events[0]["metadata"],
         "data": {"chunk": AIMessageChunk(" Hello", id=events[1]["data"]["chunk"].id)}},
        {"event": "on_chat_model_stream", "name": "ChatAnthropic", "tags": [], "metadata": events[0]["metadata"],
         "data": {"chunk": AIMessageChunk("!", id=events[1]["data"]["chunk"].id)}},
    ]
    assert events[-2]["data"]["chunk"].content == ""
    assert events[-1]["event"] == "on_chat_model_end"
    assert events[-1]["data"]["output"].content == " Hello!"
    assert isinstance(events[-1]["data"]["output"], AIMessageChunk)


async def test_chain_events_start_with_chain_model_and_parser() -> None:
    chain_ = ScriptedModel(COUNTRY_TOKENS, name="ChatAnthropic") | JsonOutputParser()
    events = await collect_events(chain_.astream_events(PROMPT, version="v2"))
    # Three start events (chain, model, parser). As in LangChain v2 (the seed shows
    # v1), a step that consumes a stream starts once its first input chunk arrives,
    # so the parser's start follows the model's first token.
    first = strip_ids([e for e in events if e["event"].endswith("_start")])
    assert [e["event"] for e in events[:4]] == [
        "on_chain_start", "on_chat_model_start", "on_chat_model_stream", "on_parser_start"
    ]
    assert [(e["event"], e["name"], e["tags"]) for e in first] == [
        ("on_chain_start", "RunnableSequence", []),
        ("on_chat_model_start", "ChatAnthropic", ["seq:step:1"]),
        ("on_parser_start", "JsonOutputParser", ["seq:step:2"]),
    ]
    assert first[0]["data"] == {"input": PROMPT}
    assert first[1]["data"] == {"input": {"messages": [[HumanMessage(PROMPT)]]}}
    assert first[2]["data"] == {}
    model_chunks = [e["data"]["chunk"].content for e in events if e["event"] == "on_chat_model_stream"]
    assert model_chunks[: len(COUNTRY_TOKENS)] == COUNTRY_TOKENS
    parser_chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_parser_stream"]
    assert parser_chunks == SEED_JSON_OUTPUTS
    kinds = [e["event"] for e in events]
    assert kinds.index("on_parser_stream") < len(kinds) - 1 - kinds[::-1].index("on_chat_model_stream")


def named_chain() -> Any:
    return ScriptedModel(COUNTRY_TOKENS).with_config({"run_name": "model"}) | JsonOutputParser().with_config(
        {"run_name": "my_parser"}
    )


async def test_filter_by_name() -> None:
    events = await collect_events(named_chain().astream_events(PROMPT, version="v2", include_names=["my_parser"]))
    assert {e["name"] for e in events} == {"my_parser"}
    assert events[0]["event"] == "on_parser_start" and events[0]["tags"] == ["seq:step:2"]
    assert [e["data"]["chunk"] for e in events if e["event"] == "on_parser_stream"] == SEED_JSON_OUTPUTS
    assert events[-1]["event"] == "on_parser_end"


async def test_filter_by_type() -> None:
    events = await collect_events(named_chain().astream_events(PROMPT, version="v2", include_types=["chat_model"]))
    assert {(e["name"], e["event"][: len("on_chat_model")]) for e in events} == {("model", "on_chat_model")}
    assert events[0]["event"] == "on_chat_model_start"
    assert events[0]["tags"] == ["seq:step:1"]
    assert events[1]["data"]["chunk"].content == " Here"


async def test_filter_by_tag_includes_children_that_inherit_it() -> None:
    tagged = (ScriptedModel(COUNTRY_TOKENS, name="ChatAnthropic") | JsonOutputParser()).with_config({"tags": ["my_chain"]})
    events = await collect_events(tagged.astream_events(PROMPT, version="v2", include_tags=["my_chain"]))
    starts = [(e["event"], e["name"], e["tags"]) for e in events if e["event"].endswith("_start")]
    assert starts == [
        ("on_chain_start", "RunnableSequence", ["my_chain"]),
        ("on_chat_model_start", "ChatAnthropic", ["seq:step:1", "my_chain"]),
        ("on_parser_start", "JsonOutputParser", ["seq:step:2", "my_chain"]),
    ]


async def test_events_still_stream_through_a_step_that_breaks_streaming() -> None:
    chain_ = ScriptedModel(COUNTRY_TOKENS) | JsonOutputParser() | extract_country_names
    assert [c async for c in chain_.astream(PROMPT)] == [["France", "Spain", "Japan"]]
    events = await collect_events(chain_.astream_events(PROMPT, version="v2"))
    kinds = [e["event"] for e in events]
    assert kinds.count("on_chat_model_stream") == len(COUNTRY_TOKENS) + 1  # the closing empty chunk
    assert [e["data"]["chunk"] for e in events if e["event"] == "on_parser_stream"] == SEED_JSON_OUTPUTS
    root_chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_chain_stream" and e["name"] == "RunnableSequence"]
    assert root_chunks == [["France", "Spain", "Japan"]]


# -- propagating callbacks -------------------------------------------------------------
reverse_word = RunnableLambda(lambda word: word[::-1], name="reverse_word")


@tool
def bad_tool(word: str) -> str:
    """A custom tool that doesn't propagate callbacks."""
    return reverse_word.invoke(word)


@tool
def correct_tool(word: str, callbacks: Any) -> str:
    """A tool that correctly propagates callbacks."""
    return reverse_word.invoke(word, {"callbacks": callbacks})


TOOL_EVENTS = [
    ("on_tool_start", "bad_tool", {"input": "hello"}),
    ("on_chain_start", "reverse_word", {"input": "hello"}),
    ("on_chain_end", "reverse_word", {"input": "hello", "output": "olleh"}),
    ("on_tool_end", "bad_tool", {"output": "olleh"}),
]


async def test_inner_events_of_a_tool_appear_without_passing_callbacks() -> None:
    events = await collect_events(bad_tool.astream_events("hello", version="v2"))
    assert [(e["event"], e["name"], e["data"]) for e in events] == TOOL_EVENTS
    assert events[1]["parent_ids"] == [events[0]["run_id"]]


async def test_passing_callbacks_on_by_hand_adds_no_duplicates() -> None:
    events = await collect_events(correct_tool.astream_events("hello", version="v2"))
    expected = [(kind, "correct_tool" if name == "bad_tool" else name, data) for kind, name, data in TOOL_EVENTS]
    assert [(e["event"], e["name"], e["data"]) for e in events] == expected
    assert "callbacks" not in correct_tool.args


async def test_callbacks_propagate_through_lambdas_and_chain() -> None:
    async def reverse_and_double(word: str) -> str:
        return await reverse_word.ainvoke(word) * 2

    expected = [
        ("on_chain_start", "reverse_and_double", {"input": "1234"}),
        ("on_chain_start", "reverse_word", {"input": "1234"}),
        ("on_chain_end", "reverse_word", {"input": "1234", "output": "4321"}),
        ("on_chain_stream", "reverse_and_double", {"chunk": "43214321"}),
        ("on_chain_end", "reverse_and_double", {"output": "43214321"}),
    ]
    for runnable in (RunnableLambda(reverse_and_double), chain(reverse_and_double)):
        assert await runnable.ainvoke("1234") == "43214321"
        events = await collect_events(runnable.astream_events("1234", version="v2"))
        assert [(e["event"], e["name"], e["data"]) for e in events] == expected
