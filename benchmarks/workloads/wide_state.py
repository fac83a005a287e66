"""Wide state: 300 keys, a chain of 10 nodes each writing 3 of them, ``stream_mode="values"``.

Every step emits the whole 300-key state, and every node is handed it as its
input, so this measures what the runtime does per key per step: reading the
state into a node's input, applying writes, and building the ``values``
payload. Nothing here grows with the number of nodes but the steps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypedDict

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import sides

__all__ = ["workload", "build"]

TARGET = Target(0.1)
KEYS = 300
NODES = 10
WRITES = 3

WideState = TypedDict("WideState", {f"k{i}": int for i in range(KEYS)})  # type: ignore[misc]


def _writer(node: int) -> Callable[[Any], Awaitable[dict[str, int]]]:
    keys = [f"k{node * WRITES + j}" for j in range(WRITES)]

    async def write(state: Any) -> dict[str, int]:
        return {key: state[key] + node + 1 for key in keys}

    return write


def build(api: GraphApi) -> Callable[[], Awaitable[tuple[int, int]]]:
    graph = api.StateGraph(WideState)
    names = [f"node{i}" for i in range(NODES)]
    for i, name in enumerate(names):
        graph.add_node(name, _writer(i))
    graph.add_edge(api.START, names[0])
    for a, b in zip(names, names[1:]):
        graph.add_edge(a, b)
    graph.add_edge(names[-1], api.END)
    compiled = graph.compile()
    initial = {f"k{i}": i for i in range(KEYS)}

    async def run() -> tuple[int, int]:
        emitted, total = 0, 0
        async with api.safely(compiled.astream(initial, stream_mode="values")) as stream:
            async for state in stream:
                emitted += 1
                total = sum(state.values())
        return emitted, total

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    name = "wide_state_300"
    cases = (Case(name, sides(build, langgraph), inner=2 if quick else 20),)

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        return compare(measured, name, TARGET)

    return Workload("wide_state", "300-key state, 10 nodes writing 3 keys each, values mode", cases, rows)
