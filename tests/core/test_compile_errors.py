"""Graphs rejected while building or compiling, with LangGraph's messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

import pytest

from _core_support import State
from graphs import END, START, InvalidGraphError, StateGraph


def node(state: State) -> dict[str, Any]:
    return {"x": 1}


def condition(state: State) -> str:
    return "a"


def builder(*names: str) -> StateGraph:
    graph = StateGraph(State)
    for name in names:
        graph.add_node(name, node)
    return graph


def edge_to_unknown() -> None:
    graph = builder("a")
    graph.add_edge(START, "a")
    graph.add_edge("a", "ghost")
    graph.compile()


def edge_from_unknown() -> None:
    graph = builder("a")
    graph.add_edge(START, "a")
    graph.add_edge("ghost", "a")
    graph.compile()


def no_entrypoint() -> None:
    graph = builder("a", "b")
    graph.add_edge("a", "b")
    graph.compile()


def empty_graph() -> None:
    StateGraph(State).compile()


def duplicate_node() -> None:
    builder("a", "a")


def reserved_start() -> None:
    builder(START)


def reserved_end() -> None:
    builder(END)


def end_as_start() -> None:
    builder("a").add_edge(END, "a")


def start_as_end() -> None:
    builder("a").add_edge("a", START)


def end_in_a_join_as_start() -> None:
    builder("a", "b").add_edge(["a", END], "b")


def branch_to_unknown_in_dict_path_map() -> None:
    graph = builder("a")
    graph.add_edge(START, "a")
    graph.add_conditional_edges("a", condition, {"go": "ghost", "stop": END})
    graph.compile()


def branch_to_unknown_in_list_path_map() -> None:
    graph = builder("a")
    graph.add_edge(START, "a")
    graph.add_conditional_edges("a", condition, ["a", "ghost"])
    graph.compile()


def branch_to_unknown_in_literal_annotation() -> None:
    def condition(state: State) -> Literal["a", "ghost"]:
        return "a"

    graph = builder("a")
    graph.add_edge(START, "a")
    graph.add_conditional_edges("a", condition)
    graph.compile()


CASES: list[tuple[Callable[[], None], str]] = [
    (edge_to_unknown, "Found edge ending at unknown node `ghost`"),
    (edge_from_unknown, "Found edge starting at unknown node 'ghost'"),
    (no_entrypoint, "Graph must have an entrypoint: add at least one edge from START to another node"),
    (empty_graph, "Graph must have an entrypoint: add at least one edge from START to another node"),
    (duplicate_node, "Node `a` already present."),
    (reserved_start, "Node `__start__` is reserved."),
    (reserved_end, "Node `__end__` is reserved."),
    (end_as_start, "END cannot be a start node"),
    (start_as_end, "START cannot be an end node"),
    (end_in_a_join_as_start, "END cannot be a start node"),
    (branch_to_unknown_in_dict_path_map, "At 'a' node, 'condition' branch found unknown target 'ghost'"),
    (branch_to_unknown_in_list_path_map, "At 'a' node, 'condition' branch found unknown target 'ghost'"),
    (branch_to_unknown_in_literal_annotation, "At 'a' node, 'condition' branch found unknown target 'ghost'"),
]


@pytest.mark.parametrize(("build", "message"), CASES, ids=[build.__name__ for build, _ in CASES])
def test_invalid_graphs_raise_with_langgraphs_message(build: Callable[[], None], message: str) -> None:
    with pytest.raises(InvalidGraphError, match=f"^{re.escape(message)}$") as caught:
        build()
    assert isinstance(caught.value, ValueError)


def test_unreachable_nodes_compile_and_never_run() -> None:
    ran: list[str] = []

    def reached(state: State) -> dict[str, Any]:
        ran.append("reached")
        return {"x": 1}

    def island(state: State) -> dict[str, Any]:
        ran.append("island")
        return {"x": 2}

    graph = StateGraph(State)
    graph.add_node(reached)
    graph.add_node(island)
    graph.add_edge(START, "reached")
    assert graph.compile().invoke({"x": 0}) == {"x": 1, "items": []}
    assert ran == ["reached"]


def test_a_valid_graph_compiles_to_a_runnable_graph() -> None:
    graph = builder("a")
    graph.add_edge(START, "a")
    graph.add_edge("a", END)
    app = graph.compile()
    assert app.invoke({"x": 0}) == {"x": 1, "items": []}
