"""Seed 001, python blocks 13, 14 and 15: a chat model's ``astream_events(version="v1")``; the first three and last two events.

``model`` (block 2) is a scripted fake. Blocks 14 and 15 are notebook cells
showing ``events[:3]`` and ``events[-2:]``; here each event's kind and name are printed.
"""

import asyncio

from seed_fakes import chat_model

model = chat_model("Hello! How can I help?")


async def main() -> None:
    events = []
    async for event in model.astream_events("hello", version="v1"):
        events.append(event)

    # block 14
    for event in events[:3]:
        print(event["event"], event["name"], event["data"])

    # block 15
    for event in events[-2:]:
        print(event["event"], event["name"], event["data"])


asyncio.run(main())
