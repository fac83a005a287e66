"""State schemas: TypedDict, dataclass and attrs; reducers; input and output schemas."""

from __future__ import annotations

import dataclasses
import operator
from typing import Annotated, Any, TypedDict

import attrs
import pytest

from _core_support import collect
from graphs import START, InvalidUpdateError, StateGraph


def concat_unique(left: list[str], right: list[str]) -> list[str]:
    return left + [item for item in right if item not in left]


class TDState(TypedDict):
    x: int
    items: Annotated[list, operator.add]


@dataclasses.dataclass
class DCState:
    x: int = 0
    items: Annotated[list, operator.add] = dataclasses.field(default_factory=list)


@attrs.define
class AttrsState:
    x: int = 0
    items: Annotated[list, operator.add] = attrs.field(factory=list)


@pytest.mark.parametrize("schema", [TDState, DCState, AttrsState], ids=["TypedDict", "dataclass", "attrs"])
async def test_node_input_type_and_dict_output(schema: type) -> None:
    seen: list[Any] = []

    def bump(state: Any) -> dict[str, Any]:
        seen.append(state)
        x = state["x"] if isinstance(state, dict) else state.x
        return {"x": x + 1, "items": [x]}

    graph = StateGraph(schema)
    graph.add_node(bump)
    graph.add_edge(START, "bump")
    app = graph.compile()
    parts = await collect(app.astream({"x": 1}, stream_mode="values"))
    assert parts == [{"x": 1, "items": []}, {"x": 2, "items": [1]}]
    assert all(type(p) is dict for p in parts)
    assert await app.ainvoke({"x": 5}) == {"x": 6, "items": [5]}
    if schema is TDState:
        assert type(seen[0]) is dict and seen[0] == {"x": 1, "items": []}
    else:
        assert type(seen[0]) is schema and seen[0] == schema(x=1, items=[])


@pytest.mark.parametrize("schema", [DCState, AttrsState], ids=["dataclass", "attrs"])
async def test_a_node_may_return_a_schema_instance(schema: type) -> None:
    graph = StateGraph(schema)
    graph.add_node("whole", lambda s: schema(x=s.x + 10, items=["w"]))
    graph.add_edge(START, "whole")
    assert await graph.compile().ainvoke({"x": 1}) == {"x": 11, "items": ["w"]}


async def test_annotated_custom_reducer_folds_writes_of_parallel_nodes() -> None:
    class Tags(TypedDict):
        tags: Annotated[list, concat_unique]

    graph = StateGraph(Tags)
    graph.add_node("a", lambda s: {"tags": ["x", "a"]})
    graph.add_node("b", lambda s: {"tags": ["x", "b"]})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    assert await graph.compile().ainvoke({"tags": ["x"]}) == {"tags": ["x", "a", "b"]}


async def test_reducer_key_folds_the_input_too() -> None:
    graph = StateGraph(TDState)
    graph.add_node("a", lambda s: {"items": ["a"]})
    graph.add_edge(START, "a")
    assert await graph.compile().ainvoke({"x": 0, "items": ["in"]}) == {"x": 0, "items": ["in", "a"]}


class Public(TypedDict):
    question: str


class Answer(TypedDict):
    answer: str


class Full(TypedDict):
    question: str
    answer: str
    scratch: int


def answering_graph() -> Any:
    graph = StateGraph(Full, input_schema=Public, output_schema=Answer)
    graph.add_node("think", lambda s: {"scratch": len(s["question"])})
    graph.add_node("say", lambda s: {"answer": f"{s['question']}={s['scratch']}"})
    graph.add_edge(START, "think")
    graph.add_edge("think", "say")
    return graph.compile()


async def test_output_schema_filters_invoke_and_values() -> None:
    app = answering_graph()
    assert await app.ainvoke({"question": "why"}) == {"answer": "why=3"}
    # Only steps that wrote an output key emit values, and only output keys show.
    assert await collect(app.astream({"question": "why"}, stream_mode="values")) == [{"answer": "why=3"}]


async def test_input_schema_restricts_input_keys() -> None:
    app = answering_graph()
    with pytest.raises(InvalidUpdateError) as caught:
        await app.ainvoke({"question": "why", "scratch": 1})
    assert "'scratch'" in str(caught.value)


def test_state_schema_must_be_a_schema() -> None:
    with pytest.raises(TypeError, match="not a TypedDict, dataclass or attrs class"):
        StateGraph(int)
