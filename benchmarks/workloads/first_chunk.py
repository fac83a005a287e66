"""Time from calling ``astream()`` to receiving the first custom chunk of a 5-node chain.

Each of the five nodes writes one custom chunk and updates the state; the
clock starts before ``astream()`` is called and stops when the first chunk
arrives, then the consumer leaves (cancelling the rest of the run, not timed).
The figure is the latency a streaming user sees before anything happens: run
set-up, the first step's planning and task start, one chunk's trip. A sample
is the median of many such runs, so one slow wake-up does not decide it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypedDict

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import sides

__all__ = ["workload", "build"]

TARGET = Target(0.15)
NODES = 5


class ChainState(TypedDict):
    visited: int


def _node(name: str, api: GraphApi) -> Callable[[ChainState], Awaitable[dict[str, Any]]]:
    async def node(state: ChainState) -> dict[str, Any]:
        api.get_stream_writer()({"node": name})
        return {"visited": state["visited"] + 1}

    return node


def build(api: GraphApi, runs: int) -> Callable[[], Awaitable[tuple[tuple[float, float], Any]]]:
    graph = api.StateGraph(ChainState)
    names = [f"n{i}" for i in range(NODES)]
    for name in names:
        graph.add_node(name, _node(name, api))
    graph.add_edge(api.START, names[0])
    for a, b in zip(names, names[1:]):
        graph.add_edge(a, b)
    graph.add_edge(names[-1], api.END)
    compiled = graph.compile()

    async def run() -> tuple[tuple[float, float], Any]:
        walls, cpus = [], []
        first: Any = None
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            async with api.safely(compiled.astream({"visited": 0}, stream_mode="custom")) as stream:
                async for first in stream:
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                    break
        return (statistics.median(walls), statistics.median(cpus)), first

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    runs = 10 if quick else 200
    name = "first_chunk_5_nodes"
    cases = (Case(name, sides(lambda api: build(api, runs), langgraph, self_timed=True)),)

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        return compare(measured, name, TARGET, note=lambda _t, _lg: f"median of {runs} runs per sample")

    return Workload("first_chunk", "astream() to the first custom chunk of a 5-node chain", cases, rows)
