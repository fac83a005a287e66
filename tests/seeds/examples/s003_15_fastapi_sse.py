"""Seed 003, python block 15: a FastAPI endpoint streaming a graph's events as server-sent events.

The block uses ``Request`` and ``json`` without importing them; the imports
are added. Set-up (not in the document): ``graph_app`` is a plain-data graph
(``json.dumps(event['data'])`` needs JSON-serialisable data); a client at the
end posts to the endpoint through httpx's ASGI transport on asyncio and prints
the SSE lines it reads.
"""

import asyncio
import json

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from typing import TypedDict

from graphs import START, InMemorySaver, StateGraph


class State(TypedDict):
    topic: str
    joke: str


def generate_joke(state: State) -> dict:
    return {"joke": f"This is a joke about {state['topic']}"}


graph_app = (
    StateGraph(State)
    .add_node("generate_joke", generate_joke)
    .add_edge(START, "generate_joke")
    .compile(checkpointer=InMemorySaver())
)

app_fastapi = FastAPI()

@app_fastapi.post("/workflow/stream")
async def workflow_sse(request: Request):
    data = await request.json()
    config = {"configurable": {"thread_id": data["thread_id"]}}

    async def event_generator():
        async for event in graph_app.astream_events(data["state"], config, version="v2"):
            # SSE format
            yield f"event: {event['event']}\n"
            yield f"data: {json.dumps(event['data'])}\n\n"

    return StreamingResponse(
        event_generator(),
        media_type="text/event-stream"
    )


# -- a client (not in the document) ---------------------------------------------------
async def main() -> None:
    transport = httpx.ASGITransport(app=app_fastapi)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = {"thread_id": "t1", "state": {"topic": "cats"}}
        async with client.stream("POST", "/workflow/stream", json=body) as response:
            print(response.headers["content-type"])
            async for line in response.aiter_lines():
                if line:
                    print(line)


asyncio.run(main())
