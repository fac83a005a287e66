"""``@tool`` and ``BaseTool``: schemas from signatures and docstrings, calls, events, streaming."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

import pytest

from runtime import BaseTool, RunnableConfig, ToolMessage, tool
from runtime.tools import StructuredTool, ToolException, ToolInvocationError, convert_to_openai_tool


@tool
def get_weather(city: str, units: Literal["c", "f"] = "c", days: int = 1) -> str:
    """Get the weather for a city.

    Args:
        city: The city to look up.
        units: Celsius or Fahrenheit.
    """
    return f"{city}:{units}:{days}"


def test_schema_from_signature_and_docstring() -> None:
    # Observed with langchain-core 1.8: without parse_docstring the whole docstring is the
    # description and the Args section describes nothing.
    # The tool's description is the docstring dedented as a whole (its first line has no
    # indentation, so before Python 3.13, whose compiler dedents docstrings, the other lines
    # keep theirs); the schema's is the cleaned docstring, as pydantic writes it.
    cleaned = "Get the weather for a city.\n\nArgs:\n    city: The city to look up.\n    units: Celsius or Fahrenheit."
    as_written = "Get the weather for a city.\n\n    Args:\n        city: The city to look up.\n        units: Celsius or Fahrenheit."
    assert get_weather.name == "get_weather"
    assert get_weather.description == (cleaned if sys.version_info >= (3, 13) else as_written)
    assert get_weather.tool_call_schema == {
        "description": cleaned,
        "title": "get_weather",
        "type": "object",
        "properties": {
            "city": {"title": "City", "type": "string"},
            "units": {"title": "Units", "enum": ["c", "f"], "type": "string", "default": "c"},
            "days": {"title": "Days", "type": "integer", "default": 1},
        },
        "required": ["city"],
    }
    assert get_weather.tool_call_schema.model_json_schema() == get_weather.tool_call_schema
    assert list(get_weather.args) == ["city", "units", "days"]


def test_decorator_forms_and_options() -> None:
    @tool("lookup", parse_docstring=True, return_direct=True)
    async def search(query: Annotated[str, "what to search"], tags: list[str] | None = None) -> str:
        """Search things.

        Args:
            query: the docstring wins over the annotation.
        """
        return query

    assert search.name == "lookup" and search.description == "Search things." and search.return_direct
    assert search.args["query"] == {"title": "Query", "type": "string", "description": "the docstring wins over the annotation."}
    assert search.args["tags"] == {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}], "default": None, "title": "Tags",
    }

    def plain(x: int) -> int:
        """Plain."""
        return x

    assert isinstance(tool(plain), StructuredTool)
    assert tool("renamed", plain).name == "renamed"
    assert tool(get_weather) is get_weather
    openai = convert_to_openai_tool(plain)
    assert openai == {
        "type": "function",
        "function": {
            "name": "plain", "description": "Plain.",
            "parameters": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
        },
    }


async def test_inputs_dict_string_and_tool_call() -> None:
    assert await get_weather.ainvoke({"city": "Oslo"}) == "Oslo:c:1"
    @tool
    def shout(word: str) -> str:
        """Shout."""
        return word.upper()

    assert await shout.ainvoke("hey") == "HEY"
    message = await get_weather.ainvoke({"name": "get_weather", "args": {"city": "Rome", "days": 2}, "id": "c9", "type": "tool_call"})
    assert message == ToolMessage("Rome:c:2", tool_call_id="c9", name="get_weather")


async def test_argument_errors() -> None:
    with pytest.raises(ToolInvocationError, match="city: Field required"):
        await get_weather.ainvoke({})
    with pytest.raises(ToolInvocationError, match="colour: unexpected argument"):
        await get_weather.ainvoke({"city": "x", "colour": "red"})
    # A string is the first argument, as in LangChain; the others need defaults.
    assert await get_weather.ainvoke("Paris") == "Paris:c:1"


async def test_injected_config_writer_and_callbacks_are_not_arguments() -> None:
    @tool
    def inspect_run(x: int, config: RunnableConfig, writer: Any, callbacks: Any) -> str:
        """Look at what was injected."""
        writer("ignored outside a graph")
        return f"{x}:{config['metadata'].get('m')}:{callbacks is None}"

    assert list(inspect_run.args) == ["x"]
    assert await inspect_run.ainvoke({"x": 1}, {"metadata": {"m": "meta"}}) == "1:meta:True"


async def test_non_string_output_becomes_json_content() -> None:
    @tool
    def data(x: int) -> dict[str, int]:
        """Data."""
        return {"x": x}

    message = await data.ainvoke({"name": "data", "args": {"x": 3}, "id": "i", "type": "tool_call"})
    assert message.content == '{"x": 3}'
    assert await data.ainvoke({"x": 3}) == {"x": 3}


async def test_content_and_artifact() -> None:
    @tool(response_format="content_and_artifact")
    def fetch(n: int) -> tuple[str, list[int]]:
        """Fetch n numbers."""
        return f"{n} numbers", list(range(n))

    message = await fetch.ainvoke({"name": "fetch", "args": {"n": 3}, "id": "f", "type": "tool_call"})
    assert message.content == "3 numbers" and message.artifact == [0, 1, 2]
    assert await fetch.ainvoke({"n": 2}) == "2 numbers"


async def test_handle_tool_error() -> None:
    @tool(handle_tool_error=True)
    def flaky(x: int) -> str:
        """Fails for the model to see."""
        raise ToolException(f"bad {x}")

    assert await flaky.ainvoke({"x": 1}) == "bad 1"
    message = await flaky.ainvoke({"name": "flaky", "args": {"x": 2}, "id": "e", "type": "tool_call"})
    assert message.status == "error" and message.content == "bad 2"

    @tool(handle_tool_error="try again")
    def flaky2(x: int) -> str:
        """Fails."""
        raise ToolException("x")

    assert await flaky2.ainvoke({"x": 1}) == "try again"


async def test_streaming_tools_report_on_tool_stream() -> None:
    @tool
    async def count(n: int) -> AsyncIterator[str]:
        """Count up."""
        for i in range(n):
            yield str(i)

    @tool
    def count_sync(n: int) -> Iterator[str]:
        """Count up in a thread."""
        for i in range(n):
            yield str(i)

    for streaming in (count, count_sync):
        assert [c async for c in streaming.astream({"n": 3})] == ["0", "1", "2"]
        assert await streaming.ainvoke({"n": 3}) == "012"
        events = [e async for e in streaming.astream_events({"n": 2})]
        assert [(e["event"], e["data"]) for e in events] == [
            ("on_tool_start", {"input": {"n": 2}}),
            ("on_tool_stream", {"chunk": "0"}),
            ("on_tool_stream", {"chunk": "1"}),
            ("on_tool_end", {"output": "01"}),
        ]
    message = await count.ainvoke({"name": "count", "args": {"n": 2}, "id": "s", "type": "tool_call"})
    assert message.content == "01"


async def test_a_subclassed_base_tool() -> None:
    class Adder(BaseTool):
        name = "adder"
        description = "Adds."
        args_schema = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a", "b"]}

        async def _arun(self, a: int, b: int) -> int:
            return a + b

    adder = Adder()
    assert await adder.ainvoke({"a": 1, "b": 2}) == 3
    events = [e async for e in adder.astream_events({"a": 1, "b": 2})]
    assert [e["name"] for e in events] == ["adder", "adder"]
    assert events[-1]["data"] == {"output": 3}
