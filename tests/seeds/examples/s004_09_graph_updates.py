"""Seed 004, python block 9: a graph streamed in ``updates`` mode (sync).

Set-up (not in the document): ``graph`` is block 11's joke graph and
``inputs`` its input.
"""

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
inputs = {"topic": "ice cream"}

for chunk in graph.stream(inputs, stream_mode="updates"):
    print(chunk)
