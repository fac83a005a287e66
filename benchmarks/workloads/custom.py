"""Custom-mode throughput: one async node writes N small dicts with the stream writer.

The node calls ``writer({"i": i})`` N times between two awaits — the code a
LangGraph user writes — and the consumer reads every chunk of
``stream_mode="custom"``. The figure is the stream path's cost per chunk:
writer, multiplexer, projection, consumer iteration.

The floor is the fastest a trio program can move the same dicts from one task
to another: a memory channel of the stream buffer's size, ``send_nowait``
(awaiting ``send`` only when full) and a consumer that drains with
``receive_nowait`` until ``WouldBlock`` before it awaits ``receive()``.
Tributary's throughput is reported as a fraction of that floor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypedDict

import trio

from runtime.core.stream import DEFAULT_STREAM_BUFFER

from ..apis import GraphApi
from ..model import Case, Measured, Row, Side, Target, Workload, compare
from ._common import micros, sides

__all__ = ["workload", "build", "floor"]

TARGET = Target(0.25)
FLOOR_TARGET = Target(0.5, at_least=True)
FLOOR = "trio floor"


class Empty(TypedDict):
    done: bool


def build(api: GraphApi, size: int) -> Callable[[], Awaitable[int]]:
    async def write(state: Empty) -> dict[str, Any]:
        writer = api.get_stream_writer()
        for i in range(size):
            writer({"i": i})
        return {"done": True}

    graph = api.StateGraph(Empty)
    graph.add_node("write", write)
    graph.add_edge(api.START, "write")
    graph.add_edge("write", api.END)
    compiled = graph.compile()

    async def run() -> int:
        count = 0
        async with api.safely(compiled.astream({"done": False}, stream_mode="custom")) as stream:
            async for _chunk in stream:
                count += 1
        return count

    return run


def floor(size: int) -> Callable[[], Awaitable[int]]:
    """The raw trio floor for moving ``size`` dicts between two tasks."""

    async def produce(send: trio.MemorySendChannel[dict[str, int]]) -> None:
        async with send:
            for i in range(size):
                item = {"i": i}
                try:
                    send.send_nowait(item)
                except trio.WouldBlock:
                    await send.send(item)

    async def run() -> int:
        send, receive = trio.open_memory_channel[dict[str, int]](DEFAULT_STREAM_BUFFER)
        count = 0
        async with trio.open_nursery() as nursery:
            nursery.start_soon(produce, send)
            async with receive:
                while True:
                    try:
                        receive.receive_nowait()
                    except trio.WouldBlock:
                        try:
                            await receive.receive()
                        except trio.EndOfChannel:
                            break
                    except trio.EndOfChannel:
                        break
                    count += 1
        return count

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    size = 1000 if quick else 100_000
    name = f"custom_{size}"
    case = Case(name, (*sides(lambda api: build(api, size), langgraph), Side(FLOOR, "trio", floor(size))))

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        if name not in measured:
            return []
        out = compare(
            measured, name, TARGET,
            note=lambda t, lg: f"per chunk {micros(t / size)}" + (f" vs {micros(lg / size)}" if lg else ""),
        )
        tributary, lowest = measured[name].median("Tributary"), measured[name].median(FLOOR)
        assert tributary is not None and lowest is not None
        out.append(
            Row(
                f"{name}_vs_floor", size / tributary, size / lowest, FLOOR, "chunks/s", FLOOR_TARGET,
                "throughput as a fraction of the floor's",
            )
        )
        return out

    return Workload("custom", "one node writing 100,000 custom chunks, against the raw trio floor", (case,), rows)
