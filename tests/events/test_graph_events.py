"""``astream_events(version="v2")`` on compiled graphs (docs/streaming.md)."""

from __future__ import annotations

import itertools
import operator
from typing import Annotated, Any, TypedDict

from _seeds import collect_events, strip_ids

from graphs import END, START, InMemorySaver, Send, StateGraph, get_stream_writer, interrupt
from runtime import GenericFakeChatModel, RunnableConfig, RunnableLambda, adispatch_custom_event, tool
from runtime.messages import AIMessage
from runtime.scheduler import PULL, PUSH


class State(TypedDict):
    items: Annotated[list[str], operator.add]


def a(state: State) -> dict[str, Any]:
    return {"items": ["a"]}


def b(state: State) -> dict[str, Any]:
    return {"items": ["b"]}


def chain_graph() -> Any:
    graph = StateGraph(State)
    graph.add_node("a", a)
    graph.add_node("b", b)
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", END)
    return graph.compile()


async def test_start_a_b_end_events() -> None:
    events = await collect_events(chain_graph().astream_events({"items": []}, version="v2"))
    shapes = [(e["event"], e["name"], e["tags"]) for e in events]
    assert shapes == [
        ("on_chain_start", "LangGraph", []),
        ("on_chain_start", "a", ["graph:step:1"]),
        ("on_chain_stream", "a", ["graph:step:1"]),
        ("on_chain_end", "a", ["graph:step:1"]),
        ("on_chain_stream", "LangGraph", []),
        ("on_chain_start", "b", ["graph:step:2"]),
        ("on_chain_stream", "b", ["graph:step:2"]),
        ("on_chain_end", "b", ["graph:step:2"]),
        ("on_chain_stream", "LangGraph", []),
        ("on_chain_end", "LangGraph", []),
    ]
    root, a_start, a_stream, a_end, root_a, b_start, b_stream, b_end, root_b, root_end = events
    assert root["data"] == {"input": {"items": []}} and root["parent_ids"] == []
    assert root["metadata"] == {"ls_integration": "langgraph"}
    assert a_start["data"] == {"input": {"items": []}} and a_start["parent_ids"] == [root["run_id"]]
    assert a_stream["data"] == {"chunk": {"items": ["a"]}}
    assert a_end["data"] == {"output": {"items": ["a"]}, "input": {"items": []}}
    assert root_a["data"] == {"chunk": {"a": {"items": ["a"]}}}
    assert b_end["data"] == {"output": {"items": ["b"]}, "input": {"items": ["a"]}}
    assert root_b["data"] == {"chunk": {"b": {"items": ["b"]}}}
    assert root_end["data"] == {"output": {"items": ["a", "b"]}}
    metadata = a_start["metadata"]
    assert metadata["ls_integration"] == "langgraph"
    assert metadata["langgraph_step"] == 1 and metadata["langgraph_node"] == "a"
    assert metadata["langgraph_triggers"] == ("branch:to:a",)
    assert metadata["langgraph_path"] == (PULL, "a")
    assert metadata["langgraph_checkpoint_ns"].startswith("a:")
    assert "checkpoint_ns" not in metadata
    assert len({e["run_id"] for e in events}) == 3


async def test_run_name_tags_and_metadata_from_the_config() -> None:
    config: RunnableConfig = {"run_name": "root", "tags": ["t"], "metadata": {"user": "ada"}}
    events = await collect_events(chain_graph().astream_events({"items": []}, config, version="v2"))
    assert events[0]["name"] == "root" and events[-1]["name"] == "root"
    assert events[0]["tags"] == ["t"] and events[0]["metadata"] == {"user": "ada", "ls_integration": "langgraph"}
    node = events[1]
    assert node["tags"] == ["graph:step:1", "t"]
    assert node["metadata"]["user"] == "ada"


