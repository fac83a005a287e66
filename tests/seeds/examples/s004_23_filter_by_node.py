"""Seed 004, python block 23: keep the tokens streamed from one node (``langgraph_node``).

Set-up (not in the document): ``graph`` has two nodes that call models,
``some_node_name`` and ``other_node``; ``inputs`` is its input. The block's
body is ``...``; a line after it (not in the document) collects what it
selects, so the output shows which tokens pass the filter.
"""

from typing import TypedDict

from graphs import START, StateGraph
from seed_fakes import chat_model

model = chat_model("Tokens from the chosen node.", "Tokens from elsewhere.")


class State(TypedDict):
    topic: str
    chosen: str
    other: str


def some_node_name(state: State) -> dict:
    return {"chosen": model.invoke(state["topic"]).content}


def other_node(state: State) -> dict:
    return {"other": model.invoke(state["topic"]).content}


graph = (
    StateGraph(State)
    .add_node(some_node_name)
    .add_node(other_node)
    .add_edge(START, "some_node_name")
    .add_edge("some_node_name", "other_node")
    .compile()
)
inputs = {"topic": "anything"}
selected = []

for msg, metadata in graph.stream( # (1)!
    inputs,
    # highlight-next-line
    stream_mode="messages",
):
    # highlight-next-line
    if msg.content and metadata["langgraph_node"] == "some_node_name": # (2)!
        ...
        selected.append(msg.content)

print("".join(selected))
