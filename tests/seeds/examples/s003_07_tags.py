"""Seed 003, python block 7: tag a node, then keep the events carrying the tag.

``add_node(..., tags=[...])`` is not LangGraph's API (LangGraph 1.2 ignores the
keyword and no event carries the tag; Tributary refuses unknown keywords). The
way that works in both is to tag the node's runnable:
``RunnableLambda(process_fn).with_config(tags=["critical"])``. Set-up (not in
the document): ``MyState``, ``process_fn``, ``log_critical_event``, and ``app``
compiled from ``graph``.
"""

import asyncio
from typing import TypedDict

from graphs import START, StateGraph
from runtime.runnables import RunnableLambda


class MyState(TypedDict):
    value: int


def process_fn(state: MyState) -> dict:
    return {"value": state["value"] + 1}


def log_critical_event(event: dict) -> None:
    print(f"critical {event['event']}: {event['name']}")


# Add tags to nodes
graph = StateGraph(MyState)
graph.add_node("process", RunnableLambda(process_fn).with_config(tags=["critical"]))
app = graph.add_edge(START, "process").compile()
state, config = {"value": 1}, {}


async def main() -> None:
    # Filter by tags
    async for event in app.astream_events(state, config, version="v2"):
        if "critical" in event.get("tags", []):
            log_critical_event(event)


asyncio.run(main())
