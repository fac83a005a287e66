"""Crash safety (issue 4, item 7): a run killed by SIGKILL in the middle of a step
resumes in a fresh process from its last finished step, losing nothing and
repeating nothing that finished before the kill.

Each case starts ``_crash_child.py`` on a ``SqliteSaver`` file. A node of the
chosen step reports ``blocked`` and then waits on stdin for ever; the test reads
the child's progress lines up to that report — no sleeps decide the order — and
kills the child. A second child resumes the thread with ``stream(None, cfg)``.
The test then checks the history (each step once, the checkpoints saved before
the kill unchanged), the executions (a node that finished before the kill never
runs again) and the final state (equal to an uninterrupted run's).

SQLite only: this is about a file surviving a dead process. Set
``TRIBUTARY_CRASH_REPEATS`` to repeat every case (default 2, a few seconds).
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import trio

from graphs import SqliteSaver

CHILD = Path(__file__).with_name("_crash_child.py")
REPO = Path(__file__).resolve().parents[2]
THREAD = "crash"
TIMEOUT = 15.0
REPEATS = int(os.environ.get("TRIBUTARY_CRASH_REPEATS", "2"))

SEQUENTIAL = [f"s{i}" for i in range(8)]
PARALLEL = ["p0", "p1", "p2"]
ORDER = SEQUENTIAL[:4] + PARALLEL + SEQUENTIAL[4:]
STEP_OF = {name: step for step, name in enumerate(["__start__", *SEQUENTIAL[:4]])}
STEP_OF.update({name: 5 for name in PARALLEL})
STEP_OF.update({name: 6 + i for i, name in enumerate(SEQUENTIAL[4:])})
LAST_STEP = 9  # input -1, __start__ 0, s0..s3 1-4, parallel 5, s4..s7 6-9


class Child:
    """A child process whose stdout lines are read as they come; killed on timeout."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # The child imports the code under test, not whatever else is installed.
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))},
        )
        self.lines: list[str] = []
        self._watchdog = threading.Timer(TIMEOUT, self.proc.kill)
        self._watchdog.start()

    def read_until(self, wanted: str) -> list[str]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if self.lines[-1] == wanted:
                return self.lines
        self.proc.wait()
        pytest.fail(f"the child ended (rc {self.proc.returncode}) before {wanted!r}: {self.lines}\n{self._stderr()}")

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._close()
        assert self.proc.returncode == -signal.SIGKILL

    def finish(self) -> list[str]:
        out, err = self.proc.communicate()
        self._close()
        self.lines.extend(out.splitlines())
        assert self.proc.returncode == 0, f"child failed (rc {self.proc.returncode}):\n{err}"
        return self.lines

    def _stderr(self) -> str:
        assert self.proc.stderr is not None
        return self.proc.stderr.read()

    def _close(self) -> None:
        self._watchdog.cancel()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def final_state(lines: list[str]) -> dict[str, Any]:
    (final,) = [line for line in lines if line.startswith("final ")]
    return json.loads(final.removeprefix("final "))


def events(lines: list[str], kind: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in lines if line.startswith(f"{kind} ")]


def history(path: Path) -> list[tuple[int, str, str, str | None]]:
    """``(step, source, checkpoint id, parent id)`` of every root checkpoint, oldest first."""

    async def read() -> list[Any]:
        async with SqliteSaver(path) as saver:
            return await saver.alist(THREAD)

    return [
        (c.metadata["step"], c.metadata["source"], c.checkpoint_id, c.parent_checkpoint_id)
        for c in reversed(trio.run(read))
    ]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("reference") / "ref.sqlite"
    lines = Child(str(path), THREAD, "run").finish()
    done = events(lines, "done")
    assert done[:4] == ORDER[:4] and sorted(done[4:7]) == PARALLEL and done[7:] == ORDER[7:]
    return {"final": final_state(lines), "steps": [h[0] for h in history(path)]}


@pytest.mark.parametrize("repeat", range(REPEATS))
@pytest.mark.parametrize("block_at", ["s0", "s2", "p1", "s5", "s7"])
def test_a_run_killed_mid_step_resumes_without_losing_or_repeating_steps(
    tmp_path: Path, uninterrupted: dict[str, Any], block_at: str, repeat: int
) -> None:
    path = tmp_path / "x.sqlite"
    killed_step = STEP_OF[block_at]

    first = Child(str(path), THREAD, "run", block_at)
    first_lines = first.read_until(f"blocked {block_at}")
    first.kill()

    # What the dead process left: every step before the killed one, each once, in one chain.
    before = history(path)
    assert [h[0] for h in before] == list(range(-1, killed_step))
    assert [h[3] for h in before] == [None] + [h[2] for h in before[:-1]]
    done_before = events(first_lines, "done")
    finished = [name for name in ORDER if STEP_OF[name] < killed_step]
    siblings = [name for name in PARALLEL if name != block_at] if block_at in PARALLEL else []
    assert sorted(done_before) == sorted(finished + siblings)

    second = Child(str(path), THREAD, "resume")
    second_lines = second.finish()

    # Values first re-emits the state the dead process had saved.
    first_values = json.loads(events(second_lines, "values")[0])
    assert first_values["log"] == [name for name in ORDER if STEP_OF[name] < killed_step]

    # Nothing that finished before the kill ran again; everything else ran once.
    runs = collections.Counter(events(first_lines, "done") + events(second_lines, "done"))
    assert runs == collections.Counter(ORDER)
    assert set(events(second_lines, "start")).isdisjoint(finished + siblings)

    # The history: every step exactly once, the checkpoints from before the kill untouched.
    after = history(path)
    assert [h[0] for h in after] == uninterrupted["steps"] == list(range(-1, LAST_STEP + 1))
    assert after[: len(before)] == before
    assert [h[3] for h in after] == [None] + [h[2] for h in after[:-1]]
    assert {h[1] for h in after[1:]} == {"loop"}

    final = final_state(second_lines)
    assert final == uninterrupted["final"]
    assert len(final["log"]) == len(set(final["log"])) == len(ORDER)
