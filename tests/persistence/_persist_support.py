"""Graphs and helpers shared by the persistence tests."""

from __future__ import annotations

import operator
import re
from typing import Annotated, Any, TypedDict

from graphs import START, StateGraph

HEX32 = re.compile(r"^[0-9a-f]{32}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class State(TypedDict):
    x: int
    log: Annotated[list, operator.add]


def thread(name: str = "t1", **configurable: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": name, **configurable}}


def appender(name: str, calls: dict[str, int] | None = None) -> Any:
    """A sync node that appends its name to ``log`` (and counts its runs in ``calls``)."""

    def node(state: State) -> dict[str, Any]:
        if calls is not None:
            calls[name] = calls.get(name, 0) + 1
        return {"log": [name]}

    node.__name__ = name
    return node


def chain(*names: str, calls: dict[str, int] | None = None) -> StateGraph:
    """``START -> names[0] -> ... -> names[-1]``, each node appending its name."""
    graph = StateGraph(State)
    graph.add_sequence([appender(name, calls) for name in names])
    graph.add_edge(START, names[0])
    return graph


def steps(history: Any) -> list[int]:
    """The ``step`` of each snapshot, oldest first."""
    return [snapshot.metadata["step"] for snapshot in reversed(list(history))]


def checkpoint_id(config: dict[str, Any]) -> str:
    return config["configurable"]["checkpoint_id"]


async def collect(stream: Any) -> list[Any]:
    async with stream as items:
        return [item async for item in items]
