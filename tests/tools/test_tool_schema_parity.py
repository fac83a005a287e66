"""Tool schemas and descriptions where a port from LangChain used to differ.

Each expected value was observed by running the same definitions on langchain-core
1.8 with pydantic 2 (under Python 3.11): key qualifiers on a TypedDict parameter's
fields, ``Annotated`` notes on the fields of nested classes (pydantic ignores
them), and the description taken from a docstring (LangChain dedents it as a
whole, so lines after the first keep their indentation before Python 3.13, whose
compiler dedents docstrings itself).
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Annotated

import pydantic
import pytest
import typing_extensions

from runtime.tools import StructuredTool, tool


class Options(typing_extensions.TypedDict):
    """Options."""

    fast: bool
    level: typing_extensions.NotRequired[int]
    label: typing_extensions.ReadOnly[str]
    ids: typing_extensions.Required[Annotated[list[int], "ids"]]


class Partial(typing_extensions.TypedDict, total=False):
    a: int
    b: typing_extensions.Required[str]


class Note(typing_extensions.TypedDict):
    z: Annotated[int, "zz"]


@dataclasses.dataclass
class Sized:
    a: Annotated[int, "aa"]


@pytest.mark.filterwarnings("ignore:Item .label. on TypedDict:UserWarning")  # pydantic on ReadOnly, as under LangChain
def test_key_qualifiers_on_a_typeddict_parameter_say_nothing_of_the_type() -> None:
    @tool
    def configure(options: Options, partial: Partial) -> str:
        """Configure."""
        return f"{options} {partial}"

    defs = configure.tool_call_schema["$defs"]
    assert defs["Options"] == {
        "description": "Options.",
        "properties": {
            "fast": {"title": "Fast", "type": "boolean"},
            "level": {"title": "Level", "type": "integer"},
            "label": {"title": "Label", "type": "string"},
            "ids": {"items": {"type": "integer"}, "title": "Ids", "type": "array"},
        },
        "required": ["fast", "label", "ids"],
        "title": "Options",
        "type": "object",
    }
    assert defs["Partial"] == {
        "properties": {"a": {"title": "A", "type": "integer"}, "b": {"title": "B", "type": "string"}},
        "required": ["b"],
        "title": "Partial",
        "type": "object",
    }
    given = {"options": {"fast": True, "label": "l", "ids": [1]}, "partial": {"b": "B"}}
    assert configure.invoke(given) == "{'fast': True, 'label': 'l', 'ids': [1]} {'b': 'B'}"


def test_annotated_notes_describe_parameters_not_the_fields_of_nested_classes() -> None:
    @tool
    def act(note: Note, sized: Sized, top: Annotated[int, "tt"]) -> str:
        """Act."""
        return ""

    schema = act.args_schema.model_json_schema()
    assert schema["$defs"] == {
        "Note": {"properties": {"z": {"title": "Z", "type": "integer"}}, "required": ["z"], "title": "Note", "type": "object"},
        "Sized": {"properties": {"a": {"title": "A", "type": "integer"}}, "required": ["a"], "title": "Sized", "type": "object"},
    }
    assert schema["properties"]["top"] == {"description": "tt", "title": "Top", "type": "integer"}


def first_then_more(a: int) -> str:
    """First.

      Indented more.
    Back.
    """
    return ""


CLEANED = "First.\n\n  Indented more.\nBack."
AS_WRITTEN = CLEANED if sys.version_info >= (3, 13) else "First.\n\n      Indented more.\n    Back."


def test_a_docstring_description_is_dedented_as_a_whole_and_the_schemas_is_cleaned() -> None:
    for made in (tool(first_then_more), StructuredTool.from_function(first_then_more)):
        assert made.description == AS_WRITTEN
        assert made.args_schema.model_json_schema()["description"] == CLEANED
        assert made.tool_call_schema["description"] == CLEANED


def test_a_pydantic_args_schema_lends_its_docstring_the_same_way() -> None:
    class Arguments(pydantic.BaseModel):
        """Model doc.

        More.
        """

        a: int

    def undocumented(a: int) -> str:
        return ""

    expected = "Model doc.\n\nMore." if sys.version_info >= (3, 13) else "Model doc.\n\n        More."
    assert StructuredTool.from_function(undocumented, args_schema=Arguments).description == expected
    assert tool(args_schema=Arguments)(undocumented).description == expected


def test_a_tool_without_a_schema_keeps_its_docstring_as_written() -> None:
    @tool(infer_schema=False)
    def raw(q: str) -> str:
        """
        Raw doc.
          more
        """
        return q

    assert raw.description == raw.func.__doc__  # type: ignore[attr-defined]
    assert raw.description.strip().startswith("Raw doc.")

    def bare(q: str) -> str:
        return q

    with pytest.raises(ValueError, match="^Function must have either a docstring or description when infer_schema is False.$"):
        tool(infer_schema=False)(bare)
    assert tool(infer_schema=False, description="given")(bare).description == "given"
