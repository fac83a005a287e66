"""Seed 003, python block 18: write each event to a database (bad), then hand it to a queue (good).

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``; ``db`` is an in-memory table with an async ``insert``. The
block defines ``consumer`` but never starts it; here it is started as an
asyncio task after the producer loop, drains the queue, and is cancelled.
``asyncio.Queue`` makes this an asyncio-only example.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


class Table:
    def __init__(self):
        self.rows = []

    async def insert(self, row):
        await asyncio.sleep(0)
        self.rows.append(row)


db = Table()


async def main() -> None:
    # BAD - Blocking database writes
    async for event in app.astream_events(state, config, version="v2"):
        await db.insert(event)  # Slows stream
    direct = len(db.rows)

    # GOOD - Queue for async processing
    from asyncio import Queue

    event_queue = Queue()

    async def consumer():
        while True:
            event = await event_queue.get()
            await db.insert(event)
            event_queue.task_done()

    # Producer
    async for event in app.astream_events(state, config, version="v2"):
        await event_queue.put(event)
        # Stream continues without blocking

    queued = event_queue.qsize()
    task = asyncio.create_task(consumer())
    await event_queue.join()
    task.cancel()
    print("direct", direct, "queued", queued, "rows", len(db.rows))


asyncio.run(main())
