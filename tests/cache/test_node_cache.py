"""The node cache: ``add_node(cache_policy=)``, ``compile(cache=)``, ``InMemoryCache``.

Shapes (the ``__metadata__`` marker on cached updates, a ``tasks`` start but
no result for a cached task) were found by running the same graphs on LangGraph 1.2.
Time is a hand-moved clock: nothing sleeps.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import (
    END,
    START,
    CachePolicy,
    Command,
    InMemoryCache,
    InMemorySaver,
    Send,
    StateGraph,
    interrupt,
)
from runtime.cache import CACHE_NS_WRITES, cache_key, cache_namespace, default_cache_key
from runtime.checkpoint import JsonSerializer


class State(TypedDict):
    x: int
    log: Annotated[list[str], operator.add]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def counting_graph(calls: list[str], policy: CachePolicy[Any] | None = None) -> StateGraph:
    def a(state: State) -> dict[str, Any]:
        calls.append("a")
        return {"log": [f"a{state['x']}"]}

    def b(state: State) -> dict[str, Any]:
        calls.append("b")
        return {"log": ["b"]}

    graph = StateGraph(State)
    graph.add_node("a", a, cache_policy=policy or CachePolicy())
    graph.add_node("b", b)
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    graph.add_edge("a", END)
    return graph


def test_a_hit_skips_the_node_and_replays_its_writes_marked_cached() -> None:
    calls: list[str] = []
    app = counting_graph(calls).compile(cache=InMemoryCache())
    first = list(app.stream({"x": 1, "log": []}))  # a and b run side by side: either may finish first
    assert sorted(map(str, first)) == sorted(map(str, [{"a": {"log": ["a1"]}}, {"b": {"log": ["b"]}}]))
    updates = [chunk for mode, chunk in app.stream({"x": 1, "log": []}, stream_mode=["updates", "tasks"]) if mode == "updates"]
    # The hit streams first, marked as LangGraph marks it; then b, which ran.
    assert updates == [{"a": {"log": ["a1"]}, "__metadata__": {"cached": True}}, {"b": {"log": ["b"]}}]
    assert sorted(calls) == ["a", "b", "b"]
    assert app.invoke({"x": 1, "log": []}) == {"x": 1, "log": ["a1", "b"]}  # applied like a run
    assert app.invoke({"x": 2, "log": []}) == {"x": 2, "log": ["a2", "b"]}  # another input misses
    assert sorted(calls) == ["a", "a", "b", "b", "b", "b"]


def test_a_cached_task_is_announced_but_has_no_result() -> None:
    app = counting_graph([]).compile(cache=InMemoryCache())
    app.invoke({"x": 1, "log": []})
    items = list(app.stream({"x": 1, "log": []}, stream_mode="tasks"))
    assert [(t["name"], "result" in t) for t in items] == [("a", False), ("b", False), ("b", True)]
    debug = list(app.stream({"x": 1, "log": []}, stream_mode="debug"))
    assert [(d["type"], d["payload"]["name"]) for d in debug] == [("task", "a"), ("task", "b"), ("task_result", "b")]


def test_without_a_cache_the_policy_does_nothing() -> None:
    calls: list[str] = []
    app = counting_graph(calls).compile()
    app.invoke({"x": 1, "log": []})
    app.invoke({"x": 1, "log": []})
    assert sorted(calls) == ["a", "a", "b", "b"]


def test_ttl_expires_entries_on_the_cache_clock() -> None:
    calls: list[str] = []
    clock = Clock()
    app = counting_graph(calls, CachePolicy(ttl=10)).compile(cache=InMemoryCache(clock=clock))
    app.invoke({"x": 1, "log": []})
    clock.now += 9.9
    app.invoke({"x": 1, "log": []})
    assert calls.count("a") == 1
    clock.now += 0.1  # 10 seconds after the entry was written
    app.invoke({"x": 1, "log": []})
    assert calls.count("a") == 2
    clock.now += 9.9  # the rerun wrote a fresh entry
    app.invoke({"x": 1, "log": []})
    assert calls.count("a") == 2


def test_key_func_decides_which_inputs_count_as_the_same() -> None:
    calls: list[str] = []
    policy = CachePolicy(key_func=lambda state: str(state["x"] % 2))
    app = counting_graph(calls, policy).compile(cache=InMemoryCache())
    assert app.invoke({"x": 1, "log": []})["log"] == ["a1", "b"]
    assert app.invoke({"x": 3, "log": []})["log"] == ["a1", "b"]  # same key: the first run's writes
    assert app.invoke({"x": 2, "log": []})["log"] == ["a2", "b"]
    assert calls.count("a") == 2


def test_the_default_key_ignores_dict_order_and_the_hash_is_stable() -> None:
    # LangGraph means to (it sorts dict keys) but leaves the top-level argument
    # unfrozen, so its keys do depend on the order (docs/differences.md).
    assert default_cache_key({"a": 1, "b": [1, {"c": 2}]}) == default_cache_key({"b": [1, {"c": 2}], "a": 1})
    assert default_cache_key({"a": 1}) != default_cache_key({"a": 2})
    policy: CachePolicy[Any] = CachePolicy()
    assert cache_key(policy, {"a": 1}) == cache_key(policy, {"a": 1}) and len(cache_key(policy, {"a": 1})) == 32
    assert cache_key(CachePolicy(key_func=lambda _: "k"), 1) == cache_key(CachePolicy(key_func=lambda _: b"k"), 2)


def test_a_failed_or_interrupted_node_is_not_cached() -> None:
    calls: list[str] = []
    fail = [True]

    def flaky(state: State) -> dict[str, Any]:
        calls.append("flaky")
        if fail[0]:
            raise ValueError("boom")
        return {"log": ["ok"]}

    graph = StateGraph(State)
    graph.add_node("flaky", flaky, cache_policy=CachePolicy())
    graph.add_edge(START, "flaky")
    app = graph.compile(cache=InMemoryCache())
    with pytest.raises(ValueError, match="boom"):
        app.invoke({"x": 1, "log": []})
    fail[0] = False
    assert app.invoke({"x": 1, "log": []})["log"] == ["ok"]
    assert app.invoke({"x": 1, "log": []})["log"] == ["ok"]
    assert calls == ["flaky", "flaky"]

    asks: list[str] = []

    def ask(state: State) -> dict[str, Any]:
        asks.append("ask")
        return {"log": [interrupt("name?")]}

    graph = StateGraph(State)
    graph.add_node("ask", ask, cache_policy=CachePolicy())
    graph.add_edge(START, "ask")
    app = graph.compile(cache=InMemoryCache(), checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "1"}}
    assert "__interrupt__" in app.invoke({"x": 1, "log": []}, config)
    assert app.invoke(Command(resume="bob"), config)["log"] == ["bob"]
    assert asks == ["ask", "ask"]  # asked, then resumed: the interrupt was never a cached result


def test_cached_values_are_copies() -> None:
    def make(state: State) -> dict[str, Any]:
        return {"log": ["fresh"]}

    graph = StateGraph(State)
    graph.add_node("make", make, cache_policy=CachePolicy())
    graph.add_edge(START, "make")
    app = graph.compile(cache=InMemoryCache())
    first = app.invoke({"x": 1, "log": []})
    first["log"].append("mutated by the caller")
    assert app.invoke({"x": 1, "log": []})["log"] == ["fresh"]


def test_clear_cache_forgets_the_given_nodes_or_all() -> None:
    calls: list[str] = []
    app = counting_graph(calls).compile(cache=InMemoryCache())
    app.invoke({"x": 1, "log": []})
    app.clear_cache(["b"])  # b has no entries: a stays cached
    app.invoke({"x": 1, "log": []})
    assert calls.count("a") == 1
    app.clear_cache()
    app.invoke({"x": 1, "log": []})
    assert calls.count("a") == 2
    with pytest.raises(ValueError, match="No cache is set for this graph"):
        counting_graph([]).compile().clear_cache()


async def test_aclear_cache_and_async_runs() -> None:
    calls: list[str] = []
    app = counting_graph(calls).compile(cache=InMemoryCache())
    await app.ainvoke({"x": 1, "log": []})
    await app.ainvoke({"x": 1, "log": []})
    await app.aclear_cache(["a"])
    await app.ainvoke({"x": 1, "log": []})
    assert calls.count("a") == 2


def test_the_cache_namespace_is_langgraphs_layout() -> None:
    def node(state: State) -> None:
        return None

    assert cache_namespace(node, "n") == (
        CACHE_NS_WRITES, f"{__name__}.test_the_cache_namespace_is_langgraphs_layout.<locals>.node", "n",
    )
    assert cache_namespace(object(), "n") == (CACHE_NS_WRITES, "__dynamic__", "n")


def test_in_memory_cache_get_set_clear_and_expiry() -> None:
    clock = Clock()
    cache: InMemoryCache[Any] = InMemoryCache(clock=clock)
    one, two, other = (("ns",), "1"), (("ns",), "2"), (("other",), "1")
    cache.set({one: ({"v": 1}, None), two: ([2], 5), other: ("x", None)})
    assert cache.get([one, two, other, (("ns",), "missing")]) == {one: {"v": 1}, two: [2], other: "x"}
    assert cache.get([]) == {}
    clock.now += 5
    assert cache.get([two]) == {}
    cache.clear([("ns",)])
    assert cache.get([one, other]) == {other: "x"}
    cache.clear()
    assert cache.get([other]) == {}


def test_in_memory_cache_with_a_serializer_stores_bytes() -> None:
    cache: InMemoryCache[Any] = InMemoryCache(serde=JsonSerializer())
    key = (("ns",), "k")
    cache.set({key: ([("log", ["a"])], None)})
    assert isinstance(cache._entries[("ns",)]["k"][0], bytes)
    assert cache.get([key]) == {key: [("log", ["a"])]}


def test_bad_cache_arguments_are_refused() -> None:
    graph = StateGraph(State)
    with pytest.raises(TypeError, match="Node `n`: cache_policy must be a CachePolicy"):
        graph.add_node("n", lambda state: None, cache_policy={"ttl": 1})  # type: ignore[arg-type]
    graph.add_node("m", lambda state: None)
    graph.add_edge(START, "m")
    with pytest.raises(TypeError, match=r"compile\(cache=\.\.\.\) takes a BaseCache"):
        graph.compile(cache={})  # type: ignore[arg-type]


def test_sends_are_cached_by_their_argument_and_hits_stream_in_lookup_order() -> None:
    calls: list[int] = []

    def work(arg: dict[str, int]) -> dict[str, Any]:
        calls.append(arg["n"])
        return {"log": [str(arg["n"])]}

    graph = StateGraph(State)
    graph.add_node("w", work, cache_policy=CachePolicy())
    graph.add_conditional_edges(START, lambda state: [Send("w", {"n": n}) for n in (1, 2, 1)])
    app = graph.compile(cache=InMemoryCache())
    assert app.invoke({"x": 0, "log": []})["log"] == ["1", "2", "1"]
    assert sorted(calls) == [1, 1, 2]  # one step: nothing was cached before it ended
    # Of two tasks with one key, the later gets the hit and the earlier runs; hits
    # stream first, in the order their keys were first looked up (LangGraph's order).
    assert list(app.stream({"x": 0, "log": []})) == [
        {"w": {"log": ["1"]}, "__metadata__": {"cached": True}},
        {"w": {"log": ["2"]}, "__metadata__": {"cached": True}},
        {"w": {"log": ["1"]}},
    ]
    assert sorted(calls) == [1, 1, 1, 2]
