"""Seed 004, python block 31: ``ChatOpenAI(model="o1-preview", disable_streaming=True)``.

ChatOpenAI is replaced by a scripted fake taking the same ``disable_streaming`` option. Lines after
the block (not in the document) show the effect inside a graph: in
``messages`` mode the node's reply arrives as one message, not token by token.
"""

from typing import TypedDict

from graphs import START, StateGraph
from seed_fakes import chat_model

llm = chat_model("A considered answer, all at once.", disable_streaming=True) # (1)!


class State(TypedDict):
    question: str
    answer: str


def answer(state: State) -> dict:
    return {"answer": llm.invoke(state["question"]).content}


graph = StateGraph(State).add_node(answer).add_edge(START, "answer").compile()
print([msg.content for msg, _ in graph.stream({"question": "why?"}, stream_mode="messages")])
