"""The async API under asyncio: a guest trio run per loop, code written for asyncio
inside the graph, cancellation and errors both ways, contextvars, shutdown.

These are plain (sync) tests that each run a program with ``asyncio.run``, as a
user's program would; nothing here imports trio except to check what is absent.
"""

from __future__ import annotations

import asyncio
import contextvars
import operator
from typing import Annotated, Any, TypedDict

import httpx
import pytest

from graphs import (
    END,
    START,
    Command,
    InMemorySaver,
    StateGraph,
    get_config,
    get_stream_writer,
    interrupt,
)
from runtime.hosting import AsyncioGuest
from runtime.runnables import RunnableLambda
from runtime.tools import tool


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def chain(*nodes: tuple[str, Any]) -> Any:
    graph = StateGraph(State)
    previous = START
    for name, action in nodes:
        graph.add_node(name, action)
        graph.add_edge(previous, name)
        previous = name
    graph.add_edge(previous, END)
    return graph


def test_async_nodes_written_for_asyncio_run_on_the_host_loop() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def sleeper(state: State) -> dict[str, Any]:
        await asyncio.sleep(0.001)
        loops.append(asyncio.get_running_loop())
        results = await asyncio.gather(asyncio.sleep(0, "x"), asyncio.sleep(0, "y"))
        return {"log": list(results)}

    graph = chain(("sleeper", sleeper), ("sync", lambda s: {"log": ["sync"]})).compile()

    async def main() -> Any:
        return await graph.ainvoke({"log": []}), asyncio.get_running_loop()

    output, loop = asyncio.run(main())
    assert output == {"log": ["x", "y", "sync"]}
    assert loops == [loop]


def test_stream_and_events_from_asyncio() -> None:
    async def node(state: State) -> dict[str, Any]:
        await asyncio.sleep(0)
        get_stream_writer()({"progress": 1})
        return {"log": ["a"]}

    graph = chain(("a", node), ("b", lambda s: {"log": ["b"]})).compile()

    async def main() -> tuple[list[Any], list[str]]:
        chunks = [c async for c in graph.astream({"log": []}, stream_mode=["updates", "custom"])]
        kinds = [e["event"] async for e in graph.astream_events({"log": []}, version="v2")]
        return chunks, kinds

    chunks, kinds = asyncio.run(main())
    assert chunks == [("custom", {"progress": 1}), ("updates", {"a": {"log": ["a"]}}), ("updates", {"b": {"log": ["b"]}})]
    assert kinds[0] == "on_chain_start" and kinds[-1] == "on_chain_end"
    assert kinds.count("on_chain_start") == kinds.count("on_chain_end") == 3


def test_the_node_coroutine_sees_its_config_and_the_callers_contextvars() -> None:
    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id")
    seen: dict[str, Any] = {}

    async def node(state: State) -> dict[str, Any]:
        seen["thread"] = get_config()["configurable"]["thread_id"]
        seen["request"] = request_id.get()
        return {"log": ["a"]}

    graph = chain(("a", node)).compile()

    async def main() -> None:
        request_id.set("r-1")
        await graph.ainvoke({"log": []}, {"configurable": {"thread_id": "t-9"}})

    asyncio.run(main())
    assert seen == {"thread": "t-9", "request": "r-1"}


def test_interrupt_and_resume_and_state_api_from_asyncio() -> None:
    async def ask(state: State) -> dict[str, Any]:
        await asyncio.sleep(0)
        answer = interrupt("name?")
        return {"log": [answer]}

    graph = chain(("ask", ask)).compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}

    async def main() -> tuple[Any, Any, Any, int]:
        first = await graph.ainvoke({"log": []}, config)
        paused = await graph.aget_state(config)
        done = await graph.ainvoke(Command(resume="ada"), config)
        history = [s async for s in graph.aget_state_history(config)]
        await graph.aupdate_state(config, {"log": ["edited"]})
        return first, paused.next, done, len(history)

    first, next_nodes, done, saved = asyncio.run(main())
    assert [i.value for i in first["__interrupt__"]] == ["name?"]
    assert next_nodes == ("ask",)
    assert done == {"log": ["ada"]}
    assert saved >= 3


