"""A node that is a runnable is streamed while events or a run log watch, as in LangGraph.

LangGraph 1.2 runs a node with ``astream`` when ``astream_events`` / ``astream_log``
watch the run (``messages`` mode alone does not), so a runnable given as the node reports its
own ``on_chain_stream``, and ``astream_log`` its ``streamed_output``. Expected
values were observed by running the same graph on LangGraph 1.2.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graphs import END, START, StateGraph
from runtime import AIMessage, GenericFakeChatModel, HumanMessage, RunnableLambda


class State(TypedDict):
    x: int
    log: Annotated[list, operator.add]


def two_nodes() -> Any:
    graph = StateGraph(State)
    graph.add_node("a", lambda state: {"x": state["x"] + 1, "log": ["a"]})
    graph.add_node("b", RunnableLambda(lambda state: {"log": ["b"]}, name="bee"))
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    return graph.compile()


async def test_a_runnable_node_reports_its_own_stream_event() -> None:
    async with two_nodes().astream_events({"x": 1, "log": []}, version="v2") as stream:
        events = [(e["event"], e["name"], e["data"].get("chunk")) async for e in stream]
    assert events == [
        ("on_chain_start", "LangGraph", None),
        ("on_chain_start", "a", None),
        ("on_chain_stream", "a", {"x": 2, "log": ["a"]}),
        ("on_chain_end", "a", None),
        ("on_chain_stream", "LangGraph", {"a": {"x": 2, "log": ["a"]}}),
        ("on_chain_start", "b", None),
        ("on_chain_start", "bee", None),
        ("on_chain_stream", "bee", {"log": ["b"]}),
        ("on_chain_end", "bee", None),
        ("on_chain_stream", "b", {"log": ["b"]}),
        ("on_chain_end", "b", None),
        ("on_chain_stream", "LangGraph", {"b": {"log": ["b"]}}),
        ("on_chain_end", "LangGraph", None),
    ]


async def test_a_runnable_node_has_streamed_output_in_the_run_log() -> None:
    async with two_nodes().astream_log({"x": 1, "log": []}) as stream:
        paths = [(op["path"], op.get("value")) async for patch in stream for op in patch.ops]
    bee = [(path, value) for path, value in paths if path.startswith("/logs/bee/")]
    assert [(path, value) for path, value in bee if not path.endswith("_time")] == [
        ("/logs/bee/streamed_output/-", {"log": ["b"]}),
        ("/logs/bee/final_output", {"log": ["b"]}),
    ]


async def test_without_a_streaming_handler_the_node_is_invoked() -> None:
    calls: list[str] = []

    def bee(state: State) -> dict[str, Any]:
        calls.append("bee")
        return {"log": ["b"]}

    graph = StateGraph(State)
    graph.add_node("b", RunnableLambda(bee))
    graph.add_edge(START, "b")
    assert await graph.compile().ainvoke({"x": 1, "log": []}) == {"x": 1, "log": ["b"]}
    assert calls == ["bee"]


def sequence_node_graph() -> Any:
    prep = RunnableLambda(lambda state: state["log"], name="prep")
    wrap = RunnableLambda(lambda log: {"log": [f"seen {len(log)}"]}, name="wrap")
    graph = StateGraph(State)
    graph.add_node("chat", prep | wrap)
    graph.add_edge(START, "chat")
    graph.add_conditional_edges("chat", RunnableLambda(lambda state: END, name="router"))
    return graph.compile()


async def test_a_sequence_node_is_flattened_into_the_node_run() -> None:
    # LangGraph 1.2: the sequence's steps are the node run's own steps (seq:step:1..n),
    # with no run of the sequence itself; the router comes after the writer (n + 2).
    async with sequence_node_graph().astream_events({"x": 1, "log": []}, version="v2") as stream:
        events = [(e["event"], e["name"], e["tags"], len(e["parent_ids"])) async for e in stream]
    assert events == [
        ("on_chain_start", "LangGraph", [], 0),
        ("on_chain_start", "chat", ["graph:step:1"], 1),
        ("on_chain_start", "prep", ["seq:step:1"], 2),
        ("on_chain_stream", "prep", ["seq:step:1"], 2),
        ("on_chain_start", "wrap", ["seq:step:2"], 2),
        ("on_chain_end", "prep", ["seq:step:1"], 2),
        ("on_chain_stream", "wrap", ["seq:step:2"], 2),
        ("on_chain_end", "wrap", ["seq:step:2"], 2),
        ("on_chain_start", "router", ["seq:step:4"], 2),
        ("on_chain_end", "router", ["seq:step:4"], 2),
        ("on_chain_stream", "chat", ["graph:step:1"], 1),
        ("on_chain_end", "chat", ["graph:step:1"], 1),
        ("on_chain_stream", "LangGraph", [], 0),
        ("on_chain_end", "LangGraph", [], 0),
    ]
    assert await sequence_node_graph().ainvoke({"x": 1, "log": ["in"]}) == {"x": 1, "log": ["in", "seen 1"]}


def model_node_graph() -> Any:
    model = GenericFakeChatModel(messages=iter([AIMessage("hi there", id="m1")]))
    node = RunnableLambda(lambda state: [HumanMessage("q")]) | model | RunnableLambda(lambda m: {"log": [type(m).__name__]})
    graph = StateGraph(State)
    graph.add_node("chat", node)
    graph.add_edge(START, "chat")
    return graph.compile()


async def test_messages_mode_alone_invokes_the_node_events_stream_it() -> None:
    # LangGraph 1.2 streams nodes only for astream_events / astream_log (its messages
    # handler is left out of that choice): the step after the model sees the whole
    # AIMessage when invoked, the sum of its chunks (an AIMessageChunk) when streamed.
    assert await model_node_graph().ainvoke({"x": 1, "log": []}) == {"x": 1, "log": ["AIMessage"]}
    async with model_node_graph().astream({"x": 1, "log": []}, stream_mode=["messages", "updates"]) as parts:
        updates = [chunk async for mode, chunk in parts if mode == "updates"]
    assert updates == [{"chat": {"log": ["AIMessage"]}}]
    async with model_node_graph().astream_events({"x": 1, "log": []}, version="v2") as events:
        last = [e async for e in events][-1]
    assert last["data"]["output"] == {"x": 1, "log": ["AIMessageChunk"]}
