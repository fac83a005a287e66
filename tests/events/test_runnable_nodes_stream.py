"""A node that is a runnable streams under ``astream_events`` / ``astream_log``, as in LangGraph 1.2.

LangGraph runs each node's runnable with ``astream`` when an events or log
handler watches the run, so a runnable inside the node reports its chunks
(``on_chain_stream``), and the node's update is its output all the same. Under
``invoke``/``astream`` (or a ``messages``-mode handler alone) it is invoked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypedDict

from graphs import START, StateGraph
from runtime import RunnableGenerator, RunnableLambda


class State(TypedDict, total=False):
    value: int
    text: str


def bump(state: State) -> dict[str, Any]:
    return {"value": state["value"] + 1}


async def pieces(states: AsyncIterator[State]) -> AsyncIterator[str]:
    async for state in states:
        yield state["text"]
        yield "!"


def graph_of(action: Any) -> Any:
    return StateGraph(State).add_node("node", action).add_edge(START, "node").compile()


async def test_a_runnable_node_reports_its_chunk_under_astream_events() -> None:
    graph = graph_of(RunnableLambda(bump).with_config(tags=["inner"]))
    seen = [
        (e["event"], e["name"]) async for e in graph.astream_events({"value": 1}, version="v2")
        if "inner" in e["tags"]
    ]
    assert seen == [("on_chain_start", "bump"), ("on_chain_stream", "bump"), ("on_chain_end", "bump")]


async def test_the_node_streams_its_parts_and_updates_with_the_whole() -> None:
    graph = graph_of(RunnableGenerator(pieces) | (lambda text: {"text": text}))
    streamed = [e async for e in graph.astream_events({"text": "hi"}, version="v2") if e["event"] == "on_chain_stream"]
    assert [e["data"]["chunk"] for e in streamed if e["name"] == "pieces"] == ["hi", "!"]
    assert streamed[-1]["data"]["chunk"] == {"node": {"text": "hi!"}}
    assert await graph.ainvoke({"text": "hi"}) == {"text": "hi!"}


async def test_astream_log_streams_the_node_too() -> None:
    graph = graph_of(RunnableLambda(bump))
    names = set()
    async for patch in graph.astream_log({"value": 1}):
        for op in patch.ops:
            if op["path"].startswith("/logs/bump/streamed_output/"):
                names.add(op["path"])
    assert names  # the inner runnable's chunk is in the log


async def test_without_an_events_handler_the_node_is_invoked() -> None:
    calls: list[str] = []

    class Recording(RunnableLambda[Any, Any]):
        async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
            calls.append("ainvoke")
            return await super().ainvoke(input, config, **kwargs)

    graph = graph_of(Recording(bump))
    assert [c async for c in graph.astream({"value": 1}, stream_mode="updates")] == [{"node": {"value": 2}}]
    assert calls == ["ainvoke"]
