"""Seed 004, python block 32: an async node passes its ``config`` to the model; tokens stream in ``messages`` mode.

``init_chat_model(model="openai:gpt-4o-mini")`` is replaced by a scripted fake.
The top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from typing import TypedDict
from graphs import START, StateGraph
from seed_fakes import chat_model
llm = chat_model("Why did the ice cream go to school? To get a sundae education.")
class State(TypedDict):
    topic: str
    joke: str
async def call_model(state, config): # (1)!
    topic = state["topic"]
    print("Generating joke...")
    joke_response = await llm.ainvoke(
        [{"role": "user", "content": f"Write a joke about {topic}"}],
        # highlight-next-line
        config, # (2)!
    )
    return {"joke": joke_response.content}
graph = (
    StateGraph(State)
    .add_node(call_model)
    .add_edge(START, "call_model")
    .compile()
)


async def main() -> None:
    async for chunk, metadata in graph.astream(
        {"topic": "ice cream"},
        # highlight-next-line
        stream_mode="messages", # (3)!
    ):
        if chunk.content:
            print(chunk.content, end="|", flush=True)


asyncio.run(main())
