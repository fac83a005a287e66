"""Seed 004, python block 20: LLM tokens from a node, in ``messages`` mode, with a dataclass state.

``init_chat_model(model="openai:gpt-4o-mini")`` is replaced by a scripted fake.
"""

from dataclasses import dataclass
from seed_fakes import chat_model
from graphs import StateGraph, START
@dataclass
class MyState:
    topic: str
    joke: str = ""
llm = chat_model("Why did the ice cream truck break down? It had a rocky road.")
def call_model(state: MyState):
    """Call the LLM to generate a joke about a topic"""
    # highlight-next-line
    llm_response = llm.invoke( # (1)!
        [
            {"role": "user", "content": f"Generate a joke about {state.topic}"}
        ]
    )
    return {"joke": llm_response.content}
graph = (
    StateGraph(MyState)
    .add_node(call_model)
    .add_edge(START, "call_model")
    .compile()
)
for message_chunk, metadata in graph.stream( # (2)!
    {"topic": "ice cream"},
    # highlight-next-line
    stream_mode="messages",
):
    if message_chunk.content:
        print(message_chunk.content, end="|", flush=True)
