"""Count the CPU instructions one run of Tributary's side of a case takes, under callgrind.

Usage: ``python -m benchmarks.instructions CASE [CASE ...] [--runs N]``, e.g.
``python -m benchmarks.instructions sequential_100 fanout_1000``.

Valgrind's callgrind counts instructions, not seconds: the same code, inputs and
interpreter give the same count whatever else the machine is doing. So it compares
two versions of Tributary where the timed suite cannot: on a shared 2-core machine
the suite's ratios move by ±15 % between runs (the trio floor of the ``custom``
case, which is the same code every time, has measured 1.57 M and 2.18 M chunks/s
on the same day). Each case is built as the suite builds it, then run in two child
processes under ``valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0``: once plus
one warm-up, and ``N`` more times; the difference divided by ``N`` is one run's
count, imports and start-up cancelling out. Needs valgrind (Debian: ``valgrind``);
each case takes about 50 times its run time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

import trio

from .profile import tributary_run

_COLLECTED = re.compile(r"Collected : (\d+)")


def _run_child(case: str, runs: int) -> None:
    run = tributary_run(case)

    async def main() -> None:
        for _ in range(runs):
            await run()

    trio.run(main)


def _count(case: str, runs: int) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-m", "benchmarks.instructions", "--child", case, str(runs)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, check=False,
    )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{case}: the run under valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="+", help="case names, as in the table (python -m benchmarks --list)")
    parser.add_argument("--runs", type=int, default=3, help="runs counted per case (default 3)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, runs = args.cases
        _run_child(case, int(runs))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    for case in args.cases:
        base = _count(case, 2)
        more = _count(case, 2 + args.runs)
        print(f"{case}: {(more - base) / args.runs / 1e6:.2f} M instructions per run", flush=True)


if __name__ == "__main__":
    main()
