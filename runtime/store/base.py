"""The store interface: long-term memory shared across threads, as LangGraph's ``BaseStore``.

A store keeps JSON-like dicts (:class:`Item`) under a key in a hierarchical
*namespace*, a tuple of strings such as ``("users", "alice", "memories")``.
Every store implements two methods — :meth:`BaseStore.batch` and its async twin
:meth:`BaseStore.abatch` — which execute a list of operations (:class:`GetOp`,
:class:`PutOp`, :class:`SearchOp`, :class:`ListNamespacesOp`) and return one
result per operation, in order. The conveniences users call (``get``, ``put``,
``search``, ``delete``, ``list_namespaces`` and their ``a``-prefixed twins)
validate their arguments, build one operation and run it through the batch, so a
new backend only has to get the batch right.

Namespace rules (checked before anything runs): every label is a non-empty
string without ``.`` or NUL; a namespace written to is non-empty and does not
start with ``"langgraph"`` (reserved).
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, Literal, NamedTuple, TypedDict

from ..hosting import TrioEntryPoints, trio_entry

__all__ = [
    "NOT_PROVIDED",
    "BaseStore",
    "GetOp",
    "InvalidNamespaceError",
    "Item",
    "ListNamespacesOp",
    "MatchCondition",
    "NamespaceMatchType",
    "NamespacePath",
    "Op",
    "PutOp",
    "Result",
    "SearchItem",
    "SearchOp",
    "TTLConfig",
    "validate_op_namespace",
]


class _NotProvided:
    """The default of ``ttl=``: "use the store's default", distinct from ``None`` ("never expires")."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_PROVIDED = _NotProvided()


def _as_datetime(value: datetime.datetime | str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


class Item:
    """A stored value with its address and timestamps.

    Attributes:
        value: the stored dict (its keys are what ``search(filter=...)`` matches).
        key: the item's key, unique within its namespace.
        namespace: where the item lives.
        created_at / updated_at: when it was written (an ISO string is parsed,
            so an item read back from JSON compares equal).
    """

    __slots__ = ("created_at", "key", "namespace", "updated_at", "value")

    def __init__(
        self,
        *,
        value: dict[str, Any],
        key: str,
        namespace: tuple[str, ...],
        created_at: datetime.datetime | str,
        updated_at: datetime.datetime | str,
    ) -> None:
        self.value = value
        self.key = key
        self.namespace = tuple(namespace)
        self.created_at = _as_datetime(created_at)
        self.updated_at = _as_datetime(updated_at)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Item):
            return False
        return (
            self.value == other.value
            and self.key == other.key
            and self.namespace == other.namespace
            and self.created_at == other.created_at
            and self.updated_at == other.updated_at
        )

    def __hash__(self) -> int:
        return hash((self.namespace, self.key))

    def dict(self) -> dict[str, Any]:
        """The item as JSON-ready data (namespace as a list, timestamps as ISO strings)."""
        return {
            "namespace": list(self.namespace),
            "key": self.key,
            "value": self.value,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.dict().items())
        return f"Item({fields})"


class SearchItem(Item):
    """An item found by a search; ``score`` is its relevance when the search was ranked."""

    __slots__ = ("score",)

    def __init__(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: dict[str, Any],
        created_at: datetime.datetime | str,
        updated_at: datetime.datetime | str,
        score: float | None = None,
    ) -> None:
        super().__init__(value=value, key=key, namespace=namespace, created_at=created_at, updated_at=updated_at)
        self.score = score

    def dict(self) -> dict[str, Any]:
        return {**super().dict(), "score": self.score}


class GetOp(NamedTuple):
    """Read the item at ``namespace`` / ``key`` (result: the :class:`Item` or ``None``)."""

    namespace: tuple[str, ...]
    key: str
    refresh_ttl: bool = True


class SearchOp(NamedTuple):
    """Find items under ``namespace_prefix`` (result: a list of :class:`SearchItem`).

    ``filter`` matches item values key by key: a plain value must be equal (dicts
    and lists are compared element-wise); a dict of operators compares with
    ``$eq``, ``$ne``, ``$gt``, ``$gte``, ``$lt``, ``$lte``. ``query`` asks for a
    natural-language (semantic) search, which needs a store with an index.
    """

    namespace_prefix: tuple[str, ...]
    filter: dict[str, Any] | None = None
    limit: int = 10
    offset: int = 0
    query: str | None = None
    refresh_ttl: bool = True


NamespacePath = tuple[str, ...]
"""A namespace pattern; a ``"*"`` label matches any label."""

NamespaceMatchType = Literal["prefix", "suffix"]


class MatchCondition(NamedTuple):
    """Namespaces that start (``"prefix"``) or end (``"suffix"``) with ``path``."""

    match_type: NamespaceMatchType
    path: NamespacePath


