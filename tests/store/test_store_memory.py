"""``InMemoryStore`` through the ``BaseStore`` conveniences, checked against LangGraph 1.2's
behaviour (found by running ``langgraph.store.memory.InMemoryStore`` on the same calls)."""

from __future__ import annotations

import datetime

import pytest

from runtime.store import (
    BaseStore,
    GetOp,
    InMemoryStore,
    InvalidNamespaceError,
    Item,
    ListNamespacesOp,
    MatchCondition,
    PutOp,
    SearchItem,
    SearchOp,
    validate_op_namespace,
)


def filled() -> InMemoryStore:
    store = InMemoryStore()
    store.put(("users", "alice"), "prefs", {"theme": "dark", "size": 3})
    store.put(("users", "alice"), "profile", {"name": "Alice", "age": 30, "tags": ["a", "b"]})
    store.put(("users", "bob"), "prefs", {"theme": "light", "size": 5})
    store.put(("docs",), "d1", {"meta": {"kind": "report", "year": 2024}})
    return store


def test_put_then_get_returns_the_item_with_its_address_and_timestamps() -> None:
    store = filled()
    item = store.get(("users", "alice"), "prefs")
    assert isinstance(item, Item)
    assert (item.namespace, item.key, item.value) == (("users", "alice"), "prefs", {"theme": "dark", "size": 3})
    assert item.created_at.tzinfo is datetime.UTC and item.updated_at >= item.created_at
    assert store.get(("users", "alice"), "missing") is None
    assert store.get(("nobody",), "prefs") is None


def test_put_replaces_and_copies_the_value() -> None:
    store = InMemoryStore()
    value = {"n": 1}
    store.put(("a",), "k", value)
    value["n"] = 2  # the caller's dict is not the stored one
    assert store.get(("a",), "k").value == {"n": 1}  # type: ignore[union-attr]
    store.put(("a",), "k", {"n": 3})
    assert store.get(("a",), "k").value == {"n": 3}  # type: ignore[union-attr]


def test_delete_removes_the_item_and_an_emptied_namespace() -> None:
    store = filled()
    store.delete(("users", "bob"), "prefs")
    store.delete(("users", "bob"), "never-there")
    assert store.get(("users", "bob"), "prefs") is None
    # Deliberate difference (docs/differences.md): LangGraph still lists a namespace
    # once emptied, or even one only read from; Tributary lists namespaces holding items.
    store.get(("ghost",), "k")
    assert store.list_namespaces() == [("docs",), ("users", "alice")]


def test_search_by_namespace_prefix_in_write_order() -> None:
    store = filled()
    found = store.search(("users",))
    assert [(i.namespace, i.key) for i in found] == [
        (("users", "alice"), "prefs"), (("users", "alice"), "profile"), (("users", "bob"), "prefs"),
    ]
    assert all(isinstance(i, SearchItem) and i.score is None for i in found)
    assert [i.key for i in store.search(())] == ["prefs", "profile", "prefs", "d1"]
    assert store.search(("users", "carol")) == []


def test_search_filter_matches_values_nested_values_lists_and_operators() -> None:
    store = filled()
    assert [i.value["theme"] for i in store.search(("users",), filter={"theme": "light"})] == ["light"]
    assert [i.key for i in store.search((), filter={"meta": {"kind": "report"}})] == ["d1"]
    assert [i.key for i in store.search((), filter={"tags": ["a", "b"]})] == ["profile"]
    assert store.search((), filter={"tags": ["a"]}) == []
    sizes = lambda f: [i.value["size"] for i in store.search(("users",), filter=f)]
    assert sizes({"size": {"$gt": 3}}) == [5]
    assert sizes({"size": {"$gte": 3}}) == [3, 5]
    assert sizes({"size": {"$lt": 5}}) == [3]
    assert sizes({"size": {"$lte": 5, "$ne": 3}}) == [5]
    assert sizes({"size": {"$eq": 3}}) == [3]
    # Deliberate difference (docs/differences.md): a comparison with a missing or
    # non-numeric value does not match; LangGraph's float() raises TypeError.
    store.put(("users", "carol"), "prefs", {"size": "large"})
    assert sizes({"size": {"$gt": 0}}) == [3, 5]
    with pytest.raises(ValueError, match=r"Unsupported filter operator '\$in'"):
        store.search(("users",), filter={"size": {"$in": [3]}})


def test_search_limit_and_offset_page_through_the_matches() -> None:
    store = InMemoryStore()
    for n in range(7):
        store.put(("n",), f"k{n}", {"n": n})
    assert [i.value["n"] for i in store.search(("n",))] == list(range(7))
    assert [i.value["n"] for i in store.search(("n",), limit=3)] == [0, 1, 2]
    assert [i.value["n"] for i in store.search(("n",), limit=3, offset=3)] == [3, 4, 5]
    assert [i.value["n"] for i in store.search(("n",), limit=3, offset=6)] == [6]
    assert [i.value["n"] for i in store.search(("n",), filter={"n": {"$gte": 2}}, limit=2, offset=1)] == [3, 4]
    assert len(InMemoryStore().search((), limit=10)) == 0


def test_semantic_search_is_refused_clearly() -> None:
    store = filled()
    with pytest.raises(NotImplementedError, match="semantic search"):
        store.search(("users",), query="dark themes")
    with pytest.raises(NotImplementedError, match="index"):
        InMemoryStore(index={"dims": 3, "embed": lambda texts: [[0.0] * 3 for _ in texts]})
    store.put(("users", "alice"), "prefs", {"theme": "dark"}, index=["theme"])  # accepted, nothing to index


