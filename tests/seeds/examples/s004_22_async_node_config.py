"""Seed 004, python block 22: an async node calls two tagged models, passing its ``config``; keep the joke's tokens.

``init_chat_model(..., tags=[...])`` is replaced by scripted fakes with the same
tags. The top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from typing import TypedDict
from seed_fakes import chat_model
from graphs import START, StateGraph
joke_model = chat_model("Cats sit on keyboards to keep an eye on the mouse.", tags=["joke"]) # (1)!
poem_model = chat_model("Soft paws at dawn, a purr that fills the room.", tags=["poem"]) # (2)!
class State(TypedDict):
      topic: str
      joke: str
      poem: str
async def call_model(state, config):
      topic = state["topic"]
      print("Writing joke...")
      # Note: Passing the config through explicitly is required for python < 3.11
      # Since context var support wasn't added before then: https://docs.python.org/3/library/asyncio-task.html#creating-tasks
      joke_response = await joke_model.ainvoke(
            [{"role": "user", "content": f"Write a joke about {topic}"}],
            config, # (3)!
      )
      print("\n\nWriting poem...")
      poem_response = await poem_model.ainvoke(
            [{"role": "user", "content": f"Write a short poem about {topic}"}],
            config, # (3)!
      )
      return {"joke": joke_response.content, "poem": poem_response.content}
graph = (
      StateGraph(State)
      .add_node(call_model)
      .add_edge(START, "call_model")
      .compile()
)


async def main() -> None:
    async for msg, metadata in graph.astream(
          {"topic": "cats"},
          # highlight-next-line
          stream_mode="messages", # (4)!
    ):
        if metadata["tags"] == ["joke"]: # (4)!
            print(msg.content, end="|", flush=True)


asyncio.run(main())
