"""``stream_mode="messages"`` (docs/streaming.md) and deliberate difference 7 (docs/differences.md)."""

from __future__ import annotations

import itertools
from typing import Any

from graphs import START, Command, MessagesState, StateGraph, ToolNode
from runtime import (
    FakeMessagesListChatModel,
    GenericFakeChatModel,
    RunnableConfig,
    tool,
)
from runtime.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from runtime.scheduler import PULL

INPUT = {"messages": [HumanMessage("hi", id="h1")]}


def one_node_graph(node: Any) -> Any:
    graph = StateGraph(MessagesState)
    graph.add_node("call", node)
    graph.add_edge(START, "call")
    return graph.compile()


def fake(text: str = "hello there", id: str | None = "m1", **kwargs: Any) -> GenericFakeChatModel:
    return GenericFakeChatModel(itertools.cycle([AIMessage(text, id=id)]), **kwargs)


async def messages(app: Any, config: RunnableConfig | None = None, **kwargs: Any) -> list[Any]:
    async with app.astream(INPUT, config, stream_mode="messages", **kwargs) as stream:
        return [item async for item in stream]


async def test_invoke_inside_a_node_streams_tokens_exactly_like_stream() -> None:
    model = fake()

    async def via_invoke(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    async def via_stream(state: MessagesState) -> dict[str, Any]:
        total = None
        async for chunk in model.astream(state["messages"]):
            total = chunk if total is None else total + chunk
        return {"messages": [total]}

    invoked = await messages(one_node_graph(via_invoke))
    streamed = await messages(one_node_graph(via_stream))
    assert [(type(m).__name__, m.content, m.id) for m, _ in invoked] == [
        ("AIMessageChunk", "hello", "m1"), ("AIMessageChunk", " ", "m1"), ("AIMessageChunk", "there", "m1"),
    ]
    assert [(m.content, m.id, m.chunk_position) for m, _ in invoked] == [
        (m.content, m.id, m.chunk_position) for m, _ in streamed
    ]
    strip = lambda md: {k: v for k, v in md.items() if "checkpoint_ns" not in k}  # noqa: E731 - task ids differ per run
    assert [strip(md) for _, md in invoked] == [strip(md) for _, md in streamed]


async def test_token_metadata() -> None:
    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await fake().ainvoke(state["messages"])]}

    items = await messages(one_node_graph(node), {"configurable": {"thread_id": "t-1"}, "metadata": {"user": "ada"}})
    chunk, metadata = items[0]
    assert isinstance(chunk, AIMessageChunk)
    assert set(metadata) == {
        "user", "thread_id", "ls_integration", "langgraph_step", "langgraph_node", "langgraph_triggers",
        "langgraph_path", "langgraph_checkpoint_ns", "checkpoint_ns", "ls_provider", "ls_model_type",
    }
    assert metadata["user"] == "ada" and metadata["thread_id"] == "t-1"
    assert metadata["langgraph_step"] == 1 and metadata["langgraph_node"] == "call"
    assert metadata["langgraph_triggers"] == ("branch:to:call",)
    assert metadata["langgraph_path"] == (PULL, "call")
    assert metadata["checkpoint_ns"] == metadata["langgraph_checkpoint_ns"]
    assert metadata["checkpoint_ns"].startswith("call:")
    assert metadata["ls_model_type"] == "chat"


async def test_metadata_takes_only_langgraphs_configurable_keys() -> None:
    # LangGraph 1.2 copies thread_id, checkpoint_id, checkpoint_ns, task_id, run_id,
    # assistant_id and graph_id from configurable into the run's metadata; other
    # configurable values (a user id, an API key) stay out. Observed with LangGraph 1.2.
    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await fake().ainvoke(state["messages"]), AIMessage("node", id="n1")]}

    configurable = {"thread_id": "t", "assistant_id": "a", "user_id": "u", "api_key": "secret", "n": 3}
    items = await messages(one_node_graph(node), {"configurable": configurable, "metadata": {"m": 1}, "tags": ["tg"]})
    (_, token_md), (_, node_md) = items[0], items[-1]
    assert set(token_md) == {
        "m", "thread_id", "assistant_id", "tags", "ls_integration", "langgraph_step", "langgraph_node",
        "langgraph_triggers", "langgraph_path", "langgraph_checkpoint_ns", "checkpoint_ns", "ls_provider",
        "ls_model_type",
    }
    assert set(node_md) == {
        "m", "thread_id", "assistant_id", "ls_integration", "langgraph_step", "langgraph_node",
        "langgraph_triggers", "langgraph_path", "langgraph_checkpoint_ns",
    }
    assert node_md["ls_integration"] == "langgraph" and token_md["ls_integration"] == "langchain_chat_model"


