"""Seed 003, python block 12: ``astream`` in each stream mode, and two modes at once.

Set-up (not in the document): ``app``, ``state`` and ``config`` from
``seed_apps``. Each loop continues the same thread, as the block's shared
``config`` does. After each chunk a line (not in the document) names the mode
and the chunk's shape, so the output shows what each mode streams.
"""

import asyncio

from seed_apps import research_app, research_state, thread_config

app, state, config = research_app(), research_state(), thread_config()


async def main() -> None:
    # astream() with mode (different from astream_events)

    # Stream full state updates
    async for chunk in app.astream(state, config, stream_mode="values"):
        print(chunk)  # Full state after each node
        print("values ->", type(chunk).__name__, sorted(chunk))

    # Stream state deltas
    async for chunk in app.astream(state, config, stream_mode="updates"):
        print(chunk)  # Only changed fields
        print("updates ->", type(chunk).__name__, sorted(chunk))

    # Stream messages (for chat graphs)
    async for chunk in app.astream(state, config, stream_mode="messages"):
        print(chunk)  # Message objects
        print("messages ->", type(chunk).__name__, type(chunk[0]).__name__, chunk[1]["langgraph_node"])

    # Stream debug info
    async for chunk in app.astream(state, config, stream_mode="debug"):
        print(chunk)  # Detailed execution trace
        print("debug ->", type(chunk).__name__, chunk["type"])

    # Combine modes
    async for chunk in app.astream(state, config, stream_mode=["updates", "messages"]):
        print(chunk)
        print("combined ->", type(chunk).__name__, chunk[0])


asyncio.run(main())
