"""Seed 003, python block 5: only chat-model tokens.

Set-up (not in the document): ``app``, ``state`` and ``config`` from ``seed_apps``.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


async def main() -> None:
    # Only stream chat model tokens
    async for event in app.astream_events(state, config, version="v2"):
        if event["event"] == "on_chat_model_stream":
            content = event["data"]["chunk"].content
            if content:
                print(content, end="", flush=True)


asyncio.run(main())
