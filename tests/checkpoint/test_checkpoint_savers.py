"""The saver contract, checked against every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import trio

from runtime.checkpoint import (
    BaseCheckpointSaver,
    CheckpointStoreError,
    CheckpointTuple,
    InMemorySaver,
    SqliteSaver,
    new_checkpoint_id,
)
from runtime.core.types import Send


@pytest.fixture(params=["memory", "sqlite"])
async def saver(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BaseCheckpointSaver]:
    made: BaseCheckpointSaver = InMemorySaver() if request.param == "memory" else SqliteSaver(tmp_path / "cp.db")
    async with made:
        yield made


def snapshot(step: int) -> dict[str, Any]:
    return {"channels": {"messages": [("user", f"hi {step}")], "count": step}, "step": step}


async def put_chain(saver: BaseCheckpointSaver, n: int, thread_id: str = "t", ns: str = "") -> list[str]:
    """Put ``n`` checkpoints, each the parent of the next; returns their ids."""
    ids: list[str] = []
    for step in range(n):
        checkpoint_id = new_checkpoint_id()
        parent = ids[-1] if ids else None
        await saver.aput(thread_id, ns, checkpoint_id, snapshot(step), {"step": step}, parent)
        ids.append(checkpoint_id)
    return ids


async def test_get_latest_and_by_id(saver: BaseCheckpointSaver) -> None:
    assert await saver.aget_tuple("t") is None
    ids = await put_chain(saver, 3)
    latest = await saver.aget_tuple("t")
    assert latest == CheckpointTuple(
        thread_id="t",
        checkpoint_ns="",
        checkpoint_id=ids[2],
        checkpoint=snapshot(2),
        metadata={"step": 2},
        parent_checkpoint_id=ids[1],
        pending_writes=(),
    )
    first = await saver.aget_tuple("t", "", ids[0])
    assert first is not None
    assert (first.checkpoint, first.parent_checkpoint_id) == (snapshot(0), None)
    assert await saver.aget_tuple("t", "", new_checkpoint_id()) is None
    assert await saver.aget_tuple("other") is None


async def test_latest_is_the_greatest_id_not_the_last_put(saver: BaseCheckpointSaver) -> None:
    older, newer = new_checkpoint_id(), new_checkpoint_id()
    await saver.aput("t", "", newer, snapshot(2), {}, None)
    await saver.aput("t", "", older, snapshot(1), {}, None)
    latest = await saver.aget_tuple("t")
    assert latest is not None and latest.checkpoint_id == newer
    assert [c.checkpoint_id for c in await saver.alist("t")] == [newer, older]


async def test_list_is_newest_first_with_before_and_limit(saver: BaseCheckpointSaver) -> None:
    ids = await put_chain(saver, 5)

    async def listed(**kwargs: Any) -> list[str]:
        return [c.checkpoint_id for c in await saver.alist("t", **kwargs)]

    assert await listed() == ids[::-1]
    assert await listed(limit=2) == [ids[4], ids[3]]
    assert await listed(before=ids[3]) == [ids[2], ids[1], ids[0]]
    assert await listed(before=ids[3], limit=1) == [ids[2]]
    assert await listed(before=ids[0]) == []
    assert await listed(limit=0) == []
    assert await saver.alist("nobody") == []
    with pytest.raises(ValueError, match="limit"):
        await saver.alist("t", limit=-1)


async def test_list_filters_on_metadata_before_the_limit(saver: BaseCheckpointSaver) -> None:
    ids = []
    for step, source in enumerate(["input", "loop", "update", "loop", "loop"]):
        ids.append(new_checkpoint_id())
        await saver.aput("t", "", ids[-1], snapshot(step), {"source": source, "step": step, "parents": {}}, None)

    async def listed(**kwargs: Any) -> list[str]:
        return [c.checkpoint_id for c in await saver.alist("t", **kwargs)]

    assert await listed(filter={"source": "loop"}) == [ids[4], ids[3], ids[1]]
    assert await listed(filter={"source": "loop"}, limit=2) == [ids[4], ids[3]]
    assert await listed(filter={"source": "loop"}, before=ids[3]) == [ids[1]]
    assert await listed(filter={"source": "loop", "step": 3}) == [ids[3]]
    assert await listed(filter={"parents": {}}, limit=1) == [ids[4]]
    assert await listed(filter={"missing": None}) == []
    assert await listed(filter={}) == ids[::-1]


async def test_aput_can_add_writes_to_its_parent(saver: BaseCheckpointSaver) -> None:
    first = new_checkpoint_id()
    await saver.aput("t", "", first, snapshot(0), {}, None)
    await saver.aput_writes("t", "", first, "task-a", [("x", 1)])
    second = new_checkpoint_id()
    await saver.aput("t", "", second, snapshot(1), {}, first, parent_writes=[("task-b", "y", 2), ("task-b", "z", None)])
    parent = await saver.aget_tuple("t", "", first)
    assert parent is not None and parent.pending_writes == (("task-a", "x", 1), ("task-b", "y", 2), ("task-b", "z", None))
    latest = await saver.aget_tuple("t")
    assert latest is not None and latest.checkpoint_id == second and latest.pending_writes == ()
    # Without a stored parent, the parent writes are dropped and the checkpoint is saved.
    orphan = new_checkpoint_id()
    await saver.aput("u", "", orphan, snapshot(0), {}, "nowhere", parent_writes=[("task", "x", 1)])
    assert [c.checkpoint_id for c in await saver.alist("u")] == [orphan]
    assert await saver.aget_tuple("u", "", "nowhere") is None


async def test_pending_writes_keep_their_order_and_are_idempotent(saver: BaseCheckpointSaver) -> None:
    first, second = await put_chain(saver, 2)
    await saver.aput_writes("t", "", first, "task-b", [("x", 1), ("y", (2, 3))])
    await saver.aput_writes("t", "", first, "task-a", [("x", Send("n", {"k": 1}))])
    await saver.aput_writes("t", "", first, "task-b", [("x", "ignored"), ("y", "ignored")])  # a repeat
    await saver.aput_writes("t", "", first, "task-b", [("x", 1), ("y", (2, 3)), ("z", 4)])  # one more
    expected = (
        ("task-b", "x", 1),
        ("task-b", "y", (2, 3)),
        ("task-a", "x", Send("n", {"k": 1})),
        ("task-b", "z", 4),
    )
    got = await saver.aget_tuple("t", "", first)
    assert got is not None and got.pending_writes == expected
    assert type(got.pending_writes[1][2]) is tuple
    latest = await saver.aget_tuple("t")
    assert latest is not None and latest.checkpoint_id == second and latest.pending_writes == ()
    assert [c.pending_writes for c in await saver.alist("t")] == [(), expected]


async def test_aput_stores_its_writes_with_it(saver: BaseCheckpointSaver) -> None:
    checkpoint_id = new_checkpoint_id()
    writes = [("task-a", "x", 1), ("task-b", "x", 2), ("task-a", "y", 3)]
    await saver.aput("t", "", checkpoint_id, snapshot(0), {}, None, writes=writes)
    # The same writes again by task are the same (task_id, index): nothing is added.
    await saver.aput_writes("t", "", checkpoint_id, "task-a", [("x", 9), ("y", 9)])
    got = await saver.aget_tuple("t")
    assert got is not None and got.pending_writes == tuple(writes)


async def test_putting_an_id_again_replaces_it_and_keeps_its_writes(saver: BaseCheckpointSaver) -> None:
    checkpoint_id = new_checkpoint_id()
    await saver.aput("t", "", checkpoint_id, snapshot(0), {"v": 1}, None, writes=[("a", "x", 1)])
    await saver.aput("t", "", checkpoint_id, snapshot(1), {"v": 2}, "p", writes=[("b", "x", 2)])
    got = await saver.aget_tuple("t")
    assert got is not None
    assert (got.checkpoint, got.metadata, got.parent_checkpoint_id) == (snapshot(1), {"v": 2}, "p")
    assert got.pending_writes == (("a", "x", 1), ("b", "x", 2))
    assert len(await saver.alist("t")) == 1


async def test_writes_for_an_unknown_checkpoint_are_refused(saver: BaseCheckpointSaver) -> None:
    await put_chain(saver, 1)
    missing = new_checkpoint_id()
    with pytest.raises(CheckpointStoreError, match=missing):
        await saver.aput_writes("t", "", missing, "task", [("x", 1)])
    with pytest.raises(CheckpointStoreError, match="no such checkpoint"):
        await saver.aput_writes("other-thread", "", missing, "task", [("x", 1)])


async def test_namespaces_are_isolated(saver: BaseCheckpointSaver) -> None:
    root = await put_chain(saver, 2, ns="")
    sub = await put_chain(saver, 1, ns="sub:task-1")
    await saver.aput_writes("t", "sub:task-1", sub[0], "inner", [("x", 1)])
    latest_root = await saver.aget_tuple("t")
    assert latest_root is not None and latest_root.checkpoint_id == root[1]
    latest_sub = await saver.aget_tuple("t", "sub:task-1")
    assert latest_sub is not None and latest_sub.checkpoint_id == sub[0]
    assert latest_sub.checkpoint_ns == "sub:task-1"
    assert [c.checkpoint_id for c in await saver.alist("t")] == root[::-1]
    assert await saver.aget_tuple("t", "", sub[0]) is None
    with pytest.raises(CheckpointStoreError):
        await saver.aput_writes("t", "", sub[0], "inner", [("x", 1)])


async def test_threads_are_isolated_and_deleted_alone(saver: BaseCheckpointSaver) -> None:
    mine = await put_chain(saver, 2, thread_id="mine")
    await put_chain(saver, 1, thread_id="mine", ns="sub:x")
    theirs = await put_chain(saver, 2, thread_id="theirs")
    await saver.aput_writes("theirs", "", theirs[0], "task", [("x", 1)])
    assert [c.checkpoint_id for c in await saver.alist("mine")] == mine[::-1]

    await saver.adelete_thread("mine")
    assert await saver.aget_tuple("mine") is None
    assert await saver.aget_tuple("mine", "sub:x") is None
    assert [c.checkpoint_id for c in await saver.alist("theirs")] == theirs[::-1]
    kept = await saver.aget_tuple("theirs", "", theirs[0])
    assert kept is not None and kept.pending_writes == (("task", "x", 1),)
    await saver.adelete_thread("nobody")


async def test_values_are_isolated_from_mutation(saver: BaseCheckpointSaver) -> None:
    checkpoint = snapshot(0)
    metadata: dict[str, Any] = {"parents": {}}
    written: dict[str, Any] = {"items": [1]}
    checkpoint_id = new_checkpoint_id()
    await saver.aput("t", "", checkpoint_id, checkpoint, metadata, None)
    await saver.aput_writes("t", "", checkpoint_id, "task", [("x", written)])
    checkpoint["channels"]["count"] = 99
    metadata["parents"]["x"] = "y"
    written["items"].append(2)

    got = await saver.aget_tuple("t")
    assert got is not None
    assert (got.checkpoint, got.metadata, got.pending_writes) == (snapshot(0), {"parents": {}}, (("task", "x", {"items": [1]}),))
    got.checkpoint["channels"]["count"] = 42
    got.pending_writes[0][2]["items"].clear()
    again = await saver.aget_tuple("t")
    assert again is not None and again.checkpoint == snapshot(0)
    assert again.pending_writes == (("task", "x", {"items": [1]}),)


async def test_unserialisable_values_store_nothing(saver: BaseCheckpointSaver) -> None:
    [kept] = await put_chain(saver, 1)
    with pytest.raises(TypeError, match="object"):
        await saver.aput("t", "", new_checkpoint_id(), {"bad": object()}, {}, kept)
    with pytest.raises(TypeError, match="object"):
        await saver.aput("t", "", new_checkpoint_id(), snapshot(1), {}, kept, writes=[("a", "x", object())])
    with pytest.raises(TypeError, match="object"):
        await saver.aput_writes("t", "", kept, "task", [("x", 1), ("y", object())])
    [only] = await saver.alist("t")
    assert (only.checkpoint_id, only.pending_writes) == (kept, ())


async def test_concurrent_puts_all_land(saver: BaseCheckpointSaver) -> None:
    [base] = await put_chain(saver, 1)

    async def put_task(n: int) -> None:
        await saver.aput_writes("t", "", base, f"task-{n}", [("x", n)])
        await saver.aput(f"thread-{n}", "", new_checkpoint_id(), snapshot(n), {}, None)

    async with trio.open_nursery() as nursery:
        for n in range(20):
            nursery.start_soon(put_task, n)
    got = await saver.aget_tuple("t")
    assert got is not None
    assert sorted(value for _, _, value in got.pending_writes) == list(range(20))
    for n in range(20):
        latest = await saver.aget_tuple(f"thread-{n}")
        assert latest is not None and latest.checkpoint == snapshot(n)


async def test_a_closed_saver_refuses_every_call(saver: BaseCheckpointSaver) -> None:
    [checkpoint_id] = await put_chain(saver, 1)
    await saver.aclose()
    await saver.aclose()  # twice is fine
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.aget_tuple("t")
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.aput("t", "", new_checkpoint_id(), {}, {}, None)
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.aput_writes("t", "", checkpoint_id, "task", [])
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.alist("t")
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.adelete_thread("t")


@pytest.mark.parametrize("make", [InMemorySaver, lambda: SqliteSaver(":memory:")])
async def test_sync_with_closes(make: Any) -> None:
    with make() as saver:
        await put_chain(saver, 1)
        assert await saver.aget_tuple("t") is not None
    with pytest.raises(CheckpointStoreError, match="closed"):
        await saver.aget_tuple("t")
