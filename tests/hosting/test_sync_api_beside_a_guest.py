"""The sync API called from an asyncio loop's thread once that loop hosts trio as a guest,
and the caller's contextvars reaching a sync run wherever it runs.

A Jupyter kernel runs every cell on its asyncio loop: after a cell that awaited
``graph.ainvoke(...)`` (which starts the guest run, kept for the loop), a plain
``graph.invoke(...)`` in the next cell runs in a loop callback. LangGraph 1.2 runs
it there, blocking the loop as any blocking call does; so does Tributary, with a
trio run of its own on a helper thread. From inside a trio task the sync API
still refuses (it would stall every task).
"""

from __future__ import annotations

import asyncio
import contextvars
import operator
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import pytest
import trio

from graphs import END, START, StateGraph

REQUEST = contextvars.ContextVar("request", default="none")


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def app() -> Any:
    graph = StateGraph(State)
    graph.add_node("note", lambda state: {"log": [f"note:{REQUEST.get()}"]})
    graph.add_edge(START, "note")
    graph.add_edge("note", END)
    return graph.compile()


def in_a_later_cell(loop: asyncio.AbstractEventLoop, cell: Callable[[], Any]) -> Any:
    """Run ``cell`` as a loop callback (how a kernel runs a cell), and return what it returned."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["value"] = cell()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            done["error"] = error
        finally:
            loop.stop()

    loop.call_soon(run)
    loop.run_forever()
    if "error" in done:
        raise done["error"]
    return done["value"]


def test_invoke_and_stream_in_a_cell_after_an_awaited_run() -> None:
    graph = app()
    with asyncio.Runner() as runner:  # closing it cancels its tasks, and so ends the guest run
        loop = runner.get_loop()
        assert runner.run(graph.ainvoke({"log": []})) == {"log": ["note:none"]}

        def cell() -> Any:
            REQUEST.set("cell")  # the caller's context reaches the run
            return graph.invoke({"log": []}), list(graph.stream({"log": []}, stream_mode="values"))

        invoked, streamed = in_a_later_cell(loop, cell)
        assert invoked == {"log": ["note:cell"]}
        assert streamed == [{"log": []}, {"log": ["note:cell"]}]
        # The guest run is still there for the loop's next awaited run.
        assert runner.run(graph.ainvoke({"log": ["again"]})) == {"log": ["again", "note:none"]}


def test_a_blocking_invoke_inside_a_coroutine_on_the_host_loop_runs() -> None:
    graph = app()

    async def main() -> Any:
        first = await graph.ainvoke({"log": []})
        return first, graph.invoke({"log": ["sync"]})

    assert asyncio.run(main()) == ({"log": ["note:none"]}, {"log": ["sync", "note:none"]})


def test_an_error_of_the_blocking_run_reaches_the_caller_as_itself() -> None:
    graph = StateGraph(State)

    def fail(state: State) -> dict[str, Any]:
        raise KeyError("boom")

    graph.add_node("fail", fail)
    graph.add_edge(START, "fail")
    failing = graph.compile()

    async def main() -> None:
        await app().ainvoke({"log": []})
        failing.invoke({"log": []})

    with pytest.raises(KeyError, match="boom"):
        asyncio.run(main())


async def test_inside_a_trio_task_the_sync_api_still_refuses() -> None:
    graph = app()
    with pytest.raises(RuntimeError, match=r"invoke\(\) was called inside a running trio loop"):
        graph.invoke({"log": []})
    with pytest.raises(RuntimeError, match=r"stream\(\) was called inside a running trio loop"):
        next(iter(graph.stream({"log": []})))
    await trio.lowlevel.checkpoint()


def test_plain_sync_code_passes_its_context_to_invoke_and_stream() -> None:
    graph = app()
    token = REQUEST.set("plain")
    try:
        assert graph.invoke({"log": []}) == {"log": ["note:plain"]}
        assert list(graph.stream({"log": []}, stream_mode="updates")) == [{"note": {"log": ["note:plain"]}}]
    finally:
        REQUEST.reset(token)
