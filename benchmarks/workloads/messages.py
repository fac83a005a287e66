"""``messages``-mode token throughput: one node streams a 20,000-token reply from a fake chat model.

The node calls ``await model.ainvoke(messages)``; because the caller asked for
``stream_mode="messages"``, the runtime streams the call and forwards every
token chunk with its metadata, and the consumer reads them all. The model is
``GenericFakeChatModel`` on both sides — LangChain's has a native async
``_astream`` — replying with 10,000 words, which it splits at whitespace into
19,999 chunks (words and the spaces between them). Almost nothing happens per
token but the model's own chunk and the runtime's callback/stream path, so the
figure is that path's cost per token.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, TypedDict

from ..apis import GraphApi
from ..model import Case, Measured, Row, Target, Workload, compare
from ._common import sides

__all__ = ["workload", "build_graph"]

TARGET = Target(0.2)
WORDS = 10_000


def build_graph(api: GraphApi, words: int) -> Any:
    """One ``call`` node that asks the fake model for a ``words``-word reply (the events workload runs it too)."""

    # The functional form: the reducer is this side's, so the annotation must be evaluated here.
    ChatState = TypedDict("ChatState", {"messages": Annotated[list, api.add_messages]})  # type: ignore[misc]

    reply = api.AIMessage(" ".join(f"w{i}" for i in range(words)))
    model = api.GenericFakeChatModel(messages=itertools.repeat(reply))

    async def call(state: Any) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    graph = api.StateGraph(ChatState)
    graph.add_node("call", call)
    graph.add_edge(api.START, "call")
    graph.add_edge("call", api.END)
    return graph.compile()


def build(api: GraphApi, words: int) -> Callable[[], Awaitable[int]]:
    compiled = build_graph(api, words)
    question = api.HumanMessage("hi")

    async def run() -> int:
        tokens = 0
        async with api.safely(compiled.astream({"messages": [question]}, stream_mode="messages")) as stream:
            async for _chunk, _metadata in stream:
                tokens += 1
        return tokens

    return run


def workload(quick: bool, langgraph: GraphApi | None) -> Workload:
    words = 100 if quick else WORDS
    name = f"messages_tokens_{2 * words}"
    tokens = 2 * words - 1
    cases = (Case(name, sides(lambda api: build(api, words), langgraph)),)

    def rows(measured: Mapping[str, Measured]) -> list[Row]:
        return compare(
            measured, name, TARGET,
            note=lambda t, lg: f"{tokens / t / 1e3:.0f} k tokens/s" + (f" vs {tokens / lg / 1e3:.0f} k" if lg else ""),
        )

    return Workload("messages", "messages-mode tokens/s from a 20,000-token fake chat model", cases, rows)
