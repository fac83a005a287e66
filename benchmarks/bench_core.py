"""Core scheduler benchmarks: a 1000-node sequential chain and a 1000-way ``Send`` fan-out.

Usage: ``python -m benchmarks.bench_core [--repeats N] [--size N]``. Prints one
JSON line per workload with the median wall time of whole ``ainvoke`` runs and
the per-node (per-Send) cost derived from it.
"""

from __future__ import annotations

import argparse
import operator
from typing import Annotated, Any, TypedDict

from graphs import START, Send, StateGraph

from ._timing import measure, report


class ChainState(TypedDict):
    count: int


class FanState(TypedDict):
    results: Annotated[list[int], operator.add]


async def _step(state: ChainState) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def build_chain(size: int) -> Any:
    graph = StateGraph(ChainState)
    names = [f"n{i}" for i in range(size)]
    for name in names:
        graph.add_node(name, _step)
    graph.add_edge(START, names[0])
    for a, b in zip(names, names[1:]):
        graph.add_edge(a, b)
    return graph.compile()


async def _worker(arg: int) -> dict[str, Any]:
    return {"results": [arg]}


def build_fanout(size: int) -> Any:
    graph = StateGraph(FanState)
    graph.add_node("worker", _worker)
    graph.add_conditional_edges(START, lambda _state: [Send("worker", i) for i in range(size)])
    return graph.compile()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    size = args.size

    chain = build_chain(size)
    limit = {"recursion_limit": size + 10}

    async def run_chain() -> None:
        out = await chain.ainvoke({"count": 0}, limit)
        assert out == {"count": size}, out

    samples = measure(run_chain, repeats=args.repeats)
    report(f"sequential_chain_{size}", samples, per_node_us=round(sorted(samples)[len(samples) // 2] / size * 1e6, 2))

    fanout = build_fanout(size)

    async def run_fanout() -> None:
        out = await fanout.ainvoke({"results": []})
        assert len(out["results"]) == size

    samples = measure(run_fanout, repeats=args.repeats)
    report(f"send_fanout_{size}", samples, per_send_us=round(sorted(samples)[len(samples) // 2] / size * 1e6, 2))


if __name__ == "__main__":
    main()
