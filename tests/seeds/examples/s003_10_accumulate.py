"""Seed 003, python block 10: accumulate the tokens, then print the whole response.

Set-up (not in the document): ``app``, ``state`` and ``config`` from ``seed_apps``.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


async def main() -> None:
    accumulated = ""

    async for event in app.astream_events(state, config, version="v2"):
        if event["event"] == "on_chat_model_stream":
            chunk = event["data"]["chunk"]
            if chunk.content:
                accumulated += chunk.content
                print(chunk.content, end="", flush=True)

    print(f"\n\nFull response: {accumulated}")


asyncio.run(main())
