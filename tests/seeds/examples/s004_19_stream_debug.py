"""Seed 004, python block 19 (with block 14's graph): stream the joke graph in ``debug`` mode."""

from typing import TypedDict
from graphs import StateGraph, START, END
class State(TypedDict):
    topic: str
    joke: str
def refine_topic(state: State):
    return {"topic": state["topic"] + " and cats"}
def generate_joke(state: State):
    return {"joke": f"This is a joke about {state['topic']}"}
graph = (
    StateGraph(State)
    .add_node(refine_topic)
    .add_node(generate_joke)
    .add_edge(START, "refine_topic")
    .add_edge("refine_topic", "generate_joke")
    .add_edge("generate_joke", END)
    .compile()
)

for chunk in graph.stream(
    {"topic": "ice cream"},
    # highlight-next-line
    stream_mode="debug",
):
    print(chunk)
