"""Seed 003, python block 4: dispatch on the event kind with ``match``.

Set-up (not in the document): ``app`` is a ReAct agent whose scripted model
calls a weather tool once and then answers, so chains, a tool and model
tokens all show up.
"""

import asyncio

from graphs import InMemorySaver, create_react_agent
from seed_fakes import weather_agent_model


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


app = create_react_agent(weather_agent_model(), [get_weather], checkpointer=InMemorySaver())
state = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}
config = {"configurable": {"thread_id": "task-1"}}


async def main() -> None:
    async for event in app.astream_events(state, config, version="v2"):
        match event["event"]:
            case "on_chain_start":
                print(f"Starting {event['name']}")

            case "on_chain_end":
                output = event["data"]["output"]
                print(f"Finished {event['name']}: {output}")

            case "on_chain_error":
                error = event["data"]["error"]
                print(f"Error in {event['name']}: {error}")

            case "on_chat_model_stream":
                chunk = event["data"]["chunk"]
                print(chunk.content, end="", flush=True)

            case "on_tool_start":
                tool = event["name"]
                args = event["data"]["input"]
                print(f"Calling tool {tool} with {args}")


asyncio.run(main())
