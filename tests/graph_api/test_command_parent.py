"""``Command(graph=Command.PARENT)`` from a graph invoked *inside a node's code* (LangGraph 1.2).

The graph that called it applies the command as if the calling node had
returned it: its update and ``goto``, plus the node's own static edges; what
the node's code would have returned is lost.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphs import START, Command, InvalidUpdateError, Send, StateGraph


class State(TypedDict, total=False):
    items: Annotated[list[str], operator.add]
    x: int


def jumping(command: Command[Any]) -> Any:
    """A one-node graph whose node sends ``command`` to its parent."""
    graph = StateGraph(State)
    graph.add_node("jump", lambda state: command)
    graph.add_edge(START, "jump")
    return graph.compile()


def parent_calling(caller: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("caller", caller)
    graph.add_node("target", lambda state: {"items": [f"target{state.get('x', '')}"]})
    graph.add_node("other", lambda state: {"items": ["other"]})
    graph.add_edge(START, "caller")
    graph.add_edge("caller", "other")
    return graph.compile()


TO_TARGET = Command(graph=Command.PARENT, goto="target", update={"items": ["from-sub"]})


def test_a_sync_node_that_invokes_a_graph_gets_its_parent_command() -> None:
    inner = jumping(TO_TARGET)

    def caller(state: State) -> State:
        inner.invoke({"items": []})
        return {"items": ["never"]}

    first, *step_two = parent_calling(caller).stream({"items": []})
    assert first == {"caller": {"items": ["from-sub"]}}
    # The goto and the caller's static edge run together, in either order.
    assert sorted(step_two, key=str) == [{"other": {"items": ["other"]}}, {"target": {"items": ["target"]}}]


async def test_an_async_node_that_awaits_a_graph_gets_its_parent_command() -> None:
    inner = jumping(Command(graph=Command.PARENT, goto="target", update={"x": 3}))

    async def caller(state: State) -> State:
        await inner.ainvoke({"items": []})
        return {"items": ["never"]}

    assert await parent_calling(caller).ainvoke({"items": []}) == {"items": ["other", "target3"], "x": 3}


def test_its_goto_may_send() -> None:
    inner = jumping(Command(graph=Command.PARENT, goto=[Send("target", {"x": 9})]))

    def caller(state: State) -> State:
        return inner.invoke({"items": []})  # type: ignore[no-any-return]

    assert parent_calling(caller).invoke({"items": []}) == {"items": ["other", "target9"]}


def test_the_command_goes_up_one_level_only() -> None:
    inner = jumping(Command(graph=Command.PARENT, goto="mid_target", update={"items": ["from-inner"]}))

    def mid_caller(state: State) -> State:
        inner.invoke({"items": []})
        return {"items": ["never"]}

    middle = StateGraph(State)
    middle.add_node("mid_caller", mid_caller)
    middle.add_node("mid_target", lambda state: {"items": ["mid_target"]})
    middle.add_edge(START, "mid_caller")
    middle_app = middle.compile()

    def caller(state: State) -> State:
        return {"items": middle_app.invoke({"items": []})["items"]}

    # The middle graph applied the command; the root saw an ordinary update.
    assert parent_calling(caller).invoke({"items": []}) == {
        "items": ["from-inner", "mid_target", "other"]
    }


def test_an_unknown_goto_names_the_node_and_the_target() -> None:
    inner = jumping(Command(graph=Command.PARENT, goto="nowhere"))

    def caller(state: State) -> State:
        inner.invoke({"items": []})
        return {}

    with pytest.raises(InvalidUpdateError, match="'caller'.*'nowhere'"):
        parent_calling(caller).invoke({"items": []})
