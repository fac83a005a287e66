"""Seed 004, python blocks 28 and 29: a node runs a tool that streams an OpenAI client's tokens through ``custom`` mode.

``openai.AsyncOpenAI()`` is replaced by ``seed_fakes.FakeAsyncOpenAI`` (same
``chat.completions.create(stream=True)`` call, same chunk shape). Block 28
uses ``get_stream_writer`` without importing it; the import is added. Block
29's top-level ``async for`` runs inside ``asyncio.run(main())``.
"""

import asyncio

import operator
import json
from typing import TypedDict
from typing_extensions import Annotated
from graphs import StateGraph, START, get_stream_writer
from seed_fakes import FakeAsyncOpenAI
openai_client = FakeAsyncOpenAI("Pillow: soft support for sleep, Lamp: light for reading, Wardrobe: holds clothes.")
model_name = "gpt-4o-mini"
async def stream_tokens(model_name: str, messages: list[dict]):
    response = await openai_client.chat.completions.create(
        messages=messages, model=model_name, stream=True
    )
    role = None
    async for chunk in response:
        delta = chunk.choices[0].delta
        if delta.role is not None:
            role = delta.role
        if delta.content:
            yield {"role": role, "content": delta.content}
# this is our tool
async def get_items(place: str) -> str:
    """Use this tool to list items one might find in a place you're asked about."""
    writer = get_stream_writer()
    response = ""
    async for msg_chunk in stream_tokens(
        model_name,
        [
            {
                "role": "user",
                "content": (
                    "Can you tell me what kind of items "
                    f"i might find in the following place: '{place}'. "
                    "List at least 3 such items separating them by a comma. "
                    "And include a brief description of each item."
                ),
            }
        ],
    ):
        response += msg_chunk["content"]
        writer(msg_chunk)
    return response
class State(TypedDict):
    messages: Annotated[list[dict], operator.add]
# this is the tool-calling graph node
async def call_tool(state: State):
    ai_message = state["messages"][-1]
    tool_call = ai_message["tool_calls"][-1]
    function_name = tool_call["function"]["name"]
    if function_name != "get_items":
        raise ValueError(f"Tool {function_name} not supported")
    function_arguments = tool_call["function"]["arguments"]
    arguments = json.loads(function_arguments)
    function_response = await get_items(**arguments)
    tool_message = {
        "tool_call_id": tool_call["id"],
        "role": "tool",
        "name": function_name,
        "content": function_response,
    }
    return {"messages": [tool_message]}
graph = (
    StateGraph(State)
    .add_node(call_tool)
    .add_edge(START, "call_tool")
    .compile()
)

# block 29
inputs = {
    "messages": [
        {
            "content": None,
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "1",
                    "function": {
                        "arguments": '{"place":"bedroom"}',
                        "name": "get_items",
                    },
                    "type": "function",
                }
            ],
        }
    ]
}


async def main() -> None:
    async for chunk in graph.astream(
        inputs,
        stream_mode="custom",
    ):
        print(chunk["content"], end="|", flush=True)


asyncio.run(main())
