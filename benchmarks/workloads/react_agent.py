"""A ReAct agent loop: ``create_react_agent`` with a fake tool-calling model, 10 and 100 turns.

LangGraph's ``react_agent`` benchmark: the model answers N times with one
tool call each (a 3,360-character argument), then with a final answer; the
tool echoes its argument ten times. A run is N agent/tool round trips over
a message list that grows by two messages a turn, so it measures the prebuilt
agent graph, the ``add_messages`` reducer over a growing history, the tool
node, and per-step overhead together. Both sides use an async fake model and
an async tool: no thread hops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import sides

__all__ = ["workload", "build"]

TARGET = Target(0.15)


def build(api: GraphApi, turns: int) -> Callable[[], Awaitable[int]]:
    @api.tool
    async def search(query: str) -> str:
        """Look something up."""
        return f"result for query: {query}" * 10

    replies = [
        api.AIMessage(
            "",
            id=f"ai-{i}",
            tool_calls=[{"id": f"call-{i}", "name": "search", "args": {"query": f"question {i:04} " * 240}}],
        )
        for i in range(turns)
    ]
    replies.append(api.AIMessage("answer" * 100, id="ai-final"))
    # The fake cycles through its replies, so every run starts from the first one.
    model = api.FakeMessagesListChatModel(responses=replies)
    agent = api.create_react_agent(model, [search])
    config = {"recursion_limit": 2 * turns + 10}
    question = api.HumanMessage("hi?")

    async def run() -> int:
        out = await agent.ainvoke({"messages": [question]}, config)
        return len(out["messages"])

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    sizes = (2,) if quick else (10, 100)
    cases = tuple(
        Case(f"react_agent_{n}_turns", sides(lambda api, n=n: build(api, n), langgraph), inner=max(1, 20 // n))
        for n in sizes
    )

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        out: list[Row] = []
        for n in sizes:
            out += compare(measured, f"react_agent_{n}_turns", TARGET, note=lambda t, lg, n=n: (
                f"per turn {t / n * 1e6:.0f} µs" + (f" vs {lg / n * 1e6:.0f} µs" if lg else "")
            ))
        return out

    return Workload("react_agent", "create_react_agent loop with a fake tool-calling model, 10 and 100 turns", cases, rows)
