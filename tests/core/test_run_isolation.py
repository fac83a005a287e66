"""Runs of one compiled graph share nothing mutable."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graphs import START, StateGraph


class Notes(TypedDict):
    notes: Annotated[list[str], operator.add]


async def test_reducer_default_is_fresh_for_every_run() -> None:
    def scribble(state: Notes) -> dict[str, Any]:
        # Bad practice, but common: mutating the input in place must stay in this run.
        state["notes"].append("scribbled")
        return {"notes": ["written"]}

    graph = StateGraph(Notes)
    graph.add_node(scribble)
    graph.add_edge(START, "scribble")
    app = graph.compile()

    first = await app.ainvoke({})
    second = await app.ainvoke({})

    assert first == {"notes": ["written"]}
    assert second == {"notes": ["written"]}
