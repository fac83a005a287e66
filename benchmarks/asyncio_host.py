"""Tributary under asyncio, side by side with LangGraph (asyncio) and Tributary (trio).

Usage: ``python -m benchmarks.asyncio_host [--repeats N]`` (needs the ``bench`` extra
for LangGraph; without it only Tributary's two hosts run).

What it shows: the cost of hosting. Under asyncio, Tributary's graph runs in a trio
guest run on the caller's loop; each call crosses into it once, and each *async*
node's coroutine crosses back to the host loop and returns (two loop wake-ups),
while sync nodes stay in trio's worker threads as always. Cases:

* ``chain_async_20``: ``ainvoke`` of a chain of 20 async nodes (20 crossings back);
* ``chain_sync_20``: the same chain with sync nodes;
* ``fanout_async_100``: ``astream`` (updates) of 100 parallel async nodes;
* ``calls_1000``: 1000 sequential ``ainvoke`` calls of a one-node graph (the cost of
  the entry crossing itself).

Each sample is timed inside its own loop (``asyncio.run`` or ``trio.run``) with the
CPU clock; the table shows the median of ``N`` samples per side and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import operator
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypedDict

import trio


class State(TypedDict):
    total: Annotated[int, operator.add]


async def async_step(state: Any) -> dict[str, int]:
    return {"total": 1}


def sync_step(state: Any) -> dict[str, int]:
    return {"total": 1}


def chain(library: Any, size: int, node: Callable[..., Any]) -> Any:
    graph = library.StateGraph(State)
    previous = library.START
    for i in range(size):
        graph.add_node(f"n{i}", node)
        graph.add_edge(previous, f"n{i}")
        previous = f"n{i}"
    graph.add_edge(previous, library.END)
    return graph.compile()


def fanout(library: Any, size: int) -> Any:
    graph = library.StateGraph(State)
    for i in range(size):
        graph.add_node(f"n{i}", async_step)
        graph.add_edge(library.START, f"n{i}")
        graph.add_edge(f"n{i}", library.END)
    return graph.compile()


def cases(library: Any) -> dict[str, Callable[[], Awaitable[int]]]:
    async_chain, sync_chain = chain(library, 20, async_step), chain(library, 20, sync_step)
    wide, single = fanout(library, 100), chain(library, 1, sync_step)

    async def chain_async() -> int:
        return int((await async_chain.ainvoke({"total": 0}))["total"])

    async def chain_sync() -> int:
        return int((await sync_chain.ainvoke({"total": 0}))["total"])

    async def fanout_async() -> int:
        return len([c async for c in wide.astream({"total": 0}, stream_mode="updates")])

    async def calls() -> int:
        total = 0
        for _ in range(1000):
            total += (await single.ainvoke({"total": 0}))["total"]
        return total

    return {"chain_async_20": chain_async, "chain_sync_20": chain_sync, "fanout_async_100": fanout_async, "calls_1000": calls}


def sample(run: Callable[[Callable[[], Awaitable[float]]], float], case: Callable[[], Awaitable[int]], expected: int | None) -> tuple[float, int]:
    result: list[int] = []

    async def timed() -> float:
        start = time.process_time()
        result.append(await case())
        return time.process_time() - start

    seconds = run(timed)
    if expected is not None and result[0] != expected:
        raise SystemExit(f"sides disagree: {result[0]} != {expected}")
    return seconds, result[0]


def on_asyncio(function: Callable[[], Awaitable[float]]) -> float:
    async def main() -> float:
        return await function()

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import graphs

    sides: dict[str, tuple[Any, Callable[[Callable[[], Awaitable[float]]], float]]] = {
        "tributary/trio": (graphs, trio.run),
        "tributary/asyncio": (graphs, on_asyncio),
    }
    try:
        import langgraph.graph as langgraph
    except ImportError:
        print("LangGraph is not installed (pip install -e '.[bench]'): Tributary's hosts only")
    else:
        sides["langgraph/asyncio"] = (langgraph, on_asyncio)
    built = {name: cases(library) for name, (library, _) in sides.items()}
    names = list(next(iter(built.values())))
    print(f"{'case':<18}" + "".join(f"{side:>20}" for side in sides) + "   asyncio/trio   langgraph/tributary-asyncio")
    for case in names:
        medians: dict[str, float] = {}
        expected: int | None = None
        for side, (_, run) in sides.items():
            sample(run, built[side][case], expected)  # warm-up (and the answer to compare)
            times = []
            for _ in range(args.repeats):
                seconds, expected = sample(run, built[side][case], expected)
                times.append(seconds)
            medians[side] = statistics.median(times)
        row = f"{case:<18}" + "".join(f"{medians[s] * 1000:>17.2f} ms" for s in sides)
        row += f"   {medians['tributary/asyncio'] / medians['tributary/trio']:>11.2f}x"
        if "langgraph/asyncio" in medians:
            row += f"   {medians['langgraph/asyncio'] / medians['tributary/asyncio']:>11.2f}x"
        print(row)


if __name__ == "__main__":
    main()
