"""Shared set-up for the persistence tests: every test runs against both savers.

The ``saver`` fixture is parametrised over ``InMemorySaver()`` and
``SqliteSaver(tmp_path / "x.sqlite")``, so each behaviour is checked on both
backends. (The suite-wide guards against escaped ``Cancelled`` and hangs are in
``tests/conftest.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphs import InMemorySaver, SqliteSaver
from runtime.checkpoint import BaseCheckpointSaver


@pytest.fixture(params=["memory", "sqlite"])
def saver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BaseCheckpointSaver]:
    made: BaseCheckpointSaver = InMemorySaver() if request.param == "memory" else SqliteSaver(tmp_path / "x.sqlite")
    yield made
    made.close()
