"""Seed 004, python block 27: a node streams an arbitrary client's chunks through ``custom`` mode.

Set-up (not in the document): ``State`` and ``your_custom_streaming_client``
(a generator of word chunks); the graph gets the edge from ``START`` that the
block leaves to "Add other nodes and edges as needed" (LangGraph refuses a
graph without an entry point).
"""

from typing import TypedDict

from graphs import START, StateGraph


class State(TypedDict):
    topic: str
    result: str


def your_custom_streaming_client(topic):
    yield from ["Cats ", "are ", f"great ({topic})."]


from graphs import get_stream_writer
def call_arbitrary_model(state):
    """Example node that calls an arbitrary model and streams the output"""
    # highlight-next-line
    writer = get_stream_writer() # (1)!
    # Assume you have a streaming client that yields chunks
    for chunk in your_custom_streaming_client(state["topic"]): # (2)!
        # highlight-next-line
        writer({"custom_llm_chunk": chunk}) # (3)!
    return {"result": "completed"}
graph = (
    StateGraph(State)
    .add_node(call_arbitrary_model)
    # Add other nodes and edges as needed
    .add_edge(START, "call_arbitrary_model")
    .compile()
)
for chunk in graph.stream(
    {"topic": "cats"},
    # highlight-next-line
    stream_mode="custom", # (4)!
):
    # The chunk will contain the custom data streamed from the llm
    print(chunk)
