"""``Send`` fan-out to N workers, joined by an ``operator.add`` reducer.

The conditional entry edge returns N ``Send("worker", i)``; each worker returns
``{"results": [i]}``, the reducer concatenates them at the barrier, and one
``join`` node sums them in the next step. This is the map-reduce shape users
write; per ``Send`` it costs the runtime one task (start, run, collect the
write). Reported per Send as well, and the per-Send cost at 10,000 over that
at 1000 shows whether the cost grows with the width of the step (it must not:
LangGraph's grows from a scan of pending writes on every task completion).
"""

from __future__ import annotations

import operator
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, TypedDict

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import micros, sides

__all__ = ["workload", "build_graph", "build"]

TARGETS = {1000: Target(0.07)}
GROWTH_TARGET = Target(1.5)


class FanState(TypedDict):
    results: Annotated[list[int], operator.add]
    total: int


async def _worker(arg: int) -> dict[str, Any]:
    return {"results": [arg]}


async def _join(state: FanState) -> dict[str, Any]:
    return {"total": sum(state["results"])}


def build_graph(api: GraphApi, size: int) -> Any:
    """The compiled fan-out graph (the memory workload runs it too)."""
    graph = api.StateGraph(FanState)
    graph.add_node("worker", _worker)
    graph.add_node("join", _join)
    graph.add_conditional_edges(api.START, lambda _state: [api.Send("worker", i) for i in range(size)])
    graph.add_edge("worker", "join")
    graph.add_edge("join", api.END)
    return graph.compile()


def build(api: GraphApi, size: int) -> Callable[[], Awaitable[int]]:
    compiled = build_graph(api, size)

    async def run() -> int:
        out = await compiled.ainvoke({"results": [], "total": 0})
        return out["total"]  # type: ignore[no-any-return]

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    sizes = (10, 100) if quick else (100, 1000, 10_000)
    cases = tuple(
        Case(f"fanout_{n}", sides(lambda api, n=n: build(api, n), langgraph), inner=max(1, 1000 // n))
        for n in sizes
    )

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        out: list[Row] = []
        for n in sizes:
            out += compare(
                measured, f"fanout_{n}", TARGETS.get(n),
                note=lambda t, lg, n=n: f"per Send {micros(t / n)}" + (f" vs {micros(lg / n)}" if lg else ""),
            )
        small, large = sizes[-2], sizes[-1]
        if f"fanout_{small}" in measured and f"fanout_{large}" in measured:
            per_send = {
                n: {label: measured[f"fanout_{n}"].median(label) for label in ("Tributary", "LangGraph")}
                for n in (small, large)
            }
            tributary_small = per_send[small]["Tributary"]
            tributary_large = per_send[large]["Tributary"]
            assert tributary_small is not None and tributary_large is not None
            lg_small, lg_large = per_send[small]["LangGraph"], per_send[large]["LangGraph"]
            lg_note = (
                f"; LangGraph's grows {(lg_large / large) / (lg_small / small):.2f}x"
                if lg_small and lg_large else ""
            )
            out.append(
                Row(
                    f"fanout_{large}_vs_{small}_per_send",
                    tributary_large / large,
                    tributary_small / small,
                    f"Tributary @{small}",
                    "s/Send",
                    GROWTH_TARGET,
                    f"per-Send cost growth, Tributary{lg_note}",
                )
            )
        return out

    return Workload("fanout", "Send fan-out to 100/1000/10,000 workers with an operator.add join", cases, rows)
