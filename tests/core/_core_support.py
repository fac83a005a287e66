"""Graphs and helpers shared by the core behaviour tests."""

from __future__ import annotations

import operator
import re
from collections.abc import AsyncIterable
from typing import Annotated, Any, TypedDict

import trio

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def ns_segment(node: str) -> re.Pattern[str]:
    """A namespace segment ``"<node>:<task id>"``."""
    return re.compile(rf"^{re.escape(node)}:[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$")


class State(TypedDict):
    x: int
    items: Annotated[list, operator.add]


async def collect(stream: Any) -> list[Any]:
    """Every item of ``graph.astream(...)``, consumed in the structured form."""
    async with stream as items:
        return [item async for item in items]


async def collect_until_error(stream: Any) -> tuple[list[Any], BaseException]:
    """The items streamed before the stream raised, and what it raised."""
    got: list[Any] = []
    try:
        async with stream as items:
            async for item in items:
                got.append(item)
    except BaseException as error:  # noqa: BLE001 - the test inspects it
        return got, error
    raise AssertionError(f"the stream ended without an error after {got!r}")


def live_tasks() -> set[trio.lowlevel.Task]:
    """Every trio task alive in this run, system tasks included."""
    tasks: set[trio.lowlevel.Task] = set()

    def walk(task: trio.lowlevel.Task) -> None:
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                tasks.add(child)
                walk(child)

    walk(trio.lowlevel.current_root_task())
    return tasks


async def aiter_list(items: AsyncIterable[Any]) -> list[Any]:
    return [item async for item in items]