async def test_router_is_its_own_run_between_node_body_and_node_stream() -> None:
    inner = RunnableLambda(lambda x: x, name="inner")

    async def decide(state: State) -> dict[str, Any]:
        await inner.ainvoke(1)
        return {"items": ["d"]}

    def route(state: State) -> str:
        return END

    graph = StateGraph(State)
    graph.add_node("decide", decide)
    graph.add_edge(START, "decide")
    graph.add_conditional_edges("decide", route)
    events = await collect_events(graph.compile().astream_events({"items": []}, version="v2"))
    shapes = [(e["event"], e["name"], e["tags"]) for e in events[1:-2]]
    assert shapes == [
        ("on_chain_start", "decide", ["graph:step:1"]),
        ("on_chain_start", "inner", ["seq:step:1"]),
        ("on_chain_end", "inner", ["seq:step:1"]),
        ("on_chain_start", "route", ["seq:step:3"]),
        ("on_chain_end", "route", ["seq:step:3"]),
        ("on_chain_stream", "decide", ["graph:step:1"]),
        ("on_chain_end", "decide", ["graph:step:1"]),
    ]
    route_start = events[4]
    assert route_start["parent_ids"] == [events[0]["run_id"], events[1]["run_id"]]
    assert route_start["data"] == {"input": {"items": ["d"]}}
    assert events[5]["data"]["output"] == END


async def test_runs_inside_a_node_get_seq_step_1_and_checkpoint_ns() -> None:
    model = GenericFakeChatModel(itertools.cycle([AIMessage("hi there", id="m1")]))

    async def call(state: State) -> dict[str, Any]:
        reply = await model.ainvoke("hello")
        return {"items": [reply.content]}

    graph = StateGraph(State)
    graph.add_node("call", call)
    graph.add_edge(START, "call")
    events = await collect_events(graph.compile().astream_events({"items": []}, {"tags": ["u"]}, version="v2"))
    model_events = [e for e in events if e["event"].startswith("on_chat_model")]
    assert [e["event"] for e in model_events] == ["on_chat_model_start"] + ["on_chat_model_stream"] * 3 + ["on_chat_model_end"]
    start = model_events[0]
    assert start["tags"] == ["seq:step:1", "u"]
    assert start["data"]["input"]["messages"][0][0].content == "hello"
    metadata = start["metadata"]
    node_start = next(e for e in events if e["name"] == "call")
    assert metadata["checkpoint_ns"] == node_start["metadata"]["langgraph_checkpoint_ns"]
    assert metadata["ls_provider"] == "genericfakechatmodel" and metadata["ls_model_type"] == "chat"
    assert metadata["ls_integration"] == "langchain_chat_model"
    assert model_events[-1]["data"]["output"] == AIMessage("hi there", id="m1")


def sub_graph() -> Any:
    graph = StateGraph(State)
    graph.add_node("inner", lambda s: {"items": ["inner"]})
    graph.add_edge(START, "inner")
    return graph.compile()


async def test_subgraph_node_holds_the_subgraph_run_which_holds_its_nodes() -> None:
    graph = StateGraph(State)
    graph.add_node("a", a)
    graph.add_node("sub", sub_graph())
    graph.add_edge(START, "a")
    graph.add_edge("a", "sub")
    events = await collect_events(graph.compile().astream_events({"items": []}, version="v2"))
    starts = {e["name"]: e for e in events if e["event"] == "on_chain_start"}
    root = events[0]
    sub_runs = [e for e in events if e["event"] == "on_chain_start" and e["name"] == "LangGraph" and e is not root]
    assert len(sub_runs) == 1
    sub_run = sub_runs[0]
    assert starts["sub"]["tags"] == ["graph:step:2"]
    assert sub_run["tags"] == ["seq:step:1"]
    assert sub_run["parent_ids"] == [root["run_id"], starts["sub"]["run_id"]]
    inner = starts["inner"]
    assert inner["tags"] == ["graph:step:1"]
    assert inner["parent_ids"] == [root["run_id"], starts["sub"]["run_id"], sub_run["run_id"]]
    assert inner["metadata"]["langgraph_checkpoint_ns"].startswith(starts["sub"]["metadata"]["langgraph_checkpoint_ns"] + "|inner:")
    assert not [e for e in events if e["event"] == "on_chain_stream" and e["run_id"] == sub_run["run_id"]]


