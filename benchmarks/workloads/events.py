"""``astream_events(version="v2")`` throughput over the 20,000-token fake chat model graph.

The same one-node graph as the ``messages`` workload, consumed through
``astream_events``: every run (graph, node, chat model) reports start and end,
and every token an ``on_chat_model_stream`` event, each a dict carrying run id,
parent ids, tags and metadata. The consumer reads all ~20,000 events. The
figure is the callback -> event pipeline's cost per event; the sides must
produce the same events (same kinds, same names, same counts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import sides
from .messages import WORDS, build_graph

__all__ = ["workload", "build"]

TARGET = Target(0.1)


def build(api: GraphApi, words: int) -> Callable[[], Awaitable[list[tuple[tuple[str, str], int]]]]:
    compiled = build_graph(api, words)
    question = api.HumanMessage("hi")

    async def run() -> list[tuple[tuple[str, str], int]]:
        kinds: Counter[tuple[str, str]] = Counter()
        async with api.safely(compiled.astream_events({"messages": [question]}, version="v2")) as events:
            async for event in events:
                kinds[event["event"], event["name"]] += 1
        return sorted(kinds.items())

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    words = 100 if quick else WORDS
    name = f"events_v2_{2 * words}_tokens"
    cases = (Case(name, sides(lambda api: build(api, words), langgraph)),)

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        return compare(measured, name, TARGET, note=lambda t, lg: f"~{2 * words / t / 1e3:.0f} k events/s" + (
            f" vs ~{2 * words / lg / 1e3:.0f} k" if lg else ""
        ))

    return Workload("events", "astream_events(v2) events/s over the 20,000-token fake model graph", cases, rows)
