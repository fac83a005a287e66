"""Seed 003, python block 16: process every event (bad), then filter early (good).

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``; ``expensive_operation`` and ``process_event`` count their calls.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()
calls = {"expensive_operation": 0, "process_event": 0}


def expensive_operation(event):
    calls["expensive_operation"] += 1


def process_event(event):
    calls["process_event"] += 1
    assert event["event"] in ("on_chat_model_stream", "on_chain_end")


async def main() -> None:
    # BAD - Process every event
    async for event in app.astream_events(state, config, version="v2"):
        expensive_operation(event)  # Called hundreds of times

    # GOOD - Filter early
    async for event in app.astream_events(state, config, version="v2"):
        if event["event"] not in ["on_chat_model_stream", "on_chain_end"]:
            continue
        process_event(event)

    print(calls)


asyncio.run(main())