async def test_tags_only_when_the_user_gave_tags() -> None:
    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await fake().ainvoke(state["messages"])]}

    items = await messages(one_node_graph(node), {"tags": ["mine"]})
    assert all(md["tags"] == ["mine"] for _, md in items)
    model = fake(tags=["model-tag"])

    async def tagged(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    items = await messages(one_node_graph(tagged))
    assert all(md["tags"] == ["model-tag"] for _, md in items)


async def test_the_final_message_is_not_repeated_from_the_node_output() -> None:
    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await fake(id=None).ainvoke(state["messages"])]}

    items = await messages(one_node_graph(node))
    assert [m.content for m, _ in items] == ["hello", " ", "there"]
    assert len({m.id for m, _ in items}) == 1 and items[0][0].id.startswith("lc_run--")


async def test_a_model_that_cannot_stream_yields_one_whole_message() -> None:
    model = FakeMessagesListChatModel([AIMessage("whole reply", id="w1")])

    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    items = await messages(one_node_graph(node))
    assert len(items) == 1
    message, metadata = items[0]
    assert message == AIMessage("whole reply", id="w1")
    assert metadata["ls_model_type"] == "chat"


async def test_node_returned_messages_show_up_once_with_node_metadata() -> None:
    def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [*state["messages"], AIMessage("no llm here", id="n1")]}

    items = await messages(one_node_graph(node), {"configurable": {"thread_id": "t"}})
    assert [m for m, _ in items] == [AIMessage("no llm here", id="n1")]
    metadata = items[0][1]
    assert metadata["ls_integration"] == "langgraph" and metadata["langgraph_node"] == "call"
    assert metadata["thread_id"] == "t"
    assert "checkpoint_ns" not in metadata and not any(k.startswith("ls_provider") for k in metadata)


async def test_nostream_model_sends_no_tokens_but_its_message_arrives_once() -> None:
    model = fake(text="quiet reply", id="q1").with_config(tags=["nostream"])

    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    items = await messages(one_node_graph(node))
    assert [(type(m).__name__, m.content) for m, _ in items] == [("AIMessage", "quiet reply")]
    assert items[0][1]["ls_integration"] == "langgraph"


async def test_command_updates_and_tool_messages() -> None:
    def node(state: MessagesState) -> Command[Any]:
        return Command(update={"messages": [AIMessage("via command", id="c1")]})

    assert [m.content for m, _ in await messages(one_node_graph(node))] == ["via command"]

    @tool
    def echo(x: str) -> str:
        """Echo."""
        return x

    graph = StateGraph(MessagesState)
    graph.add_node("ai", lambda s: {"messages": [AIMessage("", id="a", tool_calls=[{"name": "echo", "args": {"x": "y"}, "id": "e"}])]})
    graph.add_node("tools", ToolNode([echo]))
    graph.add_edge(START, "ai")
    graph.add_edge("ai", "tools")
    items = await messages(graph.compile())
    assert [type(m).__name__ for m, _ in items] == ["AIMessage", "ToolMessage"]
    assert isinstance(items[1][0], ToolMessage) and items[1][1]["langgraph_node"] == "tools"


