"""A FastAPI app on uvicorn streams a graph's ``astream_events`` as server-sent events,
with no bridging code in the app; a client that disconnects cancels the run.

uvicorn runs in a thread on its own asyncio loop, bound to a free loopback port, and
the fixture stops it. The client is httpx.
"""

from __future__ import annotations

import asyncio
import json
import operator
import socket
import threading
from collections.abc import Iterator
from typing import Annotated, Any, TypedDict

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from graphs import END, START, StateGraph, get_stream_writer

WAIT = 30.0  # seconds: only reached if the behaviour under test is broken


class State(TypedDict):
    log: Annotated[list[str], operator.add]


class Observed:
    """What the graph's node saw, told across threads."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()
        self.finished = threading.Event()


def make_app(observed: Observed) -> FastAPI:
    async def ticker(state: State) -> dict[str, Any]:
        writer = get_stream_writer()
        try:
            for i in range(10_000):
                writer({"tick": i})
                await asyncio.sleep(0.001)
        except asyncio.CancelledError:
            observed.cancelled.set()
            raise
        finally:
            observed.finished.set()
        return {"log": ["done"]}

    async def short(state: State) -> dict[str, Any]:
        await asyncio.sleep(0)
        get_stream_writer()({"tick": 0})
        return {"log": ["short"]}

    def build(node: Any) -> Any:
        graph = StateGraph(State)
        graph.add_node("work", node)
        graph.add_edge(START, "work")
        graph.add_edge("work", END)
        return graph.compile()

    graphs = {"ticker": build(ticker), "short": build(short)}
    app = FastAPI()

    @app.get("/runs/{name}/events")
    async def events(name: str) -> StreamingResponse:
        async def sse() -> Any:
            async for event in graphs[name].astream_events({"log": []}, version="v2"):
                payload = {"event": event["event"], "name": event["name"]}
                yield f"data: {json.dumps(payload)}\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream")

    return app


@pytest.fixture
def server() -> Iterator[tuple[str, Observed]]:
    observed = Observed()
    # Bound and listening before uvicorn starts, so the client can connect at once
    # (the kernel queues the connection) and no port is raced for.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    config = uvicorn.Config(make_app(observed), log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [listener]}, name="uvicorn", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", observed
    finally:
        instance.should_exit = True
        thread.join(WAIT)
        listener.close()


def events_of(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    for line in lines:
        if line.startswith("data: "):
            yield json.loads(line[len("data: "):])


def test_sse_streams_the_events_of_a_run(server: tuple[str, Observed]) -> None:
    base, _ = server
    with httpx.Client(timeout=WAIT) as client:
        with client.stream("GET", f"{base}/runs/short/events") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            received = list(events_of(response.iter_lines()))
    kinds = [e["event"] for e in received]
    assert kinds[0] == "on_chain_start" and received[0]["name"] == "LangGraph"
    assert "on_custom_event" not in kinds  # custom stream-writer chunks are stream parts, not events
    assert kinds[-1] == "on_chain_end" and received[-1]["name"] == "LangGraph"
    assert {"event": "on_chain_end", "name": "work"} in received


def test_a_client_that_disconnects_cancels_the_run(server: tuple[str, Observed]) -> None:
    base, observed = server
    with httpx.Client(timeout=WAIT) as client:
        with client.stream("GET", f"{base}/runs/ticker/events") as response:
            first = next(events_of(response.iter_lines()))
            assert first["event"] == "on_chain_start"
        # Leaving the block closes the connection mid-stream.
    assert observed.cancelled.wait(WAIT), "the run went on after the client left"
    assert observed.finished.is_set()
