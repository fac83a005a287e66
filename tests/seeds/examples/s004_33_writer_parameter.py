"""Seed 004, python block 33: an async node takes a ``writer: StreamWriter`` parameter; ``custom`` mode streams what it writes.

The block uses ``StateGraph`` and ``START`` from the page's earlier imports;
the import is added. The top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from typing import TypedDict
from graphs import START, StateGraph
from graphs import StreamWriter
class State(TypedDict):
      topic: str
      joke: str
# highlight-next-line
async def generate_joke(state: State, writer: StreamWriter): # (1)!
      writer({"custom_key": "Streaming custom data while generating a joke"})
      return {"joke": f"This is a joke about {state['topic']}"}
graph = (
      StateGraph(State)
      .add_node(generate_joke)
      .add_edge(START, "generate_joke")
      .compile()
)


async def main() -> None:
    async for chunk in graph.astream(
          {"topic": "ice cream"},
          # highlight-next-line
          stream_mode="custom", # (2)!
    ):
          print(chunk)


asyncio.run(main())
