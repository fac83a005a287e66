"""What a checkpoint can hold: messages, ``Send`` and ``Interrupt``, the built-in
types beyond JSON, and registered types — read back as themselves after a resume
(the resumed run plans from the stored bytes, not from live objects)."""

from __future__ import annotations

import datetime
import operator
import uuid
from decimal import Decimal
from typing import Annotated, Any, TypedDict

import pytest

from _persist_support import State, thread
from graphs import END, START, Command, Interrupt, Send, StateGraph, interrupt
from graphs.message import MessagesState
from runtime.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage


def test_messages_survive_a_resume_and_the_reducer_merges_by_id(saver: Any) -> None:
    seen: list[Any] = []

    def agent(state: MessagesState) -> dict[str, Any]:
        seen.append(list(state["messages"]))
        call = {"name": "search", "args": {"q": "trio", "n": 3}, "id": "call-1"}
        return {"messages": [AIMessage("looking", id="ai-1", tool_calls=[call])]}

    def tool(state: MessagesState) -> dict[str, Any]:
        seen.append(list(state["messages"]))
        return {"messages": [ToolMessage("found it", tool_call_id="call-1", id="tool-1")]}

    graph = StateGraph(MessagesState)
    graph.add_sequence([agent, tool])
    graph.add_edge(START, "agent")
    app = graph.compile(checkpointer=saver, interrupt_before=["tool"])
    first = [SystemMessage("be brief", id="sys"), HumanMessage("find trio", id="h-1")]
    app.invoke({"messages": first}, thread())
    app.invoke(None, thread())

    # The tool node ran in a resumed run: its input was read back from the store.
    stored = seen[1]
    assert [type(m) for m in stored] == [SystemMessage, HumanMessage, AIMessage]
    assert stored[2].tool_calls == [{"name": "search", "args": {"q": "trio", "n": 3}, "id": "call-1", "type": "tool_call"}]
    assert stored == first + [AIMessage("looking", id="ai-1", tool_calls=[stored[2].tool_calls[0]])]

    # A second run: a message with a known id replaces it, a new one is appended.
    out = app.invoke({"messages": [HumanMessage("find trio, please", id="h-1"), HumanMessage("and fast", id="h-2")]}, thread())
    saved = app.get_state(thread()).values["messages"]
    assert out["messages"] == saved
    assert [(type(m).__name__, m.id, m.text) for m in saved] == [
        ("SystemMessage", "sys", "be brief"),
        ("HumanMessage", "h-1", "find trio, please"),
        ("AIMessage", "ai-1", "looking"),
        ("ToolMessage", "tool-1", "found it"),
        ("HumanMessage", "h-2", "and fast"),
    ]
    assert isinstance(saved[3], ToolMessage) and saved[3].tool_call_id == "call-1"


class Bag(TypedDict):
    payload: Any
    checked: Annotated[list, operator.add]


VALUES = {
    "send": Send("worker", {"args": (1, "two")}),
    "interrupt": Interrupt({"question": "ok?"}, "ab" * 16),
    "tuple": (1, (2, 3)),
    "set": {1, 2},
    "frozenset": frozenset({"a"}),
    "bytes": b"\x00\xff",
    "int_keys": {1: "one", (2, 3): "pair"},
    "tag_like": {"__t": "tuple", "v": [1]},
    "when": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "day": datetime.date(2024, 1, 2),
    "uuid": uuid.UUID(int=7),
    "money": Decimal("1.10"),
    "message": HumanMessage("hi", id="m"),
}


def test_values_come_back_from_the_store_as_the_same_types(saver: Any) -> None:
    received: list[Any] = []

    def put(state: Bag) -> dict[str, Any]:
        return {"payload": VALUES}

    def check(state: Bag) -> dict[str, Any]:
        received.append(state["payload"])
        return {"checked": [True]}

    graph = StateGraph(Bag)
    graph.add_sequence([put, check])
    graph.add_edge(START, "put")
    app = graph.compile(checkpointer=saver, interrupt_before=["check"])
    app.invoke({"checked": []}, thread())
    app.invoke(None, thread())
    (payload,) = received
    assert payload == VALUES
    assert {k: type(v) for k, v in payload.items()} == {k: type(v) for k, v in VALUES.items()}
    assert app.get_state(thread()).values["payload"] == VALUES


def test_pending_sends_are_saved_and_run_after_a_resume(saver: Any) -> None:
    def fan(state: State) -> list[Send]:
        return [Send("worker", {"x": i, "log": []}) for i in range(3)]

    def worker(arg: Any) -> dict[str, Any]:
        return {"log": [f"w{arg['x']}"]}

    graph = StateGraph(State)
    graph.add_node("start", lambda state: None)
    graph.add_node("worker", worker)
    graph.add_edge(START, "start")
    graph.add_conditional_edges("start", fan, ["worker"])
    graph.add_edge("worker", END)
    app = graph.compile(checkpointer=saver, interrupt_before=["worker"])
    app.invoke({"x": 0}, thread())
    state = app.get_state(thread())
    assert state.next == ("worker", "worker", "worker")
    assert [t.path for t in state.tasks] == [("__pregel_push", i, False) for i in range(3)]
    assert app.invoke(None, thread()) == {"x": 0, "log": ["w0", "w1", "w2"]}


def test_an_interrupt_value_is_stored_with_its_type(saver: Any) -> None:
    question = HumanMessage("approve?", id="q")

    graph = StateGraph(State)
    graph.add_node("ask", lambda state: {"log": [interrupt({"msg": question, "options": ("y", "n")})]})
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    (found,) = app.get_state(thread()).interrupts
    assert found.value == {"msg": question, "options": ("y", "n")}
    assert isinstance(found.value["msg"], HumanMessage) and isinstance(found.value["options"], tuple)
    assert app.invoke(Command(resume=("y", 1)), thread()) == {"x": 1, "log": [("y", 1)]}


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


def test_a_registered_type_is_stored_and_an_unregistered_one_is_refused(saver: Any) -> None:
    def put(state: Bag) -> dict[str, Any]:
        return {"payload": Point(1, 2)}

    graph = StateGraph(Bag)
    graph.add_node(put)
    graph.add_edge(START, "put")
    app = graph.compile(checkpointer=saver)
    with pytest.raises(TypeError, match=r"Point.*register_type"):
        app.invoke({"checked": []}, thread("unregistered"))
    # Nothing of the failed step was saved; the thread is where it was before it.
    assert app.get_state(thread("unregistered")).next == ("put",)

    saver.serde.register_type(Point, tag="tests.point", encode=lambda p: [p.x, p.y], decode=lambda v: Point(*v))
    app.invoke({"checked": []}, thread("registered"))
    assert app.get_state(thread("registered")).values["payload"] == Point(1, 2)
