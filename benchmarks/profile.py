"""Profile Tributary's side of one case: where does its time go?

Usage: ``python -m benchmarks.profile CASE [--runs N] [--cprofile]``, e.g.
``python -m benchmarks.profile wide_state_300 --runs 200``. The case is built
exactly as the suite builds it (full sizes), run once to warm up, then ``N``
times in one ``trio.run`` under pyinstrument (``pip install pyinstrument``) or,
without it or with ``--cprofile``, the standard library's cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from typing import Any

import trio

from .suite import WORKLOADS


def tributary_run(case_name: str) -> Any:
    """Tributary's side of ``case_name``, built as the suite builds it (full sizes)."""
    for make in WORKLOADS:
        for case in make(False, None).cases:
            if case.name == case_name:
                side = next(side for side in case.sides if side.label == "Tributary")
                if side.loop != "trio":
                    raise SystemExit(f"{case_name} runs in child processes; profile the fan-out it runs instead")
                return side.run
    known = [case.name for make in WORKLOADS for case in make(False, None).cases]
    raise SystemExit(f"unknown case {case_name!r}; choose from {known}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("case", help="a case name, as in the table (python -m benchmarks --list)")
    parser.add_argument("--runs", type=int, default=3, help="profiled iterations (default 3)")
    parser.add_argument("--cprofile", action="store_true", help="use cProfile even if pyinstrument is installed")
    args = parser.parse_args()
    run = tributary_run(args.case)

    async def profiled() -> None:
        await run()
        try:
            if args.cprofile:
                raise ImportError
            from pyinstrument import Profiler
        except ImportError:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.runs):
                await run()
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        profiler = Profiler(interval=0.0002, async_mode="disabled")
        profiler.start()
        for _ in range(args.runs):
            await run()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))

    trio.run(profiled)


if __name__ == "__main__":
    main()
