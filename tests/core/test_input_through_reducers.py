"""The input passes through the reducers before the first node reads it.

Expected values were observed by running the same graph on LangGraph 1.2: a
reducer that changes what it is given changes the input too, ``add_messages``
turns the input's message forms into messages with ids, and a second run on a
thread folds its input into the saved state.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from _core_support import collect

from graphs import START, InMemorySaver, StateGraph, add_messages


def upper_add(left: list[str], right: list[str]) -> list[str]:
    return left + [word.upper() for word in right]


class State(TypedDict):
    words: Annotated[list[str], upper_add]
    total: Annotated[int, operator.add]
    messages: Annotated[list[Any], add_messages]


def graph(seen: list[dict[str, Any]]) -> StateGraph:
    def first(state: State) -> dict[str, Any]:
        seen.append({
            "words": state["words"],
            "total": state["total"],
            "messages": [(type(m).__name__, m.content, m.id is not None) for m in state["messages"]],
        })
        return {"total": 1}

    built = StateGraph(State)
    built.add_node("first", first)
    built.add_edge(START, "first")
    return built


def test_the_first_node_reads_the_input_as_the_reducers_made_it() -> None:
    seen: list[dict[str, Any]] = []
    app = graph(seen).compile()
    out = app.invoke({"words": ["a", "b"], "total": 5, "messages": [("user", "hi"), {"role": "assistant", "content": "yo"}]})
    assert seen == [{
        "words": ["A", "B"],
        "total": 5,
        "messages": [("HumanMessage", "hi", True), ("AIMessage", "yo", True)],
    }]
    assert out["words"] == ["A", "B"] and out["total"] == 6
    assert [type(m).__name__ for m in out["messages"]] == ["HumanMessage", "AIMessage"]


async def test_the_first_values_chunk_is_the_reduced_input() -> None:
    app = graph([]).compile()
    chunks = await collect(app.astream({"words": ["c"], "total": 2, "messages": "hello"}, stream_mode="values"))
    shown = [{**c, "messages": [(type(m).__name__, m.content) for m in c["messages"]]} for c in chunks]
    assert shown == [
        {"words": ["C"], "total": 2, "messages": [("HumanMessage", "hello")]},
        {"words": ["C"], "total": 3, "messages": [("HumanMessage", "hello")]},
    ]


def test_a_second_run_folds_its_input_into_the_saved_state_before_the_first_node() -> None:
    seen: list[dict[str, Any]] = []
    app = graph(seen).compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    app.invoke({"words": ["x"], "total": 1}, config)
    app.invoke({"words": ["y"], "total": 1}, config)
    assert seen[-1] == {"words": ["X", "Y"], "total": 3, "messages": []}
