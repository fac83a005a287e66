"""docs/streaming.md: what ``values`` and ``updates`` emit, when, and in which order."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest
import trio

from _core_support import State, collect, collect_until_error
from graphs import END, START, Command, InvalidUpdateError, Send, StateGraph, get_stream_writer


class Sparse(TypedDict):
    x: int
    never: str
    items: Annotated[list, operator.add]


async def test_values_starts_with_the_input_and_omits_never_written_keys() -> None:
    graph = StateGraph(Sparse)
    graph.add_node("a", lambda s: {"x": s["x"] + 1})
    graph.add_edge(START, "a")
    parts = await collect(graph.compile().astream({"x": 1}, stream_mode="values"))
    # The reducer key reads [] from the start; "never" is absent, not None.
    assert parts == [{"x": 1, "items": []}, {"x": 2, "items": []}]


async def test_a_step_whose_node_returns_none_emits_no_values_chunk() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": 2})
    graph.add_node("quiet", lambda s: None)
    graph.add_node("c", lambda s: {"items": ["c"]})
    graph.add_edge(START, "a")
    graph.add_edge("a", "quiet")
    graph.add_edge("quiet", "c")
    parts = await collect(graph.compile().astream({"x": 1}, stream_mode=["values", "updates"]))
    assert parts == [
        ("values", {"x": 1, "items": []}),
        ("updates", {"a": {"x": 2}}),
        ("values", {"x": 2, "items": []}),
        ("updates", {"quiet": None}),
        ("updates", {"c": {"items": ["c"]}}),
        ("values", {"x": 2, "items": ["c"]}),
    ]


async def test_each_send_task_gets_its_own_update_chunk() -> None:
    graph = StateGraph(State)
    graph.add_node("work", lambda n: {"items": [n * 10]})
    graph.add_conditional_edges(START, lambda s: [Send("work", i) for i in range(3)])
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="updates"))
    assert sorted(p["work"]["items"][0] for p in parts) == [0, 10, 20]
    assert all(list(p) == ["work"] and len(p["work"]["items"]) == 1 for p in parts)
    assert len(parts) == 3


async def test_command_update_is_the_update_and_goto_routes() -> None:
    def decide(state: State) -> Command[Any]:
        return Command(update={"x": 5}, goto="after")

    graph = StateGraph(State)
    graph.add_node(decide)
    graph.add_node("after", lambda s: {"items": [s["x"]]})
    graph.add_node("skipped", lambda s: {"items": ["never"]})
    graph.add_edge(START, "decide")
    parts = await collect(graph.compile().astream({"x": 1}, stream_mode="updates"))
    assert parts == [{"decide": {"x": 5}}, {"after": {"items": [5]}}]


async def test_start_never_appears() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": 2})
    graph.add_edge(START, "a")
    parts = await collect(
        graph.compile().astream({"x": 1}, stream_mode=["updates", "tasks", "debug", "values"])
    )
    names = [c["name"] for m, c in parts if m == "tasks"]
    names += [c["payload"]["name"] for m, c in parts if m == "debug"]
    names += [name for m, c in parts if m == "updates" for name in c]
    assert names and set(names) == {"a"}


async def test_parallel_step_streams_all_updates_then_one_values_chunk() -> None:
    graph = StateGraph(State)
    for name in ("a", "b", "c"):
        graph.add_node(name, lambda s, _n=name: {"items": [_n]})
        graph.add_edge(START, name)
    graph.add_node("after", lambda s: {"x": len(s["items"])})
    graph.add_edge(["a", "b", "c"], "after")
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode=["updates", "values"]))
    modes = [m for m, _ in parts]
    assert modes == ["values", "updates", "updates", "updates", "values", "updates", "values"]
    assert {next(iter(c)) for m, c in parts[1:4]} == {"a", "b", "c"}
    assert parts[4] == ("values", {"x": 0, "items": ["a", "b", "c"]})
    assert parts[-1] == ("values", {"x": 3, "items": ["a", "b", "c"]})


async def test_reducer_order_is_task_path_order_not_completion_order(autojump_clock: Any) -> None:
    # Pull tasks by node name (added out of order here), then Sends by index;
    # every task sleeps so that they finish in exactly the reverse order.
    finish_delay = {"zeta": 1, "alpha": 2, 0: 6, 1: 5, 2: 4, 3: 3}

    def pull(name: str) -> Any:
        async def node(state: State) -> dict[str, Any]:
            await trio.sleep(finish_delay[name])
            return {"items": [name]}

        return node

    async def work(index: int) -> dict[str, Any]:
        await trio.sleep(finish_delay[index])
        return {"items": [f"w{index}"]}

    graph = StateGraph(State)
    graph.add_node("zeta", pull("zeta"))
    graph.add_node("alpha", pull("alpha"))
    graph.add_node("w", work)
    graph.add_conditional_edges(START, lambda s: ["zeta", "alpha", *(Send("w", i) for i in range(4))])
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode=["updates", "values"]))
    completion = [c for m, c in parts if m == "updates"]
    assert completion == [
        {"zeta": {"items": ["zeta"]}},
        {"alpha": {"items": ["alpha"]}},
        {"w": {"items": ["w3"]}},
        {"w": {"items": ["w2"]}},
        {"w": {"items": ["w1"]}},
        {"w": {"items": ["w0"]}},
    ]
    assert parts[-1] == ("values", {"x": 0, "items": ["alpha", "zeta", "w0", "w1", "w2", "w3"]})


async def test_two_parallel_writers_to_a_last_value_key_stream_then_fail() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": 1})
    graph.add_node("b", lambda s: {"x": 2})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    got, error = await collect_until_error(graph.compile().astream({"x": 0}, stream_mode="updates"))
    assert sorted(got, key=lambda c: next(iter(c))) == [{"a": {"x": 1}}, {"b": {"x": 2}}]
    assert type(error) is InvalidUpdateError
    assert str(error) == (
        "At key 'x': Can receive only one value per step. Use an Annotated key to handle multiple values.\n"
        "For troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/errors/"
        "INVALID_CONCURRENT_GRAPH_UPDATE"
    )


async def test_several_modes_interleave_custom_updates_tasks_values() -> None:
    def node(state: State) -> dict[str, Any]:
        writer = get_stream_writer()
        writer("first")
        writer("second")
        return {"x": 2}

    graph = StateGraph(State)
    graph.add_node(node)
    graph.add_edge(START, "node")
    parts = await collect(
        graph.compile().astream({"x": 1}, stream_mode=["values", "updates", "custom", "tasks"])
    )
    kinds = [(m, "start" if m == "tasks" and "input" in c else "result" if m == "tasks" else c) for m, c in parts]
    assert kinds == [
        ("values", {"x": 1, "items": []}),
        ("tasks", "start"),
        ("custom", "first"),
        ("custom", "second"),
        ("updates", {"node": {"x": 2}}),
        ("tasks", "result"),
        ("values", {"x": 2, "items": []}),
    ]


async def test_router_to_end_stops_and_values_reflect_every_step() -> None:
    def route(state: State) -> str:
        return END if state["x"] >= 3 else "inc"

    graph = StateGraph(State)
    graph.add_node("inc", lambda s: {"x": s["x"] + 1, "items": [s["x"]]})
    graph.add_edge(START, "inc")
    graph.add_conditional_edges("inc", route)
    parts = await collect(graph.compile().astream({"x": 0}, stream_mode="values"))
    assert parts == [
        {"x": 0, "items": []},
        {"x": 1, "items": [0]},
        {"x": 2, "items": [0, 1]},
        {"x": 3, "items": [0, 1, 2]},
    ]


@pytest.mark.parametrize("mode", ["updates", "values"])
async def test_an_output_schema_filters_only_what_invoke_streams(mode: str) -> None:
    class Out(TypedDict):
        items: Annotated[list, operator.add]

    graph = StateGraph(State, output_schema=Out)
    graph.add_node("a", lambda s: {"x": 2, "items": ["a"]})
    graph.add_edge(START, "a")
    app = graph.compile()
    # As in LangGraph: a stream shows every state key ...
    streamed = await collect(app.astream({"x": 1}, stream_mode=mode))
    if mode == "updates":
        assert streamed == [{"a": {"x": 2, "items": ["a"]}}]
    else:
        assert streamed == [{"x": 1, "items": []}, {"x": 2, "items": ["a"]}]
    # ... while invoke's chunks show the output schema's keys; the input wrote
    # none of them, so no values chunk precedes the node's.
    invoked = await app.ainvoke({"x": 1}, stream_mode=[mode])
    assert invoked == [(mode, {"a": {"items": ["a"]}} if mode == "updates" else {"items": ["a"]})]
    assert await app.ainvoke({"x": 1}) == {"items": ["a"]}
    # output_keys= picks the keys of a stream, and of invoke's result.
    picked = await collect(app.astream({"x": 1}, stream_mode=mode, output_keys=["x"]))
    assert picked == ([{"a": {"x": 2}}] if mode == "updates" else [{"x": 1}, {"x": 2}])
    assert await app.ainvoke({"x": 1}, output_keys=["x"]) == {"x": 2}


async def test_output_keys_must_be_a_list_of_state_keys() -> None:
    graph = StateGraph(State)
    graph.add_node("a", lambda s: {"x": 2})
    graph.add_edge(START, "a")
    app = graph.compile()
    with pytest.raises(ValueError, match="'ghost'"):
        await collect(app.astream({"x": 1}, output_keys=["x", "ghost"]))
    with pytest.raises(TypeError, match="list of state keys"):
        await collect(app.astream({"x": 1}, output_keys="x"))
    with pytest.raises(ValueError, match="'ghost'"):
        await app.ainvoke({"x": 1}, output_keys=["ghost"])
