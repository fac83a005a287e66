"""Seed 003, python block 9: a node calls a streaming model with ``invoke``; its tokens still stream as events.

ChatOpenAI(model="gpt-4", streaming=True) is replaced by a scripted fake. Set-up
(not in the document): ``app`` is a graph over ``MessagesState`` with
``chat_node`` as its only node; ``state`` and ``config``.
"""

import asyncio

from graphs import START, InMemorySaver, MessagesState, StateGraph
from seed_fakes import chat_model

# Model must support streaming
llm = chat_model("Streaming happens automatically, token by token.")


def chat_node(state):
    messages = state["messages"]
    response = llm.invoke(messages)  # Streaming happens automatically
    return {"messages": messages + [response]}


app = (
    StateGraph(MessagesState)
    .add_node("chat_node", chat_node)
    .add_edge(START, "chat_node")
    .compile(checkpointer=InMemorySaver())
)
state = {"messages": [("user", "hello")]}
config = {"configurable": {"thread_id": "task-1"}}


async def main() -> None:
    # Stream tokens
    async for event in app.astream_events(state, config, version="v2"):
        if event["event"] == "on_chat_model_stream":
            chunk = event["data"]["chunk"]
            if hasattr(chunk, "content") and chunk.content:
                print(chunk.content, end="", flush=True)
    print()
    print(len((await app.aget_state(config)).values["messages"]))


asyncio.run(main())