def test_tools_and_lambdas_written_for_asyncio() -> None:
    @tool
    async def lookup(city: str) -> str:
        """Look a city up."""
        await asyncio.sleep(0)
        return city.upper()

    async def double(x: int) -> int:
        await asyncio.sleep(0)
        return x * 2

    async def main() -> tuple[Any, Any, list[Any]]:
        runnable = RunnableLambda(double)
        return (
            await lookup.ainvoke({"city": "oslo"}),
            await runnable.ainvoke(2),
            await runnable.abatch([1, 2, 3]),
        )

    assert asyncio.run(main()) == ("OSLO", 4, [2, 4, 6])


def test_an_http_call_from_a_node() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        await writer.drain()
        writer.close()

    async def main() -> Any:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]

        async def fetch(state: State) -> dict[str, Any]:
            async with httpx.AsyncClient() as client:
                response = await client.get(f"http://127.0.0.1:{port}/")
            return {"log": [response.text]}

        async with server:
            return await chain(("fetch", fetch)).compile().ainvoke({"log": []})

    assert asyncio.run(main()) == {"log": ["hello"]}


def test_errors_reach_asyncio_as_themselves() -> None:
    async def broken(state: State) -> dict[str, Any]:
        await asyncio.sleep(0)
        raise KeyError("boom")

    graph = chain(("broken", broken)).compile()

    async def main() -> None:
        await graph.ainvoke({"log": []})

    with pytest.raises(KeyError, match="boom") as caught:
        asyncio.run(main())
    assert not isinstance(caught.value, BaseExceptionGroup)


def test_cancelling_the_asyncio_task_cancels_the_run_and_waits_for_it() -> None:
    events: list[str] = []

    async def main() -> None:
        started = asyncio.Event()

        async def stuck(state: State) -> dict[str, Any]:
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                events.append("node cancelled")
                raise
            return {"log": ["never"]}

        task = asyncio.create_task(chain(("stuck", stuck)).compile().ainvoke({"log": []}))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        events.append("caller saw the cancellation")

    asyncio.run(main())
    assert events == ["node cancelled", "caller saw the cancellation"]


def test_a_failing_sibling_cancels_a_node_coroutine_on_the_host() -> None:
    events: list[str] = []

    async def main() -> None:
        waiting = asyncio.Event()

        async def slow(state: State) -> dict[str, Any]:
            waiting.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                events.append("slow cancelled")
                raise
            return {}

        async def failing(state: State) -> dict[str, Any]:
            await waiting.wait()
            raise ValueError("sibling failed")

        graph = StateGraph(State)
        graph.add_node("slow", slow)
        graph.add_node("failing", failing)
        graph.add_edge(START, "slow")
        graph.add_edge(START, "failing")
        with pytest.raises(ValueError, match="sibling failed"):
            await graph.compile().ainvoke({"log": []})

    asyncio.run(main())
    assert events == ["slow cancelled"]


def test_a_slow_asyncio_consumer_holds_the_producer_back() -> None:
    produced: list[int] = []

    async def producer(state: State) -> dict[str, Any]:
        writer = get_stream_writer()
        for i in range(5000):
            await writer.asend(i)
            produced.append(i)
        return {"log": ["done"]}

    graph = chain(("producer", producer)).compile()

    async def main() -> tuple[int, int]:
        stream = graph.astream({"log": []}, stream_mode="custom")
        async for first in stream:
            break
        for _ in range(200):  # give the producer every chance to run ahead
            await asyncio.sleep(0)
        ahead = len(produced)
        async for _ in stream:
            pass
        return first, ahead

    first, ahead = asyncio.run(main())
    assert first == 0
    # The consumer holds one batch; the producer may fill the stream's buffer
    # (1024 parts) and no more.
    assert ahead <= 2 * 1024 + 1
    assert len(produced) == 5000


def test_one_guest_run_per_loop_shared_and_shut_down_with_the_loop() -> None:
    graph = chain(("a", lambda s: {"log": ["a"]})).compile()
    guests: list[AsyncioGuest] = []

    async def main() -> list[Any]:
        results = await asyncio.gather(*(graph.ainvoke({"log": []}) for _ in range(5)))
        guests.append(await AsyncioGuest.for_running_loop())
        return list(results)

    assert asyncio.run(main()) == [{"log": ["a"]}] * 5
    assert asyncio.run(main()) == [{"log": ["a"]}] * 5
    first, second = guests
    assert first is not second  # a new loop, a new guest run
    for guest in guests:  # each ended with its loop: nothing of trio outlives asyncio.run
        assert guest._finished.done() and guest._token is None


