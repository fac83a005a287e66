"""Seed 003, python block 2: the shape of an event, compared with a real one.

The block is a dict literal describing an event's keys; here it is bound to
``documented`` and its keys are checked against ``process_node``'s
``on_chain_start`` event of a one-node graph (set-up not in the document).
"""

import asyncio
from typing import TypedDict

from graphs import START, StateGraph

documented = {
    "event": "on_chain_start",          # Event type
    "name": "process_node",             # Node/chain name
    "run_id": "uuid-string",            # Unique run identifier
    "tags": ["tag1", "tag2"],           # Tags from node
    "metadata": {},                     # Custom metadata
    "data": {                           # Event-specific data
        "input": {...}
    }
}


class State(TypedDict):
    input: str


app = StateGraph(State).add_node("process_node", lambda state: {}).add_edge(START, "process_node").compile()


async def main() -> None:
    async for event in app.astream_events({"input": "data"}, version="v2"):
        if event["event"] == documented["event"] and event["name"] == documented["name"]:
            print("documented keys:", sorted(documented))
            print("event keys:", sorted(event))
            print("missing:", sorted(set(documented) - set(event)))
            print("data keys:", sorted(event["data"]))


asyncio.run(main())
