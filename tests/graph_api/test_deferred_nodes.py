"""``add_node(defer=True)``: a triggered deferred node waits until the run would otherwise end (LangGraph 1.2)."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import (
    START,
    Command,
    InMemorySaver,
    Send,
    SqliteSaver,
    StateGraph,
    interrupt,
)


class State(TypedDict, total=False):
    items: Annotated[list[str], operator.add]


def add(name: str) -> Any:
    return lambda state: {"items": [name]}


def uneven(defer: bool, *, middle: Any = None) -> StateGraph:
    """a fans out to b (one step) and c → c2 (two steps); both lead to d."""
    graph = StateGraph(State)
    graph.add_node("a", add("a"))
    graph.add_node("b", add("b"))
    graph.add_node("c", add("c"))
    graph.add_node("c2", middle or add("c2"))
    graph.add_node("d", lambda state: {"items": [f"d{len(state['items'])}"]}, defer=defer)
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("a", "c")
    graph.add_edge("c", "c2")
    graph.add_edge("b", "d")
    graph.add_edge("c2", "d")
    return graph


def test_without_defer_the_node_runs_after_each_branch() -> None:
    assert uneven(False).compile().invoke({"items": []}) == {"items": ["a", "b", "c", "c2", "d3", "d5"]}


def test_a_deferred_node_runs_once_when_everything_else_is_done() -> None:
    app = uneven(True).compile()
    assert app.invoke({"items": []}) == {"items": ["a", "b", "c", "c2", "d4"]}
    assert [list(chunk) for chunk in app.stream({"items": []})][-2:] == [["c2"], ["d"]]


def test_it_waits_for_a_chain_started_after_it_was_triggered() -> None:
    graph = StateGraph(State)
    graph.add_node("a", add("a"))
    graph.add_node("b", add("b"))
    graph.add_node("b2", add("b2"))
    graph.add_node("d", add("d"), defer=True)
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", "b2")
    graph.add_edge(START, "d")
    assert list(graph.compile().stream({"items": []})) == [
        {"a": {"items": ["a"]}},
        {"b": {"items": ["b"]}},
        {"b2": {"items": ["b2"]}},
        {"d": {"items": ["d"]}},
    ]


def test_pending_sends_do_not_hold_it_back() -> None:
    # As in LangGraph: only triggered nodes keep a deferred node waiting; it runs
    # alongside the Sends' tasks (d sees no items), before what they send on.
    graph = StateGraph(State)
    graph.add_node("fan", lambda state: Command(goto=[Send("work", {"items": [str(i)]}) for i in range(2)]))
    graph.add_node("work", lambda state: Command(goto=Send("again", state)) if state["items"] == ["0"] else None)
    graph.add_node("again", add("again"))
    graph.add_node("d", lambda state: {"items": [f"d{len(state['items'])}"]}, defer=True)
    graph.add_edge(START, "fan")
    graph.add_edge(START, "d")
    assert graph.compile().invoke({"items": []}) == {"items": ["d0", "again"]}


def test_a_joined_deferred_node_waits_too() -> None:
    graph = StateGraph(State)
    for name in ("a", "b", "b2", "b3"):
        graph.add_node(name, add(name))
    graph.add_node("d", lambda state: {"items": [f"d{len(state['items'])}"]}, defer=True)
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    graph.add_edge("b", "b2")
    graph.add_edge("b2", "b3")
    graph.add_edge(["a", "b"], "d")
    assert graph.compile().invoke({"items": []}) == {"items": ["a", "b", "b2", "b3", "d4"]}


def asking_c2(state: State) -> State:
    return {"items": [f"c2:{interrupt('go?')}"]}


@pytest.fixture(params=["memory", "sqlite"])
def saver(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    made = InMemorySaver() if request.param == "memory" else SqliteSaver(str(tmp_path / "t.sqlite"))
    yield made
    made.close()


async def test_a_waiting_deferred_node_survives_an_interrupt(saver: Any) -> None:
    app = uneven(True, middle=asking_c2).compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "t"}}
    out = await app.ainvoke({"items": []}, config)
    assert out["items"] == ["a", "b", "c"] and "__interrupt__" in out
    assert (await app.aget_state(config)).next == ("c2",)
    assert await app.ainvoke(Command(resume="yes"), config) == {"items": ["a", "b", "c", "c2:yes", "d4"]}
