"""The concrete channels a ``StateGraph`` compiles to.

* :class:`LastValue` — a plain state key: one write per step, the last one wins.
* :class:`ReducerChannel` — ``Annotated[T, reducer]``: every write of a step is
  folded in with the reducer, in task order.
* :class:`Trigger` — ``branch:to:<node>``: set when an edge or router points at
  the node; reset once the node has run.
* :class:`JoinBarrier` — ``join:<a>+<b>:<node>``: fires once every source of a
  multi-source edge has written; reset once the node has run.
* :class:`DeferredTrigger` / :class:`DeferredJoinBarrier` — the same for a node
  added with ``defer=True``: once set (or complete) they wait until the run
  would otherwise end, then fire.
* :class:`InputChannel` — where a run's input waits for the input node.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any, Self

from runtime.core.errors import TROUBLESHOOTING, InvalidUpdateError
from runtime.scheduler.channel import MISSING, Channel, EmptyChannelError

__all__ = [
    "DeferredJoinBarrier",
    "DeferredTrigger",
    "InputChannel",
    "JoinBarrier",
    "LastValue",
    "ReducerChannel",
    "Trigger",
]


class LastValue(Channel):
    """A state key that takes at most one write per step."""

    __slots__ = ("value",)

    def __init__(self, key: str, value: Any = MISSING) -> None:
        super().__init__(key)
        self.value = value

    def update(self, values: Sequence[Any]) -> bool:
        if not values:
            return False
        if len(values) > 1:
            raise InvalidUpdateError(
                f"At key '{self.key}': Can receive only one value per step. Use an Annotated key to "
                f"handle multiple values.{TROUBLESHOOTING}INVALID_CONCURRENT_GRAPH_UPDATE"
            )
        self.value = values[0]
        return True

    def get(self) -> Any:
        if self.value is MISSING:
            raise EmptyChannelError(self.key)
        return self.value

    def is_available(self) -> bool:
        return self.value is not MISSING

    def snapshot(self) -> Any:
        return self.value

    def restore(self, snapshot: Any) -> Self:
        return type(self)(self.key, snapshot)

    def copy(self) -> Self:
        # Every run copies every channel: skip __init__ (a wide state has hundreds).
        channel = object.__new__(type(self))
        channel.key = self.key
        channel.value = self.value
        return channel


class ReducerChannel(Channel):
    """A state key whose writes are folded in with ``reducer(current, write)``.

    ``default`` builds the value a key starts from (``list`` for
    ``Annotated[list, add]``), so such keys read as ``[]`` before any write. It
    is called afresh whenever an unwritten key is read or first written: runs
    never share a default object (a node appending to its input in place must
    not leak into the next run).
    """

    __slots__ = ("reducer", "default", "value")

    def __init__(
        self, key: str, reducer: Callable[[Any, Any], Any], default: Callable[[], Any] | None, value: Any = MISSING
    ) -> None:
        super().__init__(key)
        self.reducer = reducer
        self.default = default
        self.value = value

    def update(self, values: Sequence[Any]) -> bool:
        if not values:
            return False
        value = self.value
        if value is MISSING and self.default is not None:
            value = self.default()
        reducer = self.reducer
        if reducer is operator.add and type(value) is list and len(values) > 1 and all(type(v) is list for v in values):
            # Folding n list writes one ``+`` at a time copies O(n²) items (a
            # 10,000-way fan-out join); list concatenation is associative, so
            # one new list holding them all is the same value, in O(n).
            combined = list(value)
            for item in values:
                combined.extend(item)
            self.value = combined
            return True
        for item in values:
            value = item if value is MISSING else reducer(value, item)
        self.value = value
        return True

    def get(self) -> Any:
        value = self.value
        if value is MISSING:
            if self.default is None:
                raise EmptyChannelError(self.key)
            return self.default()
        return value

    def is_available(self) -> bool:
        return self.value is not MISSING or self.default is not None

    def snapshot(self) -> Any:
        return self.value

    def restore(self, snapshot: Any) -> Self:
        return type(self)(self.key, self.reducer, self.default, snapshot)

    def copy(self) -> Self:
        channel = object.__new__(type(self))
        channel.key = self.key
        channel.reducer = self.reducer
        channel.default = self.default
        channel.value = self.value
        return channel


class Trigger(Channel):
    """Set by any write; reset when the node it triggers has run."""

    __slots__ = ("is_set",)

    def __init__(self, key: str, is_set: bool = False) -> None:
        super().__init__(key)
        self.is_set = is_set

    def update(self, values: Sequence[Any]) -> bool:
        if not values:
            return False
        self.is_set = True
        return True

    def get(self) -> Any:
        if not self.is_set:
            raise EmptyChannelError(self.key)
        return True

    def is_available(self) -> bool:
        return self.is_set

    def consume(self) -> bool:
        was_set, self.is_set = self.is_set, False
        return was_set

    def snapshot(self) -> Any:
        return self.is_set or MISSING

    def restore(self, snapshot: Any) -> Self:
        return type(self)(self.key, snapshot is True)


class JoinBarrier(Channel):
    """Fires (reports an update) when every name in ``names`` has written since the last reset."""

    __slots__ = ("names", "seen")

    def __init__(self, key: str, names: frozenset[str], seen: frozenset[str] = frozenset()) -> None:
        super().__init__(key)
        self.names = names
        self.seen = set(seen)

    def update(self, values: Sequence[Any]) -> bool:
        was_complete = self.seen >= self.names
        for name in values:
            if name not in self.names:
                raise InvalidUpdateError(f"At key '{self.key}': {name!r} is not one of the joined nodes {sorted(self.names)}")
            self.seen.add(name)
        return not was_complete and self.seen >= self.names

    def get(self) -> Any:
        if not self.seen >= self.names:
            raise EmptyChannelError(self.key)
        return True

    def is_available(self) -> bool:
        return self.seen >= self.names

    def consume(self) -> bool:
        if self.seen >= self.names:
            self.seen = set()
            return True
        return False

    def snapshot(self) -> Any:
        return sorted(self.seen) if self.seen else MISSING

    def restore(self, snapshot: Any) -> Self:
        return type(self)(self.key, self.names, frozenset(() if snapshot is MISSING else snapshot))


class DeferredTrigger(Channel):
    """A deferred node's trigger: set by any write, it fires only once :meth:`finish`
    is called (the run would otherwise end); reset when the node has run.

    A write while it waits triggers nothing, so its update reports no change;
    a write after it finished makes it wait again, as LangGraph's
    ``LastValueAfterFinish`` does.
    """

    __slots__ = ("finished", "is_set")

    def __init__(self, key: str, is_set: bool = False, finished: bool = False) -> None:
        super().__init__(key)
        self.is_set = is_set
        self.finished = finished

    def update(self, values: Sequence[Any]) -> bool:
        if values:
            self.is_set, self.finished = True, False
        return False

    def get(self) -> Any:
        if not (self.is_set and self.finished):
            raise EmptyChannelError(self.key)
        return True

    def is_available(self) -> bool:
        return self.is_set and self.finished

    def finish(self) -> bool:
        if self.is_set and not self.finished:
            self.finished = True
            return True
        return False

    def consume(self) -> bool:
        if self.is_set and self.finished:
            self.is_set = self.finished = False
            return True
        return False

    def snapshot(self) -> Any:
        if not self.is_set:
            return MISSING
        return "finished" if self.finished else "waiting"

    def restore(self, snapshot: Any) -> Self:
        return type(self)(self.key, snapshot in ("finished", "waiting"), snapshot == "finished")


class DeferredJoinBarrier(JoinBarrier):
    """A join into a deferred node: complete, it still waits for :meth:`finish` to fire."""

    __slots__ = ("finished",)

    def __init__(
        self, key: str, names: frozenset[str], seen: frozenset[str] = frozenset(), finished: bool = False
    ) -> None:
        super().__init__(key, names, seen)
        self.finished = finished

    def update(self, values: Sequence[Any]) -> bool:
        super().update(values)
        if values:
            self.finished = False
        return False

    def get(self) -> Any:
        if not self.is_available():
            raise EmptyChannelError(self.key)
        return True

    def is_available(self) -> bool:
        return self.finished and self.seen >= self.names

    def finish(self) -> bool:
        if not self.finished and self.seen >= self.names:
            self.finished = True
            return True
        return False

    def consume(self) -> bool:
        if self.is_available():
            self.seen, self.finished = set(), False
            return True
        return False

    def snapshot(self) -> Any:
        return {"seen": sorted(self.seen), "finished": self.finished} if self.seen else MISSING

    def restore(self, snapshot: Any) -> Self:
        if snapshot is MISSING:
            return type(self)(self.key, self.names)
        return type(self)(self.key, self.names, frozenset(snapshot["seen"]), bool(snapshot["finished"]))


class InputChannel(LastValue):
    """Holds a run's input until the input node has read it."""

    __slots__ = ()

    def consume(self) -> bool:
        had, self.value = self.value is not MISSING, MISSING
        return had
