"""``astream_events`` v2 side by side with langgraph / langchain-core: which event is
"the first" once filters apply, and what an interrupted run reports as its end
(docs/streaming.md, ``astream_events``).

langchain-core picks the first event *after* filtering: whatever kind it is, it
gets the caller's input as ``data["input"]``, and the end event of that same run
loses its ``input``. A graph stopped by ``interrupt()`` ends its root run with
the state, without ``__interrupt__``. Each scenario builds the same runnables with
Tributary (run under trio) and with langgraph / langchain-core (under asyncio),
and compares the events: kind, name and data.
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Callable
from types import SimpleNamespace
from typing import Annotated, Any, TypedDict

import pytest
import trio

import graphs
import runtime

langgraph_graph = pytest.importorskip("langgraph.graph")
langgraph_types = pytest.importorskip("langgraph.types")
langgraph_memory = pytest.importorskip("langgraph.checkpoint.memory")
lc_callbacks = pytest.importorskip("langchain_core.callbacks")
lc_fake = pytest.importorskip("langchain_core.language_models.fake_chat_models")
lc_messages = pytest.importorskip("langchain_core.messages")
lc_runnables = pytest.importorskip("langchain_core.runnables")
lc_tools = pytest.importorskip("langchain_core.tools")


class State(TypedDict):
    x: int
    text: str


class Logged(TypedDict):
    log: Annotated[list, operator.add]


TRIBUTARY = SimpleNamespace(
    StateGraph=graphs.StateGraph,
    START=graphs.START,
    END=graphs.END,
    interrupt=graphs.interrupt,
    Command=graphs.Command,
    Saver=graphs.InMemorySaver,
    dispatch=runtime.adispatch_custom_event,
    FakeChat=runtime.GenericFakeChatModel,
    AIMessage=runtime.AIMessage,
    RunnableLambda=runtime.RunnableLambda,
    tool=runtime.tool,
    run=lambda main: trio.run(main),
)
LANGGRAPH = SimpleNamespace(
    StateGraph=langgraph_graph.StateGraph,
    START=langgraph_graph.START,
    END=langgraph_graph.END,
    interrupt=langgraph_types.interrupt,
    Command=langgraph_types.Command,
    Saver=langgraph_memory.InMemorySaver,
    dispatch=lc_callbacks.adispatch_custom_event,
    FakeChat=lc_fake.GenericFakeChatModel,
    AIMessage=lc_messages.AIMessage,
    RunnableLambda=lc_runnables.RunnableLambda,
    tool=lc_tools.tool,
    run=lambda main: asyncio.run(main()),
)


def plain(value: Any) -> Any:
    """``value`` with each library's objects turned into the same plain values."""
    if hasattr(value, "content") and hasattr(value, "type"):  # a message
        return (type(value).__name__, value.content)
    kind = type(value).__name__
    if kind == "Interrupt":
        return ("Interrupt", value.value)
    if kind == "Command":
        return ("Command", value.resume)
    if kind == "ToolMessage":
        return ("ToolMessage", value.content)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(plain(item) for item in value)
    return value


def events(lib: SimpleNamespace, app: Any, input: Any, config: Any = None, **kwargs: Any) -> list[tuple[str, str, Any]]:
    async def main() -> list[tuple[str, str, Any]]:
        return [
            (event["event"], event["name"], plain(event["data"]))
            async for event in app.astream_events(input, config, version="v2", **kwargs)
        ]

    result: list[tuple[str, str, Any]] = lib.run(main)
    return result


def both(scenario: Callable[[SimpleNamespace], Any]) -> Any:
    ours, theirs = scenario(TRIBUTARY), scenario(LANGGRAPH)
    assert ours == theirs
    return ours


def pipeline(lib: SimpleNamespace) -> Any:
    """a (dispatches a custom event) -> b (calls a chat model) -> c (calls a tool)."""
    model = lib.FakeChat(messages=iter([lib.AIMessage(content="hi there")]))

    @lib.tool
    def shout(word: str) -> str:
        """Say it louder."""
        return word.upper()

    async def a(state: State) -> dict[str, Any]:
        await lib.dispatch("note", {"k": 1})
        return {"x": state["x"] + 1}

    async def b(state: State) -> dict[str, Any]:
        message = await model.ainvoke("q")
        return {"text": message.content}

    async def c(state: State) -> dict[str, Any]:
        return {"text": await shout.ainvoke({"word": state["text"]})}

    graph = lib.StateGraph(State)
    for node in (a, b, c):
        graph.add_node(node.__name__, node)
    graph.add_edge(lib.START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", "c")
    graph.add_edge("c", lib.END)
    return graph.compile()


INPUT = {"x": 1, "text": ""}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"include_names": ["b"]},
        {"include_types": ["chat_model"]},
        {"include_types": ["tool"]},
        {"include_names": ["note"]},
        {"include_types": ["chain"], "exclude_names": ["LangGraph"]},
        {"exclude_names": ["LangGraph"]},
        {"exclude_types": ["chain"]},
        {"include_tags": ["graph:step:3"]},
        {"include_names": ["c", "shout"]},
    ],
    ids=lambda filters: ",".join(f"{k}={v}" for k, v in filters.items()) or "unfiltered",
)
def test_the_first_event_after_filtering_matches_langchain_core(filters: dict[str, Any]) -> None:
    got = both(lambda lib: events(lib, pipeline(lib), INPUT, **filters))
    assert got, "the filter let nothing through"
    _, first_name, first_data = got[0]
    assert first_data["input"] == INPUT  # the caller's input, whatever the first event is
    ends = [data for kind, name, data in got if name == first_name and kind.endswith("_end")]
    assert all("input" not in data for data in ends)


