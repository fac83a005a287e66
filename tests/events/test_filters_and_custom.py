"""Event filters (``include_*`` OR-ed, then ``exclude_*``) and custom events."""

from __future__ import annotations

from typing import Any

import pytest
import trio
from _seeds import collect_events

from runtime import (
    RunnableConfig,
    RunnableLambda,
    adispatch_custom_event,
    dispatch_custom_event,
    tool,
)


def reverse(s: str) -> str:
    return s[::-1]


def triple() -> Any:
    r = RunnableLambda(reverse)
    return (
        r.with_config({"run_name": "1"})
        | r.with_config({"run_name": "2", "tags": ["my_tag"]})
        | r.with_config({"run_name": "3", "tags": ["my_tag"]})
    )


def names(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["event"], e["name"]) for e in events]


async def test_include_names() -> None:
    events = await collect_events(triple().astream_events("hello", include_names=["1"]))
    assert names(events) == [("on_chain_start", "1"), ("on_chain_stream", "1"), ("on_chain_end", "1")]
    # As langchain-core: the first event *after* filtering carries the caller's
    # input, and the end of that run carries none.
    assert [e["data"] for e in events] == [{"input": "hello"}, {"chunk": "olleh"}, {"output": "olleh"}]


async def test_include_tags_minus_exclude_names() -> None:
    events = await collect_events(triple().astream_events("hello", include_tags=["my_tag"], exclude_names=["2"]))
    assert names(events) == [("on_chain_start", "3"), ("on_chain_stream", "3"), ("on_chain_end", "3")]
    assert events[0]["tags"] == ["seq:step:3", "my_tag"]
    assert [e["data"] for e in events] == [{"input": "hello"}, {"chunk": "olleh"}, {"output": "olleh"}]


async def test_includes_are_or_ed() -> None:
    events = await collect_events(triple().astream_events("hello", include_names=["1"], include_tags=["my_tag"]))
    assert {e["name"] for e in events} == {"1", "2", "3"}


async def test_include_and_exclude_types() -> None:
    events = await collect_events(triple().astream_events("hello", exclude_types=["chain"]))
    assert events == []
    events = await collect_events(triple().astream_events("hello", include_types=["chain"], exclude_tags=["my_tag"]))
    assert [(e["event"], e["name"], e["data"]) for e in events] == [
        ("on_chain_start", "RunnableSequence", {"input": "hello"}),
        ("on_chain_start", "1", {}),
        ("on_chain_stream", "1", {"chunk": "olleh"}),
        ("on_chain_end", "1", {"output": "olleh", "input": "hello"}),
        ("on_chain_stream", "RunnableSequence", {"chunk": "olleh"}),
        ("on_chain_end", "RunnableSequence", {"output": "olleh"}),
    ]


async def emits_custom(x: str, config: RunnableConfig) -> str:
    await adispatch_custom_event("progress", {"step": 1}, config=config)
    await adispatch_custom_event("other", "data")
    return x


async def test_custom_events_and_their_type_is_their_name() -> None:
    runnable = RunnableLambda(emits_custom)
    events = await collect_events(runnable.astream_events("hi"))
    customs = [e for e in events if e["event"] == "on_custom_event"]
    assert [(e["name"], e["data"]) for e in customs] == [("progress", {"step": 1}), ("other", "data")]
    assert all(e["run_id"] == events[0]["run_id"] and e["parent_ids"] == [] for e in customs)
    only = await collect_events(runnable.astream_events("hi", include_types=["progress"]))
    assert names(only) == [("on_custom_event", "progress")]
    # The first event let through gets the caller's input, even a custom one (as langchain-core).
    assert only[0]["data"] == {"step": 1, "input": "hi"}
    assert await collect_events(runnable.astream_events("hi", exclude_types=["progress", "other", "chain"])) == []


async def test_sync_dispatch_from_a_worker_thread() -> None:
    def sync_emitter(x: str) -> str:
        dispatch_custom_event("from_thread", {"x": x})
        return x

    events = await collect_events(RunnableLambda(sync_emitter).astream_events("v"))
    assert [(e["name"], e["data"]) for e in events if e["event"] == "on_custom_event"] == [("from_thread", {"x": "v"})]

    @tool
    def sync_tool(x: str) -> str:
        """Emits from a sync tool."""
        dispatch_custom_event("tool_event", x)
        return x

    events = await collect_events(sync_tool.astream_events("y"))
    custom = next(e for e in events if e["event"] == "on_custom_event")
    assert custom["run_id"] == events[0]["run_id"] and custom["data"] == "y"


async def test_dispatch_without_a_handler_is_a_no_op_and_outside_a_run_raises() -> None:
    assert await RunnableLambda(emits_custom).ainvoke("quiet") == "quiet"  # in a run, no handler: nothing to do

    @tool
    async def quiet_tool(q: str) -> str:
        """Dispatches with nobody listening."""
        await adispatch_custom_event("e", 1)
        return q

    assert await quiet_tool.ainvoke("z") == "z"
    # Outside any run langchain-core raises, handler or not.
    with pytest.raises(RuntimeError, match="without a parent run"):
        await adispatch_custom_event("nobody", 1)
    with pytest.raises(RuntimeError, match="without a parent run"):
        await trio.to_thread.run_sync(lambda: dispatch_custom_event("nobody", 1))
    from runtime.tracing import EventFilter, EventStreamHandler
    from actors import Mailbox

    handler = EventStreamHandler(Mailbox(4), None, EventFilter.of())
    with pytest.raises(RuntimeError, match="without a parent run"):
        await adispatch_custom_event("orphan", 1, config={"callbacks": [handler]})


async def test_sync_dispatch_on_the_trio_thread_is_refused() -> None:
    async def on_loop(x: str) -> str:
        dispatch_custom_event("bad", 1)
        return x

    with pytest.raises(RuntimeError, match="adispatch_custom_event"):
        await collect_events(RunnableLambda(on_loop).astream_events("x"))
    await trio.lowlevel.checkpoint()
