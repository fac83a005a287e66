"""What a workload is made of, and how one sample of it is taken.

A :class:`Workload` is a family of :class:`Case`\\ s (``sequential`` has one case
per chain length) plus a function that turns their measurements into table
:class:`Row`\\ s. A case has one :class:`Side` per implementation — Tributary,
LangGraph, sometimes a raw trio floor — and the runner samples the sides of a
case alternately (A B A B …) in one process, so a drift in the machine's speed
touches both sides alike.

A sample is taken inside the side's own event loop: the runner starts
``trio.run`` or ``asyncio.run``, reads the clocks, awaits ``inner`` iterations,
reads the clocks again. Loop start-up is not part of the figure; everything the
library does per run (spawning tasks, building the stream, closing it) is. A
side that must time itself (time to first chunk) returns its own figure, and a
``process`` side runs in a fresh interpreter and reports what it measured there.

The records are stdlib dataclasses rather than attrs classes for the same
reason the event loops are imported where they are used: a memory child
process that runs LangGraph's side must not load Tributary's dependencies.

Every row is ``value / reference`` against a :class:`Target`: Tributary's time
over LangGraph's (lower is better), or Tributary's throughput over the floor's
(higher is better), or a growth factor.
"""

from __future__ import annotations

import dataclasses
import gc
import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["CLOCKS", "Side", "Case", "Measured", "Target", "Row", "Workload", "take_sample", "compare"]


@dataclasses.dataclass(frozen=True)
class Side:
    """One implementation of a case.

    Attributes:
        label: how the table names it ("Tributary", "LangGraph", "trio floor").
        loop: ``"trio"``, ``"asyncio"``, or ``"process"`` (``run`` is then a plain
            function returning ``(value, summary)``).
        run: one iteration; returns a summary of what it computed. The runner
            checks at warm-up that every side of a case returns the same summary,
            so two sides that built different graphs cannot be compared.
        self_timed: ``run`` returns ``((wall_seconds, cpu_seconds), summary)``
            instead of being timed from outside.
    """

    label: str
    loop: str
    run: Callable[[], Any]
    self_timed: bool = False


@dataclasses.dataclass(frozen=True)
class Case:
    """One measured shape (``fanout_1000``), run on each of its sides.

    Attributes:
        inner: iterations per sample, so that a sample of a small case lasts long
            enough for the clock to resolve it.
        unit: what a sample is: ``"s"`` (seconds per iteration) or ``"B"`` (bytes).
        warmup: unrecorded rounds before the samples (0 for a case whose every
            sample starts a fresh process: there is nothing to warm).
    """

    name: str
    sides: tuple[Side, ...]
    inner: int = 1
    unit: str = "s"
    warmup: int = 1


@dataclasses.dataclass(frozen=True)
class Measured:
    """Every sample of one case on one clock, by side label."""

    case: Case
    samples: Mapping[str, list[float]]

    def median(self, label: str) -> float | None:
        values = self.samples.get(label)
        return statistics.median(values) if values else None


@dataclasses.dataclass(frozen=True)
class Target:
    """The bound a row's ratio must meet: ``ratio <= bound``, or ``>=`` when ``at_least``."""

    bound: float
    at_least: bool = False

    def met(self, ratio: float) -> bool:
        return ratio >= self.bound if self.at_least else ratio <= self.bound

    def __str__(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.bound:g}"


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the table: Tributary's figure, what it is compared with, and the verdict.

    Attributes:
        value: Tributary's figure in ``unit``.
        reference: the figure it is compared with, or ``None`` (side not run).
        reference_label: who ``reference`` belongs to ("LangGraph", "trio floor").
        unit: ``"s"``, ``"s/Send"``, ``"B"``, ``"chunks/s"``.
        note: a short explanation printed after the verdict.
    """

    name: str
    value: float
    reference: float | None
    reference_label: str
    unit: str
    target: Target | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.reference is None or self.reference == 0 else self.value / self.reference

    @property
    def verdict(self) -> str:
        ratio = self.ratio
        if ratio is None or self.target is None:
            return "-"
        return "PASS" if self.target.met(ratio) else "MISS"


@dataclasses.dataclass(frozen=True)
class Workload:
    """A family of cases and how to report them.

    Attributes:
        name: what ``--only`` selects (each case can be selected by its own name too).
        about: one line for ``--list``.
        rows: turns the measurements of the cases that ran into table rows; it
            must skip rows whose cases were not run.
    """

    name: str
    about: str
    cases: tuple[Case, ...]
    rows: Callable[[Mapping[str, Measured]], list[Row]]


CLOCKS = ("wall", "cpu")
"""A sample is read on both clocks: wall time (what a user waits) and this
process's CPU time (what the work cost, whatever else shares the cores). The
table shows one of them, ``results.json`` keeps both."""


def take_sample(side: Side, inner: int) -> tuple[tuple[float, float], Any]:
    """One sample of ``side``: (wall, CPU) seconds per iteration — or the process's
    figure on both — and the summary of the last iteration."""
    gc.collect()
    if side.loop == "process":
        value, summary = side.run()
        return (value, value), summary

    async def timed() -> tuple[tuple[float, float], Any]:
        summary: Any = None
        if side.self_timed:
            wall = cpu = 0.0
            for _ in range(inner):
                (one_wall, one_cpu), summary = await side.run()
                wall += one_wall
                cpu += one_cpu
            return (wall / inner, cpu / inner), summary
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(inner):
            summary = await side.run()
        wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
        return (wall / inner, cpu / inner), summary

    # Imported here, not at the top: the memory workload's child processes import
    # this module, and each must load its own side's event loop only.
    if side.loop == "trio":
        import trio

        return trio.run(timed)
    if side.loop == "asyncio":
        import asyncio

        return asyncio.run(timed())
    raise ValueError(f"Side {side.label!r} has unknown loop {side.loop!r}; use 'trio', 'asyncio' or 'process'")


def compare(
    measured: Mapping[str, Measured],
    case: str,
    target: Target | None,
    *,
    reference: str = "LangGraph",
    note: Callable[[float, float | None], str] | None = None,
) -> list[Row]:
    """The usual row: Tributary's median time for ``case`` against ``reference``'s.

    Returns no row when ``case`` did not run (``--only`` left it out).
    """
    if case not in measured:
        return []
    m = measured[case]
    value = m.median("Tributary")
    assert value is not None, f"{case} has no Tributary samples"
    ref = m.median(reference)
    return [
        Row(
            case, value, ref, reference, m.case.unit, target,
            note(value, ref) if note is not None else "",
        )
    ]
