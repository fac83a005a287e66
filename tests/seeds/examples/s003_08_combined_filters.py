"""Seed 003, python block 8: model tokens from the model whose name contains ``analyzer``.

Set-up (not in the document): ``app``, ``state`` and ``config`` from ``seed_apps``
(its second model is named ``analyzer``); ``process_chunk`` prints each chunk's text.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


def process_chunk(chunk) -> None:
    print(chunk.content, end="|")


async def main() -> None:
    # Combine filters
    async for event in app.astream_events(state, config, version="v2"):
        kind = event["event"]
        name = event.get("name", "")

        # Only LLM streaming from specific node
        if kind == "on_chat_model_stream" and "analyzer" in name:
            process_chunk(event["data"]["chunk"])


asyncio.run(main())
