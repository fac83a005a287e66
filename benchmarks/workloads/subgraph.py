"""``Send`` fan-out of 100 into a 3-node subgraph, streamed with ``stream_mode="updates", subgraphs=True``.

LangGraph's ``fanout_to_subgraph`` benchmark: each ``Send`` runs a compiled
subgraph (``edit`` -> ``generate`` -> ``bump``, ``bump`` looping on itself until
the joke ends in ten " a"), so one run is 100 nested graph runs of a dozen
steps each, and every step of every subgraph streams an update that reaches
the root consumer with its namespace. It measures subgraph start-up, nested
steps, and the multiplexed stream together. The consumer reads every chunk.
"""

from __future__ import annotations

import operator
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, TypedDict

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import sides

__all__ = ["workload", "build"]

TARGET = Target(0.1)
BUMPS = 10


class OverallState(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]


class JokeInput(TypedDict):
    subject: str


class JokeOutput(TypedDict):
    jokes: list[str]


class JokeState(JokeInput, JokeOutput):
    pass


async def _edit(state: JokeInput) -> dict[str, Any]:
    return {"subject": f"{state['subject']} - hohoho"}


async def _generate(state: JokeInput) -> dict[str, Any]:
    return {"jokes": [f"Joke about {state['subject']}"]}


async def _bump(state: JokeOutput) -> dict[str, Any]:
    return {"jokes": [state["jokes"][0] + " a"]}


def build(api: GraphApi, size: int) -> Callable[[], Awaitable[tuple[int, int]]]:
    async def bump_loop(state: JokeOutput) -> str:
        return api.END if state["jokes"][0].endswith(" a" * BUMPS) else "bump"  # type: ignore[no-any-return]

    async def continue_to_jokes(state: OverallState) -> list[Any]:
        return [api.Send("generate_joke", {"subject": s}) for s in state["subjects"]]

    sub = api.StateGraph(JokeState, input_schema=JokeInput, output_schema=JokeOutput)
    sub.add_node("edit", _edit)
    sub.add_node("generate", _generate)
    sub.add_node("bump", _bump)
    sub.set_entry_point("edit")
    sub.add_edge("edit", "generate")
    sub.add_edge("generate", "bump")
    sub.add_conditional_edges("bump", bump_loop)
    sub.set_finish_point("generate")

    graph = api.StateGraph(OverallState)
    graph.add_node("generate_joke", sub.compile())
    graph.add_conditional_edges(api.START, continue_to_jokes)
    graph.add_edge("generate_joke", api.END)
    compiled = graph.compile()
    subjects = [f"subject {i}" for i in range(size)]

    async def run() -> tuple[int, int]:
        chunks = root = 0
        async with api.safely(
            compiled.astream({"subjects": subjects, "jokes": []}, stream_mode="updates", subgraphs=True)
        ) as stream:
            async for namespace, _update in stream:
                chunks += 1
                root += not namespace
        return chunks, root

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    size = 5 if quick else 100
    name = f"subgraph_fanout_{size}"
    cases = (Case(name, sides(lambda api: build(api, size), langgraph)),)

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        return compare(measured, name, TARGET)

    return Workload(
        "subgraph_fanout", "Send fan-out of 100 into a 3-node subgraph, updates + subgraphs=True", cases, rows
    )
