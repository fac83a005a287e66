"""State schemas: every kind LangGraph accepts, read under postponed annotations.

This module uses ``from __future__ import annotations``, so every schema below is
read from strings, resolved against the module as LangGraph resolves them. The
expected outputs marked "LangGraph 1.2" were observed by running the same graph
under LangGraph 1.2 in a scratch script (the tests must not need LangGraph).
pydantic schemas are in ``test_schemas_pydantic.py``.
"""

from __future__ import annotations

import dataclasses
import operator
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest
import typing_extensions
from _core_support import collect
from typing_extensions import NotRequired, ReadOnly, Required

from graphs import START, InvalidUpdateError, StateGraph

# Annotated and TypedDict from both modules: on Python 3.11 a typing_extensions
# TypedDict is not a typing one (``typing.is_typeddict`` says False).
TYPING = pytest.param(typing, id="typing")
TYPING_EXTENSIONS = pytest.param(typing_extensions, id="typing_extensions")


def concat_unique(left: list[str], right: list[str]) -> list[str]:
    return left + [item for item in right if item not in left]


class TypingTD(typing.TypedDict):
    x: int
    items: typing.Annotated[list, operator.add]


class ExtensionsTD(typing_extensions.TypedDict):
    x: int
    items: typing_extensions.Annotated[list, operator.add]


class MixedTD(typing.TypedDict):
    x: int
    items: typing_extensions.Annotated[list, operator.add]


@dataclasses.dataclass
class DCState:
    x: int = 0
    items: typing.Annotated[list, operator.add] = dataclasses.field(default_factory=list)


@attrs.define
class AttrsState:
    x: int = 0
    items: typing_extensions.Annotated[list, operator.add] = attrs.field(factory=list)


class PlainState:
    x: int
    items: typing.Annotated[list, operator.add]
    limit: typing.ClassVar[int] = 3  # not a key


DICT_INPUT = [TypingTD, ExtensionsTD, MixedTD, AttrsState, PlainState]
ALL_KINDS = [*DICT_INPUT, DCState]


def kind_id(schema: type) -> str:
    return schema.__name__


def bump_graph(schema: type, seen: list[Any]) -> Any:
    def bump(state: Any) -> dict[str, Any]:
        seen.append(state)
        x = state["x"] if isinstance(state, dict) else state.x
        return {"x": x + 1, "items": [x]}

    graph = StateGraph(schema)
    graph.add_node("bump", bump)
    graph.add_edge(START, "bump")
    return graph.compile()


@pytest.mark.parametrize("schema", ALL_KINDS, ids=kind_id)
async def test_every_kind_gives_keys_reducers_and_dict_output(schema: type) -> None:
    seen: list[Any] = []
    app = bump_graph(schema, seen)
    parts = await collect(app.astream({"x": 1}, stream_mode="values"))
    assert parts == [{"x": 1, "items": []}, {"x": 2, "items": [1]}]
    assert all(type(p) is dict for p in parts)
    assert await app.ainvoke({"x": 5, "items": ["in"]}) == {"x": 6, "items": ["in", 5]}


@pytest.mark.parametrize("schema", DICT_INPUT, ids=kind_id)
def test_typeddict_attrs_and_plain_class_nodes_get_a_dict(schema: type) -> None:
    # LangGraph 1.2 builds instances only for dataclasses and pydantic models:
    # an attrs class or a plain annotated class gives its nodes a dict.
    seen: list[Any] = []
    bump_graph(schema, seen).invoke({"x": 1})
    assert type(seen[0]) is dict and seen[0] == {"x": 1, "items": []}


def test_dataclass_nodes_get_an_instance_with_defaults_filled_in() -> None:
    seen: list[Any] = []
    app = bump_graph(DCState, seen)
    assert app.invoke({}) == {"x": 1, "items": [0]}  # LangGraph 1.2: the default x=0 reached the node
    assert type(seen[0]) is DCState and seen[0] == DCState(x=0, items=[])


@dataclasses.dataclass
class NeedsTopic:
    topic: str
    joke: str = ""


def test_dataclass_missing_required_field_fails_before_the_node_naming_it() -> None:
    ran: list[Any] = []
    graph = StateGraph(NeedsTopic)
    graph.add_node("tell", lambda s: ran.append(s) or {"joke": s.topic})
    graph.add_edge(START, "tell")
    app = graph.compile()
    assert app.invoke({"topic": "owls"}) == {"topic": "owls", "joke": "owls"}  # joke's default is no write
    with pytest.raises(TypeError, match="topic") as caught:
        app.invoke({"joke": "x"})  # LangGraph 1.2: TypeError from NeedsTopic.__init__
    assert any("'tell'" in note and "NeedsTopic" in note for note in caught.value.__notes__)
    assert len(ran) == 1


