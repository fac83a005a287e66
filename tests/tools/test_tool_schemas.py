"""Tool schemas, ``args_schema`` kinds, docstring parsing, ``run``/``arun`` and LangChain-style tools.

Every expected value here was observed with langchain-core 1.8 (and pydantic 2)
on the same definitions; dicts compare by value, so key order does not matter.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Annotated, Any, Literal, Optional, TypedDict

import pydantic
import pytest
import trio
import typing_extensions

from runtime import RunnableConfig, ToolMessage
from runtime.tools import (
    BaseTool,
    InjectedToolArg,
    InjectedToolCallId,
    StructuredTool,
    Tool,
    ToolInvocationError,
    convert_to_openai_function,
    convert_to_openai_tool,
    tool,
)


class Point(pydantic.BaseModel):
    x: int
    y: int = 0


class Pair(typing_extensions.TypedDict):
    a: str
    b: int


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class Box:
    """A box."""

    w: int
    label: str = "x"


class Inner(TypedDict):
    v: int


class Opts(typing_extensions.TypedDict, total=False):
    """TD doc."""

    a: str
    inner: Inner


POINT_DEF = {
    "properties": {"x": {"title": "X", "type": "integer"}, "y": {"default": 0, "title": "Y", "type": "integer"}},
    "required": ["x"], "title": "Point", "type": "object",
}
PAIR_DEF = {
    "properties": {"a": {"title": "A", "type": "string"}, "b": {"title": "B", "type": "integer"}},
    "required": ["a", "b"], "title": "Pair", "type": "object",
}


def test_pydantic_and_typeddict_parameters_become_defs_and_refs() -> None:
    @tool
    def place(p: Point, t: Pair, n: int) -> str:
        """Do f."""
        return f"{p.x},{p.y}:{t['a']}:{n}"

    assert place.args == {"p": {"$ref": "#/$defs/Point"}, "t": {"$ref": "#/$defs/Pair"}, "n": {"title": "N", "type": "integer"}}
    assert place.tool_call_schema == {
        "$defs": {"Point": POINT_DEF, "Pair": PAIR_DEF},
        "description": "Do f.",
        "properties": place.args,
        "required": ["p", "t", "n"], "title": "place", "type": "object",
    }
    assert convert_to_openai_tool(place) == {"type": "function", "function": {
        "name": "place", "description": "Do f.", "parameters": {
            "properties": {
                "p": {"properties": {"x": {"type": "integer"}, "y": {"default": 0, "type": "integer"}}, "required": ["x"], "type": "object"},
                "t": {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a", "b"], "type": "object"},
                "n": {"type": "integer"},
            },
            "required": ["p", "t", "n"], "type": "object",
        },
    }}


async def test_a_dict_for_a_pydantic_parameter_arrives_as_the_model() -> None:
    seen: list[Any] = []

    @tool
    def place(p: Point, box: Box, color: Color, maybe: Point | None = None) -> str:
        """Place it."""
        seen.extend([p, box, color, maybe])
        return "ok"

    assert await place.ainvoke({"p": {"x": 1}, "box": {"w": 2}, "color": "blue", "maybe": {"x": 5}}) == "ok"
    assert seen == [Point(x=1, y=0), Box(w=2), Color.BLUE, Point(x=5)]


def test_every_annotation_kind_as_pydantic_renders_it() -> None:
    @tool
    def f(
        l1: Literal["c", "f"], l2: Literal["x"], o: Optional[int], li: list, o2: int | None = None,  # noqa: UP007
        ls: list[str] = [], d: dict = {}, dsi: dict[str, int] = {}, tu: tuple[int, ...] = (),  # noqa: B006
        se: set[str] = set(), c: Color = Color.RED, dc: Box | None = None, td: Opts | None = None,  # noqa: B006
        an: Any = None, fl: float = 1.5, u: int | str = 1, ann: Annotated[str, "desc here"] = "z", b: bool = False,
    ) -> str:
        """F."""
        return ""

    assert f.tool_call_schema["$defs"] == {
        "Color": {"enum": ["red", "blue"], "title": "Color", "type": "string"},
        "Box": {"description": "A box.", "properties": {"w": {"title": "W", "type": "integer"}, "label": {"default": "x", "title": "Label", "type": "string"}}, "required": ["w"], "title": "Box", "type": "object"},
        "Inner": {"properties": {"v": {"title": "V", "type": "integer"}}, "required": ["v"], "title": "Inner", "type": "object"},
        "Opts": {"description": "TD doc.", "properties": {"a": {"title": "A", "type": "string"}, "inner": {"$ref": "#/$defs/Inner"}}, "title": "Opts", "type": "object"},
    }
    assert f.args == {
        "l1": {"enum": ["c", "f"], "title": "L1", "type": "string"},
        "l2": {"const": "x", "title": "L2", "type": "string"},
        "o": {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "O"},
        "li": {"items": {}, "title": "Li", "type": "array"},
        "o2": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None, "title": "O2"},
        "ls": {"default": [], "items": {"type": "string"}, "title": "Ls", "type": "array"},
        "d": {"additionalProperties": True, "default": {}, "title": "D", "type": "object"},
        "dsi": {"additionalProperties": {"type": "integer"}, "default": {}, "title": "Dsi", "type": "object"},
        "tu": {"default": [], "items": {"type": "integer"}, "title": "Tu", "type": "array"},
        "se": {"default": [], "items": {"type": "string"}, "title": "Se", "type": "array", "uniqueItems": True},
        "c": {"$ref": "#/$defs/Color", "default": "red"},
        "dc": {"anyOf": [{"$ref": "#/$defs/Box"}, {"type": "null"}], "default": None},  # a class or None: no title
        "td": {"anyOf": [{"$ref": "#/$defs/Opts"}, {"type": "null"}], "default": None},
        "an": {"default": None, "title": "An"},
        "fl": {"default": 1.5, "title": "Fl", "type": "number"},
        "u": {"anyOf": [{"type": "integer"}, {"type": "string"}], "default": 1, "title": "U"},
        "ann": {"default": "z", "description": "desc here", "title": "Ann", "type": "string"},
        "b": {"default": False, "title": "B", "type": "boolean"},
    }
    assert f.tool_call_schema["required"] == ["l1", "l2", "o", "li"]


async def test_a_parameter_annotated_runnable_config_is_injected() -> None:
    @tool
    def f(x: int, cfg: RunnableConfig) -> str:
        """F."""
        return f"{x}:{cfg['metadata'].get('m')}"

    @tool
    def g(x: int, cfg: RunnableConfig | None = None) -> str:
        """G: only the exact annotation is injected, as in LangChain."""
        return f"{x}:{cfg}"

    assert f.args == {"x": {"title": "X", "type": "integer"}}
    assert await f.ainvoke({"x": 1}, {"metadata": {"m": 7}}) == "1:7"
    assert g.args["cfg"] == {"anyOf": [{"$ref": "#/$defs/RunnableConfig"}, {"type": "null"}], "default": None}
    assert await g.ainvoke({"x": 1}) == "1:None"


# -- args_schema ----------------------------------------------------------------------
class SearchArgs(pydantic.BaseModel):
    """Args doc."""

    q: str = pydantic.Field(description="the query")
    k: int = 3


async def test_args_schema_pydantic_model_validates_and_describes() -> None:
    @tool(args_schema=SearchArgs)
    def search(q: str, k: int = 3) -> str:
        """Search it."""
        return f"{q}:{k}"

    assert search.args == {
        "q": {"description": "the query", "title": "Q", "type": "string"},
        "k": {"default": 3, "title": "K", "type": "integer"},
    }
    assert convert_to_openai_tool(search)["function"] == {
        "name": "search", "description": "Search it.",
        "parameters": {"properties": {"q": {"description": "the query", "type": "string"}, "k": {"default": 3, "type": "integer"}}, "required": ["q"], "type": "object"},
    }
    assert await search.ainvoke({"q": "a"}) == "a:3"
    assert await search.ainvoke({"q": "a", "k": "2"}) == "a:2"  # pydantic coerces
    with pytest.raises(pydantic.ValidationError):
        await search.ainvoke({"k": 1})


async def test_args_schema_typeddict_and_json_schema() -> None:
    class Query(typing_extensions.TypedDict):
        q: str
        k: int

    @tool(args_schema=Query)
    def by_typeddict(q: str, k: int) -> str:
        """By TypedDict."""
        return q * k

    assert by_typeddict.args == {"q": {"title": "Q", "type": "string"}, "k": {"title": "K", "type": "integer"}}
    assert await by_typeddict.ainvoke({"q": "ab", "k": 2}) == "abab"

    schema = {"type": "object", "properties": {"q": {"type": "string", "description": "qq"}}, "required": ["q"]}

    @tool(args_schema=schema)
    def by_json(q: str) -> str:
        """Search it 3."""
        return q

    assert by_json.args == {"q": {"type": "string", "description": "qq"}}
    assert by_json.tool_call_schema == {**schema, "description": "Search it 3."}
    assert convert_to_openai_tool(by_json)["function"] == {"name": "by_json", "description": "Search it 3.", "parameters": schema}
    assert await by_json.ainvoke({"q": "a"}) == "a"
    # Stricter than LangChain (which calls the function and gets a TypeError): see docs/differences.md.
    with pytest.raises(ToolInvocationError, match="z: unexpected argument"):
        await by_json.ainvoke({"q": "a", "z": 1})

    def local_type() -> None:
        class Local:
            pass

        @tool
        def uses(x: Local) -> str:
            """Uses a class its module does not define."""
            return ""

    with pytest.raises(TypeError, match="cannot read the argument types of tool 'uses': name 'Local' is not defined"):
        local_type()

    with pytest.raises(TypeError, match="args_schema must be"):
        tool(args_schema=42)(lambda: None)  # type: ignore[call-overload]


def test_infer_schema_false_makes_a_one_string_tool() -> None:
    @tool(infer_schema=False)
    def shout(x: str) -> str:
        """Shout it."""
        return x + "?"

    assert isinstance(shout, Tool)
    assert shout.args == {"tool_input": {"type": "string"}}
    assert convert_to_openai_tool(shout)["function"]["parameters"] == {
        "properties": {"__arg1": {"title": "__arg1", "type": "string"}}, "required": ["__arg1"], "type": "object",
    }
    assert shout.run("a") == "a?" and shout.run({"x": "b"}) == "b?"


# -- docstrings ---------------------------------------------------------------------------
def test_parse_docstring_google_style() -> None:
    @tool(parse_docstring=True)
    def g(a: int, b: list[str]) -> str:
        """Summary line.

        More text.

        Args:
            a: the a
                continued.
            b (list): the b
        """
        return str(a)

    assert g.description == "Summary line. More text."
    assert g.args == {
        "a": {"description": "the a continued.", "title": "A", "type": "integer"},
        "b": {"description": "the b", "items": {"type": "string"}, "title": "B", "type": "array"},
    }


def test_parse_docstring_numpy_style() -> None:
    # LangChain rejects this docstring ("Found invalid Google-Style docstring."); see docs/differences.md.
    @tool(parse_docstring=True)
    def g(a: int, b: list[str]) -> str:
        """Summary line.

        Parameters
        ----------
        a : int
            the a,
            continued
        b : list of str
            the b

        Returns
        -------
        str
        """
        return str(a)

    assert g.description == "Summary line."
    assert g.args["a"]["description"] == "the a, continued"
    assert g.args["b"]["description"] == "the b"


def test_invalid_docstrings_raise_as_langchain() -> None:
    def undocumented(a: int) -> str:
        """Summary line."""
        return ""

    with pytest.raises(ValueError, match="^Found invalid Google-Style docstring.$"):
        tool(parse_docstring=True)(undocumented)
    lenient = tool(parse_docstring=True, error_on_invalid_docstring=False)(undocumented)
    assert lenient.description == "Summary line." and lenient.args == {"a": {"title": "A", "type": "integer"}}

    def stray(a: int) -> str:
        """Summary line.

        Args:
            z: nope
        """
        return ""

    for strict in (True, False):
        with pytest.raises(ValueError, match="^Arg z in docstring not found in function signature.$"):
            tool(parse_docstring=True, error_on_invalid_docstring=strict)(stray)

    def bare(a: int) -> str:
        return ""

    with pytest.raises(ValueError, match="^Function must have a docstring if description not provided.$"):
        tool(bare)
    assert tool(bare, description="given").description == "given"  # type: ignore[call-overload]


# -- injected arguments --------------------------------------------------------------------
async def test_injected_arguments_are_hidden_from_the_model() -> None:
    @tool
    def secret(x: int, key: Annotated[str, InjectedToolArg] = "default") -> str:
        """Secret."""
        return f"{x}:{key}"

    @tool
    def answer(text: str, call_id: Annotated[str, InjectedToolCallId]) -> ToolMessage:
        """Answer."""
        return ToolMessage(text, tool_call_id=call_id, artifact="mine")

    assert secret.tool_call_schema == {
        "description": "Secret.", "properties": {"x": {"title": "X", "type": "integer"}}, "required": ["x"], "title": "secret", "type": "object",
    }
    assert secret.get_input_schema()["properties"]["key"] == {"default": "default", "title": "Key", "type": "string"}
    assert convert_to_openai_tool(secret)["function"]["parameters"] == {"properties": {"x": {"type": "integer"}}, "required": ["x"], "type": "object"}
    assert await secret.ainvoke({"x": 1, "key": "k"}) == "1:k" and await secret.ainvoke({"x": 2}) == "2:default"
    assert list(answer.args) == ["text"]
    with pytest.raises(ValueError, match="must always be invoked with a full model ToolCall"):
        await answer.ainvoke({"text": "hi"})
    message = await answer.ainvoke({"name": "answer", "args": {"text": "hi"}, "id": "c0", "type": "tool_call"})
    assert message == ToolMessage("hi", tool_call_id="c0", artifact="mine")
    from runtime import RunnableLambda

    outer = RunnableLambda(lambda x: secret.invoke(x))
    events = [e async for e in outer.astream_events({"x": 1, "key": "k"}) if "tool" in e["event"]]
    # As langchain-core: a nested tool run reports its input without injected arguments.
    assert [(e["event"], e["data"]) for e in events] == [
        ("on_tool_start", {"input": {"x": 1}}), ("on_tool_end", {"output": "1:k", "input": {"x": 1}}),
    ]


# -- run / arun and tools written LangChain's way ------------------------------------------
class CalcInput(pydantic.BaseModel):
    a: int = pydantic.Field(description="first number")
    b: int = pydantic.Field(description="second number", default=2)


class Calc(BaseTool):
    name: str = "calculator"
    description: str = "Multiply."
    args_schema: type[pydantic.BaseModel] = CalcInput
    return_direct: bool = True

    def _run(self, a: int, b: int = 2, run_manager: Any = None) -> str:
        assert run_manager is None
        return str(a * b)


def test_a_langchain_style_subclass_with_a_sync_run() -> None:
    calc = Calc()
    assert calc.name == "calculator" and calc.return_direct
    assert calc.args == {
        "a": {"description": "first number", "title": "A", "type": "integer"},
        "b": {"default": 2, "description": "second number", "title": "B", "type": "integer"},
    }
    assert convert_to_openai_tool(calc)["function"] == {
        "name": "calculator", "description": "Multiply.",
        "parameters": {"properties": {"a": {"description": "first number", "type": "integer"}, "b": {"default": 2, "description": "second number", "type": "integer"}}, "required": ["a"], "type": "object"},
    }
    assert calc.invoke({"a": 3}) == "6" and calc.run({"a": 3, "b": 4}) == "12"
    assert Calc(name="renamed").name == "renamed"
    with pytest.raises(TypeError, match="no field 'colour'"):
        Calc(colour="red")

    class Inferred(BaseTool):
        name: str = "inferred"
        description: str = "Inferred."

        def _run(self, q: str, k: int = 1) -> str:
            return q * k

    inferred = Inferred()
    assert inferred.args == {"q": {"title": "Q", "type": "string"}, "k": {"default": 1, "title": "K", "type": "integer"}}
    assert inferred.invoke({"q": "ab", "k": 2}) == "abab" and inferred.invoke("x") == "x"


async def test_run_and_arun_take_langchains_arguments() -> None:
    calc = Calc()
    assert await calc.arun({"a": "5"}) == "10"
    message = await calc.arun({"a": 2}, tool_call_id="t1")
    assert message == ToolMessage("4", tool_call_id="t1", name="calculator")

    @tool(response_format="content_and_artifact")
    def art(x: int) -> tuple[str, list[int]]:
        """Art."""
        return f"c{x}", [x]

    assert await art.arun({"x": 1}) == "c1"
    assert await art.arun({"x": 1}, tool_call_id="9") == ToolMessage("c1", name="art", tool_call_id="9", artifact=[1])
    events: list[Any] = []

    from runtime.tracing import BaseCallbackHandler, RunInfo

    class Recorder(BaseCallbackHandler):
        async def on_run_start(self, run: RunInfo, input: Any) -> None:
            events.append((run.name, run.tags, run.metadata.get("k")))

    await art.arun({"x": 2}, callbacks=[Recorder()], tags=["t"], metadata={"k": 1}, run_name="named")
    assert events == [("named", ["t"], 1)]


def test_structured_tool_from_function() -> None:
    def mult(a: int, b: int) -> int:
        """Multiply two numbers."""
        return a * b

    async def amult(a: int, b: int) -> int:
        return a * b * 10

    made = StructuredTool.from_function(func=mult, coroutine=amult, name="m", description="mm")
    assert (made.name, made.description) == ("m", "mm")
    assert made.args == {"a": {"title": "A", "type": "integer"}, "b": {"title": "B", "type": "integer"}}
    # As LangChain: the sync API runs func, the async one the coroutine.
    assert made.invoke({"a": 2, "b": 3}) == 6 and made.run({"a": 2, "b": 3}) == 6
    assert trio.run(made.ainvoke, {"a": 2, "b": 3}) == 60
    echo = Tool(name="echo", func=lambda s: s + "!", description="Echo.")
    assert echo.invoke("x") == "x!"


def test_convert_other_tool_likes() -> None:
    assert convert_to_openai_tool(CalcInput)["function"] == {
        "name": "CalcInput", "description": "",
        "parameters": {"properties": {"a": {"description": "first number", "type": "integer"}, "b": {"default": 2, "description": "second number", "type": "integer"}}, "required": ["a"], "type": "object"},
    }

    class Search(typing_extensions.TypedDict):
        """Search the web."""

        query: Annotated[str, ..., "the query"]
        n: Annotated[Optional[int], None, "how many"]  # noqa: UP007

    assert convert_to_openai_function(Search) == {
        "name": "Search", "description": "Search the web.",
        "parameters": {"type": "object", "properties": {"query": {"description": "the query", "type": "string"}, "n": {"description": "how many", "type": "integer"}}, "required": ["query"]},
    }
    function = {"name": "x", "description": "d", "parameters": {"type": "object", "properties": {}}}
    assert convert_to_openai_tool(function) == {"type": "function", "function": function}
    titled = {"title": "x", "description": "d", "type": "object", "properties": {"a": {"type": "string"}}}
    assert convert_to_openai_tool(titled)["function"] == {"name": "x", "description": "d", "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}}
    assert convert_to_openai_tool({"type": "function", "function": function}) == {"type": "function", "function": function}
    with pytest.raises(ValueError, match="'title'"):
        convert_to_openai_tool({"type": "object", "properties": {}})


async def test_text_helpers_and_retriever_tool() -> None:
    from runtime.runnables import BaseRetriever, Document
    from runtime.tools import create_retriever_tool, render_text_description, render_text_description_and_args

    @tool
    def add(a: int, b: int = 1) -> int:
        """Add."""
        return a + b

    # Key order too, as pydantic sorts a schema's keys: the text is LangChain's. (This module's
    # annotations are strings, PEP 563, so the signature shows them quoted, as it does in LangChain.)
    assert render_text_description([add]) == "add(a: 'int', b: 'int' = 1) -> 'int' - Add."
    assert render_text_description_and_args([add]) == (
        "add(a: 'int', b: 'int' = 1) -> 'int' - Add., args: {'a': {'title': 'A', 'type': 'integer'}, "
        "'b': {'default': 1, 'title': 'B', 'type': 'integer'}}"
    )

    class Numbered(BaseRetriever):
        async def _aget_relevant_documents(self, query: str) -> list[Document]:
            return [Document(page_content=f"{query} 1"), Document(page_content=f"{query} 2")]

    search = create_retriever_tool(Numbered(), "search", "Search docs.")
    assert search.args == {"query": {"description": "query to look up in retriever", "title": "Query", "type": "string"}}
    assert convert_to_openai_tool(search)["function"]["parameters"] == {
        "properties": {"query": {"description": "query to look up in retriever", "type": "string"}}, "required": ["query"], "type": "object",
    }
    assert await search.ainvoke({"query": "q"}) == "q 1\n\nq 2"
