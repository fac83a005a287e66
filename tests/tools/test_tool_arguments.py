"""A function tool's arguments are checked and converted by their annotations, as LangChain
does it with pydantic (installed with the test extra).

Expected values were observed by running the same tools on langchain-core 1.8 and,
for ``ToolNode``, LangGraph 1.2: lax conversion (``"3"`` -> ``3``), refusals
listed as ``<argument>[.<where>]: <pydantic's message>``. Where LangChain raises
pydantic's ``ValidationError`` from the tool itself, Tributary raises its
``ToolInvocationError`` with the same lines (the message ``ToolNode`` sends back
is the same).
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Literal

import attrs
import pydantic
import pytest

from graphs import START, MessagesState, StateGraph, ToolNode
from runtime import AIMessage
from runtime.tools import ToolInvocationError, tool


class Point(pydantic.BaseModel):
    x: int


@dataclasses.dataclass
class Box:
    w: int


@attrs.define
class Tag:
    label: str


class Color(enum.Enum):
    RED = "red"


@tool
def typed(a: int, b: float = 1.0, c: bool = False, d: list[int] | None = None, e: Literal["x", "y"] = "x") -> str:
    """Typed."""
    return repr((a, b, c, d, e))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"a": "3"}, "(3, 1.0, False, None, 'x')"),
        ({"a": 3.0}, "(3, 1.0, False, None, 'x')"),
        ({"a": 2, "b": "2.5"}, "(2, 2.5, False, None, 'x')"),
        ({"a": 1, "c": "true"}, "(1, 1.0, True, None, 'x')"),
        ({"a": 1, "d": ["1", 2]}, "(1, 1.0, False, [1, 2], 'x')"),
    ],
)
def test_arguments_are_converted_as_pydantic_converts_them(given: dict[str, Any], expected: str) -> None:
    assert typed.invoke(given) == expected


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"a": 1.5}, "a: Input should be a valid integer, got a number with a fractional part"),
        ({"a": 1, "e": "z"}, "e: Input should be 'x' or 'y'"),
        ({"a": None}, "a: Input should be a valid integer"),
        ({"a": 1, "d": [1, "b"]}, "d.1: Input should be a valid integer, unable to parse string as an integer"),
    ],
)
def test_arguments_that_do_not_fit_are_refused_naming_each_problem(given: dict[str, Any], problem: str) -> None:
    with pytest.raises(ToolInvocationError) as caught:
        typed.invoke(given)
    assert caught.value.message == (
        f"Error invoking tool 'typed' with kwargs {given} with error:\n {problem}\n Please fix the error and try again."
    )


def test_a_string_argument_is_checked_but_passed_on_as_given() -> None:
    # langchain-core checks {"a": "5"} against the annotation, then calls the function with "5".
    assert typed.invoke("5") == "('5', 1.0, False, None, 'x')"
    with pytest.raises(ToolInvocationError, match="a: Input should be a valid integer"):
        typed.invoke("five")


def test_dicts_become_the_declared_classes_pydantic_can_take_or_not() -> None:
    seen: list[Any] = []

    @tool
    def build(point: Point, box: Box, tag: Tag, color: Color) -> str:
        """Build."""
        seen.extend([point, box, tag, color])
        return "ok"

    assert build.invoke({"point": {"x": "1"}, "box": {"w": "2"}, "tag": {"label": "t"}, "color": "red"}) == "ok"
    # pydantic takes the model, the dataclass and the enum (converting "1" and "2");
    # it cannot take an attrs class, which is built from the dict as it is.
    assert seen == [Point(x=1), Box(w=2), Tag("t"), Color.RED]


def test_a_tool_node_answers_a_refused_call_with_langgraphs_message() -> None:
    graph = StateGraph(MessagesState)
    graph.add_node("tools", ToolNode([typed]))
    graph.add_edge(START, "tools")
    app = graph.compile()
    call = AIMessage("", tool_calls=[{"name": "typed", "args": {"a": 1, "d": [1, "b"]}, "id": "c"}])
    (answer,) = app.invoke({"messages": [call]})["messages"][1:]
    assert answer.status == "error"
    assert answer.content == (
        "Error invoking tool 'typed' with kwargs {'a': 1, 'd': [1, 'b']} with error:\n"
        " d.1: Input should be a valid integer, unable to parse string as an integer\n"
        " Please fix the error and try again."
    )
    fixed = AIMessage("", tool_calls=[{"name": "typed", "args": {"a": "4"}, "id": "c2"}])
    (answer,) = app.invoke({"messages": [fixed]})["messages"][1:]
    assert (answer.status, answer.content) == ("success", "(4, 1.0, False, None, 'x')")
