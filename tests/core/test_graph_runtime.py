"""``Runtime``, ``context=``, ``get_runtime()`` / ``get_store()`` and what nodes get injected.

Expected values were found by running the same graphs on LangGraph 1.2.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Annotated, Any, TypedDict

import pydantic
import pytest
from _core_support import collect

from graphs import (
    END,
    START,
    BaseStore,
    ExecutionInfo,
    InMemorySaver,
    InMemoryStore,
    Runtime,
    StateGraph,
    get_runtime,
    get_store,
)
from runtime.core.graph_runtime import DEFAULT_RUNTIME


@dataclasses.dataclass
class Ctx:
    user: str = "anon"


class CtxDict(TypedDict):
    user: str


class CtxModel(pydantic.BaseModel):
    user: str


class State(TypedDict):
    out: Annotated[list[Any], operator.add]


def one_node(action: Any, *, context_schema: type | None = None) -> StateGraph:
    graph = StateGraph(State, context_schema=context_schema)
    graph.add_node("n", action)
    graph.add_edge(START, "n")
    return graph


def report_context(state: State, runtime: Runtime[Any]) -> dict[str, Any]:
    return {"out": [runtime.context]}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [(Ctx, Ctx("bob")), (CtxModel, CtxModel(user="bob")), (CtxDict, {"user": "bob"}), (None, {"user": "bob"})],
)
def test_a_dict_context_becomes_the_schema_when_that_is_a_class(schema: type | None, expected: Any) -> None:
    app = one_node(report_context, context_schema=schema).compile()
    assert app.invoke({"out": []}, context={"user": "bob"}) == {"out": [expected]}
    assert app.invoke({"out": []}) == {"out": [None]}
    given = Ctx("carol")
    assert app.invoke({"out": []}, context=given)["out"][0] is given  # not a dict: as it is


def test_a_context_that_does_not_fit_its_schema_is_refused_naming_both() -> None:
    app = one_node(report_context, context_schema=Ctx).compile()
    with pytest.raises(TypeError, match=r"context \{'nope': 1\} does not fit the graph's context_schema Ctx"):
        app.invoke({"out": []}, context={"nope": 1})
    with pytest.raises(pydantic.ValidationError):
        one_node(report_context, context_schema=CtxModel).compile().invoke({"out": []}, context={"user": 1.5})


def test_the_runtime_carries_the_store_the_writer_and_the_task_execution_info() -> None:
    seen: dict[str, Any] = {}

    def node(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
        seen["runtime"] = runtime
        runtime.stream_writer({"custom": runtime.context.user})
        return {"out": ["n"]}

    store = InMemoryStore()
    app = one_node(node, context_schema=Ctx).compile(store=store, checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    parts = app.stream({"out": []}, config, context=Ctx("bob"), stream_mode=["custom", "tasks"])
    items = list(parts)
    runtime = seen["runtime"]
    assert runtime.store is store and runtime.context == Ctx("bob") and runtime.previous is None
    assert ("custom", {"custom": "bob"}) in items
    task_id = next(chunk["id"] for mode, chunk in items if mode == "tasks")
    info = runtime.execution_info
    assert isinstance(info, ExecutionInfo)
    assert info.task_id == task_id and info.checkpoint_ns == f"n:{task_id}" and info.thread_id == "t"
    assert info.checkpoint_id == app.get_state(config).parent_config["configurable"]["checkpoint_id"]
    assert (info.node_attempt, info.run_id, runtime.server_info, runtime.control) == (1, None, None, None)
    assert not runtime.drain_requested and runtime.drain_reason is None


def test_get_runtime_and_get_store_inside_a_node_and_a_router() -> None:
    def node(state: State) -> dict[str, Any]:
        runtime = get_runtime(Ctx)
        return {"out": [runtime.context.user, get_store() is runtime.store, runtime.execution_info is not None]}

    def route(state: State, runtime: Runtime[Ctx]) -> str:
        return "again" if runtime.context.user == "bob" else END

    graph = StateGraph(State, context_schema=Ctx)
    graph.add_node("n", node)
    graph.add_node("again", lambda state: {"out": ["again", get_store()]})
    graph.add_edge(START, "n")
    graph.add_conditional_edges("n", route, ["again", END])
    app = graph.compile()
    assert app.invoke({"out": []}, context={"user": "bob"}) == {"out": ["bob", True, True, "again", None]}
    assert app.invoke({"out": []}, context={"user": "eve"}) == {"out": ["eve", True, True]}


def test_outside_a_graph_run_get_runtime_and_get_store_raise() -> None:
    with pytest.raises(RuntimeError, match="outside of a runnable context"):
        get_runtime()
    with pytest.raises(RuntimeError, match="outside of a runnable context"):
        get_store()


def test_store_is_injected_by_name_when_unannotated_or_annotated_as_a_store() -> None:
    def bare(state: State, store) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return {"out": [store]}

    def typed(state: State, store: BaseStore) -> dict[str, Any]:
        return {"out": [store]}

    def optional(state: State, store: BaseStore | None = None) -> dict[str, Any]:
        return {"out": [store]}

    def other(state: State, store: str = "mine") -> dict[str, Any]:
        return {"out": [store]}  # annotated as something else: left alone, as LangGraph does

    store = InMemoryStore()
    for action in (bare, typed, optional):
        assert one_node(action).compile(store=store).invoke({"out": []}) == {"out": [store]}, action.__name__
        assert one_node(action).compile().invoke({"out": []}) == {"out": [None]}, action.__name__
    assert one_node(other).compile(store=store).invoke({"out": []}) == {"out": ["mine"]}


def test_previous_is_injected_as_none_for_a_state_graph() -> None:
    def node(state: State, previous: Any) -> dict[str, Any]:
        return {"out": [previous]}

    assert one_node(node).compile().invoke({"out": []}) == {"out": [None]}


def test_nodes_use_the_store_to_remember_across_threads() -> None:
    def remember(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
        assert runtime.store is not None
        namespace = ("memories", runtime.context.user)
        seen = [item.value["said"] for item in runtime.store.search(namespace)]
        runtime.store.put(namespace, str(len(seen)), {"said": state["out"][-1]})
        return {"out": [seen]}

    store = InMemoryStore()
    app = one_node(remember, context_schema=Ctx).compile(store=store, checkpointer=InMemorySaver())
    app.invoke({"out": ["hi"]}, {"configurable": {"thread_id": "1"}}, context={"user": "bob"})
    result = app.invoke({"out": ["again"]}, {"configurable": {"thread_id": "2"}}, context={"user": "bob"})
    assert result["out"] == ["again", ["hi"]]
    assert [ns for ns in store.list_namespaces()] == [("memories", "bob")]


def test_a_subgraph_inherits_the_callers_context_and_store_unless_given_its_own() -> None:
    def inner(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
        assert runtime.store is not None
        item = runtime.store.get(("k",), "v")
        return {"out": [runtime.context, item.value if item else None]}

    sub = StateGraph(State)
    sub.add_node("i", inner)
    sub.add_edge(START, "i")
    subapp = sub.compile()
    store = InMemoryStore()
    store.put(("k",), "v", {"x": 1})

    as_node = StateGraph(State, context_schema=Ctx)
    as_node.add_node("sub", subapp)
    as_node.add_edge(START, "sub")
    assert as_node.compile(store=store).invoke({"out": []}, context={"user": "x"}) == {"out": [Ctx("x"), {"x": 1}]}

    def own_context(state: State) -> Any:
        return subapp.invoke(state, context=Ctx("own"))

    def inherited(state: State) -> Any:
        return subapp.invoke(state)

    for action, expected in ((own_context, Ctx("own")), (inherited, Ctx("x"))):
        graph = one_node(action, context_schema=Ctx)
        assert graph.compile(store=store).invoke({"out": []}, context={"user": "x"})["out"][-2:] == [expected, {"x": 1}]


def test_a_subgraph_compiled_with_a_store_keeps_it_under_a_parent_without_one() -> None:
    # Deliberate difference (docs/differences.md): LangGraph hands the subgraph its
    # parent's store even when that is None.
    store = InMemoryStore()
    sub = one_node(lambda state: {"out": [get_store() is store]}).compile(store=store)
    parent = StateGraph(State)
    parent.add_node("sub", sub)
    parent.add_edge(START, "sub")
    assert parent.compile().invoke({"out": []}) == {"out": [True]}


async def test_the_async_and_streaming_api_take_context() -> None:
    app = one_node(report_context, context_schema=Ctx).compile()
    assert await app.ainvoke({"out": []}, context={"user": "a"}) == {"out": [Ctx("a")]}
    assert await collect(app.astream({"out": []}, context={"user": "b"})) == [{"n": {"out": [Ctx("b")]}}]
    assert await app.ainvoke({"out": []}, context={"user": "c"}, stream_mode="updates") == [{"n": {"out": [Ctx("c")]}}]
    parts = await collect(app.astream_parts({"out": []}, stream_mode="updates", context={"user": "d"}))
    assert [p.chunk for p in parts] == [{"n": {"out": [Ctx("d")]}}]
    events = await collect(app.astream_events({"out": []}, version="v2", context={"user": "e"}))
    assert events[-1]["event"] == "on_chain_end" and events[-1]["data"]["output"] == {"out": [Ctx("e")]}


def test_the_sync_stream_takes_context() -> None:
    app = one_node(report_context, context_schema=Ctx).compile()
    assert list(app.stream({"out": []}, context={"user": "f"})) == [{"n": {"out": [Ctx("f")]}}]


def test_compile_refuses_what_is_not_a_store() -> None:
    with pytest.raises(TypeError, match=r"compile\(store=\.\.\.\) takes a BaseStore"):
        one_node(report_context).compile(store={"not": "a store"})  # type: ignore[arg-type]


def test_the_context_schema_is_kept_on_the_builder_and_the_compiled_graph() -> None:
    graph = one_node(report_context, context_schema=Ctx)
    assert graph.context_schema is Ctx and graph.compile().context_schema is Ctx
    assert StateGraph(State).context_schema is None


def test_runtime_merge_override_and_patch() -> None:
    store = InMemoryStore()
    base = Runtime(context=Ctx("a"), store=store)
    merged = base.merge(Runtime(context=Ctx("b")))
    assert merged.context == Ctx("b") and merged.store is store
    assert base.merge(Runtime()).context == Ctx("a")
    assert base.override(context=None).context is None and base.context == Ctx("a")
    with pytest.raises(RuntimeError, match="before it has been set"):
        base.patch_execution_info(node_attempt=2)
    info = ExecutionInfo(checkpoint_id="c", checkpoint_ns="n:t", task_id="t")
    patched = base.override(execution_info=info).patch_execution_info(node_attempt=2)
    assert patched.execution_info == ExecutionInfo(checkpoint_id="c", checkpoint_ns="n:t", task_id="t", node_attempt=2)
    assert [f.name for f in dataclasses.fields(Runtime)] == [
        "context", "store", "stream_writer", "heartbeat", "previous", "execution_info", "server_info", "control",
    ]
    DEFAULT_RUNTIME.stream_writer("ignored")  # a no-op outside a run
    DEFAULT_RUNTIME.heartbeat()


def test_execution_info_counts_retry_attempts() -> None:
    from graphs import RetryPolicy

    attempts: list[int] = []

    def flaky(state: State, runtime: Runtime[Any]) -> dict[str, Any]:
        assert runtime.execution_info is not None
        attempts.append(runtime.execution_info.node_attempt)
        if len(attempts) < 3:
            raise ConnectionError("try again")
        return {"out": ["ok"]}

    graph = StateGraph(State)
    graph.add_node("flaky", flaky, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0, jitter=False))
    graph.add_edge(START, "flaky")
    assert graph.compile().invoke({"out": []}) == {"out": ["ok"]}
    assert attempts == [1, 2, 3]