class ListNamespacesOp(NamedTuple):
    """List the namespaces holding items (result: a sorted list of tuples).

    Every condition must match; ``max_depth`` truncates the namespaces to that
    many labels (duplicates merged).
    """

    match_conditions: tuple[MatchCondition, ...] | None = None
    max_depth: int | None = None
    limit: int = 100
    offset: int = 0


class PutOp(NamedTuple):
    """Write ``value`` at ``namespace`` / ``key``; a ``None`` value deletes the item (result: ``None``).

    ``index`` says which fields a semantic index would embed (ignored without
    one); ``ttl`` is minutes to live, for stores that support it.
    """

    namespace: tuple[str, ...]
    key: str
    value: Mapping[str, Any] | None
    # A NamedTuple field named like tuple.index shadows the method, as in LangGraph's PutOp.
    index: Literal[False] | list[str] | None = None  # type: ignore[assignment]
    ttl: float | None = None


Op = GetOp | SearchOp | PutOp | ListNamespacesOp
Result = Item | list[Item] | list[SearchItem] | list[tuple[str, ...]] | None


class InvalidNamespaceError(ValueError):
    """A namespace (or one of its labels) is not allowed; the message says which and why."""


class TTLConfig(TypedDict, total=False):
    """How a store that supports expiry treats item lifetimes (minutes)."""

    refresh_on_read: bool
    default_ttl: float | None
    sweep_interval_minutes: int | None


