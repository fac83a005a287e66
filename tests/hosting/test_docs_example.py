"""The example at the top of docs/asyncio.md runs as shown, under ``asyncio.run``."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncio.md"


def test_the_asyncio_example_runs_as_documented(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    script = tmp_path / "example.py"
    script.write_text(block.group(1), encoding="utf-8")
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.splitlines() == [
        "{'question': '?', 'answer': 42}",
        "{'fetch': {'answer': 42}}",
    ]
