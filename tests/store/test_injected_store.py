"""``InjectedStore``: a tool parameter filled with the graph's store by ``ToolNode``
(LangGraph 1.2's behaviour, checked on the same graph)."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from graphs import (
    START,
    BaseStore,
    InjectedStore,
    InMemoryStore,
    MessagesState,
    StateGraph,
    ToolNode,
)
from runtime.messages import AIMessage
from runtime.tools import tool


@tool
def remember(key: str, value: str, store: Annotated[Any, InjectedStore()]) -> str:
    """Remember a value."""
    store.put(("mem",), key, {"v": value})
    return f"saved {key}"


@tool
def recall(key: str, memory: Annotated[BaseStore, InjectedStore]) -> str:
    """Recall a value."""
    item = memory.get(("mem",), key)
    return item.value["v"] if item else "nothing"


def calls(*pairs: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    tool_calls = [{"name": name, "args": args, "id": str(i), "type": "tool_call"} for i, (name, args) in enumerate(pairs)]
    return {"messages": [AIMessage("", tool_calls=tool_calls)]}


def tools_graph() -> StateGraph:
    graph = StateGraph(MessagesState)
    graph.add_node("tools", ToolNode([remember, recall]))
    graph.add_edge(START, "tools")
    return graph


def test_the_store_parameter_is_not_in_the_schema() -> None:
    assert remember.args == {"key": {"title": "Key", "type": "string"}, "value": {"title": "Value", "type": "string"}}
    assert list(recall.args) == ["key"]
    # As in LangChain: the model's schema leaves it out, the tool's input schema (args_schema) has it.
    assert remember.tool_call_schema["required"] == ["key", "value"]
    assert remember.args_schema["required"] == ["key", "value", "store"]


def test_a_tool_node_fills_it_with_the_graphs_store() -> None:
    store = InMemoryStore()
    app = tools_graph().compile(store=store)
    out = app.invoke(calls(("remember", {"key": "k", "value": "v"})))
    assert out["messages"][-1].content == "saved k"
    assert store.get(("mem",), "k").value == {"v": "v"}  # type: ignore[union-attr]
    out = app.invoke(calls(("recall", {"key": "k"}), ("recall", {"key": "other"})))
    assert [m.content for m in out["messages"][-2:]] == ["v", "nothing"]


def test_without_a_store_the_call_fails_as_in_langgraph() -> None:
    with pytest.raises(ValueError, match="Cannot inject store into tools with InjectedStore annotations"):
        tools_graph().compile().invoke(calls(("remember", {"key": "k", "value": "v"})))


def test_called_by_hand_the_store_is_passed_explicitly() -> None:
    store = InMemoryStore()
    assert remember.invoke({"key": "a", "value": "b", "store": store}) == "saved a"
    assert store.get(("mem",), "a").value == {"v": "b"}  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="compile your graph with a store"):
        remember.invoke({"key": "a", "value": "b"})
