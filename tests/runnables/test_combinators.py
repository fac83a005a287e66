"""langchain-core's combinators: ``bind`` reaching a function, ``pick``, ``assign``,
``transform``/``atransform``, ``RunnableBranch`` and the Generic runnable classes.

Expected values are what langchain-core 1.8 gives for the same calls."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypedDict

import pytest
import trio

from graphs import END, START, StateGraph
from runtime import RunnableBranch, RunnableLambda, RunnablePassthrough
from runtime.runnables import (
    AddableDict,
    RunnableGenerator,
    RunnableMap,
    RunnableParallel,
    RunnablePick,
    RunnableSequence,
)


def shape(events: list[dict[str, Any]]) -> list[tuple[str, str, list[str], Any]]:
    return [(e["event"], e["name"], e["tags"], e["data"]) for e in events]


async def events_of(stream: Any) -> list[dict[str, Any]]:
    async with stream as events:
        return [event async for event in events]


def add(x: int, y: int = 0) -> int:
    return x + y


def abc(x: int) -> dict[str, int]:
    return {"a": x, "b": x + 1, "c": 3}


# -- bind ---------------------------------------------------------------------------
async def test_bound_kwargs_reach_the_function() -> None:
    assert await RunnableLambda(lambda x, **kw: (x, kw)).bind(y=1).ainvoke(1) == (1, {"y": 1})
    assert await RunnableLambda(add).bind(y=5).ainvoke(1) == 6
    assert await RunnableLambda(add).ainvoke(1, y=2) == 3  # call kwargs too
    assert [c async for c in RunnableLambda(add).bind(y=5).astream(1)] == [6]
    # ... and only the first step of a sequence gets them.
    assert await (RunnableLambda(add) | RunnableLambda(lambda x: x * 10)).bind(y=2).ainvoke(1) == 30


def suffixed(chunks: Iterator[str], suffix: str = "?") -> Iterator[str]:
    for chunk in chunks:
        yield chunk + suffix


async def test_bound_kwargs_reach_a_generator_function() -> None:
    bound = RunnableGenerator(suffixed).bind(suffix="!")
    assert [c async for c in bound.astream("a")] == ["a!"]
    assert await bound.ainvoke("a") == "a!"


async def test_bound_kwargs_a_function_does_not_take_raise() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'y'"):
        await RunnableLambda(lambda x: x).bind(y=1).ainvoke(1)


# -- pick and assign ----------------------------------------------------------------------
async def test_pick_one_key_or_a_list() -> None:
    d = RunnableLambda(abc)
    assert await d.pick("a").ainvoke(1) == 1
    assert await d.pick(["a", "c", "zz"]).ainvoke(1) == {"a": 1, "c": 3}
    assert await d.pick("zz").ainvoke(1) is None
    assert [c async for c in d.pick(["a", "b"]).astream(1)] == [{"a": 1, "b": 2}]
    assert d.pick("a").get_name() == "RunnableSequence"
    assert RunnablePick(["a", "b"]).get_name() == "RunnablePick<a,b>"


async def test_pick_streams_each_chunk_it_finds_keys_in() -> None:
    async def chunks(_: Any) -> AsyncIterator[dict[str, Any]]:
        yield {"a": 1}
        yield {"b": 2}
        yield {"a": 3, "b": 4}

    picked = [c async for c in (RunnableGenerator(chunks) | RunnablePick("a")).astream(None)]
    assert picked == [1, 3]
    with pytest.raises(TypeError, match="RunnablePick<a> needs a dict input, got int"):
        await RunnablePick("a").ainvoke(5)  # type: ignore[arg-type]


async def test_pick_events_as_langchain() -> None:
    events = await events_of(RunnableLambda(abc).pick("a").astream_events(1, version="v2"))
    full = {"a": 1, "b": 2, "c": 3}
    assert shape(events) == [
        ("on_chain_start", "RunnableSequence", [], {"input": 1}),
        ("on_chain_start", "abc", ["seq:step:1"], {}),
        ("on_chain_stream", "abc", ["seq:step:1"], {"chunk": full}),
        ("on_chain_start", "RunnablePick<a>", ["seq:step:2"], {}),
        ("on_chain_stream", "RunnablePick<a>", ["seq:step:2"], {"chunk": 1}),
        ("on_chain_stream", "RunnableSequence", [], {"chunk": 1}),
        ("on_chain_end", "abc", ["seq:step:1"], {"output": full, "input": 1}),
        ("on_chain_end", "RunnablePick<a>", ["seq:step:2"], {"output": 1, "input": full}),
        ("on_chain_end", "RunnableSequence", [], {"output": 1}),
    ]


async def test_assign_on_any_runnable_and_on_passthrough() -> None:
    d = RunnableLambda(abc)
    assigned = d.assign(s=lambda v: v["a"] + v["b"])
    assert await assigned.ainvoke(1) == {"a": 1, "b": 2, "c": 3, "s": 3}
    assert assigned.get_name() == "RunnableSequence"
    assert RunnablePassthrough.assign(s=lambda v: 1).get_name() == "RunnableAssign<s>"
    assert await RunnablePassthrough.assign(s=lambda v: v["q"] * 2).ainvoke({"q": 4}) == {"q": 4, "s": 8}


# -- transform / atransform ---------------------------------------------------------------
def upper(s: str) -> str:
    return s.upper()


def exclaim(chunks: Iterator[str]) -> Iterator[str]:
    for chunk in chunks:
        yield chunk + "!"


def test_transform_takes_an_iterator_of_input_chunks() -> None:
    assert list(RunnableLambda(upper).transform(iter(["a", "b", "c"]))) == ["ABC"]  # waits for the whole input
    assert list(RunnablePassthrough().transform(iter(["a", "b", "c"]))) == ["a", "b", "c"]
    assert list((RunnablePassthrough() | exclaim).transform(iter(["a", "b"]))) == ["a!", "b!"]


async def test_atransform_streams_as_the_input_arrives() -> None:
    send, receive = trio.open_memory_channel[str](1)
    seen: list[str] = []

    async def source() -> AsyncIterator[str]:
        async for chunk in receive:
            yield chunk

    async with (RunnablePassthrough() | exclaim).atransform(source()) as stream:
        async with send:
            for chunk in ["a", "b"]:
                await send.send(chunk)
                seen.append(await anext(stream))  # out before the next chunk goes in
        assert [c async for c in stream] == []
    assert seen == ["a!", "b!"]
    assert [c async for c in RunnableLambda(upper).atransform(source_of(["a", "b"]))] == ["AB"]


class Counter(TypedDict):
    x: int


def two_step_graph() -> Any:
    graph = StateGraph(Counter)
    graph.add_node("a", lambda s: {"x": s["x"] + 1})
    graph.add_node("b", lambda s: {"x": s["x"] * 2})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", END)
    return graph.compile()


async def test_a_graph_transforms_its_whole_input_into_its_stream() -> None:
    # As LangGraph: what astream() yields for the (summed) input.
    app = two_step_graph()
    assert [c async for c in app.atransform(source_of([{"x": 1}]))] == [{"a": {"x": 2}}, {"b": {"x": 4}}]
    values = [c async for c in app.atransform(source_of([{"x": 1}]), stream_mode="values")]
    assert values == [{"x": 1}, {"x": 2}, {"x": 4}]


def test_a_graph_transform_sync() -> None:
    assert list(two_step_graph().transform(iter([{"x": 1}]))) == [{"a": {"x": 2}}, {"b": {"x": 4}}]


async def source_of(items: list[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


# -- RunnableBranch ------------------------------------------------------------------------
def sign() -> RunnableBranch[int, str]:
    return RunnableBranch(
        (lambda x: x > 0, RunnableLambda(lambda x: "pos")),
        (lambda x: x < 0, lambda x: "neg"),
        lambda x: "zero",
    )


async def test_branch_picks_the_first_true_condition() -> None:
    branch = sign()
    assert [await branch.ainvoke(x) for x in (1, -1, 0)] == ["pos", "neg", "zero"]
    assert branch.get_name() == "RunnableBranch"
    assert [c async for c in branch.astream(1)] == ["pos"]


def test_branch_sync_invoke() -> None:
    assert sign().invoke(-3) == "neg"


async def test_branch_events_as_langchain() -> None:
    events = await events_of(sign().astream_events(-1, version="v2"))
    assert shape(events) == [
        ("on_chain_start", "RunnableBranch", [], {"input": -1}),
        ("on_chain_start", "RunnableLambda", ["condition:1"], {"input": -1}),
        ("on_chain_end", "RunnableLambda", ["condition:1"], {"output": False, "input": -1}),
        ("on_chain_start", "RunnableLambda", ["condition:2"], {"input": -1}),
        ("on_chain_end", "RunnableLambda", ["condition:2"], {"output": True, "input": -1}),
        ("on_chain_start", "RunnableLambda", ["branch:2"], {}),
        ("on_chain_stream", "RunnableLambda", ["branch:2"], {"chunk": "neg"}),
        ("on_chain_stream", "RunnableBranch", [], {"chunk": "neg"}),
        ("on_chain_end", "RunnableLambda", ["branch:2"], {"output": "neg", "input": -1}),
        ("on_chain_end", "RunnableBranch", [], {"output": "neg"}),
    ]
    default = await events_of(sign().astream_events(0, version="v2"))
    assert [e["tags"] for e in default if e["event"] == "on_chain_start"][-1] == ["branch:default"]


def test_branch_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least one"):
        RunnableBranch(lambda x: "zero")
    with pytest.raises(ValueError, match=r"branch 1 must be a \(condition, runnable\) pair, got 1"):
        RunnableBranch((lambda x: True,), lambda x: "zero")
    with pytest.raises(TypeError, match="Expected a Runnable, callable or dict, got str"):
        RunnableBranch(("a", lambda x: 1), lambda x: "zero")
    with pytest.raises(TypeError, match="default"):
        RunnableBranch((lambda x: True, lambda x: 1), 5)


# -- Generic classes -----------------------------------------------------------------------
def test_runnable_classes_are_subscriptable_like_langchains() -> None:
    typed: RunnableLambda[int, str] = RunnableLambda[int, str](lambda x: str(x))
    assert typed.invoke(3) == "3"
    for alias in (
        RunnableSequence[int, str],
        RunnableGenerator[str, str],
        RunnableParallel[int],
        RunnablePassthrough[int],
        RunnableBranch[int, str],
    ):
        assert alias is not None
    assert RunnableMap is RunnableParallel
    assert isinstance(RunnableParallel(a=upper).invoke("x"), dict)
    assert AddableDict({"a": 1}) + {"a": 2} == {"a": 3}


def test_the_runnables_facade_has_langchains_names() -> None:
    import runtime
    import runtime.runnables
    import runtime.tracing

    names = {
        runtime.runnables: "AddableDict Runnable RunnableAssign RunnableBinding RunnableBranch RunnableGenerator "
        "RunnableLambda RunnableMap RunnableParallel RunnablePassthrough RunnablePick RunnableSequence "
        "RunnableWithFallbacks RunnableRetry chain",
        runtime.tracing: "RunLog RunLogPatch LogEntry RunState",
        runtime: "RunnableBranch RunnableWithFallbacks",
    }
    for module, listed in names.items():
        missing = [name for name in listed.split() if name not in module.__all__ or not hasattr(module, name)]
        assert not missing, f"{module.__name__} lacks {missing}"


def test_a_subscripted_lambda_is_a_generic_alias_and_can_be_subclassed() -> None:
    # As langchain-core 1.8's RunnableLambda (a typing.Generic): the alias names its class
    # and its type arguments, calling it makes a RunnableLambda, and a class may extend it.
    alias = RunnableLambda[int, str]
    assert typing.get_origin(alias) is RunnableLambda and typing.get_args(alias) == (int, str)
    assert type(alias(lambda x: str(x))) is RunnableLambda

    class Shown(RunnableLambda[int, str]):
        pass

    assert Shown(lambda x: f"<{x}>").invoke(3) == "<3>"
    assert issubclass(Shown, RunnableLambda)
