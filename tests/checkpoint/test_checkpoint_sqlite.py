"""SqliteSaver: what only a file-backed store can get wrong."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
import trio

from runtime.checkpoint import CheckpointStoreError, SqliteSaver, new_checkpoint_id
from runtime.checkpoint import sqlite as sqlite_module
from runtime.checkpoint.sqlite import APPLICATION_ID, SCHEMA_VERSION


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


async def test_checkpoints_and_writes_persist_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cp.db"
    first, second = new_checkpoint_id(), new_checkpoint_id()
    async with SqliteSaver(path) as saver:
        await saver.aput("t", "", first, {"v": (1, b"x")}, {"step": 0}, None)
        await saver.aput("t", "", second, {"v": 2}, {"step": 1}, first, writes=[("b", "c", 1)])
        await saver.aput_writes("t", "", second, "a", [("c", 2), ("d", {3: "three"})])

    async with SqliteSaver.from_conn_string(str(path)) as reopened:
        latest = await reopened.aget_tuple("t")
        assert latest is not None
        assert (latest.checkpoint_id, latest.parent_checkpoint_id, latest.checkpoint) == (second, first, {"v": 2})
        assert latest.pending_writes == (("b", "c", 1), ("a", "c", 2), ("a", "d", {3: "three"}))
        oldest = await reopened.aget_tuple("t", "", first)
        assert oldest is not None and oldest.checkpoint == {"v": (1, b"x")}


async def test_file_is_marked_as_ours_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "cp.db"
    async with SqliteSaver(path) as saver:
        await saver.aput("t", "", new_checkpoint_id(), {}, {}, None)
        assert saver._conn is not None
        assert saver._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert pragma(path, "journal_mode") == "wal"
    assert pragma(path, "application_id") == APPLICATION_ID
    assert pragma(path, "user_version") == SCHEMA_VERSION


async def test_synchronous_normal_can_be_chosen(tmp_path: Path) -> None:
    async with SqliteSaver(tmp_path / "cp.db", synchronous="NORMAL") as saver:
        assert saver._conn is not None
        assert saver._conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    with pytest.raises(ValueError):
        SqliteSaver(tmp_path / "x.db", synchronous="OFF")  # type: ignore[arg-type]


async def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    async with SqliteSaver(path) as saver:
        await saver.aput("t", "", new_checkpoint_id(), {}, {}, None)
        assert len(await saver.alist("t")) == 1


async def test_a_corrupt_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    garbage = random.Random(1).randbytes(8192)
    path.write_bytes(garbage)
    saver = SqliteSaver(path)
    with pytest.raises(CheckpointStoreError, match="corrupt") as caught:
        await saver.aget_tuple("t")
    assert str(path) in str(caught.value)
    assert path.read_bytes() == garbage
    await saver.aclose()


async def test_a_damaged_page_is_reported_as_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "cp.db"
    async with SqliteSaver(path) as saver:
        for _ in range(50):
            await saver.aput("t", "", new_checkpoint_id(), {"pad": "x" * 2000}, {}, None)
    data = bytearray(path.read_bytes())
    data[4096:] = bytes(len(data) - 4096)  # keep the header page, zero everything else
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointStoreError, match=str(path)):
        async with SqliteSaver(path) as saver:
            await saver.alist("t")


async def test_a_foreign_database_is_refused_and_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.execute("INSERT INTO users VALUES ('ada')")
    conn.commit()
    conn.close()
    with pytest.raises(CheckpointStoreError, match=r"not a Tributary checkpoint store.*users") as caught:
        async with SqliteSaver(path):
            pass
    assert str(path) in str(caught.value)
    assert pragma(path, "journal_mode") == "delete"
    assert pragma(path, "application_id") == 0


async def test_another_application_id_is_refused_even_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()
    with pytest.raises(CheckpointStoreError, match="0x4d2"):
        async with SqliteSaver(path):
            pass


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cp.db"
    async with SqliteSaver(path) as saver:
        await saver.aput("t", "", new_checkpoint_id(), {}, {}, None)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(CheckpointStoreError, match=rf"newer Tributary.*schema {SCHEMA_VERSION + 1}"):
        async with SqliteSaver(path):
            pass


async def test_our_id_without_our_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cp.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("CREATE TABLE checkpoints (x)")
    conn.close()
    with pytest.raises(CheckpointStoreError, match="damaged"):
        async with SqliteSaver(path):
            pass


async def test_a_failing_write_rolls_back_the_whole_put(tmp_path: Path) -> None:
    async with SqliteSaver(tmp_path / "cp.db") as saver:
        # A channel that is not a str violates NOT NULL only after the checkpoint row is in.
        with pytest.raises(CheckpointStoreError, match="NOT NULL"):
            await saver.aput("t", "", new_checkpoint_id(), {}, {}, None, writes=[("task", None, 1)])  # type: ignore[list-item]
        assert await saver.aget_tuple("t") is None


async def test_concurrent_first_use_opens_one_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    original = sqlite_module._connect

    def counting_connect(path: str, synchronous: str) -> sqlite3.Connection:
        opened.append(path)
        return original(path, synchronous)

    monkeypatch.setattr(sqlite_module, "_connect", counting_connect)
    saver = SqliteSaver(tmp_path / "cp.db")
    async with trio.open_nursery() as nursery:
        for n in range(10):
            nursery.start_soon(saver.aput, f"t{n}", "", new_checkpoint_id(), {}, {}, None)
    assert len(opened) == 1
    assert len([await saver.aget_tuple(f"t{n}") for n in range(10)]) == 10
    await saver.aclose()


async def test_sync_close_refuses_while_a_call_is_in_flight(tmp_path: Path) -> None:
    saver = SqliteSaver(tmp_path / "cp.db")
    async with saver._lock:  # what a call in flight holds
        with pytest.raises(CheckpointStoreError, match="aclose"):
            saver.close()
    saver.close()
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.alist("t")


async def test_store_in_memory(tmp_path: Path) -> None:
    async with SqliteSaver(":memory:") as saver:
        checkpoint_id = new_checkpoint_id()
        await saver.aput("t", "", checkpoint_id, {"a": 1}, {}, None)
        got = await saver.aget_tuple("t")
        assert got is not None and got.checkpoint_id == checkpoint_id