def with_subgraph(model: Any) -> Any:
    async def inner(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    sub = StateGraph(MessagesState)
    sub.add_node("inner", inner)
    sub.add_edge(START, "inner")
    graph = StateGraph(MessagesState)
    graph.add_node("sub", sub.compile())
    graph.add_edge(START, "sub")
    return graph.compile()


async def test_subgraph_tokens_are_suppressed_but_its_output_messages_arrive() -> None:
    items = await messages(with_subgraph(fake(text="deep reply", id="d1")))
    assert [(type(m).__name__, m.content) for m, _ in items] == [("AIMessage", "deep reply")]
    assert items[0][1]["langgraph_node"] == "sub"


async def test_subgraph_tokens_with_their_namespace_when_asked() -> None:
    items = await messages(with_subgraph(fake(text="deep reply", id="d1")), subgraphs=True)
    assert [(type(m).__name__, m.content) for _, (m, _) in items] == [
        ("AIMessageChunk", "deep"), ("AIMessageChunk", " "), ("AIMessageChunk", "reply"),
    ]
    namespace, (_, metadata) = items[0]
    assert len(namespace) == 1 and namespace[0].startswith("sub:")
    assert metadata["langgraph_node"] == "inner" and metadata["langgraph_step"] == 1
    assert metadata["langgraph_checkpoint_ns"].startswith(namespace[0] + "|inner:")
    assert metadata["checkpoint_ns"] == namespace[0]
    assert all(ns == namespace for ns, _ in items)


async def test_shapes_with_several_modes_and_v2() -> None:
    async def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await fake(text="a b").ainvoke(state["messages"])]}

    app = one_node_graph(node)
    items = [i async for i in app.astream(INPUT, stream_mode=["messages", "updates"])]
    assert [mode for mode, _ in items] == ["messages", "messages", "messages", "updates"]
    v2 = [i async for i in app.astream(INPUT, stream_mode="messages", version="v2")]
    assert v2[0]["type"] == "messages" and v2[0]["ns"] == () and v2[0]["data"][0].content == "a"


async def test_a_graph_streamed_with_messages_inside_a_node() -> None:
    model = fake(text="x y", id="xy")

    async def inner(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    inner_app = one_node_graph(inner)
    seen: list[str] = []

    async def driver(state: MessagesState) -> dict[str, Any]:
        async for message, metadata in inner_app.astream(state, stream_mode="messages"):
            seen.append(f"{metadata['langgraph_node']}:{message.content}")
        return {}

    outer_items = await messages(one_node_graph(driver))
    assert seen == ["call:x", "call: ", "call:y"]  # the inner consumer gets its own graph's tokens
    assert outer_items == []  # the outer consumer asked for no subgraphs


async def test_parallel_nodes_stream_their_own_tokens() -> None:
    model_a, model_b = fake(text="a1 a2", id="A"), fake(text="b1 b2", id="B")

    async def a(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model_a.ainvoke(state["messages"])]}

    async def b(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model_b.ainvoke(state["messages"])]}

    graph = StateGraph(MessagesState)
    graph.add_node("a", a)
    graph.add_node("b", b)
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    items = await messages(graph.compile())
    by_node: dict[str, str] = {}
    for message, metadata in items:
        by_node[metadata["langgraph_node"]] = by_node.get(metadata["langgraph_node"], "") + message.content
    assert by_node == {"a": "a1 a2", "b": "b1 b2"}


async def test_a_sync_node_calling_invoke_in_its_worker_thread_streams_tokens() -> None:
    model = fake(text="from a thread", id="th")

    def node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [model.invoke(state["messages"])]}

    items = await messages(one_node_graph(node))
    assert [m.content for m, _ in items] == ["from", " ", "a", " ", "thread"]
    assert all(md["langgraph_node"] == "call" for _, md in items)


async def test_a_tool_with_a_writer_streams_custom_parts_in_a_graph() -> None:
    @tool
    def progress(x: str, writer: Any) -> str:
        """Reports progress."""
        writer({"progress": x})
        return x

    graph = StateGraph(MessagesState)
    graph.add_node("ai", lambda s: {"messages": [AIMessage("", id="a", tool_calls=[{"name": "progress", "args": {"x": "half"}, "id": "p"}])]})
    graph.add_node("tools", ToolNode([progress]))
    graph.add_edge(START, "ai")
    graph.add_edge("ai", "tools")
    parts = [p async for p in graph.compile().astream(INPUT, stream_mode=["custom", "messages"])]
    assert ("custom", {"progress": "half"}) in parts
    assert [type(chunk[0]).__name__ for mode, chunk in parts if mode == "messages"] == ["AIMessage", "ToolMessage"]
