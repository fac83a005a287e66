"""``ToolNode`` (tool calls as concurrent actors), ``tools_condition`` and ``create_react_agent``."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
import trio

from graphs import END, START, Command, MessagesState, StateGraph, ToolNode, create_react_agent, get_stream_writer, tools_condition
from runtime import FakeToolCallingModel, RunnableLambda, tool
from graphs.prebuilt import InjectedState
from runtime.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from runtime.tools import InjectedToolArg, InjectedToolCallId


def ai(*calls: tuple[str, dict[str, Any], str]) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": n, "args": a, "id": i} for n, a, i in calls])


async def test_calls_run_concurrently_and_results_keep_call_order() -> None:
    arrived = {"first": trio.Event(), "second": trio.Event()}

    @tool
    async def meet(me: str, other: str) -> str:
        """Waits for the other call: deadlocks unless both run at once."""
        arrived[me].set()
        await arrived[other].wait()
        return f"{me} met {other}"

    node = ToolNode([meet])
    message = ai(("meet", {"me": "second", "other": "first"}, "c2"), ("meet", {"me": "first", "other": "second"}, "c1"))
    result = await node.ainvoke({"messages": [HumanMessage("go"), message]})
    assert [(m.tool_call_id, m.content) for m in result["messages"]] == [("c2", "second met first"), ("c1", "first met second")]
    as_list = await node.ainvoke([message])
    assert isinstance(as_list, list) and len(as_list) == 2


@tool
def divide(a: int, b: int) -> float:
    """Divide a by b."""
    return a / b


async def test_default_error_handling_turns_bad_arguments_into_messages_and_raises_the_rest() -> None:
    node = ToolNode([divide])
    (message,) = (await node.ainvoke({"messages": [ai(("divide", {"a": 1}, "x"))]}))["messages"]
    assert message.status == "error"
    assert message.content.startswith("Error invoking tool 'divide' with kwargs {'a': 1} with error:\n b: Field required")
    with pytest.raises(ZeroDivisionError) as caught:
        await node.ainvoke({"messages": [ai(("divide", {"a": 1, "b": 0}, "z"))]})
    assert any("divide[z]" in note for note in caught.value.__notes__)


async def test_an_error_cancels_the_other_calls() -> None:
    cancelled = trio.Event()

    @tool
    async def slow(x: int) -> str:
        """Never finishes."""
        try:
            await trio.sleep_forever()
        finally:
            cancelled.set()
        return "never"

    node = ToolNode([slow, divide])
    with pytest.raises(ZeroDivisionError):
        await node.ainvoke({"messages": [ai(("slow", {"x": 1}, "s"), ("divide", {"a": 1, "b": 0}, "d"))]})
    assert cancelled.is_set()


@pytest.mark.parametrize(
    ("flag", "content"),
    [
        (True, "Error: ZeroDivisionError('division by zero')\n Please fix your mistakes."),
        ("no dividing by zero", "no dividing by zero"),
        (lambda e: f"handled {type(e).__name__}", "handled ZeroDivisionError"),
        (ZeroDivisionError, "Error: ZeroDivisionError('division by zero')\n Please fix your mistakes."),
    ],
)
async def test_handle_tool_errors_options(flag: Any, content: str) -> None:
    node = ToolNode([divide], handle_tool_errors=flag)
    (message,) = (await node.ainvoke({"messages": [ai(("divide", {"a": 1, "b": 0}, "z"))]}))["messages"]
    assert (message.content, message.status, message.tool_call_id) == (content, "error", "z")


async def test_unknown_tool_and_no_message() -> None:
    node = ToolNode([divide])
    (message,) = (await node.ainvoke({"messages": [ai(("nope", {}, "n"))]}))["messages"]
    assert message.content == "Error: nope is not a valid tool, try one of [divide]."
    with pytest.raises(ValueError, match="no AIMessage"):
        await node.ainvoke({"messages": [HumanMessage("x")]})
    with pytest.raises(ValueError, match="no messages"):
        await node.ainvoke({"other": 1})


async def test_a_single_tool_call_input() -> None:
    node = ToolNode([divide])
    result = await node.ainvoke({"name": "divide", "args": {"a": 6, "b": 3}, "id": "one", "type": "tool_call"})
    assert result == {"messages": [ToolMessage("2.0", tool_call_id="one", name="divide")]}


def test_tools_condition() -> None:
    assert tools_condition({"messages": [ai(("divide", {}, "i"))]}) == "tools"
    assert tools_condition({"messages": [AIMessage("done")]}) == END
    assert tools_condition([HumanMessage("x"), ai(("d", {}, "i"))]) == "tools"
    with pytest.raises(ValueError, match="No messages found"):
        tools_condition({"messages": []})


@tool
def get_weather(city: str) -> str:
    """Get weather for a given city."""
    get_stream_writer()(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


def agent_model() -> FakeToolCallingModel:
    return FakeToolCallingModel([[{"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"}], []])


async def test_react_agent_updates() -> None:
    agent = create_react_agent(agent_model(), [get_weather])
    updates = [u async for u in agent.astream({"messages": [HumanMessage("what is the weather in sf")]}, stream_mode="updates")]
    assert [list(u) for u in updates] == [["agent"], ["tools"], ["agent"]]
    assert updates[0]["agent"]["messages"][0].tool_calls[0]["name"] == "get_weather"
    assert updates[1]["tools"]["messages"][0] == ToolMessage(
        "It's always sunny in sf!", tool_call_id="call-1", name="get_weather", id=updates[1]["tools"]["messages"][0].id
    )
    assert updates[2]["agent"]["messages"][0].tool_calls == []


async def test_react_agent_custom_mode_from_a_tool_and_prompt() -> None:
    agent = create_react_agent(agent_model(), [get_weather], prompt="You are helpful.")
    chunks = [c async for c in agent.astream({"messages": [HumanMessage("weather?")]}, stream_mode="custom")]
    assert chunks == ["Looking up data for city: sf"]
    state = await create_react_agent(agent_model(), [get_weather], prompt=SystemMessage("Sys")).ainvoke(
        {"messages": [HumanMessage("hi")]}
    )
    assert state["messages"][1].content == "Sys-hi"  # the model saw the system prompt first


async def test_react_agent_return_direct_stops_after_the_tool() -> None:
    @tool(return_direct=True)
    def final_answer(answer: str) -> str:
        """Answer and stop."""
        return answer

    model = FakeToolCallingModel([[{"name": "final_answer", "args": {"answer": "42"}, "id": "f"}]])
    state = await create_react_agent(model, [final_answer]).ainvoke({"messages": [HumanMessage("q")]})
    assert state["messages"][-1].content == "42" and isinstance(state["messages"][-1], ToolMessage)
    assert model.index == 1


async def test_tool_node_in_a_hand_built_graph_with_tools_condition() -> None:
    model = agent_model()
    inner = RunnableLambda(lambda s: s, name="inner")

    async def agent(state: MessagesState) -> dict[str, Any]:
        await inner.ainvoke(1)
        return {"messages": [await model.ainvoke(state["messages"])]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", ToolNode([get_weather]))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    state = await graph.compile().ainvoke({"messages": [HumanMessage("go")]})
    assert [m.type for m in state["messages"]] == ["human", "ai", "tool", "ai"]


async def test_an_interrupt_inside_a_tool_pauses_the_graph_even_when_errors_are_handled() -> None:
    from graphs import InMemorySaver, interrupt

    @tool
    def ask_human(question: str) -> str:
        """Ask a human."""
        return interrupt(question)

    graph = StateGraph(MessagesState)
    graph.add_node("ai", lambda s: {"messages": [ai(("ask_human", {"question": "ok?"}, "h"))]})
    graph.add_node("tools", ToolNode([ask_human], handle_tool_errors=True))
    graph.add_edge(START, "ai")
    graph.add_edge("ai", "tools")
    app = graph.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "ask"}}
    state = await app.ainvoke({"messages": [HumanMessage("go")]}, config)
    (pending,) = state["__interrupt__"]
    assert pending.value == "ok?"
    events = [e async for e in app.astream_events(None, config)]
    assert not [e for e in events if e["event"].endswith("_error")]


# -- injected arguments (observed with LangGraph 1.2's ToolNode on the same graph) ----------
class UserState(MessagesState):
    user: str


async def test_tool_node_injects_state_and_call_ids_and_drops_forged_values() -> None:
    @tool
    def whoami(greeting: str, user: Annotated[str, InjectedState("user")], call_id: Annotated[str, InjectedToolCallId]) -> str:
        """Say who."""
        return f"{greeting} {user} ({call_id})"

    @tool
    def count(state: Annotated[dict[str, Any], InjectedState]) -> str:
        """Count messages."""
        return str(len(state["messages"]))

    @tool
    def secret(x: int, key: Annotated[str, InjectedToolArg] = "default") -> str:
        """Secret."""
        return f"{x}:{key}"

    assert [list(t.args) for t in (whoami, count, secret)] == [["greeting"], [], ["x"]]
    message = ai(
        ("whoami", {"greeting": "hello", "user": "forged", "call_id": "forged"}, "c1"),
        ("count", {}, "c2"),
        ("secret", {"x": 5, "key": "forged"}, "c3"),
    )
    graph = StateGraph(UserState)
    graph.add_node("tools", ToolNode([whoami, count, secret]))
    graph.add_edge(START, "tools")
    out = await graph.compile().ainvoke({"messages": [HumanMessage("q"), message], "user": "ada"})
    assert [(m.content, m.tool_call_id, m.status) for m in out["messages"][2:]] == [
        ("hello ada (c1)", "c1", "success"), ("2", "c2", "success"), ("5:default", "c3", "success"),
    ]
    node = ToolNode([whoami, count])
    # A list of messages is the state's messages: a whole-state or "messages" argument works, a field does not.
    assert [m.content for m in await node.ainvoke([HumanMessage("q"), ai(("count", {}, "c4"))])] == ["2"]
    with pytest.raises(ValueError, match="Tool whoami requires graph state dict as input. State should contain fields user."):
        await node.ainvoke([ai(("whoami", {"greeting": "x"}, "c5"))])


@tool
def set_user(name: str, call_id: Annotated[str, InjectedToolCallId]) -> Command[Any]:
    """Set the user."""
    return Command(update={"user": name, "messages": [ToolMessage(f"set {name}", tool_call_id=call_id)]})


@tool
def forgets_the_message(call_id: Annotated[str, InjectedToolCallId]) -> Command[Any]:
    """Updates the state without answering the call."""
    return Command(update={"user": "z"})


async def test_a_tool_answering_with_a_command() -> None:
    # LangGraph 1.2's ToolNode, observed: with a Command among the answers the node returns a
    # list of updates and commands; the answering ToolMessage gets the tool's name.
    node = ToolNode([set_user, divide, forgets_the_message])
    message = ai(("set_user", {"name": "ada"}, "c1"), ("divide", {"a": 6, "b": 3}, "c2"))
    assert await set_user.ainvoke({"name": "set_user", "args": {"name": "x"}, "id": "t", "type": "tool_call"}) == Command(
        update={"user": "x", "messages": [ToolMessage("set x", tool_call_id="t")]})
    out = await node.ainvoke({"messages": [HumanMessage("q"), message], "user": ""})
    assert out == [
        Command(update={"user": "ada", "messages": [ToolMessage("set ada", name="set_user", tool_call_id="c1")]}),
        {"messages": [ToolMessage("2.0", name="divide", tool_call_id="c2")]},
    ]
    with pytest.raises(ValueError, match="Expected to have a matching ToolMessage in Command.update for tool 'forgets_the_message'"):
        await node.ainvoke({"messages": [ai(("forgets_the_message", {}, "c3"))]})
    with pytest.raises(ValueError, match="Tools can provide a dict in Command.update only when using dict"):
        await node.ainvoke([ai(("set_user", {"name": "b"}, "c4"))])
