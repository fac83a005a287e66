"""Peak resident memory of the 10,000-way ``Send`` fan-out, each side in a fresh process.

A child interpreter imports one library only, builds the fan-out graph, runs it
once under its own event loop and reports its resident high-water mark,
imports included, because that is what the machine has to provide. It also
reports the high-water mark just before the run, so the note can show how much
of the peak the run itself added.

On Linux the mark is ``VmHWM`` from ``/proc/self/status``, not
``getrusage().ru_maxrss``: the kernel carries ``ru_maxrss`` across ``exec``, so
a child forked from this (large) suite process would report the suite's size.
``VmHWM`` belongs to the child's own address space. Elsewhere ``ru_maxrss`` it is.

Run as a child: ``python -m benchmarks.workloads.memory {tributary|langgraph} SIZE``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from ..apis import GraphApi, langgraph_api, tributary_api
from ..model import Case, Measured, Row, Side, Target, Workload, compare

__all__ = ["workload"]

TARGET = Target(0.35)
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _maxrss_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


_FOREIGN = {
    "tributary": ("langgraph", "langchain_core", "pydantic"),
    "langgraph": ("graphs", "runtime", "actors", "trio", "attrs"),
}
"""What a child running one side must not have loaded: the other side's libraries."""


def _child(side: str, size: int) -> dict[str, Any]:
    """Run the fan-out once in this (fresh) process; what the parent reads from our stdout."""
    from .fanout import build

    api = tributary_api() if side == "tributary" else langgraph_api()
    if api is None:
        raise SystemExit("LangGraph is not installed in this interpreter")
    run = build(api, size)
    before = _maxrss_bytes()
    if api.loop == "trio":
        import trio

        total = trio.run(run)
    else:
        import asyncio

        total = asyncio.run(run())
    peak = _maxrss_bytes()
    foreign = sorted(name for name in _FOREIGN[side] if name in sys.modules)
    if foreign:
        raise SystemExit(f"the {side} child loaded the other side's modules {foreign}; its peak would be unfair")
    return {"peak": peak, "before_run": before, "total": total}


def _process_side(api: GraphApi, size: int, growth: dict[str, list[float]]) -> Side:
    def run() -> tuple[float, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.workloads.memory", api.name.lower(), str(size)],
            cwd=_ROOT, capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"memory child for {api.name} failed:\n{done.stderr}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        growth.setdefault(api.name, []).append(report["peak"] - report["before_run"])
        return float(report["peak"]), report["total"]

    return Side(api.name, "process", run)


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    size = 100 if quick else 10_000
    name = f"peak_rss_fanout_{size}"
    growth: dict[str, list[float]] = {}
    apis = (tributary_api(),) if langgraph is None else (tributary_api(), langgraph)
    case = Case(name, tuple(_process_side(api, size, growth) for api in apis), unit="B", warmup=0)

    def note(_t: float, _lg: float | None) -> str:
        added = ", ".join(
            f"{label} +{statistics.median(values) / 2**20:.1f} MiB" for label, values in growth.items()
        )
        return f"peak incl. imports; the run itself added {added}"

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        return compare(measured, name, TARGET, note=note)

    return Workload("memory", "peak RSS of the 10,000-way fan-out, each side in a fresh process", (case,), rows)


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], int(sys.argv[2]))))
