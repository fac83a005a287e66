"""pydantic ``BaseModel`` state schemas, validated as LangGraph validates them.

LangGraph validates when a node's input is built from the state (the model is
constructed from the keys that hold a value), not when a value is written: the
state keeps what was written, nodes get validated instances, and ``invoke`` /
``values`` / ``get_state`` report plain dicts. The expected outputs marked
"LangGraph 1.2" were observed by running the same graph under LangGraph 1.2 in a
scratch script. pydantic is optional: without it this module is skipped.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Optional

import pytest
import typing_extensions
from _core_support import collect, collect_until_error

from graphs import END, START, InMemorySaver, StateGraph, ToolNode, add_messages, tools_condition
from runtime.messages import AIMessage, AnyMessage, BaseMessage, ToolMessage
from runtime.tools import tool

pydantic = pytest.importorskip("pydantic")
BaseModel = pydantic.BaseModel
Field = pydantic.Field
ValidationError = pydantic.ValidationError


class Model(BaseModel):
    x: int
    y: str = "d"
    z: Optional[int] = None
    items: Annotated[list, operator.add] = Field(default_factory=list)


def recording_graph(node: Any, seen: list[Any], schema: type = Model, **schemas: Any) -> Any:
    graph = StateGraph(schema, **schemas)
    graph.add_node("n", lambda s: seen.append(s) or node(s))
    graph.add_edge(START, "n")
    return graph.compile()


def test_nodes_get_a_validated_instance_and_invoke_returns_a_dict() -> None:
    seen: list[Any] = []
    app = recording_graph(lambda s: {"x": s.x + 1}, seen)
    out = app.invoke({"x": 1})
    assert out == {"x": 2, "items": []}  # LangGraph 1.2: defaults fill the instance, not the state
    assert type(out) is dict
    assert seen == [Model(x=1, y="d", z=None, items=[])]


async def test_values_stream_dicts_of_the_keys_written() -> None:
    app = recording_graph(lambda s: {"items": [s.x]}, [])
    parts = await collect(app.astream({"x": 1}, stream_mode="values"))
    assert parts == [{"x": 1, "items": []}, {"x": 1, "items": [1]}]


def test_the_state_keeps_what_was_written_while_nodes_see_it_coerced() -> None:
    seen: list[Any] = []
    out = recording_graph(lambda s: {}, seen).invoke({"x": "5"})
    assert seen[0].x == 5
    assert out == {"x": "5", "items": []}  # LangGraph 1.2


@pytest.mark.parametrize("bad", [{"x": "not a number"}, {"y": "no x"}], ids=["wrong type", "missing"])
async def test_invalid_input_raises_validation_error_before_the_first_node(bad: dict[str, Any]) -> None:
    seen: list[Any] = []
    app = recording_graph(lambda s: {}, seen)
    parts, error = await collect_until_error(app.astream(bad, stream_mode="updates"))
    assert isinstance(error, ValidationError)  # LangGraph 1.2: pydantic's own error, as itself
    assert "Model" in str(error)
    assert any("'n'" in note and "Model" in note for note in error.__notes__)
    assert parts == [] and seen == []


def test_an_invalid_update_raises_when_the_next_node_reads_it() -> None:
    graph = StateGraph(Model)
    graph.add_node("a", lambda s: {"x": "bad"})
    graph.add_node("b", lambda s: {"items": [1]})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    with pytest.raises(ValidationError) as caught:  # LangGraph 1.2: "Before task with name 'b' ..."
        graph.compile().invoke({"x": 1})
    assert any("'b'" in note for note in caught.value.__notes__)

    # Nothing reads after the last node: LangGraph 1.2 returns the unvalidated value.
    last = StateGraph(Model)
    last.add_node("a", lambda s: {"x": "bad"})
    last.add_edge(START, "a")
    assert last.compile().invoke({"x": 1}) == {"x": "bad", "items": []}


def test_a_returned_model_writes_fields_not_left_at_a_none_default() -> None:
    app = recording_graph(lambda s: Model(x=10), [])
    # LangGraph 1.2: y (default "d") and items are written; z (None, default None) is not.
    assert app.invoke({"x": 1, "z": 3}) == {"x": 10, "y": "d", "z": 3, "items": []}
    explicit = recording_graph(lambda s: Model(x=10, z=None), [])
    assert explicit.invoke({"x": 1, "z": 3}) == {"x": 10, "y": "d", "z": None, "items": []}


def test_a_model_instance_is_accepted_as_input() -> None:
    app = recording_graph(lambda s: {}, [])
    assert app.invoke(Model(x=2)) == {"x": 2, "y": "d", "items": []}  # LangGraph 1.2


class BaseItems(BaseModel):
    items: Annotated[list, operator.add] = []


class ChildModel(BaseItems):
    w: int = 0


def test_a_subclass_keeps_the_base_fields_and_reducers() -> None:
    seen: list[Any] = []
    app = recording_graph(lambda s: {"items": [s.w]}, seen, ChildModel)
    assert app.invoke({"items": ["in"], "w": 4}) == {"items": ["in", 4], "w": 4}
    assert seen == [ChildModel(items=["in"], w=4)]


class Limited(BaseModel):
    # pydantic keeps Field constraints after the reducer; the annotation still names it.
    items: Annotated[list, operator.add] = Field(default_factory=list, max_length=3)
    n: typing_extensions.Annotated[int, Field(ge=0), operator.add] = 0


def test_reducers_sit_beside_pydantic_constraints() -> None:
    graph = StateGraph(Limited)
    graph.add_node("a", lambda s: {"items": [1], "n": 2})
    graph.add_node("b", lambda s: {"items": [2], "n": 3})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    assert graph.compile().invoke({"n": 1}) == {"items": [1, 2], "n": 6}


def test_routers_get_an_instance_and_get_state_a_dict() -> None:
    routed: list[Any] = []
    graph = StateGraph(Model)
    graph.add_node("a", lambda s: {"items": [s.x]})
    graph.add_conditional_edges("a", lambda s: routed.append(s) or END)
    graph.add_edge(START, "a")
    app = graph.compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "1"}}
    app.invoke({"x": 1}, config)
    assert routed == [Model(x=1, items=[1])]
    values = app.get_state(config).values
    assert type(values) is dict and values == {"x": 1, "items": [1]}  # LangGraph 1.2


class Question(BaseModel):
    question: str


class Reply(BaseModel):
    answer: str = ""


class Everything(BaseModel):
    question: str = ""
    answer: str = ""
    scratch: int = 0


def test_pydantic_input_and_output_schemas() -> None:
    graph = StateGraph(Everything, input_schema=Question, output_schema=Reply)
    graph.add_node("think", lambda s: {"scratch": len(s.question)})
    graph.add_node("say", lambda s: {"answer": f"{s.question}={s.scratch}"})
    graph.add_edge(START, "think")
    graph.add_edge("think", "say")
    app = graph.compile()
    assert app.invoke({"question": "why"}) == {"answer": "why=3"}
    assert app.invoke(Question(question="hm")) == {"answer": "hm=2"}


class NodeView(BaseModel):
    x: int
    note: str = "none"


def test_a_pydantic_node_input_schema() -> None:
    seen: list[Any] = []
    graph = StateGraph(Model)
    graph.add_node("n", lambda s: seen.append(s) or {"items": [s.note]}, input_schema=NodeView)
    graph.add_edge(START, "n")
    assert graph.compile().invoke({"x": 1}) == {"x": 1, "items": ["none"]}
    assert seen == [NodeView(x=1)]


def test_a_model_defined_in_a_function_resolves_its_local_reducer() -> None:
    def keep_last(left: list[Any], right: list[Any]) -> list[Any]:
        return right

    class Local(BaseModel):
        items: Annotated[list, keep_last] = []

    # Under postponed annotations the class's annotations name a local function;
    # pydantic has resolved them already, so the reducer is found (LangGraph 1.2
    # raises NameError here: deliberate difference 9).
    graph = StateGraph(Local)
    graph.add_node("a", lambda s: {"items": ["a"]})
    graph.add_node("b", lambda s: {"items": ["b"]})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    assert graph.compile().invoke({"items": ["in"]}) == {"items": ["b"]}


class Chat(BaseModel):
    messages: Annotated[list[AnyMessage], add_messages]
    turns: int = 0


def test_a_pydantic_state_holds_messages_through_a_tool_loop() -> None:
    @tool
    def shout(text: str) -> str:
        """Shout the text."""
        return text.upper()

    def agent(state: Chat) -> dict[str, Any]:
        assert isinstance(state, Chat) and isinstance(state.messages[-1], BaseMessage)
        if isinstance(state.messages[-1], ToolMessage):
            return {"messages": [AIMessage(content=state.messages[-1].content)], "turns": state.turns + 1}
        call = {"name": "shout", "args": {"text": state.messages[-1].text}, "id": "c1", "type": "tool_call"}
        return {"messages": [AIMessage(content="", tool_calls=[call])], "turns": state.turns + 1}

    graph = StateGraph(Chat)
    graph.add_node(agent)
    graph.add_node("tools", ToolNode([shout]))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    out = graph.compile().invoke({"messages": [("user", "hey")]})
    assert [type(m).__name__ for m in out["messages"]] == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]
    assert out["messages"][-1].content == "HEY" and out["turns"] == 2
