"""Config, tags and metadata reach nested runnables without being passed by hand.

The config of a run lives in a ``ContextVar`` that trio copies into child tasks
and worker threads, so a runnable called inside a tool inside a graph node
sees the caller's tags and metadata, and its run is a child of the tool's run.
LangChain needs ``config`` passed by hand for this on Python < 3.11.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import trio

from graphs import END, START, StateGraph, ToolNode
from graphs.message import MessagesState
from runtime import RunnableLambda, RunnableParallel, get_config, tool
from runtime.messages import AIMessage, ToolMessage


def seen_config() -> dict[str, Any]:
    config = get_config()
    return {
        "tags": list(config.get("tags", [])),
        "metadata": dict(config.get("metadata", {})),
        "configurable": dict(config.get("configurable", {})),
    }


probe = RunnableLambda(lambda x: seen_config(), name="probe")
aprobe = RunnableLambda(lambda x: seen_config(), name="aprobe")


@tool
async def async_tool(query: str) -> str:
    """Calls a runnable without passing config."""
    return repr(await probe.ainvoke(query))


@tool
def sync_tool(query: str) -> str:
    """Calls a runnable from a worker thread without passing config."""
    return repr(probe.invoke(query))


def agent_graph(tool_obj: Any) -> Any:
    def agent(state: MessagesState) -> dict[str, Any]:
        call = {"name": tool_obj.name, "args": {"query": "q"}, "id": "call-1", "type": "tool_call"}
        return {"messages": [AIMessage("", tool_calls=[call])]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", ToolNode([tool_obj]))
    graph.add_edge(START, "agent")
    graph.add_edge("agent", "tools")
    graph.add_edge("tools", END)
    return graph.compile()


CONFIG = {"tags": ["user-tag"], "metadata": {"user": "ada"}, "configurable": {"thread_flavour": "mint"}}


async def run_and_read_probe(tool_obj: Any) -> dict[str, Any]:
    state = await agent_graph(tool_obj).ainvoke({"messages": []}, CONFIG)
    message = state["messages"][-1]
    assert isinstance(message, ToolMessage)
    return eval(message.content)  # noqa: S307 - our own repr


async def test_runnable_inside_async_tool_inside_node_sees_the_config() -> None:
    seen = await run_and_read_probe(async_tool)
    assert "user-tag" in seen["tags"]
    assert seen["metadata"]["user"] == "ada"
    assert seen["metadata"]["langgraph_node"] == "tools"
    assert seen["configurable"]["thread_flavour"] == "mint"


async def test_runnable_inside_sync_tool_in_a_worker_thread_sees_the_config() -> None:
    seen = await run_and_read_probe(sync_tool)
    assert "user-tag" in seen["tags"]
    assert seen["metadata"]["user"] == "ada"
    assert seen["metadata"]["langgraph_step"] == 2


async def test_runnable_inside_tool_inside_node_is_a_child_run_in_the_events() -> None:
    for tool_obj in (async_tool, sync_tool):
        events = [e async for e in agent_graph(tool_obj).astream_events({"messages": []}, CONFIG)]
        by_name = {e["name"]: e for e in events if e["event"].endswith("_start")}
        root, node, tool_run, inner = by_name["LangGraph"], by_name["tools"], by_name[tool_obj.name], by_name["probe"]
        assert inner["parent_ids"] == [root["run_id"], node["run_id"], tool_run["run_id"]]
        assert tool_run["parent_ids"] == [root["run_id"], node["run_id"]]
        assert tool_run["tags"] == ["seq:step:1", "user-tag"]
        assert inner["tags"] == ["user-tag"]
        assert inner["metadata"]["user"] == "ada"
        assert inner["metadata"]["langgraph_node"] == "tools"


async def test_concurrent_children_keep_their_own_config() -> None:
    def branch(name: str) -> Any:
        return RunnableLambda(lambda x: get_config()["metadata"].get("branch"), name=name).with_config(
            metadata={"branch": name}
        )

    parallel = RunnableParallel(a=branch("a"), b=branch("b"), c=branch("c"))
    assert await parallel.ainvoke(1) == {"a": "a", "b": "b", "c": "c"}


async def test_child_tasks_started_by_user_code_inherit_the_config() -> None:
    async def fan_out(x: Any) -> list[Any]:
        results: list[Any] = []

        async def child() -> None:
            results.append(await aprobe.ainvoke(x))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(child)
            nursery.start_soon(child)
        return results

    results = await RunnableLambda(fan_out).ainvoke(1, {"metadata": {"who": "parent"}})
    assert [r["metadata"]["who"] for r in results] == ["parent", "parent"]


async def test_run_name_and_run_id_are_not_inherited() -> None:
    outer = RunnableLambda(lambda x: probe.invoke(x)).with_config(run_name="outer")
    events = [e async for e in outer.astream_events(1, {"run_id": "00000000-0000-0000-0000-000000000001"})]
    starts = [(e["name"], e["run_id"]) for e in events if e["event"] == "on_chain_start"]
    assert starts[0] == ("outer", "00000000-0000-0000-0000-000000000001")
    assert starts[1][0] == "probe" and starts[1][1] != starts[0][1]


class Counter(TypedDict):
    hits: Annotated[list[str], operator.add]


async def test_node_function_gets_the_config_of_its_run() -> None:
    def node(state: Counter, config: Any) -> dict[str, Any]:
        return {"hits": [f"{config['metadata']['langgraph_node']}:{config['metadata']['user']}"]}

    graph = StateGraph(Counter)
    graph.add_node("n", node)
    graph.add_edge(START, "n")
    app = graph.compile()
    assert await app.ainvoke({"hits": []}, {"metadata": {"user": "ada"}}) == {"hits": ["n:ada"]}
    events = [e async for e in app.astream_events({"hits": []}, {"metadata": {"user": "ada"}})]
    assert events[-1]["data"]["output"] == {"hits": ["n:ada"]}
