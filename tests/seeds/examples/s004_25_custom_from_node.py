"""Seed 004, python block 25: a node writes custom data with ``get_stream_writer()``; ``custom`` mode streams it."""

from typing import TypedDict
from graphs import get_stream_writer
from graphs import StateGraph, START
class State(TypedDict):
    query: str
    answer: str
def node(state: State):
    writer = get_stream_writer()  # (1)!
    writer({"custom_key": "Generating custom data inside node"}) # (2)!
    return {"answer": "some data"}
graph = (
    StateGraph(State)
    .add_node(node)
    .add_edge(START, "node")
    .compile()
)
inputs = {"query": "example"}
# Usage
for chunk in graph.stream(inputs, stream_mode="custom"):  # (3)!
    print(chunk)
