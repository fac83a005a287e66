"""Seed 004, python block 10: a graph streamed in ``updates`` mode (async).

Set-up (not in the document): ``graph`` is block 11's joke graph and
``inputs`` its input; the top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from typing import TypedDict
from graphs import StateGraph, START, END
class State(TypedDict):
    topic: str
    joke: str
def refine_topic(state: State):
    return {"topic": state["topic"] + " and cats"}
def generate_joke(state: State):
    return {"joke": f"This is a joke about {state['topic']}"}
graph = (
    StateGraph(State)
    .add_node(refine_topic)
    .add_node(generate_joke)
    .add_edge(START, "refine_topic")
    .add_edge("refine_topic", "generate_joke")
    .add_edge("generate_joke", END)
    .compile()
)
inputs = {"topic": "ice cream"}


async def main() -> None:
    async for chunk in graph.astream(inputs, stream_mode="updates"):
        print(chunk)


asyncio.run(main())