def test_list_namespaces_prefix_suffix_wildcards_depth_and_paging() -> None:
    store = InMemoryStore()
    for ns in [("a", "b", "c"), ("a", "b", "d", "e"), ("a", "b", "d", "i"), ("a", "b", "f"), ("a", "c", "f")]:
        store.put(ns, "k", {"v": 1})
    assert store.list_namespaces(prefix=("a", "b"), max_depth=3) == [("a", "b", "c"), ("a", "b", "d"), ("a", "b", "f")]
    assert store.list_namespaces(suffix=("f",)) == [("a", "b", "f"), ("a", "c", "f")]
    assert store.list_namespaces(prefix=("a", "*", "f")) == [("a", "b", "f"), ("a", "c", "f")]
    assert store.list_namespaces(prefix=("a",), suffix=("d", "*")) == [("a", "b", "d", "e"), ("a", "b", "d", "i")]
    assert store.list_namespaces(max_depth=1) == [("a",)]
    assert store.list_namespaces(limit=2, offset=1) == [("a", "b", "d", "e"), ("a", "b", "d", "i")]


@pytest.mark.parametrize(
    ("namespace", "message"),
    [
        ((), "cannot be empty"),
        (("langgraph", "x"), 'cannot be "langgraph"'),
        (("a", ""), "cannot be empty strings"),
        (("a.b",), "periods"),
        (("a", 1), "must be strings"),
        (("a\x00",), "NUL"),
    ],
)
def test_bad_namespaces_are_refused_naming_the_label(namespace: tuple, message: str) -> None:
    with pytest.raises(InvalidNamespaceError, match=message):
        InMemoryStore().put(namespace, "k", {"v": 1})


def test_reads_check_labels_too() -> None:
    store = InMemoryStore()
    with pytest.raises(InvalidNamespaceError, match="periods"):
        store.get(("a.b",), "k")
    with pytest.raises(InvalidNamespaceError, match="periods"):
        store.search(("a.b",))
    with pytest.raises(InvalidNamespaceError, match="periods"):
        store.list_namespaces(prefix=("x.y",))
    with pytest.raises(InvalidNamespaceError):
        validate_op_namespace(SearchOp(("a.b",)))
    validate_op_namespace(ListNamespacesOp((MatchCondition("prefix", ("ok", "*")),)))


def test_ttl_is_refused_by_a_store_without_ttl_support() -> None:
    with pytest.raises(NotImplementedError, match="TTL is not supported by InMemoryStore"):
        InMemoryStore().put(("a",), "k", {"v": 1}, ttl=5)
    InMemoryStore().put(("a",), "k", {"v": 1}, ttl=None)


def test_batch_runs_operations_in_order_and_returns_one_result_each() -> None:
    store = InMemoryStore()
    results = store.batch([
        PutOp(("a",), "k", {"v": 1}),
        GetOp(("a",), "k"),
        SearchOp(("a",)),
        ListNamespacesOp(),
        PutOp(("a",), "k", None),
        GetOp(("a",), "k"),
    ])
    assert results[0] is None and results[4] is None and results[5] is None
    assert isinstance(results[1], Item) and results[1].value == {"v": 1}
    assert [i.key for i in results[2]] == ["k"]  # type: ignore[union-attr]
    assert results[3] == [("a",)]
    with pytest.raises(ValueError, match="Unknown store operation"):
        store.batch(["not an op"])  # type: ignore[list-item]


async def test_async_twins_match_the_sync_methods() -> None:
    store = InMemoryStore()
    await store.aput(("a", "b"), "k", {"v": 1})
    item = await store.aget(("a", "b"), "k")
    assert item is not None and item.value == {"v": 1}
    assert [i.key for i in await store.asearch(("a",), filter={"v": 1})] == ["k"]
    assert await store.alist_namespaces(prefix=("a",)) == [("a", "b")]
    await store.adelete(("a", "b"), "k")
    assert await store.aget(("a", "b"), "k") is None


def test_item_equality_dict_and_repr() -> None:
    now = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    item = Item(value={"x": 1}, key="k", namespace=("a",), created_at=now, updated_at=now)
    assert item == Item(value={"x": 1}, key="k", namespace=["a"], created_at=now.isoformat(), updated_at=now)  # type: ignore[arg-type]
    assert item != Item(value={"x": 2}, key="k", namespace=("a",), created_at=now, updated_at=now)
    assert hash(item) == hash((("a",), "k"))
    assert item.dict() == {
        "namespace": ["a"], "key": "k", "value": {"x": 1},
        "created_at": "2026-01-02T00:00:00+00:00", "updated_at": "2026-01-02T00:00:00+00:00",
    }
    found = SearchItem(("a",), "k", {"x": 1}, now, now, score=0.5)
    assert found.dict()["score"] == 0.5
    assert repr(found).startswith("Item(namespace=['a'], key='k'") and repr(found).endswith("score=0.5)")


def test_a_custom_store_needs_only_batch_and_abatch() -> None:
    class Recording(BaseStore):
        def __init__(self) -> None:
            self.ops: list[object] = []

        def batch(self, ops):  # type: ignore[no-untyped-def]
            ops = list(ops)
            self.ops.extend(ops)
            return [None] * len(ops)

        async def abatch(self, ops):  # type: ignore[no-untyped-def]
            return self.batch(ops)

    store = Recording()
    store.put(("a",), 7, {"v": 1})  # type: ignore[arg-type]  # keys are made strings, as LangGraph does
    store.delete(("a",), "k")
    store.search(("a",), filter={"v": 1}, limit=2, offset=1)
    assert store.ops == [
        PutOp(("a",), "7", {"v": 1}, None, None),
        PutOp(("a",), "k", None),
        SearchOp(("a",), {"v": 1}, 2, 1, None, True),
    ]
