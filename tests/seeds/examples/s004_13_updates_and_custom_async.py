"""Seed 004, python block 13: two modes at once, ``updates`` and ``custom`` (async).

Set-up (not in the document): ``graph`` is a one-node joke graph whose node
writes a custom status line, and ``inputs`` its input; the top-level
``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from typing import TypedDict
from graphs import START, StateGraph, get_stream_writer


class State(TypedDict):
    topic: str
    joke: str


def generate_joke(state: State):
    get_stream_writer()({"status": f"writing a joke about {state['topic']}"})
    return {"joke": f"This is a joke about {state['topic']}"}


graph = StateGraph(State).add_node(generate_joke).add_edge(START, "generate_joke").compile()
inputs = {"topic": "ice cream"}


async def main() -> None:
    async for mode, chunk in graph.astream(inputs, stream_mode=["updates", "custom"]):
        print(chunk)


asyncio.run(main())
