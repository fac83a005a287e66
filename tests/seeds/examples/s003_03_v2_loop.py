"""Seed 003, python block 3: the basic ``version="v2"`` loop.

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``; ``process`` counts the events by kind and prints the counts.
"""

import asyncio
from collections import Counter

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()
counts: Counter = Counter()


def process(event: dict) -> None:
    counts[event["event"]] += 1


async def main() -> None:
    # Use version="v2" (v1 is deprecated, removed in LangGraph v1.0)
    async for event in app.astream_events(state, config, version="v2"):
        process(event)
    for kind, count in sorted(counts.items()):
        print(kind, count)


asyncio.run(main())
