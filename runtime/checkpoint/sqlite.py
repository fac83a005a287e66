"""``SqliteSaver``: checkpoints in one SQLite file, the embedded default for services.

How it works
------------
One ``sqlite3`` connection, opened lazily on first use (or by ``async with``),
is used only by worker threads (``trio.to_thread.run_sync``) and only while the
saver's ``trio.Lock`` is held, so the event loop never blocks on disk and the
connection never sees two threads at once. Values are serialised on the loop
before the lock is taken; the threads only move bytes.

Opening checks that the file is ours before changing anything in it: the
``application_id`` in the SQLite header must be Tributary's and ``user_version``
the schema version this code knows. A file SQLite cannot read, a database made
by someone else, or one written by a newer Tributary raises
``CheckpointStoreError`` naming the path — never a silent fresh start. Only an
empty file (or a new path) becomes a new store.

A write's ``seq`` (the table's rowid) records the order writes were first put;
the unique key ``(checkpoint, task_id, idx)`` with ``ON CONFLICT DO NOTHING``
makes putting a write twice a no-op.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TypeVar, final

import attrs
import trio

from .base import BaseCheckpointSaver, CheckpointStoreError, RawCheckpoint, RawWrite

__all__ = ["SqliteSaver", "APPLICATION_ID", "SCHEMA_VERSION"]

APPLICATION_ID = 0x54726962
"""``PRAGMA application_id`` of a Tributary checkpoint file (ASCII ``"Trib"``)."""
SCHEMA_VERSION = 1
"""``PRAGMA user_version`` this code writes and reads."""

_SCHEMA = (
    """CREATE TABLE checkpoints (
        thread_id TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        parent_checkpoint_id TEXT,
        checkpoint BLOB NOT NULL,
        metadata BLOB NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE writes (
        seq INTEGER PRIMARY KEY,
        thread_id TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        channel TEXT NOT NULL,
        value BLOB NOT NULL,
        UNIQUE (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
    )""",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
_TABLES = frozenset({"checkpoints", "writes"})

_CHECKPOINT_COLUMNS = "checkpoint_id, parent_checkpoint_id, checkpoint, metadata"
# ON CONFLICT ... DO NOTHING, not INSERT OR IGNORE: that would also drop rows
# breaking NOT NULL, silently.
_INSERT_WRITE = (
    "INSERT INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, value) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING"
)

T = TypeVar("T")
_Row = tuple[Any, ...]


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so a writer never fails half-way
    # with SQLITE_BUSY; readers use DEFERRED for one consistent snapshot.
    conn.execute(f"BEGIN {mode}")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _check_schema(conn: sqlite3.Connection, path: str) -> None:
    """Create the schema in an empty database, or check it is ours and current."""
    with _transaction(conn):
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        if application_id == 0 and version == 0 and not objects:
            for statement in _SCHEMA:
                conn.execute(statement)
            return
        tables = {name for kind, name in objects if kind == "table"}
        listed = ", ".join(sorted(tables)) or "none"
        if application_id != APPLICATION_ID:
            raise CheckpointStoreError(
                f"{path!r} is an SQLite database that is not a Tributary checkpoint store "
                f"(application_id {application_id:#x}, tables: {listed}); refusing to use it. "
                "Give SqliteSaver a new file or one it created"
            )
        if version > SCHEMA_VERSION:
            raise CheckpointStoreError(
                f"{path!r} was written by a newer Tributary (checkpoint schema {version}); this "
                f"version reads schema {SCHEMA_VERSION}. Upgrade Tributary to open it"
            )
        if version != SCHEMA_VERSION or not _TABLES <= tables:
            raise CheckpointStoreError(
                f"{path!r} is a damaged Tributary checkpoint store (schema {version}, tables: {listed})"
            )


def _connect(path: str, synchronous: str) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise CheckpointStoreError(f"cannot open checkpoint store {path!r}: {exc}") from exc
    try:
        # Identity first: journal_mode=WAL would rewrite a foreign file's header.
        _check_schema(conn, path)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal" and path != ":memory:":
            raise CheckpointStoreError(
                f"{path!r}: SQLite refused WAL mode (got {mode!r}); the file system may not "
                "support it — put the store on a local disk"
            )
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    except BaseException as exc:
        conn.close()
        if not isinstance(exc, sqlite3.Error):
            raise
        if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise CheckpointStoreError(
                f"{path!r} cannot be read as an SQLite database (corrupt, or not SQLite): {exc}"
            ) from exc
        raise CheckpointStoreError(f"cannot open checkpoint store {path!r}: {exc}") from exc
    return conn


def _put(
    conn: sqlite3.Connection,
    key: tuple[str, str, str],
    parent_checkpoint_id: str | None,
    checkpoint: bytes,
    metadata: bytes,
    writes: list[RawWrite],
    parent_writes: list[RawWrite],
) -> None:
    with _transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, "
            "parent_checkpoint_id, checkpoint, metadata) VALUES (?, ?, ?, ?, ?, ?)",
            (*key, parent_checkpoint_id, checkpoint, metadata),
        )
        conn.executemany(_INSERT_WRITE, [(*key, *write) for write in writes])
        if parent_writes and parent_checkpoint_id is not None:
            thread_id, checkpoint_ns, _ = key
            parent = (thread_id, checkpoint_ns, parent_checkpoint_id)
            if conn.execute(
                "SELECT 1 FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?", parent
            ).fetchone() is not None:
                conn.executemany(_INSERT_WRITE, [(*parent, *write) for write in parent_writes])


def _put_writes(conn: sqlite3.Connection, key: tuple[str, str, str], writes: list[RawWrite]) -> None:
    with _transaction(conn):
        exists = conn.execute(
            "SELECT 1 FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?",
            key,
        ).fetchone()
        if exists is None:
            thread_id, checkpoint_ns, checkpoint_id = key
            raise CheckpointStoreError(
                f"cannot put writes for checkpoint {checkpoint_id!r} of thread {thread_id!r} "
                f"(namespace {checkpoint_ns!r}): no such checkpoint; put the checkpoint first"
            )
        conn.executemany(_INSERT_WRITE, [(*key, *write) for write in writes])


def _with_writes(
    conn: sqlite3.Connection, thread_id: str, checkpoint_ns: str, rows: list[_Row]
) -> list[RawCheckpoint]:
    """Attach pending writes to checkpoint rows, which are newest first and consecutive."""
    if not rows:
        return []
    writes: dict[str, list[tuple[str, str, bytes]]] = {row[0]: [] for row in rows}
    # The rows are every checkpoint between the oldest and newest id listed, so a
    # range scan finds all their writes without one parameter per checkpoint.
    for checkpoint_id, task_id, channel, value in conn.execute(
        "SELECT checkpoint_id, task_id, channel, value FROM writes "
        "WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id BETWEEN ? AND ? ORDER BY seq",
        (thread_id, checkpoint_ns, rows[-1][0], rows[0][0]),
    ):
        writes[checkpoint_id].append((task_id, channel, value))
    return [RawCheckpoint(row[0], row[1], row[2], row[3], tuple(writes[row[0]])) for row in rows]


def _get(
    conn: sqlite3.Connection, thread_id: str, checkpoint_ns: str, checkpoint_id: str | None
) -> RawCheckpoint | None:
    query = f"SELECT {_CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ?"
    with _transaction(conn, "DEFERRED"):
        if checkpoint_id is None:
            rows = conn.execute(f"{query} ORDER BY checkpoint_id DESC LIMIT 1", (thread_id, checkpoint_ns))
        else:
            rows = conn.execute(f"{query} AND checkpoint_id = ?", (thread_id, checkpoint_ns, checkpoint_id))
        found = _with_writes(conn, thread_id, checkpoint_ns, rows.fetchall())
    return found[0] if found else None


def _list(
    conn: sqlite3.Connection, thread_id: str, checkpoint_ns: str, before: str | None, limit: int | None
) -> list[RawCheckpoint]:
    query = f"SELECT {_CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ?"
    params: list[Any] = [thread_id, checkpoint_ns]
    if before is not None:
        query += " AND checkpoint_id < ?"
        params.append(before)
    query += " ORDER BY checkpoint_id DESC LIMIT ?"
    params.append(-1 if limit is None else limit)  # LIMIT -1: no limit
    with _transaction(conn, "DEFERRED"):
        return _with_writes(conn, thread_id, checkpoint_ns, conn.execute(query, params).fetchall())


def _delete_thread(conn: sqlite3.Connection, thread_id: str) -> None:
    with _transaction(conn):
        conn.execute("DELETE FROM writes WHERE thread_id = ?", (thread_id,))
        conn.execute("DELETE FROM checkpoints WHERE thread_id = ?", (thread_id,))


def _as_path(path: str | os.PathLike[str]) -> str:
    return os.fspath(path)


@final
@attrs.define(eq=False)
class SqliteSaver(BaseCheckpointSaver):
    """A saver backed by one SQLite file (or ``":memory:"``), in WAL mode.

    Args:
        path: the database file; created if missing or empty.
        synchronous: ``"FULL"`` (default) or ``"NORMAL"``; see below.
        serde: see ``BaseCheckpointSaver``.

    Durability: in WAL mode, ``synchronous=NORMAL`` already keeps every committed
    checkpoint when the *process* dies (even by SIGKILL): the commit is in the WAL
    file, in the OS page cache, before ``aput`` returns. It does not survive a power
    cut or kernel crash, which can roll back the last commits. A checkpoint
    reported saved may already have been acted on — an approval resumed, an email
    sent — and a rollback would run that again, so the default is ``FULL``: one
    fsync of the WAL per transaction, small next to a step that calls a model.
    Choose ``NORMAL`` where losing the last few steps on power loss is acceptable.

    Raises:
        CheckpointStoreError: on first use (or ``async with``) if the file is not a
            readable SQLite database, belongs to something else, or was written by
            a newer Tributary; on any later database failure.
    """

    path: str = attrs.field(converter=_as_path)
    synchronous: Literal["FULL", "NORMAL"] = attrs.field(
        default="FULL", kw_only=True, validator=attrs.validators.in_(("FULL", "NORMAL"))
    )
    _conn: sqlite3.Connection | None = attrs.field(default=None, init=False)
    _lock: trio.Lock = attrs.field(factory=trio.Lock, init=False)

    @classmethod
    def from_conn_string(cls, conn_string: str, **kwargs: Any) -> SqliteSaver:
        """``SqliteSaver(conn_string)``, for code written against LangGraph: use it as
        ``with SqliteSaver.from_conn_string(path) as saver:`` or ``async with``."""
        return cls(conn_string, **kwargs)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        async with self._lock:
            if self._conn is None:
                if self._closed:
                    raise CheckpointStoreError(f"SqliteSaver({self.path!r}) is closed; open a new one")
                # The thread stores the connection itself, so a cancelled open cannot leak it.
                await trio.to_thread.run_sync(self._open)
            try:
                return await trio.to_thread.run_sync(fn, self._conn, *args)
            except sqlite3.Error as exc:
                raise CheckpointStoreError(f"checkpoint store {self.path!r} failed: {exc}") from exc

    def _open(self) -> None:
        self._conn = _connect(self.path, self.synchronous)

    async def _aopen(self) -> None:
        await self._run(lambda conn: None)

    async def _put(
        self,
        thread_id: str,
        checkpoint_ns: str,
        checkpoint_id: str,
        parent_checkpoint_id: str | None,
        checkpoint: bytes,
        metadata: bytes,
        writes: Iterable[RawWrite],
        *,
        parent_writes: Iterable[RawWrite] = (),
    ) -> None:
        key = (thread_id, checkpoint_ns, checkpoint_id)
        await self._run(_put, key, parent_checkpoint_id, checkpoint, metadata, list(writes), list(parent_writes))

    async def _put_writes(
        self, thread_id: str, checkpoint_ns: str, checkpoint_id: str, writes: Iterable[RawWrite]
    ) -> None:
        await self._run(_put_writes, (thread_id, checkpoint_ns, checkpoint_id), list(writes))

    async def _get(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str | None) -> RawCheckpoint | None:
        return await self._run(_get, thread_id, checkpoint_ns, checkpoint_id)

    async def _list(
        self, thread_id: str, checkpoint_ns: str, before: str | None, limit: int | None
    ) -> list[RawCheckpoint]:
        return await self._run(_list, thread_id, checkpoint_ns, before, limit)

    async def _delete_thread(self, thread_id: str) -> None:
        await self._run(_delete_thread, thread_id)

    async def _aclose(self) -> None:
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                await trio.to_thread.run_sync(conn.close)

    def _close(self) -> None:
        if self._lock.locked():
            raise CheckpointStoreError(
                f"SqliteSaver({self.path!r}).close() was called while a call is in flight; "
                "use 'await saver.aclose()' inside trio"
            )
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
