"""Seed 004, python block 4: an agent streamed in ``messages`` mode (async).

The agent's model ("anthropic:claude-3-7-sonnet-latest") is a scripted fake
that calls ``get_weather`` once and then answers. ``get_weather`` is block 5's tool without the writer (set-up); the top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from graphs import create_react_agent
from seed_fakes import weather_agent_model


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


agent = create_react_agent(
    model=weather_agent_model(),
    tools=[get_weather],
)


async def main() -> None:
    # highlight-next-line
    async for token, metadata in agent.astream(
        {"messages": [{"role": "user", "content": "what is the weather in sf"}]},
        # highlight-next-line
        stream_mode="messages"
    ):
        print("Token", token)
        print("Metadata", metadata)
        print("\n")


asyncio.run(main())
