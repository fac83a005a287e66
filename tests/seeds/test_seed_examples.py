"""Every ported seed example runs and prints what its document says it prints.

Each file in ``examples/`` is one code example of the seed documents, ported by
imports (``manifest.py`` says which blocks). An example that calls
``asyncio.run`` runs as a user runs it, in its own interpreter, with asyncio
as the host; it runs a second time with trio as the host (``host.py`` hands
the coroutine to ``trio.run``), in process. A sync example runs in process
with ``runpy``. Each example's output is checked for its documented shape:
which events, modes, chunks and values appear, and in what order.
"""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import functools
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import host
import pytest
from expected_output import CHECKS
from manifest import ASYNCIO_ONLY, EXAMPLES, NOT_RUN, PYTHON_BLOCKS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLE_DIR = HERE / "examples"
NAMES = sorted(p.stem for p in EXAMPLE_DIR.glob("s*.py"))


def runs_on_asyncio(name: str) -> bool:
    """It calls ``asyncio.run``, or serves an app through a client that runs one (Starlette's ``TestClient``)."""
    return name in ASYNCIO_ONLY or "asyncio.run(" in (EXAMPLE_DIR / f"{name}.py").read_text(encoding="utf-8")


ASYNC_NAMES = [name for name in NAMES if runs_on_asyncio(name)]
SYNC_NAMES = [name for name in NAMES if not runs_on_asyncio(name)]


def _run_in_subprocess(name: str) -> subprocess.CompletedProcess[str]:
    paths = [str(ROOT), str(HERE), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    return subprocess.run(
        [sys.executable, str(HERE / "host.py"), "asyncio", str(EXAMPLE_DIR / f"{name}.py")],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@functools.cache
def _asyncio_runs() -> dict[str, concurrent.futures.Future[subprocess.CompletedProcess[str]]]:
    # Interpreters start slowly; start them a few at a time, once, for every test that needs one.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    return {name: pool.submit(_run_in_subprocess, name) for name in ASYNC_NAMES}


# -- the audit ----------------------------------------------------------------------------


def test_manifest_accounts_for_every_python_block() -> None:
    assert sum(PYTHON_BLOCKS.values()) == 89
    seen: list[tuple[str, int]] = list(NOT_RUN)
    for seed, blocks in EXAMPLES.values():
        seen.extend((seed, block) for block in blocks)
    expected = [(seed, block) for seed, count in PYTHON_BLOCKS.items() for block in range(1, count + 1)]
    assert sorted(seen) == expected  # each block once: ported, or not code to run
    assert sorted(EXAMPLES) == NAMES
    assert sorted(CHECKS) == NAMES  # every example has its documented output checked


@pytest.mark.parametrize("name", NAMES)
def test_example_names_its_source_blocks(name: str) -> None:
    seed, blocks = EXAMPLES[name]
    docstring = ast.get_docstring(ast.parse((EXAMPLE_DIR / f"{name}.py").read_text(encoding="utf-8"))) or ""
    assert docstring.startswith(f"Seed {seed}, python block"), docstring[:60]
    assert all(re.search(rf"\b{block}\b", docstring.split(":")[0]) for block in blocks)


# -- running them ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SYNC_NAMES)
def test_sync_example(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))
    runpy.run_path(str(EXAMPLE_DIR / f"{name}.py"), run_name="__main__")
    CHECKS[name](capsys.readouterr().out)


@pytest.mark.parametrize("name", ASYNC_NAMES)
def test_async_example_on_asyncio(name: str) -> None:
    done = _asyncio_runs()[name].result()
    assert done.returncode == 0, done.stderr[-3000:]
    CHECKS[name](done.stdout)


@pytest.mark.parametrize("name", [n for n in ASYNC_NAMES if n not in ASYNCIO_ONLY])
def test_async_example_on_trio(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setattr(asyncio, "run", host._run_under_trio)
    runpy.run_path(str(EXAMPLE_DIR / f"{name}.py"), run_name="__main__")
    CHECKS[name](capsys.readouterr().out)
