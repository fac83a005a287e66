"""A store that cannot be used fails loudly through a compiled graph — a clear
``CheckpointStoreError``, never a silent fresh start.

The closed-saver case runs on both savers; the file cases (garbage, another
program's database, a damaged or newer Tributary store) only exist for
``SqliteSaver``, and each checks that the file was left as it was.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from _persist_support import chain, thread
from graphs import SqliteSaver
from runtime.checkpoint import CheckpointStoreError
from runtime.checkpoint.sqlite import SCHEMA_VERSION


def every_call(app: Any) -> list[Any]:
    return [
        lambda: app.invoke({"x": 1}, thread()),
        lambda: list(app.stream({"x": 1}, thread())),
        lambda: app.invoke(None, thread()),
        lambda: app.get_state(thread()),
        lambda: list(app.get_state_history(thread())),
        lambda: app.update_state(thread(), {"x": 2}),
    ]


def test_a_closed_saver_raises_instead_of_starting_afresh(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    saver.close()
    for call in every_call(app):
        with pytest.raises(CheckpointStoreError, match="closed"):
            call()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite"
    content = b"this is not a database\n" * 400
    path.write_bytes(content)
    app = chain("a").compile(checkpointer=SqliteSaver(path))
    for call in every_call(app):
        with pytest.raises(CheckpointStoreError, match="cannot be read as an SQLite database") as raised:
            call()
        assert str(path) in str(raised.value)
    assert path.read_bytes() == content
    assert not (tmp_path / "garbage.sqlite-wal").exists()


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO orders (total) VALUES (9.5)")
    conn.close()
    content = path.read_bytes()
    app = chain("a").compile(checkpointer=SqliteSaver(path))
    for call in every_call(app):
        with pytest.raises(CheckpointStoreError, match="not a Tributary checkpoint store.*orders"):
            call()
    assert path.read_bytes() == content


def saved_store(path: Path) -> None:
    """A real store with a few checkpoints in it, closed (its WAL folded into the file)."""
    saver = SqliteSaver(path)
    app = chain("a", "b", "c").compile(checkpointer=saver)
    for round_ in range(5):
        app.invoke({"x": round_, "log": ["x" * 2000]}, thread())
    saver.close()


def test_a_damaged_store_is_an_error_not_an_empty_thread(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    saved_store(path)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page:] = b"\xa5" * (len(data) - page)  # every page but the header page
    path.write_bytes(bytes(data))
    app = chain("a", "b", "c").compile(checkpointer=SqliteSaver(path))
    for call in every_call(app):
        with pytest.raises(CheckpointStoreError, match="malformed|corrupt|not a database"):
            call()


def test_a_truncated_store_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "truncated.sqlite"
    saved_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    app = chain("a", "b", "c").compile(checkpointer=SqliteSaver(path))
    with pytest.raises(CheckpointStoreError):
        app.get_state(thread())
    with pytest.raises(CheckpointStoreError):
        app.invoke(None, thread())


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    saved_store(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    app = chain("a", "b", "c").compile(checkpointer=SqliteSaver(path))
    for call in every_call(app):
        with pytest.raises(CheckpointStoreError, match="newer Tributary"):
            call()


def test_a_store_reopened_in_a_new_saver_continues_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite"
    saved_store(path)
    app = chain("a", "b", "c").compile(checkpointer=SqliteSaver(path))
    state = app.get_state(thread())
    assert state.metadata["step"] == 23 and state.values["x"] == 4
    assert app.invoke({"x": 5, "log": []}, thread())["log"][-3:] == ["a", "b", "c"]
