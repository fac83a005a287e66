"""The side-by-side suite: run every workload on Tributary and LangGraph, report the ratios.

For each case the runner first runs every side ``warmup`` times (unrecorded; it
also checks that all sides computed the same thing), then takes ``repeats``
rounds of one sample per side, alternating sides within a round (A B A B …),
all in this one process. Medians make the table; every sample goes to
``results.json``. Figures are reported, never asserted: the exit status says
whether the suite ran, not whether targets were met.

The table shows CPU time by default. Nothing here sleeps or does I/O, and
both sides run on one thread (measured: no voluntary context switches), so on
an idle machine the two clocks agree, and on a shared one CPU time leaves out
the time the kernel gave the neighbours. One exception, in LangGraph's favour:
its ``messages`` and ``events`` runs hand every callback to a worker thread
(~85,000 voluntary switches a run); CPU time counts those threads' work but
not the hand-offs, so there it is lower than wall time even on an idle
machine. ``--clock wall`` shows wall time; ``results.json`` keeps both. Once every graph is built,
the heap is frozen (``gc.freeze``), so that neither side's garbage collections
walk the objects of the other library loaded in the same process.

``--quick`` shrinks every size and takes two samples: a smoke test for CI. It
runs without LangGraph (Tributary's side only, and the trio floor). Only a
full run writes ``benchmarks/results.json``; a quick or ``--only`` run
writes to a scratch directory unless ``--out`` says otherwise,
so a partial run never replaces the published figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .apis import GraphApi, langgraph_api
from .model import CLOCKS, Case, Measured, Row, Workload, take_sample
from .report import format_table, machine, write_chart, write_json
from .workloads import (
    custom,
    events,
    fanout,
    first_chunk,
    memory,
    messages,
    react_agent,
    sequential,
    subgraph,
    wide_state,
)

__all__ = ["main", "WORKLOADS"]

WORKLOADS: tuple[Callable[[bool, GraphApi | None], Workload], ...] = (
    sequential.workload,
    fanout.workload,
    subgraph.workload,
    custom.workload,
    messages.workload,
    events.workload,
    wide_state.workload,
    react_agent.workload,
    first_chunk.workload,
    memory.workload,
)
"""Every workload family, in table order."""

_HERE = Path(__file__).resolve().parent


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_cases(cases: Sequence[Case], repeats: int) -> dict[str, dict[str, Measured]]:
    """Measure a workload's cases: by clock, by case name.

    Each case is warmed up first (its sides must agree on what they computed);
    then every round takes one sample of every side of every case, so a change
    in the machine's speed during the run touches the sizes of a family (whose
    per-unit costs are compared with each other) as evenly as the two sides.
    """
    samples = {clock: {case.name: {side.label: [] for side in case.sides} for case in cases} for clock in CLOCKS}
    summaries: dict[str, dict[str, Any]] = {case.name: {} for case in cases}

    def sample(case: Case, record: bool) -> None:
        for side in case.sides:
            values, summary = take_sample(side, case.inner)
            if record:
                for clock, value in zip(CLOCKS, values):
                    samples[clock][case.name][side.label].append(value)
            summaries[case.name].setdefault(side.label, summary)
            if len({repr(seen) for seen in summaries[case.name].values()}) > 1:
                raise AssertionError(f"{case.name}: the sides computed different results: {summaries[case.name]}")

    for case in cases:
        for _ in range(case.warmup):
            sample(case, record=False)
    for _ in range(repeats):
        for case in cases:
            sample(case, record=True)
    return {
        clock: {case.name: Measured(case, samples[clock][case.name]) for case in cases} for clock in CLOCKS
    }


def _select(workloads: Sequence[Workload], only: Sequence[str]) -> list[tuple[Workload, tuple[Case, ...]]]:
    if not only:
        return [(w, w.cases) for w in workloads]
    known = {w.name for w in workloads} | {c.name for w in workloads for c in w.cases}
    unknown = sorted(set(only) - known)
    if unknown:
        raise SystemExit(f"--only: unknown workload(s) {unknown}; choose from {sorted(known)} (see --list)")
    chosen = []
    for w in workloads:
        cases = w.cases if w.name in only else tuple(c for c in w.cases if c.name in only)
        if cases:
            chosen.append((w, cases))
    return chosen


def _report(
    rows: Sequence[Row],
    measured: dict[str, dict[str, Measured]],
    info: dict[str, Any],
    settings: dict[str, Any],
    out: Path,
) -> None:
    print(
        f"\nTributary vs LangGraph {info['langgraph'] or '(not installed)'} - {info['cpu']}, {info['cores']} cores, "
        f"{info['python']}, trio {info['trio']}, {info['date']}"
    )
    print(
        f"{'quick smoke run, ' if settings['quick'] else ''}median of {settings['repeats']} samples per side, "
        f"{settings['clock']} clock, suite took {settings['elapsed_s']:.0f} s, "
        f"load average {info['load_average_before']} before and {info['load_average_after']} after\n"
    )
    print(format_table(rows))
    missed = [row.name for row in rows if row.verdict == "MISS"]
    passed = sum(row.verdict == "PASS" for row in rows)
    if settings["quick"]:
        print("\nquick sizes: the targets apply to the full suite and are not judged here")
    else:
        print(f"\n{passed} targets met, {len(missed)} missed{': ' + ', '.join(missed) if missed else ''}")
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "results.json", info=info, settings=settings, rows=rows, measured=measured)
    charted = write_chart(out / "results.png", rows, info)
    print(
        f"wrote {out / 'results.json'}"
        + (f" and {out / 'results.png'}" if charted else " (no chart: matplotlib missing or no ratios)")
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Tributary vs LangGraph, side by side: medians, ratios (Tributary / LangGraph "
        "time, lower is better) and targets.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 2 samples: a smoke test (runs without LangGraph)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run one workload or case (repeatable)")
    parser.add_argument("--repeats", type=int, default=None, help="samples per side (default 7; 2 with --quick)")
    parser.add_argument("--out", type=Path, default=None, help="where results.json/results.png go "
                        "(default: benchmarks/ for a full run, else a scratch directory)")
    parser.add_argument("--clock", choices=CLOCKS, default="cpu", help="which clock the table shows: the "
                        "process's CPU time (default) or wall time; both are saved in results.json")
    parser.add_argument("--list", action="store_true", help="list the workloads and their cases, then exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    langgraph = langgraph_api()
    workloads = [make(args.quick, langgraph) for make in WORKLOADS]
    if args.list:
        for w in workloads:
            print(f"{w.name:16} {w.about}\n{'':16} cases: {', '.join(c.name for c in w.cases)}")
        return 0
    if langgraph is None and not args.quick:
        print(
            "LangGraph is not installed, and the suite measures Tributary against it. Install the "
            "bench extra (pip install -e '.[bench]'), or run --quick for a Tributary-only smoke test.",
            file=sys.stderr,
        )
        return 2
    repeats = args.repeats or (2 if args.quick else 7)
    if repeats < 1:
        raise SystemExit("--repeats must be at least 1")
    partial = args.quick or bool(args.only)
    out = args.out or (Path(tempfile.gettempdir()) / "tributary-bench-partial" if partial else _HERE)
    if langgraph is None:
        _progress("LangGraph is not installed: running the Tributary side only (and the trio floor); no ratios.")

    load_before = _load()
    # Both libraries, and every graph, are loaded now. Freeze that heap so the
    # cyclic collector stops walking it: otherwise each side's collections would
    # also traverse the other library's modules (LangGraph's import alone triples
    # the tracked objects), a cost neither pays in a process of its own.
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    measured: dict[str, dict[str, Measured]] = {clock: {} for clock in CLOCKS}
    rows: list[Row] = []
    for workload, cases in _select(workloads, args.only):
        began = time.perf_counter()
        for clock, by_case in run_cases(cases, repeats).items():
            measured[clock].update(by_case)
        _progress(f"  {workload.name}: {time.perf_counter() - began:.1f} s")
        rows += workload.rows(measured[args.clock])
    gc.unfreeze()
    if args.quick:  # the targets are for the full sizes; a tiny run neither meets nor misses them
        rows = [dataclasses.replace(row, target=None) for row in rows]
    settings = {
        "quick": args.quick, "repeats": repeats, "only": args.only, "clock": args.clock,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    info = {**machine(_HERE.parent), "load_average_before": load_before, "load_average_after": _load()}
    _report(rows, measured, info, settings, out)
    return 0
