"""Seed 000, python block 3: print a graph's chat-model tokens as they stream, then a line at the end.

The block uses ``graph`` and ``input_data`` without defining them; the set-up
below (not in the document) is a one-node graph whose node calls a chat model.
The top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

from graphs import START, MessagesState, StateGraph
from seed_fakes import chat_model

# -- set-up (not in the document) ---------------------------------------------------
model = chat_model("Hello, how can I help you today?")


def call_model(state: MessagesState) -> dict:
    return {"messages": [model.invoke(state["messages"])]}


graph = StateGraph(MessagesState).add_node("chat_model", call_model).add_edge(START, "chat_model").compile()
input_data = {"messages": [("user", "hi")]}


# -- the document's block ------------------------------------------------------------
async def main() -> None:
    async for event in graph.astream_events(input_data, version="v2"):
        # 모델 출력 중간 스트림을 실시간으로 출력
        if event["event"] == "on_chat_model_stream":
            chunk = event["data"]["chunk"].content
            if chunk:
                print(chunk, end="", flush=True)

        # 전체 그래프 완료 시점
        elif event["event"] == "on_chain_end":
            print("\n[Graph execution completed]")


asyncio.run(main())