async def test_custom_events_belong_to_the_run_they_were_dispatched_in() -> None:
    @tool
    async def lookup(q: str) -> str:
        """Look something up."""
        await adispatch_custom_event("tool_progress", {"q": q})
        return q

    async def node(state: State, config: RunnableConfig) -> dict[str, Any]:
        await adispatch_custom_event("node_progress", {"pct": 50}, config=config)
        get_stream_writer()({"not": "an event"})
        return {"items": [await lookup.ainvoke({"q": "x"})]}

    graph = StateGraph(State)
    graph.add_node("node", node)
    graph.add_edge(START, "node")
    events = await collect_events(
        graph.compile().astream_events({"items": []}, {"tags": ["u"]}, version="v2", stream_mode=["updates", "custom"])
    )
    node_run = next(e for e in events if e["event"] == "on_chain_start" and e["name"] == "node")
    tool_run = next(e for e in events if e["event"] == "on_tool_start")
    customs = [e for e in events if e["event"] == "on_custom_event"]
    assert [(e["name"], e["data"]) for e in customs] == [("node_progress", {"pct": 50}), ("tool_progress", {"q": "x"})]
    assert customs[0]["run_id"] == node_run["run_id"] and customs[0]["tags"] == ["seq:step:1", "u"]
    assert customs[0]["parent_ids"] == node_run["parent_ids"]
    assert customs[1]["run_id"] == tool_run["run_id"] and customs[1]["tags"] == ["u"]
    root_chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_chain_stream" and e["name"] == "LangGraph"]
    assert root_chunks == [("custom", {"not": "an event"}), ("updates", {"node": {"items": ["x"]}})]


async def test_stream_mode_and_subgraphs_shape_the_root_chunks() -> None:
    graph = StateGraph(State)
    graph.add_node("sub", sub_graph())
    graph.add_edge(START, "sub")
    app = graph.compile()
    events = await collect_events(app.astream_events({"items": []}, version="v2", stream_mode=["updates"], subgraphs=True))
    chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_chain_stream" and e["parent_ids"] == []]
    assert len(chunks) == 2
    inner_ns, mode, payload = chunks[0]
    assert mode == "updates" and payload == {"inner": {"items": ["inner"]}} and inner_ns[0].startswith("sub:")
    assert chunks[1] == ((), "updates", {"sub": {"items": ["inner"]}})

    events = await collect_events(chain_graph().astream_events({"items": ["x"]}, version="v2", stream_mode="values"))
    kinds = [(e["event"], e["name"]) for e in events]
    assert kinds[:3] == [("on_chain_start", "LangGraph"), ("on_chain_stream", "LangGraph"), ("on_chain_start", "a")]
    assert events[1]["data"] == {"chunk": {"items": ["x"]}}


async def test_interrupted_node_has_no_end_and_the_root_ends_with_the_state() -> None:
    def ask(state: State) -> dict[str, Any]:
        return {"items": [interrupt("question?")]}

    graph = StateGraph(State)
    graph.add_node("ask", ask)
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=InMemorySaver())
    events = await collect_events(app.astream_events({"items": []}, {"configurable": {"thread_id": "t1"}}, version="v2"))
    assert [(e["event"], e["name"]) for e in events] == [
        ("on_chain_start", "LangGraph"),
        ("on_chain_start", "ask"),
        ("on_chain_stream", "LangGraph"),
        ("on_chain_end", "LangGraph"),
    ]
    (pending,) = events[2]["data"]["chunk"]["__interrupt__"]
    assert pending.value == "question?"
    assert events[3]["data"]["output"]["items"] == []
    assert events[0]["metadata"]["thread_id"] == "t1"


async def test_send_tasks_are_node_runs_with_push_paths() -> None:
    def fan(state: State) -> list[Send]:
        return [Send("work", {"items": [str(i)]}) for i in range(3)]

    graph = StateGraph(State)
    graph.add_node("work", lambda s: {"items": s["items"]})
    graph.add_conditional_edges(START, fan)
    events = await collect_events(graph.compile().astream_events({"items": []}, version="v2"))
    works = [e for e in events if e["event"] == "on_chain_start" and e["name"] == "work"]
    assert len(works) == 3
    assert sorted(e["metadata"]["langgraph_path"] for e in works) == [(PUSH, i, False) for i in range(3)]
    assert all(e["tags"] == ["graph:step:1"] and e["metadata"]["langgraph_triggers"] == (PUSH,) for e in works)
    assert strip_ids(events)[-1]["data"]["output"]["items"] == ["0", "1", "2"]
