"""``Runnable.as_tool``: a tool that invokes the runnable (langchain-core 1.8's observed behaviour)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from runtime import RunnableLambda
from runtime.messages import ToolMessage
from runtime.tools import BaseTool, StructuredTool, convert_to_openai_tool


class Args(TypedDict):
    a: int
    b: list[int]


def multiply(x: Args) -> str:
    return str(x["a"] * max(x["b"]))


class Model(BaseModel):
    """P doc"""

    a: int = Field(..., description="first")
    b: list[int]


def echo(x: dict[str, Any]) -> str:
    return str(x)


def bang(x: str) -> str:
    return x + "!"


ARGS = {"a": {"title": "A", "type": "integer"}, "b": {"title": "B", "type": "array", "items": {"type": "integer"}}}


async def test_typed_dict_input_becomes_the_arguments() -> None:
    tool = RunnableLambda(multiply).as_tool()
    assert isinstance(tool, StructuredTool) and isinstance(tool, BaseTool)
    assert tool.name == "multiply"
    assert tool.args == ARGS
    assert tool.description.startswith("Takes {") and tool.description.endswith("}.")
    assert await tool.ainvoke({"a": 3, "b": [1, 2]}) == "6"
    function = convert_to_openai_tool(tool)["function"]
    assert function["name"] == "multiply" and function["parameters"]["required"] == ["a", "b"]


async def test_name_description_and_arg_types() -> None:
    tool = RunnableLambda(multiply).as_tool(name="mult", description="Multiply", arg_types={"a": int, "b": list[int]})
    assert (tool.name, tool.description, tool.args) == ("mult", "Multiply", ARGS)
    untyped = RunnableLambda(lambda x: x).as_tool(arg_types={"q": str})
    assert untyped.name == "RunnableLambda"
    assert untyped.args == {"q": {"title": "Q", "type": "string"}}
    assert await untyped.ainvoke({"q": "z"}) == {"q": "z"}


async def test_pydantic_args_schema() -> None:
    tool = RunnableLambda(echo).as_tool(Model, name="gg")
    assert tool.name == "gg"
    assert tool.args == {
        "a": {"description": "first", "title": "A", "type": "integer"},
        "b": {"items": {"type": "integer"}, "title": "B", "type": "array"},
    }
    assert tool.description == f"Takes {Model.model_json_schema()}."
    assert await tool.ainvoke({"a": 1, "b": [2]}) == str({"a": 1, "b": [2]})


async def test_string_input_is_a_one_argument_tool() -> None:
    tool = RunnableLambda(bang).as_tool(name="bang", description="bangs")
    assert tool.args == {"tool_input": {"type": "string"}}
    assert await tool.ainvoke("hi") == "hi!"
    answer = await tool.ainvoke({"name": "bang", "args": {"tool_input": "ho"}, "id": "c1", "type": "tool_call"})
    assert isinstance(answer, ToolMessage) and answer.content == "ho!" and answer.tool_call_id == "c1"


def test_an_untyped_dict_input_is_refused() -> None:
    with pytest.raises(TypeError, match=r"echo.as_tool\(\): .*pass args_schema= or arg_types="):
        RunnableLambda(echo).as_tool()
    with pytest.raises(TypeError, match=r"args_schema=\.\.\.\) takes a pydantic model"):
        RunnableLambda(echo).as_tool(5)


async def test_the_runnable_runs_inside_the_tool_run() -> None:
    tool = RunnableLambda(multiply).as_tool()
    async with tool.astream_events({"a": 3, "b": [1, 2]}, version="v2") as stream:
        events = [e async for e in stream]
    given = {"a": 3, "b": [1, 2]}
    assert [(e["event"], e["name"], e["data"]) for e in events] == [
        ("on_tool_start", "multiply", {"input": given}),
        ("on_chain_start", "multiply", {"input": given}),
        ("on_chain_end", "multiply", {"output": "6", "input": given}),
        ("on_tool_end", "multiply", {"output": "6"}),
    ]
    assert events[1]["parent_ids"] == [events[0]["run_id"]]


def reads_keys(x):  # type: ignore[no-untyped-def]  # unannotated on purpose: the keys come from the source
    return x["a"] + x.get("b", 0) + x.get("c")


async def test_an_unannotated_function_takes_the_keys_its_source_reads() -> None:
    # langchain-core 1.8 reads ``arg["key"]`` and ``arg.get("key")`` in the source: the
    # keys, sorted, become required arguments of any type.
    tool = RunnableLambda(reads_keys).as_tool(name="keys")
    assert tool.args == {"a": {"title": "A"}, "b": {"title": "B"}, "c": {"title": "C"}}
    assert convert_to_openai_tool(tool)["function"]["parameters"]["required"] == ["a", "b", "c"]
    assert await tool.ainvoke({"a": 1, "b": 2, "c": 3}) == 6
    lambda_tool = RunnableLambda(lambda d: d["z"] * 2).as_tool(name="double")
    assert lambda_tool.args == {"z": {"title": "Z"}}
    assert await lambda_tool.ainvoke({"z": 4}) == 8
    # Through a sequence, the first step's keys.
    assert (RunnableLambda(reads_keys) | RunnableLambda(lambda v: v + 1)).as_tool(name="s").args == tool.args
    # A function reading no keys is still refused (langchain-core makes a tool without arguments).
    with pytest.raises(TypeError, match=r"ident.as_tool\(\): .*pass args_schema= or arg_types="):
        RunnableLambda(lambda d: d).as_tool(name="ident")
