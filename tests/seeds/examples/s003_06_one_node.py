"""Seed 003, python block 6: only the events named ``summarize_node``.

Set-up (not in the document): ``app``, ``state`` and ``config`` from ``seed_apps``.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


async def main() -> None:
    # Only events from specific node
    async for event in app.astream_events(state, config, version="v2"):
        if event.get("name") == "summarize_node":
            print(f"{event['event']}: {event['data']}")


asyncio.run(main())
