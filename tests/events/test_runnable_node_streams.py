"""A node that is a runnable is streamed while a streaming handler watches, as in LangGraph.

LangGraph 1.2 runs a node with ``astream`` when ``astream_events`` / ``astream_log``
(or ``messages`` mode) watch the run, so a runnable given as the node reports its
own ``on_chain_stream``, and ``astream_log`` its ``streamed_output``. Expected
values were observed by running the same graph on LangGraph 1.2.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graphs import START, StateGraph
from runtime import RunnableLambda


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
