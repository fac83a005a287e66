"""Seed 003, python block 14: a FastAPI WebSocket endpoint streaming a graph's events to the client.

Set-up (not in the document): ``graph_app`` is a plain-data graph (its
events' data is JSON-serialisable, which ``send_json`` needs); the client
half at the end connects with Starlette's ``TestClient``, sends the state and
prints the event types it receives. ``TestClient`` runs the app on an asyncio
loop, so this example needs the async API hosted on asyncio.
"""

from typing import TypedDict

from fastapi import FastAPI, WebSocket
from fastapi.testclient import TestClient
import json

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

@app_fastapi.websocket("/ws/workflow")
async def workflow_stream(websocket: WebSocket):
    await websocket.accept()

    # Get config from client
    data = await websocket.receive_json()
    config = {"configurable": {"thread_id": data["thread_id"]}}

    # Stream events to client
    async for event in graph_app.astream_events(data["state"], config, version="v2"):
        await websocket.send_json({
            "type": event["event"],
            "name": event.get("name"),
            "data": event.get("data")
        })

    await websocket.close()


# -- a client (not in the document) ---------------------------------------------------
with TestClient(app_fastapi) as client, client.websocket_connect("/ws/workflow") as websocket:
    websocket.send_json({"thread_id": "t1", "state": {"topic": "cats"}})
    while True:
        try:
            message = websocket.receive_json()
        except Exception:  # the server closed the socket: the stream is over
            break
        print(message["type"], message["name"], json.dumps(message["data"], sort_keys=True))
