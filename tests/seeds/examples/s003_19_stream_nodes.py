"""Seed 003, python block 19: keep only the events whose name mentions one of the streaming nodes.

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``; ``process_event`` prints the event's kind and name.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


def process_event(event):
    print(event["event"], event["name"])


async def main() -> None:
    # Only stream for specific node types
    STREAM_NODES = {"llm_node", "summarize_node"}

    async for event in app.astream_events(state, config, version="v2"):
        name = event.get("name", "")
        if not any(n in name for n in STREAM_NODES):
            continue

        # Only process events from specified nodes
        process_event(event)


asyncio.run(main())
