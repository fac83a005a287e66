"""Tributary's demo: one graph, every stream multiplexed, namespaces visible.

A planner fans out one ``Send`` per topic into a *research* subgraph (each Send
is its own subgraph run, with its own namespace); the subgraph's nodes write
``custom`` progress while they work; a reviewer loops back to the planner until
this run's budget of rounds is spent.

State is saved per step in SQLite (the embedded default), under a thread id:
run ``python -m graphs.demo`` twice and the second run continues the thread
where the first stopped (rounds 3 and 4, with the earlier notes kept).
"""

from __future__ import annotations

import argparse
import operator
import sys
from typing import Annotated, Any, TypedDict

import trio

from graphs import END, START, Send, SqliteSaver, StateGraph, get_stream_writer
from runtime.core.stream import StreamPart


class Research(TypedDict):
    topic: str
    notes: Annotated[list[str], operator.add]


class Plan(TypedDict):
    round: int
    budget: Annotated[int, operator.add]
    topics: list[str]
    notes: Annotated[list[str], operator.add]


async def search(state: Research) -> dict[str, Any]:
    writer = get_stream_writer()
    for percent in (50, 100):
        await trio.sleep(0.01)
        writer({"topic": state["topic"], "search": f"{percent}%"})
    return {"notes": [f"found sources on {state['topic']}"]}


def summarise(state: Research) -> dict[str, Any]:
    # A sync node: runs in a worker thread, its writer blocks the thread (not the loop) if the consumer lags.
    get_stream_writer()({"topic": state["topic"], "summary": "done"})
    return {"notes": [f"summary of {state['topic']}"]}


def build_research() -> Any:
    graph = StateGraph(Research)
    graph.add_sequence([search, summarise])
    graph.add_edge(START, "search")
    return graph.compile(name="research")


def plan(state: Plan) -> dict[str, Any]:
    round_ = state.get("round", 0) + 1
    return {"round": round_, "topics": [f"topic-{round_}{letter}" for letter in "ab"]}


def fan_out(state: Plan) -> list[Send]:
    return [Send("research", {"topic": topic}) for topic in state["topics"]]


def review(state: Plan) -> dict[str, Any]:
    return {"notes": [f"review after round {state['round']}: {len(state['notes'])} notes"]}


def enough(state: Plan) -> str:
    return END if state["round"] >= state["budget"] else "plan"


def build_demo_graph(checkpointer: Any = None) -> Any:
    graph = StateGraph(Plan)
    graph.add_node(plan)
    graph.add_node("research", build_research())
    graph.add_node(review)
    graph.add_edge(START, "plan")
    graph.add_conditional_edges("plan", fan_out)
    graph.add_edge("research", "review")
    graph.add_conditional_edges("review", enough, ["plan", END])
    return graph.compile(checkpointer=checkpointer)


def describe(part: StreamPart) -> str:
    """One readable line per part: namespace, mode, payload."""
    namespace = " / ".join(segment.split(":")[0] + ":" + segment.split(":")[1][:8] for segment in part.namespace)
    return f"{namespace or '(root)':<36} {part.mode:<8} {part.chunk}"


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="values,updates,custom", help="comma-separated stream modes")
    parser.add_argument("--db", default="tributary-demo.sqlite", help="SQLite checkpoint file")
    parser.add_argument("--thread", default="demo", help="thread id to run (or continue)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds this run adds to the thread's budget")
    args = parser.parse_args(argv)
    async with SqliteSaver(args.db) as saver:
        graph = build_demo_graph(saver)
        config = {"configurable": {"thread_id": args.thread}}
        before = await graph.aget_state(config)
        if before.values:
            print(f"thread {args.thread!r}: continuing after round {before.values['round']} "
                  f"(checkpoint step {before.metadata['step']}, {len(before.values['notes'])} notes so far)")
        else:
            print(f"thread {args.thread!r}: new thread, saved in {args.db}")
        inputs = {"round": before.values.get("round", 0), "topics": [], "budget": args.rounds}
        async with graph.astream_parts(inputs, config, stream_mode=args.modes.split(",")) as parts:
            async for part in parts:
                print(describe(part))
        after = await graph.aget_state(config)
        print(f"thread {args.thread!r}: stopped after round {after.values['round']} at checkpoint step "
              f"{after.metadata['step']}; run the demo again to continue it")


if __name__ == "__main__":
    trio.run(main, sys.argv[1:])