def test_outside_trio_and_asyncio_the_error_names_what_is_supported() -> None:
    graph = chain(("a", lambda s: {"log": ["a"]})).compile()
    coroutine = graph.ainvoke({"log": []})
    with pytest.raises(RuntimeError, match="under trio, or under asyncio"):
        coroutine.send(None)


def test_a_chat_model_and_a_callback_handler_written_for_asyncio() -> None:
    from runtime.messages import AIMessageChunk, HumanMessage
    from runtime.models import BaseChatModel
    from runtime.tracing import AsyncCallbackHandler

    class Echo(BaseChatModel):
        async def _astream(self, messages: Any, stop: Any = None, **kwargs: Any) -> Any:
            for word in str(messages[-1].content).split():
                await asyncio.sleep(0)
                yield AIMessageChunk(content=word + " ")

    tokens: list[str] = []

    class Collect(AsyncCallbackHandler):
        async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            await asyncio.sleep(0)
            tokens.append(token)

    async def upper(text: str) -> str:
        await asyncio.sleep(0)
        return text.upper()

    async def words() -> Any:
        for word in ("a", "b"):
            await asyncio.sleep(0)
            yield word

    async def main() -> tuple[Any, list[Any], list[Any]]:
        reply = await Echo().ainvoke([HumanMessage("hello asyncio world")])
        streamed = [c.content async for c in Echo().astream([HumanMessage("x y")], {"callbacks": [Collect()]})]
        transformed = [c async for c in RunnableLambda(upper).atransform(words())]
        return reply.content, streamed, transformed

    content, streamed, transformed = asyncio.run(main())
    assert content == "hello asyncio world "
    assert tokens == ["x ", "y ", ""]  # the last, empty chunk closes the message, as in LangChain
    assert streamed == ["x ", "y ", ""]
    assert transformed == ["AB"]  # the input's chunks, added up, then the function


def counter_graph(size: int) -> Any:
    def count(state: State) -> dict[str, Any]:
        writer = get_stream_writer()
        for i in range(size):
            writer(i)
        return {"log": ["done"]}

    return chain(("count", count)).compile()


def test_no_item_is_lost_between_iterators_over_one_stream() -> None:
    graph = counter_graph(5)

    async def main() -> tuple[list[Any], list[Any]]:
        stream = graph.astream({"log": []}, stream_mode="custom")
        first = [await anext(stream)]
        first += [c async for c in stream]
        resumed: list[Any] = []
        async with graph.astream({"log": []}, stream_mode="custom") as entered:
            async for chunk in entered:
                resumed.append(chunk)
                break
            resumed += [c async for c in entered]
        return first, resumed

    assert asyncio.run(main()) == ([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])


def test_transform_in_a_sync_node_and_the_sync_api_on_the_loop_thread() -> None:
    def node(state: State) -> dict[str, Any]:
        return {"log": list(RunnableLambda(lambda s: s.upper()).transform(iter(["a", "b"])))}

    graph = chain(("node", node)).compile()

    async def main() -> tuple[Any, Any, Any]:
        before = graph.invoke({"log": []})  # blocks the loop, as LangGraph's does
        hosted = await graph.ainvoke({"log": []})
        after = graph.invoke({"log": []})  # still works once the loop hosts a guest run
        return before, hosted, after

    assert asyncio.run(main()) == ({"log": ["AB"]},) * 3


def test_a_stream_left_open_at_shutdown_does_not_restart_the_guest_run() -> None:
    import gc

    import trio

    graph = counter_graph(3)
    suspended: list[Any] = []

    async def body() -> Any:
        async with graph.astream({"log": []}, stream_mode="custom") as stream:
            async for chunk in stream:
                yield chunk

    async def main() -> Any:
        generator = body()
        suspended.append(generator)  # left suspended: closed by the loop's shutdown
        return await anext(generator)

    assert asyncio.run(main()) == 0
    assert not trio.lowlevel.in_trio_run()  # nothing of trio is left on this thread
    gc.collect()
    assert [g for g in gc.get_objects() if isinstance(g, AsyncioGuest) and not g._finished.done()] == []
    assert asyncio.run(main()) == 0  # and the next loop works


def test_a_closed_loop_is_not_kept_alive_by_its_guest_run() -> None:
    import gc
    import weakref

    graph = counter_graph(1)
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def main() -> None:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        await graph.ainvoke({"log": []})

    for _ in range(3):
        asyncio.run(main())
    gc.collect()
    assert [ref() for ref in loops] == [None, None, None]