@pytest.mark.parametrize("schema", [DCState, AttrsState, PlainState], ids=kind_id)
async def test_a_node_may_return_a_schema_instance(schema: type) -> None:
    def whole(state: Any) -> Any:
        out = schema()
        out.x, out.items = 11, ["w"]
        return out

    graph = StateGraph(schema)
    graph.add_node("whole", whole)
    graph.add_edge(START, "whole")
    assert await graph.compile().ainvoke({"x": 1}) == {"x": 11, "items": ["w"]}


def test_plain_class_instance_updates_only_the_attributes_it_has() -> None:
    def partial(state: Any) -> PlainState:
        out = PlainState()
        out.items = ["p"]  # no x: LangGraph 1.2 reads only the attributes present
        return out

    # LangGraph 1.2 also writes the ClassVar ``limit`` (3) as a key; a ClassVar is
    # no key here (deliberate difference 9).

    graph = StateGraph(PlainState)
    graph.add_node("partial", partial)
    graph.add_edge(START, "partial")
    assert graph.compile().invoke({"x": 1}) == {"x": 1, "items": ["p"]}


async def test_annotated_custom_reducer_folds_writes_of_parallel_nodes() -> None:
    class Tags(typing.TypedDict):
        tags: typing.Annotated[list, concat_unique]

    graph = StateGraph(Tags)
    graph.add_node("a", lambda s: {"tags": ["x", "a"]})
    graph.add_node("b", lambda s: {"tags": ["x", "b"]})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    assert await graph.compile().ainvoke({"tags": ["x"]}) == {"tags": ["x", "a", "b"]}


# -- total=False, Required, NotRequired, ReadOnly -----------------------------


class PartialTD(typing.TypedDict, total=False):
    x: int
    y: typing.Required[int]


class PartialTDX(typing_extensions.TypedDict, total=False):
    x: int
    y: Required[int]


class QualifiedTD(typing_extensions.TypedDict):
    a: NotRequired[typing_extensions.Annotated[list, operator.add]]
    b: typing.Annotated[NotRequired[list], operator.add]
    c: Required[ReadOnly[typing.Annotated[typing.Sequence[str], operator.add]]]
    d: NotRequired[typing.Annotated[int, "a note, not a reducer"]]


@pytest.mark.parametrize("schema", [PartialTD, PartialTDX], ids=["typing", "typing_extensions"])
def test_total_false_keys_are_absent_until_written(schema: type) -> None:
    seen: list[Any] = []
    graph = StateGraph(schema)
    graph.add_node("n", lambda s: seen.append(s) or {"x": 5})
    graph.add_edge(START, "n")
    assert graph.compile().invoke({"y": 1}) == {"x": 5, "y": 1}
    assert seen == [{"y": 1}]  # LangGraph 1.2: no key for x, not None


def test_qualifiers_around_or_inside_annotated_keep_the_reducer() -> None:
    seen: list[Any] = []
    graph = StateGraph(QualifiedTD)
    graph.add_node("n", lambda s: seen.append(s) or {"a": [2], "b": [3], "c": ["z"], "d": 4})
    graph.add_edge(START, "n")
    out = graph.compile().invoke({"a": [1], "d": 1})
    # LangGraph 1.2 (for a and b): the reducer holds and unwritten list keys read as [].
    # LangGraph does not look inside ReadOnly, so c is a plain key there (deliberate difference 9).
    assert seen == [{"a": [1], "b": [], "c": [], "d": 1}]
    assert out == {"a": [1, 2], "b": [3], "c": ["z"], "d": 4}


# -- inheritance --------------------------------------------------------------


class BaseTD(typing_extensions.TypedDict):
    items: typing.Annotated[list, operator.add]


class ChildTD(BaseTD):
    z: int


class BaseTypingTD(typing.TypedDict):
    items: typing_extensions.Annotated[list, operator.add]


class ChildTypingTD(BaseTypingTD, total=False):
    z: int


@dataclasses.dataclass
class ChildDC(DCState):
    z: int = 0


@attrs.define
class ChildAttrs(AttrsState):
    z: int = 0


class ChildPlain(PlainState):
    z: int


@pytest.mark.parametrize("schema", [ChildTD, ChildTypingTD, ChildDC, ChildAttrs, ChildPlain], ids=kind_id)
def test_subclass_keeps_the_base_keys_and_reducers(schema: type) -> None:
    graph = StateGraph(schema)
    graph.add_node("n", lambda s: {"items": [2], "z": 1})
    graph.add_edge(START, "n")
    out = graph.compile().invoke({"items": [1], "z": 0})
    assert out["items"] == [1, 2] and out["z"] == 1  # LangGraph 1.2: {'items': [1, 2], 'z': ...}


