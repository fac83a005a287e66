"""Token and event throughput of a ~20,000-token fake chat model run.

Usage: ``python -m benchmarks.bench_tokens [--repeats N] [--words N]``. Prints
one JSON line per workload with the median wall time of whole runs (each in a
fresh ``trio.run``) and the throughput derived from it:

* ``model_astream`` — the model alone (``model.astream``, no handler): the
  floor every other figure stands on;
* ``messages_mode`` — a one-node graph whose node calls ``await model.ainvoke``,
  consumed with ``stream_mode="messages"``: tokens/s reaching the consumer;
* ``graph_events`` — the same graph through ``astream_events(version="v2")``:
  events/s (graph, node and model runs, one ``on_chat_model_stream`` per token);
* ``chain_events`` — ``model | StrOutputParser()`` through ``astream_events``:
  two stream events per token (model and parser) plus the chain's own.

``GenericFakeChatModel`` splits a ``words``-word reply into ``2 * words - 1``
chunks (words and the spaces between them).
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from graphs import END, START, MessagesState, StateGraph
from runtime import GenericFakeChatModel, StrOutputParser
from runtime.messages import AIMessage, HumanMessage

from ._timing import measure, report


def model(words: int) -> GenericFakeChatModel:
    reply = AIMessage(" ".join(f"w{i}" for i in range(words)))
    return GenericFakeChatModel(itertools.repeat(reply))


def graph(words: int) -> Any:
    chat = model(words)

    async def call(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await chat.ainvoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node("call", call)
    builder.add_edge(START, "call")
    builder.add_edge("call", END)
    return builder.compile()


def counter(make_stream: Callable[[], Any], out: list[int]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        count = 0
        async with make_stream() as stream:
            async for _ in stream:
                count += 1
        out.append(count)

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--words", type=int, default=10_000)
    args = parser.parse_args(argv)
    words = args.words
    tokens = 2 * words - 1
    question = {"messages": [HumanMessage("hi")]}
    chat = model(words)
    app = graph(words)
    chain = model(words) | StrOutputParser()
    workloads: list[tuple[str, str, Callable[[], Any]]] = [
        ("model_astream", "tokens", lambda: chat.astream("hi")),
        ("messages_mode", "tokens", lambda: app.astream(question, stream_mode="messages")),
        ("graph_events", "events", lambda: app.astream_events(question, version="v2")),
        ("chain_events", "events", lambda: chain.astream_events("hi", version="v2")),
    ]
    for name, unit, make_stream in workloads:
        counts: list[int] = []
        samples = measure(counter(make_stream, counts), repeats=args.repeats)
        items = counts[-1]
        median = sorted(samples)[len(samples) // 2]
        report(
            f"{name}_{tokens}_tokens",
            samples,
            **{unit: items, f"{unit}_per_s": round(items / median), f"us_per_{unit[:-1]}": round(median / items * 1e6, 3)},
        )


if __name__ == "__main__":
    main()