def test_a_chat_model_first_shows_the_callers_input_not_its_messages() -> None:
    got = both(lambda lib: events(lib, pipeline(lib), INPUT, include_types=["chat_model"]))
    assert got[0] == ("on_chat_model_start", "GenericFakeChatModel", {"input": INPUT})
    assert got[-1][0] == "on_chat_model_end" and "input" not in got[-1][2]


def test_a_custom_event_first_gets_the_input_in_its_payload() -> None:
    got = both(lambda lib: events(lib, pipeline(lib), INPUT, include_names=["note"]))
    assert got == [("on_custom_event", "note", {"k": 1, "input": INPUT})]


def test_a_nested_runnable_first_in_a_plain_chain() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        chain = lib.RunnableLambda(lambda x: x + 1, name="one") | lib.RunnableLambda(lambda x: x * 2, name="two")
        return events(lib, chain, 1, include_names=["two"])

    assert both(scenario) == [
        ("on_chain_start", "two", {"input": 1}),
        ("on_chain_stream", "two", {"chunk": 4}),
        ("on_chain_end", "two", {"output": 4}),
    ]


def test_a_custom_event_with_a_non_dict_payload_first_is_sent_as_it_is() -> None:
    # Deliberate difference (docs/differences.md): langchain-core fails here.
    def app(lib: SimpleNamespace) -> Any:
        async def a(state: State) -> dict[str, Any]:
            await lib.dispatch("note", "hello")
            return {"x": 1}

        graph = lib.StateGraph(State)
        graph.add_node("a", a)
        graph.add_edge(lib.START, "a")
        return graph.compile()

    assert events(TRIBUTARY, app(TRIBUTARY), INPUT, include_names=["note"]) == [("on_custom_event", "note", "hello")]
    with pytest.raises(TypeError):
        events(LANGGRAPH, app(LANGGRAPH), INPUT, include_names=["note"])


# -- interrupted runs --------------------------------------------------------------


def asking(lib: SimpleNamespace) -> Any:
    def ask(state: State) -> dict[str, Any]:
        return {"x": lib.interrupt("why")}

    graph = lib.StateGraph(State)
    graph.add_node("start", lambda s: {"x": s["x"] + 1})
    graph.add_node("ask", ask)
    graph.add_edge(lib.START, "start")
    graph.add_edge("start", "ask")
    graph.add_edge("ask", lib.END)
    return graph.compile(checkpointer=lib.Saver())


THREAD = {"configurable": {"thread_id": "t"}}


def test_an_interrupted_run_ends_with_the_state_without_interrupt() -> None:
    got = both(lambda lib: events(lib, asking(lib), INPUT, THREAD))
    assert got[-2] == ("on_chain_stream", "LangGraph", {"chunk": {"__interrupt__": (("Interrupt", "why"),)}})
    assert got[-1] == ("on_chain_end", "LangGraph", {"output": {"x": 2, "text": ""}})
    assert ("on_chain_end", "ask") not in [(kind, name) for kind, name, _ in got]


def test_an_interrupted_run_with_the_root_filtered_out() -> None:
    got = both(lambda lib: events(lib, asking(lib), INPUT, THREAD, include_names=["ask"]))
    assert got == [("on_chain_start", "ask", {"input": INPUT})]


def test_the_resumed_run_first_event_shows_the_resume_command() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        app = asking(lib)
        events(lib, app, INPUT, THREAD)
        return events(lib, app, lib.Command(resume=7), THREAD, include_names=["ask"])

    assert both(scenario) == [
        ("on_chain_start", "ask", {"input": ("Command", 7)}),
        ("on_chain_stream", "ask", {"chunk": {"x": 7}}),
        ("on_chain_end", "ask", {"output": {"x": 7}}),
    ]


def test_an_interrupt_with_a_finished_sibling_ends_with_its_writes() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        async def ask(state: Logged) -> dict[str, Any]:
            return {"log": [lib.interrupt("why")]}

        async def done(state: Logged) -> dict[str, Any]:
            return {"log": ["done"]}

        graph = lib.StateGraph(Logged)
        graph.add_node("ask", ask)
        graph.add_node("done", done)
        graph.add_edge(lib.START, "ask")
        graph.add_edge(lib.START, "done")
        got = events(lib, graph.compile(checkpointer=lib.Saver()), {"log": []}, THREAD, include_names=["LangGraph"])
        # LangGraph streams the interrupt as its task ends and the sibling's update at
        # the end of the step; Tributary both at the end of the step: compare the
        # events regardless of that order, and the end exactly.
        return sorted(map(repr, got)), got[-1]

    _, end = both(scenario)
    assert end == ("on_chain_end", "LangGraph", {"output": {"log": ["done"]}})


def test_an_interrupt_inside_a_subgraph_ends_the_root_with_the_parent_state() -> None:
    def scenario(lib: SimpleNamespace) -> Any:
        inner = lib.StateGraph(State)
        inner.add_node("ask", lambda s: {"x": lib.interrupt("inner why")})
        inner.add_edge(lib.START, "ask")
        graph = lib.StateGraph(State)
        graph.add_node("before", lambda s: {"text": "seen"})
        graph.add_node("sub", inner.compile())
        graph.add_edge(lib.START, "before")
        graph.add_edge("before", "sub")
        return events(lib, graph.compile(checkpointer=lib.Saver()), INPUT, THREAD, include_types=["chain"])

    got = both(scenario)
    assert got[-1] == ("on_chain_end", "LangGraph", {"output": {"x": 1, "text": "seen"}})
