"""Seed 003, python block 17: handle the events in batches of ten.

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``; ``process_batch`` prints each batch's size.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


async def process_batch(batch):
    print("batch of", len(batch))


async def main() -> None:
    batch = []
    batch_size = 10

    async for event in app.astream_events(state, config, version="v2"):
        batch.append(event)

        if len(batch) >= batch_size:
            await process_batch(batch)
            batch = []

    # Process remaining
    if batch:
        await process_batch(batch)


asyncio.run(main())
