"""Shared timing helpers: warm up, repeat, report medians as JSON lines."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import trio


def measure(run: Callable[[], Awaitable[Any]], *, repeats: int, warmup: int = 1) -> list[float]:
    """Seconds per call of ``run`` (each in a fresh ``trio.run``), after ``warmup`` unrecorded calls."""
    for _ in range(warmup):
        trio.run(run)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        trio.run(run)
        samples.append(time.perf_counter() - start)
    return samples


def report(workload: str, samples: list[float], **extra: Any) -> dict[str, Any]:
    """Print one JSON line with the median and spread of ``samples``."""
    line = {
        "workload": workload,
        "median_s": round(statistics.median(samples), 6),
        "min_s": round(min(samples), 6),
        "max_s": round(max(samples), 6),
        "repeats": len(samples),
        "python": platform.python_version(),
        **extra,
    }
    print(json.dumps(line), flush=True)
    return line
