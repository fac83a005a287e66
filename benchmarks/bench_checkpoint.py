"""The cost of a checkpoint: µs per superstep of a small-state chain, per saver.

Usage: ``python -m benchmarks.bench_checkpoint [--repeats N] [--steps N]``.

One run is one trivial async node looping ``--steps`` times on a fresh thread,
so every step saves one checkpoint (plus the input checkpoint). The same chain runs with
no checkpointer, ``InMemorySaver``, and ``SqliteSaver`` with ``synchronous``
``FULL`` (the default: one fsync of the WAL per checkpoint) and ``NORMAL``, all
in one process, one after the other. Prints one JSON line per variant: the
median wall time of a whole run, ``per_step_us`` (median / steps) and
``checkpoint_us`` (``per_step_us`` minus the no-checkpointer figure: what saving
costs a step). SQLite files live in a temporary directory on the same disk as
``$TMPDIR``; fsync cost is the disk's.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
from pathlib import Path
from typing import Any, TypedDict

from graphs import END, START, InMemorySaver, SqliteSaver, StateGraph

from ._timing import measure, report


class Small(TypedDict):
    count: int
    note: str


async def _step(state: Small) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def build(steps: int, checkpointer: Any) -> Any:
    """One node looping on itself ``steps`` times: a graph of four channels, so the
    figure is the cost of a checkpoint of a small state, not of a large graph."""

    def again(state: Small) -> str:
        return "step" if state["count"] < steps else END

    graph = StateGraph(Small)
    graph.add_node("step", _step)
    graph.add_edge(START, "step")
    graph.add_conditional_edges("step", again, ["step", END])
    return graph.compile(checkpointer=checkpointer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    steps = args.steps

    with tempfile.TemporaryDirectory(prefix="bench_checkpoint-") as tmp:
        variants: list[tuple[str, Any]] = [
            ("none", None),
            ("memory", InMemorySaver()),
            ("sqlite_full", SqliteSaver(Path(tmp) / "full.sqlite", synchronous="FULL")),
            ("sqlite_normal", SqliteSaver(Path(tmp) / "normal.sqlite", synchronous="NORMAL")),
        ]
        baseline_us: float | None = None
        for variant, saver in variants:
            app = build(steps, saver)
            threads = itertools.count()

            async def run() -> None:
                config = {"recursion_limit": steps + 10, "configurable": {"thread_id": f"bench-{next(threads)}"}}
                out = await app.ainvoke({"count": 0, "note": "a small state"}, config)
                assert out["count"] == steps, out

            samples = measure(run, repeats=args.repeats)
            per_step_us = statistics.median(samples) / steps * 1e6
            if baseline_us is None:
                baseline_us = per_step_us
            report(
                f"checkpoint_loop_{steps}",
                samples,
                variant=variant,
                steps=steps,
                per_step_us=round(per_step_us, 2),
                checkpoint_us=round(per_step_us - baseline_us, 2),
            )
            if saver is not None:
                saver.close()


if __name__ == "__main__":
    main()