# -- input, output and node input schemas -------------------------------------


class Public(typing_extensions.TypedDict):
    question: str


class Answer(typing.TypedDict):
    answer: str


class Full(typing_extensions.TypedDict):
    question: str
    answer: str
    scratch: int


def answering_graph(**schemas: Any) -> Any:
    graph = StateGraph(Full, **schemas)
    graph.add_node("think", lambda s: {"scratch": len(s["question"])})
    graph.add_node("say", lambda s: {"answer": f"{s['question']}={s['scratch']}"})
    graph.add_edge(START, "think")
    graph.add_edge("think", "say")
    return graph.compile()


async def test_output_schema_filters_invoke_and_values() -> None:
    app = answering_graph(input_schema=Public, output_schema=Answer)
    assert await app.ainvoke({"question": "why"}) == {"answer": "why=3"}
    # Only steps that wrote an output key emit values, and only output keys show.
    assert await collect(app.astream({"question": "why"}, stream_mode="values")) == [{"answer": "why=3"}]


async def test_input_schema_restricts_input_keys() -> None:
    app = answering_graph(input_schema=Public, output_schema=Answer)
    with pytest.raises(InvalidUpdateError) as caught:  # deliberate difference 2
        await app.ainvoke({"question": "why", "scratch": 1})
    assert "'scratch'" in str(caught.value)


def test_older_keyword_names_still_work_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="input_schema"):
        with pytest.warns(DeprecationWarning, match="output_schema"):
            app = answering_graph(input=Public, output=Answer)
    assert app.invoke({"question": "ok"}) == {"answer": "ok=2"}
    with pytest.warns(DeprecationWarning, match="context_schema"):
        graph = StateGraph(Full, config_schema=Public)
    assert graph.context_schema is Public


def test_context_schema_is_kept() -> None:
    graph = StateGraph(Full, Public)
    assert graph.context_schema is Public
    assert StateGraph(Full, context_schema=Answer).context_schema is Answer
    assert StateGraph(Full).context_schema is None


@dataclasses.dataclass
class DCAnswer:
    answer: str = ""


@attrs.define
class AttrsPublic:
    question: str = ""


def test_input_and_output_schemas_of_other_kinds() -> None:
    app = answering_graph(input_schema=AttrsPublic, output_schema=DCAnswer)
    assert app.invoke({"question": "hm"}) == {"answer": "hm=2"}
    assert app.invoke(AttrsPublic(question="hmm")) == {"answer": "hmm=3"}  # an instance as input


class Shared(typing_extensions.TypedDict):
    a: int
    log: typing.Annotated[list, operator.add]


class WithPrivate(typing_extensions.TypedDict):
    a: int
    private: str


def test_node_input_schema_sees_its_keys_and_adds_its_private_ones() -> None:
    seen: list[Any] = []
    graph = StateGraph(Shared)
    graph.add_node("w", lambda s: seen.append(s) or {"private": "p", "log": ["w"]})
    graph.add_node("r", lambda s: seen.append(s) or {"log": ["r"]}, input_schema=WithPrivate)
    graph.add_edge(START, "w")
    graph.add_edge("w", "r")
    # LangGraph 1.2, on the same graph:
    assert graph.compile().invoke({"a": 1}) == {"a": 1, "log": ["w", "r"]}
    assert seen == [{"a": 1, "log": []}, {"a": 1, "private": "p"}]


def reads_private(state: WithPrivate) -> dict[str, Any]:
    return {"log": [state["private"]]}


def test_node_input_schema_is_inferred_from_the_first_parameter() -> None:
    graph = StateGraph(Shared)
    graph.add_node("w", lambda s: {"private": "secret"})
    graph.add_node(reads_private)
    graph.add_edge(START, "w")
    graph.add_edge("w", "reads_private")
    assert graph.compile().invoke({"a": 1}) == {"a": 1, "log": ["secret"]}


@dataclasses.dataclass
class DCNodeInput:
    a: int
    extra: str = "e"


def test_dataclass_node_input_schema_builds_an_instance() -> None:
    seen: list[Any] = []
    graph = StateGraph(Shared)
    graph.add_node("n", lambda s: seen.append(s) or {"log": [s.a]}, input_schema=DCNodeInput)
    graph.add_edge(START, "n")
    assert graph.compile().invoke({"a": 1}) == {"a": 1, "log": [1]}
    assert seen == [DCNodeInput(a=1, extra="e")]  # LangGraph 1.2


