"""Seed 003, python block 11: tokens accumulated per event name.

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``. A model's stream events are named after the model (here
``summarizer`` and ``analyzer``), not after the node that calls it, so the
result is keyed by those names; the block's closing comment shows node names.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


async def main() -> None:
    llm_outputs = {}

    async for event in app.astream_events(state, config, version="v2"):
        if event["event"] == "on_chat_model_stream":
            node_name = event["name"]

            if node_name not in llm_outputs:
                llm_outputs[node_name] = ""

            chunk = event["data"]["chunk"]
            if chunk.content:
                llm_outputs[node_name] += chunk.content

    # Result: {"summarize_node": "...", "analyze_node": "..."}
    print(llm_outputs)


asyncio.run(main())
