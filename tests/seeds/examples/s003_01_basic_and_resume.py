"""Seed 003, python block 1: stream a run's events, then resume the thread from its checkpoint with ``None``.

Set-up (not in the document): ``app`` is a one-node graph over ``{"input", "output"}``
with a checkpointer and an interrupt before ``process_node``, so the first run
stops at the checkpoint and the ``None`` run resumes from it; ``process_event``
prints each resumed event's kind. The top-level ``async for`` loops run inside
``asyncio.run(main())``.
"""

import asyncio
from typing import TypedDict

from graphs import START, InMemorySaver, StateGraph


class State(TypedDict):
    input: str
    output: str


def process_node(state: State) -> dict:
    return {"output": state["input"].upper()}


app = (
    StateGraph(State)
    .add_node("process_node", process_node)
    .add_edge(START, "process_node")
    .compile(checkpointer=InMemorySaver(), interrupt_before=["process_node"])
)


def process_event(event: dict) -> None:
    print(f"resumed {event['event']}: {event['name']}")


async def main() -> None:
    # Basic usage
    config = {"configurable": {"thread_id": "task-1"}}

    async for event in app.astream_events({"input": "data"}, config, version="v2"):
        kind = event["event"]
        name = event.get("name", "")
        data = event.get("data", {})

        print(f"{kind}: {name}")

    # With initial state from checkpoint
    async for event in app.astream_events(None, config, version="v2"):
        # Resume from checkpoint, stream events
        process_event(event)

    print((await app.aget_state(config)).values)


asyncio.run(main())
