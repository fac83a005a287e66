"""Seed 004, python block 21: keep the tokens of the model tagged ``joke``.

``init_chat_model(..., tags=[...])`` is replaced by scripted fakes with the same
tags. The block's ``graph = ...`` ("define a graph that uses these LLMs") is
filled in: one async node calls both models (set-up, not in the document). The
top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio
from typing import TypedDict

from graphs import START, StateGraph
from seed_fakes import chat_model

llm_1 = chat_model("Cats sit on keyboards to keep an eye on the mouse.", tags=['joke']) # (1)!
llm_2 = chat_model("Soft paws at dawn, a purr that fills the room.", tags=['poem']) # (2)!


class State(TypedDict):
    topic: str
    joke: str
    poem: str


async def call_model(state: State) -> dict:
    joke = await llm_1.ainvoke(f"Write a joke about {state['topic']}")
    poem = await llm_2.ainvoke(f"Write a poem about {state['topic']}")
    return {"joke": joke.content, "poem": poem.content}


graph = StateGraph(State).add_node(call_model).add_edge(START, "call_model").compile()


async def main() -> None:
    async for msg, metadata in graph.astream(  # (3)!
        {"topic": "cats"},
        # highlight-next-line
        stream_mode="messages",
    ):
        if metadata["tags"] == ["joke"]: # (4)!
            print(msg.content, end="|", flush=True)


asyncio.run(main())