class BaseStore(TrioEntryPoints, ABC):
    """A key-value store with hierarchical namespaces; see the module docstring.

    Subclasses implement :meth:`batch` and :meth:`abatch`. A store that can expire
    items sets ``supports_ttl = True``; others refuse a ``ttl``.
    """

    supports_ttl: bool = False
    ttl_config: TTLConfig | None = None
    _entry_points = ("abatch", "aget", "asearch", "aput", "adelete", "alist_namespaces")

    __slots__ = ("__weakref__",)

    @abstractmethod
    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Execute ``ops`` in order; return one result per operation."""

    @abstractmethod
    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Execute ``ops`` in order without blocking the event loop; one result per operation."""

    # -- operation builders (shared by the sync and async conveniences) --------
    def _get_op(self, namespace: tuple[str, ...], key: str, refresh_ttl: bool | None) -> GetOp:
        _check_labels(namespace)
        return GetOp(tuple(namespace), str(key), self._refresh(refresh_ttl))

    def _search_op(
        self, prefix: tuple[str, ...], query: str | None, filter: dict[str, Any] | None,
        limit: int, offset: int, refresh_ttl: bool | None,
    ) -> SearchOp:
        _check_labels(prefix)
        return SearchOp(tuple(prefix), filter, limit, offset, query, self._refresh(refresh_ttl))

    def _put_op(
        self, namespace: tuple[str, ...], key: str, value: Mapping[str, Any],
        index: Literal[False] | list[str] | None, ttl: float | None | _NotProvided,
    ) -> PutOp:
        _check_writable(namespace)
        if ttl not in (NOT_PROVIDED, None) and not self.supports_ttl:
            raise NotImplementedError(
                f"TTL is not supported by {type(self).__name__}; "
                "use a store implementation that supports TTL, or pass ttl=None"
            )
        if isinstance(ttl, _NotProvided):
            ttl = self.ttl_config.get("default_ttl") if self.ttl_config else None
        return PutOp(tuple(namespace), str(key), value, index=index, ttl=ttl)

    def _delete_op(self, namespace: tuple[str, ...], key: str) -> PutOp:
        _check_labels(namespace)
        return PutOp(tuple(namespace), str(key), None)

    def _list_op(
        self, prefix: NamespacePath | None, suffix: NamespacePath | None,
        max_depth: int | None, limit: int, offset: int,
    ) -> ListNamespacesOp:
        _check_labels(prefix or ())
        _check_labels(suffix or ())
        conditions: list[MatchCondition] = []
        if prefix:
            conditions.append(MatchCondition("prefix", tuple(prefix)))
        if suffix:
            conditions.append(MatchCondition("suffix", tuple(suffix)))
        return ListNamespacesOp(tuple(conditions), max_depth, limit, offset)

    def _refresh(self, refresh_ttl: bool | None) -> bool:
        if refresh_ttl is not None:
            return refresh_ttl
        return self.ttl_config.get("refresh_on_read", True) if self.ttl_config else True

    # -- sync conveniences -------------------------------------------------------
    def get(self, namespace: tuple[str, ...], key: str, *, refresh_ttl: bool | None = None) -> Item | None:
        """The item at ``namespace`` / ``key``, or ``None``.

        Raises:
            InvalidNamespaceError: a label is empty, not a string, or contains ``.``.
        """
        result = self.batch([self._get_op(namespace, key, refresh_ttl)])[0]
        assert result is None or isinstance(result, Item)
        return result

    def search(
        self,
        namespace_prefix: tuple[str, ...],
        /,
        *,
        query: str | None = None,
        filter: dict[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        refresh_ttl: bool | None = None,
    ) -> list[SearchItem]:
        """Items in ``namespace_prefix`` and below matching ``filter``, from ``offset``, at most ``limit``."""
        result = self.batch([self._search_op(namespace_prefix, query, filter, limit, offset, refresh_ttl)])[0]
        return result  # type: ignore[return-value]  # a SearchOp's result is list[SearchItem]

    def put(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: Mapping[str, Any],
        index: Literal[False] | list[str] | None = None,
        *,
        ttl: float | None | _NotProvided = NOT_PROVIDED,
    ) -> None:
        """Store ``value`` at ``namespace`` / ``key``, replacing what was there.

        Raises:
            InvalidNamespaceError: the namespace is empty, starts with ``"langgraph"``,
                or has a bad label.
            NotImplementedError: ``ttl`` given to a store without TTL support.
        """
        self.batch([self._put_op(namespace, key, value, index, ttl)])

    def delete(self, namespace: tuple[str, ...], key: str) -> None:
        """Delete the item at ``namespace`` / ``key`` (nothing happens if there is none)."""
        self.batch([self._delete_op(namespace, key)])

    def list_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[tuple[str, ...]]:
        """The namespaces holding items, sorted, filtered by ``prefix`` / ``suffix`` (``"*"`` matches
        any label), truncated to ``max_depth`` labels."""
        result = self.batch([self._list_op(prefix, suffix, max_depth, limit, offset)])[0]
        return result  # type: ignore[return-value]  # a ListNamespacesOp's result is a list of tuples

    # -- async conveniences ------------------------------------------------------
    @trio_entry
    async def aget(self, namespace: tuple[str, ...], key: str, *, refresh_ttl: bool | None = None) -> Item | None:
        """Async :meth:`get`."""
        result = (await self.abatch([self._get_op(namespace, key, refresh_ttl)]))[0]
        assert result is None or isinstance(result, Item)
        return result

    @trio_entry
    async def asearch(
        self,
        namespace_prefix: tuple[str, ...],
        /,
        *,
        query: str | None = None,
        filter: dict[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        refresh_ttl: bool | None = None,
    ) -> list[SearchItem]:
        """Async :meth:`search`."""
        op = self._search_op(namespace_prefix, query, filter, limit, offset, refresh_ttl)
        return (await self.abatch([op]))[0]  # type: ignore[return-value]  # see search()

    @trio_entry
    async def aput(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: Mapping[str, Any],
        index: Literal[False] | list[str] | None = None,
        *,
        ttl: float | None | _NotProvided = NOT_PROVIDED,
    ) -> None:
        """Async :meth:`put`."""
        await self.abatch([self._put_op(namespace, key, value, index, ttl)])

    @trio_entry
    async def adelete(self, namespace: tuple[str, ...], key: str) -> None:
        """Async :meth:`delete`."""
        await self.abatch([self._delete_op(namespace, key)])

    @trio_entry
    async def alist_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[tuple[str, ...]]:
        """Async :meth:`list_namespaces`."""
        op = self._list_op(prefix, suffix, max_depth, limit, offset)
        return (await self.abatch([op]))[0]  # type: ignore[return-value]  # see list_namespaces()


def _check_labels(namespace: Iterable[Any]) -> None:
    namespace = tuple(namespace)
    for label in namespace:
        if not isinstance(label, str):
            raise InvalidNamespaceError(
                f"Invalid namespace label {label!r} found in {namespace}: labels must be strings, "
                f"but got {type(label).__name__}"
            )
        if not label:
            raise InvalidNamespaceError(f"Namespace labels cannot be empty strings; got one in {namespace}")
        if "." in label:
            raise InvalidNamespaceError(
                f"Invalid namespace label {label!r} found in {namespace}: labels cannot contain periods ('.')"
            )
        if "\x00" in label:
            raise InvalidNamespaceError(
                f"Invalid namespace label {label!r} found in {namespace}: labels cannot contain NUL bytes"
            )


def _check_writable(namespace: tuple[str, ...]) -> None:
    if not namespace:
        raise InvalidNamespaceError("Namespace cannot be empty.")
    _check_labels(namespace)
    if namespace[0] == "langgraph":
        raise InvalidNamespaceError(f'Root label for namespace cannot be "langgraph"; got {tuple(namespace)}')


def validate_op_namespace(op: Op) -> None:
    """Check the labels of an operation handed straight to ``batch`` (the conveniences check their own).

    Raises:
        InvalidNamespaceError: naming the bad label.
    """
    if isinstance(op, (GetOp, PutOp)):
        _check_labels(op.namespace)
    elif isinstance(op, SearchOp):
        _check_labels(op.namespace_prefix)
    elif isinstance(op, ListNamespacesOp):
        for condition in op.match_conditions or ():
            _check_labels(condition.path)
