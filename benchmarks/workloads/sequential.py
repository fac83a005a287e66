"""Sequential chain of N trivial async nodes, run with ``ainvoke``.

Each node adds one to a counter, so nearly all the time is the runtime's own
per-step cost: planning the step, starting the node, collecting its write,
applying it at the barrier. LangGraph's ``sequential`` benchmark has this shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypedDict

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import micros, sides

__all__ = ["workload", "build"]

TARGETS = {1000: Target(0.12)}


class ChainState(TypedDict):
    count: int


async def _step(state: ChainState) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def build(api: GraphApi, size: int) -> Callable[[], Awaitable[int]]:
    graph = api.StateGraph(ChainState)
    names = [f"n{i}" for i in range(size)]
    for name in names:
        graph.add_node(name, _step)
    graph.add_edge(api.START, names[0])
    for a, b in zip(names, names[1:]):
        graph.add_edge(a, b)
    graph.add_edge(names[-1], api.END)
    compiled = graph.compile()
    config = {"recursion_limit": size + 10}

    async def run() -> int:
        out = await compiled.ainvoke({"count": 0}, config)
        return out["count"]  # type: ignore[no-any-return]

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    sizes = (10, 100) if quick else (10, 100, 1000)
    cases = tuple(
        Case(f"sequential_{n}", sides(lambda api, n=n: build(api, n), langgraph), inner=max(1, 200 // n))
        for n in sizes
    )

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        out: list[Row] = []
        for n in sizes:
            out += compare(
                measured, f"sequential_{n}", TARGETS.get(n),
                note=lambda t, lg, n=n: f"per node {micros(t / n)}" + (f" vs {micros(lg / n)}" if lg else ""),
            )
        return out

    return Workload("sequential", "chain of 10/100/1000 trivial async nodes, ainvoke", cases, rows)
