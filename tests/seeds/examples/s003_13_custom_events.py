"""Seed 003, python block 13: a node emits progress through a stream writer; ``custom`` mode streams it.

The block takes the writer from ``config["streamWriter"]`` and calls
``writer("custom", data)``, which is LangGraph.js's API: in Python (LangGraph
1.2 and Tributary) the node gets the writer from ``get_stream_writer()`` (or
a ``writer`` parameter) and calls ``writer(data)``. Those two lines are
ported so; the rest is the block's. Set-up (not in the document): ``do_work``,
``app`` built around ``custom_node``, ``state`` and ``config``.
"""

import asyncio
from typing import TypedDict

from graphs import START, StateGraph, get_stream_writer


def do_work():
    return "done"


def custom_node(state, config):
    # Get stream writer
    from graphs import StreamWriter
    writer: StreamWriter = get_stream_writer()

    # Emit custom event
    writer({
        "progress": 0.5,
        "status": "Processing...",
        "metadata": {"items": 10}
    })

    result = do_work()

    writer({
        "progress": 1.0,
        "status": "Complete"
    })

    return {"result": result}


class State(TypedDict):
    task: str
    result: str


app = StateGraph(State).add_node("custom_node", custom_node).add_edge(START, "custom_node").compile()
state, config = {"task": "work"}, {}


async def main() -> None:
    # Stream custom events
    async for chunk in app.astream(state, config, stream_mode="custom"):
        print(chunk)  # Your custom data

    # Combine with other modes
    async for chunk in app.astream(state, config, stream_mode=["updates", "custom"]):
        if chunk[0] == "custom":
            print(f"Progress: {chunk[1]['progress']}")


asyncio.run(main())