def test_routers_read_the_state_as_their_node_does() -> None:
    routed: list[Any] = []
    graph = StateGraph(Shared)
    graph.add_node("n", lambda s: {"log": [s.a]}, input_schema=DCNodeInput)
    graph.add_conditional_edges("n", lambda s: routed.append(s) or "__end__")
    graph.add_edge(START, "n")
    graph.compile().invoke({"a": 2})
    assert routed == [DCNodeInput(a=2)]


def test_add_node_input_keyword_is_a_deprecated_name() -> None:
    graph = StateGraph(Shared)
    with pytest.warns(DeprecationWarning, match="input_schema"):
        graph.add_node("r", lambda s: {"log": [s["private"]]}, input=WithPrivate)
    graph.add_node("w", lambda s: {"private": "p"})
    graph.add_edge(START, "w")
    graph.add_edge("w", "r")
    assert graph.compile().invoke({"a": 0}) == {"a": 0, "log": ["p"]}


def keep_last(left: list[Any], right: list[Any]) -> list[Any]:
    return right


class ClashingLog(typing.TypedDict):
    log: typing.Annotated[list, keep_last]


class PlainLog(typing.TypedDict):
    log: list


def test_a_key_redeclared_with_another_reducer_raises_naming_it() -> None:
    graph = StateGraph(Shared, output_schema=PlainLog)  # a plain redeclaration is fine
    with pytest.raises(ValueError, match=r"'log'.*ClashingLog.*keep_last.*Shared.*add"):
        graph.add_node("n", lambda s: {}, input_schema=ClashingLog)
    with pytest.raises(ValueError, match="'log'"):
        StateGraph(PlainLog, input_schema=Shared)  # a reducer over a plain key


# -- what is not a schema -------------------------------------------------------


@pytest.mark.parametrize(
    "schema", [int, dict, list, TypingTD(x=1, items=[]), typing.Annotated[list, operator.add]],
    ids=["int", "dict", "list", "instance", "Annotated"],
)
def test_what_is_not_a_schema_is_refused_by_name(schema: Any) -> None:
    with pytest.raises(TypeError, match="state schema .* declares no keys: use a TypedDict"):
        StateGraph(schema)


def test_a_bad_output_or_node_input_schema_is_named_with_its_role() -> None:
    with pytest.raises(TypeError, match="output schema int"):
        StateGraph(Shared, output_schema=int)
    with pytest.raises(TypeError, match="node `n`'s input schema str"):
        StateGraph(Shared).add_node("n", lambda s: {}, input_schema=str)


def one_argument(left: list[Any]) -> list[Any]:
    return left


class BadReducer(typing.TypedDict):
    items: typing.Annotated[list, one_argument]


def test_a_reducer_without_two_positional_arguments_is_refused() -> None:
    with pytest.raises(ValueError, match=r"BadReducer, key 'items': reducer 'one_argument' has signature \(left"):
        StateGraph(BadReducer)


def test_a_local_name_under_postponed_annotations_is_reported() -> None:
    class Local(typing.TypedDict):
        x: int

    class UsesLocal(typing.TypedDict):
        inner: Local

    with pytest.raises(TypeError, match=r"annotations of state schema .*UsesLocal.*'Local' is not defined"):
        StateGraph(UsesLocal)


def test_importing_the_packages_does_not_import_pydantic() -> None:
    root = Path(__file__).resolve().parents[2]
    code = "import sys, graphs, runtime; assert 'pydantic' not in sys.modules, 'pydantic was imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})


def route_on_whole_state(state: Shared) -> str:
    return "__end__" if state["log"] else "n"


def test_a_router_annotated_with_a_schema_reads_the_state_as_that_schema() -> None:
    seen: list[Any] = []
    graph = StateGraph(Shared)
    graph.add_node("n", lambda s: seen.append(s) or {"log": [s.a]}, input_schema=DCNodeInput)
    graph.add_conditional_edges("n", route_on_whole_state)
    graph.add_edge(START, "n")
    # LangGraph 1.2: the router reads Shared (a dict with log), not the node's DCNodeInput.
    assert graph.compile().invoke({"a": 3}) == {"a": 3, "log": [3]}
    assert seen == [DCNodeInput(a=3)]


@dataclasses.dataclass
class RouteView:
    log: list[Any]


def test_a_router_reading_a_dataclass_gets_an_instance() -> None:
    graph = StateGraph(Shared)
    graph.add_node("n", lambda s: {"log": ["x"]})
    graph.add_node("tail", lambda s: {"log": ["routed"]})
    graph.add_conditional_edges(START, lambda s: "n")
    graph.add_conditional_edges("n", route_dataclass)
    assert graph.compile().invoke({"a": 1}) == {"a": 1, "log": ["x", "routed"]}


def route_dataclass(state: RouteView) -> str:
    return "tail" if isinstance(state, RouteView) and state.log == ["x"] else "__end__"
