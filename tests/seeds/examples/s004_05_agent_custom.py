"""Seed 004, python block 5: a tool writes custom data; the agent streams it in ``custom`` mode (sync).

The agent's model ("anthropic:claude-3-7-sonnet-latest") is a scripted fake
that calls ``get_weather`` once and then answers.
"""

from graphs import create_react_agent
from seed_fakes import weather_agent_model

# highlight-next-line
from graphs import get_stream_writer
def get_weather(city: str) -> str:
    """Get weather for a given city."""
    # highlight-next-line
    writer = get_stream_writer()
    # stream any arbitrary data
    # highlight-next-line
    writer(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"
agent = create_react_agent(
    model=weather_agent_model(),
    tools=[get_weather],
)
for chunk in agent.stream(
    {"messages": [{"role": "user", "content": "what is the weather in sf"}]},
    # highlight-next-line
    stream_mode="custom"
):
    print(chunk)
    print("\n")
