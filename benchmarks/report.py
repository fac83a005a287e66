"""Presenting a run: the table, ``results.json``, the ratio chart, the machine it ran on."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .apis import version_of
from .model import Measured, Row

__all__ = ["machine", "format_table", "write_json", "write_chart"]

_HEADERS = ("workload", "Tributary", "compared with", "ratio", "target", "result", "note")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit(root: Path) -> str | None:
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}+dirty" if dirty else head


def machine(root: Path) -> dict[str, Any]:
    """Where and with what the suite ran."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "trio": version_of("trio"),
        "langgraph": version_of("langgraph"),
        "langchain-core": version_of("langchain-core"),
        "tributary_commit": _commit(root),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def format_value(value: float, unit: str) -> str:
    """``value`` in ``unit`` the way a person reads it (0.213 ms, 12.4 µs/Send, 81.2 MiB)."""
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.1f} µs"
        if value < 1:
            return f"{value * 1e3:.2f} ms"
        return f"{value:.2f} s"
    if unit == "s/Send":
        return f"{value * 1e6:.1f} µs/Send"
    if unit == "B":
        return f"{value / 2**20:.1f} MiB"
    if unit == "chunks/s":
        return f"{value / 1e6:.2f} M chunks/s" if value >= 1e6 else f"{value / 1e3:.0f} k chunks/s"
    return f"{value:g} {unit}"


def _cells(row: Row) -> tuple[str, ...]:
    ratio = row.ratio
    reference = (
        f"{row.reference_label} {format_value(row.reference, row.unit)}" if row.reference is not None else "-"
    )
    return (
        row.name,
        format_value(row.value, row.unit),
        reference,
        f"{ratio:.3f}" if ratio is not None else "-",
        str(row.target) if row.target is not None else "-",
        row.verdict,
        row.note,
    )


def format_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (it reads the same in a terminal and in the README)."""
    cells = [_HEADERS, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADERS))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])


def write_json(
    path: Path,
    *,
    info: Mapping[str, Any],
    settings: Mapping[str, Any],
    rows: Sequence[Row],
    measured: Mapping[str, Mapping[str, Measured]],
) -> None:
    """Everything the run measured: machine, settings, every row (on the table's
    clock) and every raw sample on both clocks (``measured``: by clock, by case)."""
    document = {
        "machine": dict(info),
        "settings": dict(settings),
        "rows": [
            {
                "workload": row.name,
                "tributary": row.value,
                "reference": row.reference,
                "reference_label": row.reference_label,
                "unit": row.unit,
                "ratio": row.ratio,
                "target": None if row.target is None else {"bound": row.target.bound, "at_least": row.target.at_least},
                "result": row.verdict,
                "note": row.note,
            }
            for row in rows
        ],
        "cases": {
            clock: {
                name: {
                    "inner": m.case.inner,
                    "unit": m.case.unit,
                    "samples": {label: list(values) for label, values in m.samples.items()},
                    "medians": {label: m.median(label) for label in m.samples},
                }
                for name, m in by_case.items()
            }
            for clock, by_case in measured.items()
        },
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def write_chart(path: Path, rows: Sequence[Row], info: Mapping[str, Any]) -> bool:
    """A bar per row with a ratio, its target marked. ``False`` without matplotlib (or ratios)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    shown = [row for row in rows if row.ratio is not None]
    if not shown:
        return False
    labels = [
        f"{row.name}  ({'higher' if row.target is not None and row.target.at_least else 'lower'} is better)"
        for row in shown
    ]
    ratios = [row.ratio for row in shown]
    colours = [{"PASS": "#3a923a", "MISS": "#c0392b"}.get(row.verdict, "#9e9e9e") for row in shown]
    figure, axes = plt.subplots(figsize=(10, 0.45 * len(shown) + 1.6))
    positions = range(len(shown))
    axes.barh(positions, ratios, color=colours, height=0.6)
    for y, row in zip(positions, shown):
        assert row.ratio is not None
        if row.target is not None:
            axes.plot([row.target.bound] * 2, [y - 0.4, y + 0.4], color="black", linewidth=2)
        axes.annotate(f"{row.ratio:.3f}", (row.ratio, y), xytext=(4, -4), textcoords="offset points", fontsize=8)
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlim(left=min(0.01, min(ratios) / 2), right=max(3.0, max(ratios) * 2))  # type: ignore[type-var]
    axes.set_xlabel("ratio (bars; black tick = target; green PASS, red MISS, grey: no target)")
    axes.set_title(
        f"Tributary vs LangGraph / trio floor - {info['cpu']}, {info['cores']} cores, "
        f"{info['python']}, {info['date'][:10]}",
        fontsize=9,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True
