"""Graphs the seed documents' fragments run against.

Document 003's blocks stream events of an ``app`` (and ``graph_app``) they
never define, fed a ``state`` and a ``config``. This is one such app, built as
a reader would build it: a checkpointed two-step chat graph whose
``summarize_node`` and ``analyze_node`` each call their own chat model
(named ``summarizer`` and ``analyzer``), so events come from chains, nodes and
models.
"""

from __future__ import annotations

from typing import Any

from seed_fakes import chat_model

from graphs import START, InMemorySaver, MessagesState, StateGraph
from graphs.compiled import CompiledStateGraph

__all__ = ["ANALYSIS", "SUMMARY", "research_app", "research_state", "thread_config"]

SUMMARY = "Tributary runs graphs on trio."
ANALYSIS = "The summary is short and accurate."


def research_app(*, checkpointer: Any = None) -> CompiledStateGraph:
    """``summarize_node`` then ``analyze_node``, each answering with its own model; checkpointed in memory."""
    summarizer = chat_model(SUMMARY, name="summarizer")
    analyzer = chat_model(ANALYSIS, name="analyzer")

    async def summarize_node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await summarizer.ainvoke(state["messages"])]}

    async def analyze_node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await analyzer.ainvoke(state["messages"])]}

    return (
        StateGraph(MessagesState)
        .add_node("summarize_node", summarize_node)
        .add_node("analyze_node", analyze_node)
        .add_edge(START, "summarize_node")
        .add_edge("summarize_node", "analyze_node")
        .compile(checkpointer=checkpointer if checkpointer is not None else InMemorySaver())
    )


def research_state() -> dict[str, Any]:
    """An input for :func:`research_app`."""
    return {"messages": [("user", "Summarize what Tributary does, then analyze the summary.")]}


def thread_config(thread_id: str = "task-1") -> dict[str, Any]:
    """A config naming a thread, as the documents write it."""
    return {"configurable": {"thread_id": thread_id}}
