"""The README's example runs as pasted and prints what the README says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_readme_example_runs_and_prints_the_documented_output() -> None:
    code, expected = _blocks("python")[0], _blocks("text")[0]
    # A fresh interpreter: the example calls trio.run itself, as a user's script would.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    documented = expected.splitlines()
    # The two workers run concurrently, so their lines may come in either order;
    # the final notes may not: writes are applied in task order.
    assert sorted(printed) == sorted(documented)
    assert printed[0] == documented[0]
    assert printed[-2:] == documented[-2:]
