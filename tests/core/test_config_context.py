"""RunnableConfig inside nodes: per-task metadata, user config, nested graphs, injection."""

from __future__ import annotations

from typing import Any

import trio

from _core_support import State, collect
from graphs import START, Send, StateGraph, get_config
from runtime.core.config import RunnableConfig, current_config

USER_CONFIG: RunnableConfig = {
    "tags": ["user-tag"],
    "metadata": {"user_key": "user value"},
    "configurable": {"thread_id": "thread-1"},
}


def recorder(seen: dict[str, RunnableConfig]) -> tuple[Any, Any]:
    def sync_node(state: State) -> dict[str, Any]:
        seen["sync_node"] = get_config()
        return {"x": 1}

    async def async_node(state: State) -> dict[str, Any]:
        seen["async_node"] = get_config()
        return {"items": ["a"]}

    return sync_node, async_node


async def test_task_metadata_in_sync_and_async_nodes() -> None:
    seen: dict[str, RunnableConfig] = {}
    sync_node, async_node = recorder(seen)
    graph = StateGraph(State)
    graph.add_node(sync_node)
    graph.add_node(async_node)
    graph.add_edge(START, "sync_node")
    graph.add_edge("sync_node", "async_node")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="tasks"))
    ids = {p["name"]: p["id"] for p in parts if "input" in p}
    for step, name in enumerate(["sync_node", "async_node"], start=1):
        metadata = seen[name]["metadata"]
        assert metadata == {
            "langgraph_step": step,
            "langgraph_node": name,
            "langgraph_triggers": (f"branch:to:{name}",),
            "langgraph_path": ("__pregel_pull", name),
            "langgraph_checkpoint_ns": f"{name}:{ids[name]}",
        }
        assert seen[name]["tags"] == []


async def test_send_task_metadata() -> None:
    seen: list[dict[str, Any]] = []

    def work(arg: int) -> dict[str, Any]:
        seen.append(dict(get_config()["metadata"]))
        return {"items": [arg]}

    graph = StateGraph(State)
    graph.add_node(work)
    graph.add_conditional_edges(START, lambda s: [Send("work", 0), Send("work", 1)])
    await graph.compile().ainvoke({"x": 0})
    by_path = sorted(seen, key=lambda m: m["langgraph_path"])
    assert [m["langgraph_path"] for m in by_path] == [("__pregel_push", 0, False), ("__pregel_push", 1, False)]
    assert all(m["langgraph_triggers"] == ("__pregel_push",) and m["langgraph_step"] == 1 for m in seen)


async def test_user_tags_metadata_and_configurable_reach_nodes() -> None:
    seen: dict[str, RunnableConfig] = {}
    sync_node, async_node = recorder(seen)
    graph = StateGraph(State)
    graph.add_node(sync_node)
    graph.add_node(async_node)
    graph.add_edge(START, "sync_node")
    graph.add_edge(START, "async_node")
    await graph.compile().ainvoke({"x": 0}, USER_CONFIG)
    for name in ("sync_node", "async_node"):
        config = seen[name]
        assert config["tags"] == ["user-tag"]
        assert config["metadata"]["user_key"] == "user value"
        assert config["metadata"]["thread_id"] == "thread-1"
        assert config["configurable"]["thread_id"] == "thread-1"
        assert config["metadata"]["langgraph_node"] == name


async def test_user_config_reaches_nested_graphs() -> None:
    seen: dict[str, RunnableConfig] = {}

    def inner(state: State) -> dict[str, Any]:
        seen[f"inner{state['x']}"] = get_config()
        return {"items": ["inner"]}

    sub = StateGraph(State)
    sub.add_node(inner)
    sub.add_edge(START, "inner")
    compiled_sub = sub.compile()

    async def calls_sub(state: State) -> dict[str, Any]:
        await compiled_sub.ainvoke({"x": 2})
        return {"items": ["called"]}

    graph = StateGraph(State)
    graph.add_node("as_node", compiled_sub)
    graph.add_node(calls_sub)
    graph.add_edge(START, "as_node")
    graph.add_edge(START, "calls_sub")
    parts = await collect(graph.compile().astream({"x": 1}, USER_CONFIG, stream_mode="tasks"))
    ids = {p["name"]: p["id"] for p in parts if "input" in p}
    for key, parent in (("inner1", "as_node"), ("inner2", "calls_sub")):
        config = seen[key]
        assert "user-tag" in config["tags"]
        assert config["metadata"]["user_key"] == "user value"
        assert config["configurable"]["thread_id"] == "thread-1"
        assert config["metadata"]["langgraph_node"] == "inner"
        assert config["metadata"]["langgraph_step"] == 1
        ns = config["metadata"]["langgraph_checkpoint_ns"]
        assert ns.startswith(f"{parent}:{ids[parent]}|inner:")


async def test_config_parameter_is_injected() -> None:
    seen: list[RunnableConfig] = []

    def sync_node(state: State, config: RunnableConfig) -> dict[str, Any]:
        seen.append(config)
        return {"x": 1}

    async def async_node(state: State, config: RunnableConfig) -> dict[str, Any]:
        seen.append(config)
        return {"x": 2}

    graph = StateGraph(State)
    graph.add_node(sync_node)
    graph.add_node(async_node)
    graph.add_edge(START, "sync_node")
    graph.add_edge("sync_node", "async_node")
    await graph.compile().ainvoke({"x": 0}, USER_CONFIG)
    assert [c["metadata"]["langgraph_node"] for c in seen] == ["sync_node", "async_node"]
    assert all(c["metadata"]["user_key"] == "user value" and c["tags"] == ["user-tag"] for c in seen)


async def test_config_flows_into_tasks_a_node_spawns() -> None:
    seen: list[str] = []

    async def spawner(state: State) -> dict[str, Any]:
        async def child() -> None:
            seen.append(get_config()["metadata"]["langgraph_node"])

        async with trio.open_nursery() as nursery:
            nursery.start_soon(child)
            nursery.start_soon(trio.to_thread.run_sync, lambda: seen.append(get_config()["metadata"]["langgraph_node"]))
        return {"x": 1}

    graph = StateGraph(State)
    graph.add_node(spawner)
    graph.add_edge(START, "spawner")
    await graph.compile().ainvoke({"x": 0})
    assert seen == ["spawner", "spawner"]


async def test_node_config_does_not_leak_between_parallel_tasks_or_out_of_the_run() -> None:
    seen: dict[str, str] = {}

    def make(name: str) -> Any:
        async def node(state: State) -> dict[str, Any]:
            await trio.sleep(0)  # interleave with the sibling
            seen[name] = get_config()["metadata"]["langgraph_node"]
            return {"items": [name]}

        return node

    graph = StateGraph(State)
    for name in ("one", "two", "three"):
        graph.add_node(name, make(name))
        graph.add_edge(START, name)
    await graph.compile().ainvoke({"x": 0})
    assert seen == {"one": "one", "two": "two", "three": "three"}
    assert current_config() is None
