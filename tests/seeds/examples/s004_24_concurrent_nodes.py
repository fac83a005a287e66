"""Seed 004, python block 24: two nodes call one model concurrently; keep ``write_poem``'s tokens.

``ChatOpenAI(model="gpt-4o-mini")`` is replaced by a scripted fake that
answers a poem prompt with a poem and a joke prompt with a joke.
"""

from typing import TypedDict
from graphs import START, StateGraph
from runtime.messages import AIMessage
from runtime.models import GenericFakeChatModel


class _JokeOrPoem(GenericFakeChatModel):
    """Answers with a poem when asked for one, else with a joke, streamed word by word (stands in for ChatOpenAI)."""

    async def _agenerate(self, messages, stop=None, **kwargs):
        asked = messages[-1].content
        if "poem" in asked:
            return AIMessage("Whiskers in moonlight, soft paws on the sill.")
        return AIMessage("Why was the cat sitting on the computer? To keep an eye on the mouse!")


model = _JokeOrPoem(messages=iter([]))
class State(TypedDict):
      topic: str
      joke: str
      poem: str
def write_joke(state: State):
      topic = state["topic"]
      joke_response = model.invoke(
            [{"role": "user", "content": f"Write a joke about {topic}"}]
      )
      return {"joke": joke_response.content}
def write_poem(state: State):
      topic = state["topic"]
      poem_response = model.invoke(
            [{"role": "user", "content": f"Write a short poem about {topic}"}]
      )
      return {"poem": poem_response.content}
graph = (
      StateGraph(State)
      .add_node(write_joke)
      .add_node(write_poem)
      # write both the joke and the poem concurrently
      .add_edge(START, "write_joke")
      .add_edge(START, "write_poem")
      .compile()
)
# highlight-next-line
for msg, metadata in graph.stream( # (1)!
    {"topic": "cats"},
    stream_mode="messages",
):
    # highlight-next-line
    if msg.content and metadata["langgraph_node"] == "write_poem": # (2)!
        print(msg.content, end="|", flush=True)
