"""The v2 event stream of plain runnables, event by event, as langchain-core produces it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from _seeds import collect_events, strip_ids

from runtime import (
    Document,
    InMemoryRetriever,
    Runnable,
    RunnableConfig,
    RunnableGenerator,
    RunnableLambda,
    tool,
)


def reverse(s: str) -> str:
    return s[::-1]


def ev(event: str, name: str, data: dict[str, Any], tags: list[str] | None = None, metadata: Any = None) -> dict[str, Any]:
    return {"event": event, "name": name, "tags": tags or [], "metadata": metadata or {}, "data": data}


async def test_single_lambda() -> None:
    events = await collect_events(RunnableLambda(reverse).astream_events("hello", version="v2"))
    assert strip_ids(events) == [
        ev("on_chain_start", "reverse", {"input": "hello"}),
        ev("on_chain_stream", "reverse", {"chunk": "olleh"}),
        ev("on_chain_end", "reverse", {"output": "olleh"}),
    ]
    assert all(e["parent_ids"] == [] for e in events)
    assert len({e["run_id"] for e in events}) == 1
    uuid.UUID(events[0]["run_id"])


async def test_triple_lambda_interleaves_like_langchain() -> None:
    r = RunnableLambda(reverse)
    chain = r.with_config({"run_name": "1"}) | r.with_config({"run_name": "2"}) | r.with_config({"run_name": "3"})
    events = await collect_events(chain.astream_events("hello", version="v2"))
    assert strip_ids(events) == [
        ev("on_chain_start", "RunnableSequence", {"input": "hello"}),
        ev("on_chain_start", "1", {}, ["seq:step:1"]),
        ev("on_chain_stream", "1", {"chunk": "olleh"}, ["seq:step:1"]),
        ev("on_chain_start", "2", {}, ["seq:step:2"]),
        ev("on_chain_end", "1", {"input": "hello", "output": "olleh"}, ["seq:step:1"]),
        ev("on_chain_stream", "2", {"chunk": "hello"}, ["seq:step:2"]),
        ev("on_chain_start", "3", {}, ["seq:step:3"]),
        ev("on_chain_end", "2", {"input": "olleh", "output": "hello"}, ["seq:step:2"]),
        ev("on_chain_stream", "3", {"chunk": "olleh"}, ["seq:step:3"]),
        ev("on_chain_stream", "RunnableSequence", {"chunk": "olleh"}),
        ev("on_chain_end", "3", {"input": "hello", "output": "olleh"}, ["seq:step:3"]),
        ev("on_chain_end", "RunnableSequence", {"output": "olleh"}),
    ]
    root = events[0]["run_id"]
    assert all(e["parent_ids"] == [root] for e in events[1:-1] if e["name"] != "RunnableSequence")


async def test_function_then_tool() -> None:
    def foo(x: Any) -> dict[str, int]:
        return {"x": 5}

    @tool
    def get_docs(x: int) -> list[Document]:
        """Hello Doc"""
        return [Document(page_content="hello")]

    events = await collect_events((RunnableLambda(foo) | get_docs).astream_events({}, version="v2"))
    assert strip_ids(events) == [
        ev("on_chain_start", "RunnableSequence", {"input": {}}),
        ev("on_chain_start", "foo", {}, ["seq:step:1"]),
        ev("on_chain_stream", "foo", {"chunk": {"x": 5}}, ["seq:step:1"]),
        ev("on_chain_end", "foo", {"input": {}, "output": {"x": 5}}, ["seq:step:1"]),
        ev("on_tool_start", "get_docs", {"input": {"x": 5}}, ["seq:step:2"]),
        ev("on_tool_end", "get_docs", {"input": {"x": 5}, "output": [Document(page_content="hello")]}, ["seq:step:2"]),
        ev("on_chain_stream", "RunnableSequence", {"chunk": [Document(page_content="hello")]}),
        ev("on_chain_end", "RunnableSequence", {"output": [Document(page_content="hello")]}),
    ]


async def test_retriever_then_formatter() -> None:
    docs = [Document("hello world!", metadata={"foo": "bar"}), Document("goodbye world!", metadata={"food": "spare"})]
    retriever = InMemoryRetriever(docs)

    def format_docs(documents: list[Document]) -> str:
        return ", ".join(d.page_content for d in documents)

    events = await collect_events((retriever | format_docs).astream_events("hello", version="v2"))
    assert strip_ids(events) == [
        ev("on_chain_start", "RunnableSequence", {"input": "hello"}),
        ev("on_retriever_start", "InMemoryRetriever", {"input": {"query": "hello"}}, ["seq:step:1"]),
        ev("on_retriever_end", "InMemoryRetriever", {"input": {"query": "hello"}, "output": docs}, ["seq:step:1"]),
        ev("on_chain_start", "format_docs", {}, ["seq:step:2"]),
        ev("on_chain_stream", "format_docs", {"chunk": "hello world!, goodbye world!"}, ["seq:step:2"]),
        ev("on_chain_stream", "RunnableSequence", {"chunk": "hello world!, goodbye world!"}),
        ev("on_chain_end", "format_docs", {"input": docs, "output": "hello world!, goodbye world!"}, ["seq:step:2"]),
        ev("on_chain_end", "RunnableSequence", {"output": "hello world!, goodbye world!"}),
    ]


async def test_nested_invoke_inside_a_lambda_and_explicit_run_ids() -> None:
    @RunnableLambda
    async def grandchild(x: str) -> str:
        return x

    @RunnableLambda
    async def child(x: str, config: RunnableConfig) -> str:
        config["run_id"] = uuid.UUID(int=9)
        return await grandchild.ainvoke(x, config)

    @RunnableLambda
    async def parent(x: str, config: RunnableConfig) -> str:
        config["run_id"] = uuid.UUID(int=8)
        return await child.ainvoke(x, config)

    events = await collect_events(parent.astream_events("hello", {"run_id": uuid.UUID(int=7)}, version="v2"))
    ids = [(e["event"], e["name"], e["run_id"], e["parent_ids"]) for e in events]
    seven, eight, nine = (str(uuid.UUID(int=n)) for n in (7, 8, 9))
    assert ids == [
        ("on_chain_start", "parent", seven, []),
        ("on_chain_start", "child", eight, [seven]),
        ("on_chain_start", "grandchild", nine, [seven, eight]),
        ("on_chain_end", "grandchild", nine, [seven, eight]),
        ("on_chain_end", "child", eight, [seven]),
        ("on_chain_stream", "parent", seven, []),
        ("on_chain_end", "parent", seven, []),
    ]


async def test_nested_stream_inside_a_lambda() -> None:
    add_one = RunnableLambda(lambda x: x + 1, name="add_one")

    async def add_one_proxy(x: int, config: RunnableConfig) -> int:
        return [r async for r in add_one.astream(x, config)][0]

    def add_one_proxy_sync(x: int, config: RunnableConfig) -> int:
        return list(add_one.stream(x, config))[0]

    for proxy in (add_one_proxy, add_one_proxy_sync):
        events = await collect_events(RunnableLambda(proxy, name="add_one_proxy").astream_events(1, version="v2"))
        assert strip_ids(events) == [
            ev("on_chain_start", "add_one_proxy", {"input": 1}),
            ev("on_chain_start", "add_one", {}),
            ev("on_chain_stream", "add_one", {"chunk": 2}),
            ev("on_chain_end", "add_one", {"input": 1, "output": 2}),
            ev("on_chain_stream", "add_one_proxy", {"chunk": 2}),
            ev("on_chain_end", "add_one_proxy", {"output": 2}),
        ]


async def test_runnable_generator() -> None:
    async def generator(inputs: AsyncIterator[str]) -> AsyncIterator[str]:
        yield "1"
        yield "2"

    events = await collect_events(RunnableGenerator(generator).astream_events("hello", version="v2"))
    assert strip_ids(events) == [
        ev("on_chain_start", "generator", {"input": "hello"}),
        ev("on_chain_stream", "generator", {"chunk": "1"}),
        ev("on_chain_stream", "generator", {"chunk": "2"}),
        ev("on_chain_end", "generator", {"output": "12"}),
    ]


async def test_custom_runnable_reports_through_the_root_tap() -> None:
    class Uppercase(Runnable[str, str]):
        async def ainvoke(self, input: str, config: Any = None, **kwargs: Any) -> str:
            return input.upper()

    events = await collect_events(Uppercase().astream_events("hi", version="v2"))
    # A runnable that does not trace itself has no run, so no events (as LangChain's
    # default astream, which ends its run before the chunk is streamed_own_events).
    assert events == []


async def test_unknown_versions_are_refused() -> None:
    with pytest.raises(ValueError, match="supports version='v1' and 'v2', got version='v3'"):
        await collect_events(RunnableLambda(reverse).astream_events("x", version="v3"))


async def test_config_tags_and_metadata_reach_every_event() -> None:
    chain = RunnableLambda(reverse) | RunnableLambda(reverse).with_config(tags=["inner"], metadata={"b": 2})
    events = await collect_events(chain.astream_events("ab", {"tags": ["outer"], "metadata": {"a": 1}}, version="v2"))
    assert events[0]["tags"] == ["outer"] and events[0]["metadata"] == {"a": 1}
    steps = [e for e in events if e["event"] == "on_chain_start" and e["name"] == "reverse"]
    assert steps[0]["tags"] == ["seq:step:1", "outer"] and steps[0]["metadata"] == {"a": 1}
    assert steps[1]["tags"] == ["seq:step:2", "inner", "outer"] and steps[1]["metadata"] == {"a": 1, "b": 2}
