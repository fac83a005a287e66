"""Seed 004, python block 11: the two-node joke graph streamed in ``updates`` mode.

The document's output listing is the TypeScript version's (camelCase node
names); in Python the nodes are named after the functions.
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
# highlight-next-line
for chunk in graph.stream( # (1)!
    {"topic": "ice cream"},
    # highlight-next-line
    stream_mode="updates", # (2)!
):
    print(chunk)
