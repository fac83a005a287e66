"""Errors reach the event stream (deliberate difference 4).

A failing run reports ``on_<type>_error`` (``data: {"error", "input"}``), then
every enclosing run does, innermost first, and only then does the original
exception come out of the iterator. Cancelled runs report nothing.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest
import trio

from graphs import START, StateGraph, ToolNode
from runtime import FakeListChatModel, RunnableLambda, StrOutputParser, tool
from runtime.messages import AIMessage, ToolMessage


class State(TypedDict):
    items: Annotated[list[str], operator.add]


async def events_then_error(stream: Any, error_type: type[BaseException]) -> tuple[list[dict[str, Any]], BaseException]:
    events: list[dict[str, Any]] = []
    with pytest.raises(error_type) as caught:
        async with stream as items:
            async for event in items:
                events.append(event)
    return events, caught.value


async def test_failing_node_then_graph_report_on_chain_error_before_the_error_propagates() -> None:
    def boom(state: State) -> dict[str, Any]:
        raise KeyError("boom")

    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"items": ["a"]})
    graph.add_node("boom", boom)
    graph.add_edge(START, "a")
    graph.add_edge("a", "boom")
    events, error = await events_then_error(graph.compile().astream_events({"items": []}, version="v2"), KeyError)
    assert [(e["event"], e["name"]) for e in events[-3:]] == [
        ("on_chain_start", "boom"),
        ("on_chain_error", "boom"),
        ("on_chain_error", "LangGraph"),
    ]
    node_error, root_error = events[-2:]
    assert node_error["data"]["error"] is error and root_error["data"]["error"] is error
    assert node_error["data"]["input"] == {"items": ["a"]}
    assert root_error["data"]["input"] == {"items": []}
    assert node_error["tags"] == ["graph:step:2"]
    assert any("boom" in note for note in getattr(error, "__notes__", ()))


async def test_error_deep_inside_a_subgraph_reports_innermost_first() -> None:
    def inner_fails(state: State) -> dict[str, Any]:
        raise ValueError("deep")

    inner = StateGraph(State)
    inner.add_node("inner", inner_fails)
    inner.add_edge(START, "inner")
    outer = StateGraph(State)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    events, error = await events_then_error(outer.compile().astream_events({"items": []}, version="v2"), ValueError)
    errors = [(e["name"], e["tags"]) for e in events if e["event"] == "on_chain_error"]
    assert errors == [("inner", ["graph:step:1"]), ("LangGraph", ["seq:step:1"]), ("sub", ["graph:step:1"]), ("LangGraph", [])]
    assert str(error) == "deep"


async def test_errors_in_plain_chains() -> None:
    def fail(x: Any) -> Any:
        raise RuntimeError("fail")

    chain = RunnableLambda(lambda x: "ok", name="success") | RunnableLambda(fail)
    events, _ = await events_then_error(chain.astream_events("q", version="v2"), RuntimeError)
    assert [(e["event"], e["name"]) for e in events] == [
        ("on_chain_start", "RunnableSequence"),
        ("on_chain_start", "success"),
        ("on_chain_stream", "success"),
        ("on_chain_start", "fail"),
        ("on_chain_end", "success"),
        ("on_chain_error", "fail"),
        ("on_chain_error", "RunnableSequence"),
    ]
    assert events[-2]["data"]["input"] == "ok"

    async def nested(x: Any) -> Any:
        return await RunnableLambda(fail).ainvoke(x)

    events, _ = await events_then_error(RunnableLambda(nested).astream_events("q", version="v2"), RuntimeError)
    assert [(e["event"], e["name"]) for e in events] == [
        ("on_chain_start", "nested"),
        ("on_chain_start", "fail"),
        ("on_chain_error", "fail"),
        ("on_chain_error", "nested"),
    ]


async def test_chat_model_error_reports_on_chat_model_error() -> None:
    model = FakeListChatModel(["hello"], error_on_chunk_number=2)
    events, error = await events_then_error((model | StrOutputParser()).astream_events("x", version="v2"), Exception)
    assert str(error) == "Fake error"
    assert [(e["event"], e["name"]) for e in events if e["event"].endswith("_error")] == [
        ("on_chat_model_error", "FakeListChatModel"),
        ("on_parser_error", "StrOutputParser"),
        ("on_chain_error", "RunnableSequence"),
    ]


@tool
def divide(a: int, b: int) -> float:
    """Divide a by b."""
    return a / b


async def test_on_tool_error_carries_the_tool_call_id() -> None:
    call = {"name": "divide", "args": {"a": 1, "b": 0}, "id": "call-7", "type": "tool_call"}
    events, error = await events_then_error(divide.astream_events(call, version="v2"), ZeroDivisionError)
    assert [e["event"] for e in events] == ["on_tool_start", "on_tool_error"]
    assert events[1]["data"] == {"error": error, "input": {"a": 1, "b": 0}, "tool_call_id": "call-7"}


async def test_handled_tool_error_in_a_tool_node_still_shows_on_tool_error() -> None:
    node = ToolNode([divide], handle_tool_errors=True)
    message = AIMessage("", tool_calls=[{"name": "divide", "args": {"a": 1, "b": 0}, "id": "c1"}])
    events = [e async for e in node.astream_events({"messages": [message]}, version="v2")]
    assert [e["event"] for e in events] == ["on_tool_start", "on_tool_error"]
    result = await node.ainvoke({"messages": [message]})
    (tool_message,) = result["messages"]
    assert isinstance(tool_message, ToolMessage) and tool_message.status == "error"
    assert tool_message.content == "Error: ZeroDivisionError('division by zero')\n Please fix your mistakes."


async def test_cancelled_siblings_report_nothing() -> None:
    async def hangs(state: State) -> dict[str, Any]:
        await trio.sleep_forever()
        return {}

    async def fails(state: State) -> dict[str, Any]:
        await trio.sleep(0)
        raise LookupError("x")

    graph = StateGraph(State)
    graph.add_node("hangs", hangs)
    graph.add_node("fails", fails)
    graph.add_edge(START, "hangs")
    graph.add_edge(START, "fails")
    events, _ = await events_then_error(graph.compile().astream_events({"items": []}, version="v2"), LookupError)
    hang_events = [e["event"] for e in events if e["name"] == "hangs"]
    assert hang_events == ["on_chain_start"]
    assert [e["name"] for e in events if e["event"] == "on_chain_error"] == ["fails", "LangGraph"]
