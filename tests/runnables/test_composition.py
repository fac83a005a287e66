"""``|`` composition, sequences, parallel dicts, lambdas, generators, passthrough and ``@chain``."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import trio

from runtime import (
    GenericFakeChatModel,
    Runnable,
    RunnableGenerator,
    RunnableLambda,
    RunnableParallel,
    RunnablePassthrough,
    RunnableSequence,
    StrOutputParser,
    chain,
    get_config,
)
from runtime.messages import AIMessage
from runtime.runnables import AddableDict, coerce_to_runnable


async def collect(stream: Any) -> list[Any]:
    async with stream as items:
        return [item async for item in items]


def add_one(x: int) -> int:
    return x + 1


def test_pipe_builds_a_flat_sequence_and_coerces_operands() -> None:
    seq = RunnableLambda(add_one) | (lambda x: x * 2) | {"a": add_one, "b": RunnablePassthrough()}
    assert isinstance(seq, RunnableSequence)
    assert len(seq.steps) == 3
    assert isinstance(seq.steps[1], RunnableLambda)
    assert isinstance(seq.steps[2], RunnableParallel)
    assert seq.invoke(1) == {"a": 5, "b": 4}
    assert ((lambda x: x - 1) | RunnableLambda(add_one)).invoke(5) == 5  # __ror__


def test_generator_functions_become_generators_in_a_pipe() -> None:
    async def agen(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
        async for chunk in chunks:
            yield chunk.upper()

    def gen(chunks: Iterator[str]) -> Iterator[str]:
        for chunk in chunks:
            yield chunk + "!"

    assert isinstance(coerce_to_runnable(agen), RunnableGenerator)
    assert isinstance(coerce_to_runnable(gen), RunnableGenerator)
    with pytest.raises(TypeError, match="Expected a Runnable, callable or dict"):
        coerce_to_runnable(42)


def test_sequence_needs_two_steps() -> None:
    with pytest.raises(ValueError, match="at least 2 steps"):
        RunnableSequence(RunnableLambda(add_one))


async def test_invoke_stream_and_batch_agree() -> None:
    seq = RunnableLambda(add_one) | RunnableLambda(lambda x: x * 10)
    assert await seq.ainvoke(1) == 20
    assert await collect(seq.astream(1)) == [20]
    assert await seq.abatch([1, 2, 3]) == [20, 30, 40]
    assert [x async for x in seq.astream(2)] == [30]  # the bare form too


async def test_lambda_kinds() -> None:
    async def async_double(x: int) -> int:
        return x * 2

    def sync_gen(x: int) -> Iterator[int]:
        yield x
        yield x + 1

    async def async_gen(x: int) -> AsyncIterator[str]:
        for part in ("a", "b", str(x)):
            yield part

    assert await RunnableLambda(async_double).ainvoke(4) == 8
    assert await RunnableLambda(sync_gen).ainvoke(1) == 3  # chunks add up
    assert await collect(RunnableLambda(sync_gen).astream(1)) == [1, 2]
    assert await RunnableLambda(async_gen).ainvoke(7) == "ab7"
    assert await collect(RunnableLambda(async_gen).astream(7)) == ["a", "b", "7"]
    assert RunnableLambda(lambda x: x).get_name() == "RunnableLambda"
    assert RunnableLambda(async_double).get_name() == "async_double"


async def test_a_lambda_returning_a_runnable_runs_it_on_the_input() -> None:
    inner = RunnableLambda(lambda x: x * 3)
    outer = RunnableLambda(lambda x: inner)
    assert await outer.ainvoke(2) == 6
    assert await collect(outer.astream(2)) == [6]


async def test_sync_generator_transform_over_the_input_stream() -> None:
    model = GenericFakeChatModel(itertools.cycle(["one two"]))

    def shout(chunks: Iterator[str]) -> Iterator[str]:
        for chunk in chunks:
            yield chunk.upper()

    assert await collect((model | StrOutputParser() | shout).astream("x")) == ["ONE", " ", "TWO"]


async def test_passthrough_and_assign() -> None:
    seen: list[Any] = []
    passthrough = RunnablePassthrough(lambda x: seen.append(x))
    assert await passthrough.ainvoke({"q": 1}) == {"q": 1}
    assert seen == [{"q": 1}]
    assign = RunnablePassthrough.assign(doubled=lambda d: d["q"] * 2)
    assert await assign.ainvoke({"q": 3}) == {"q": 3, "doubled": 6}
    chunks = await collect(assign.astream({"q": 3}))
    assert sum(chunks[1:], chunks[0]) == {"q": 3, "doubled": 6}
    with pytest.raises(TypeError, match="needs a dict input"):
        await assign.ainvoke(3)


async def test_passthrough_streams_chunks_as_they_come() -> None:
    model = GenericFakeChatModel(itertools.cycle(["a b"]))
    assert await collect((model | StrOutputParser() | RunnablePassthrough()).astream("x")) == ["a", " ", "b"]


async def test_parallel_runs_branches_concurrently() -> None:
    left_started, right_started = trio.Event(), trio.Event()

    async def left(x: int) -> str:
        left_started.set()
        await right_started.wait()  # deadlocks unless both run at once
        return f"L{x}"

    async def right(x: int) -> str:
        right_started.set()
        await left_started.wait()
        return f"R{x}"

    parallel = RunnableParallel(left=left, right=right)
    assert parallel.get_name() == "RunnableParallel<left,right>"
    assert await parallel.ainvoke(1) == {"left": "L1", "right": "R1"}


async def test_parallel_streams_one_key_chunks_that_add_up() -> None:
    model = GenericFakeChatModel(itertools.cycle(["x y"]))
    parallel = RunnableParallel(text=model | StrOutputParser(), same=RunnablePassthrough())
    chunks = await collect(parallel.astream("hi"))
    assert all(isinstance(c, AddableDict) and len(c) == 1 for c in chunks)
    assert sum(chunks[1:], chunks[0]) == {"text": "x y", "same": "hi"}


async def test_parallel_failure_cancels_siblings_and_surfaces_as_itself() -> None:
    cancelled: list[str] = []

    async def slow(x: Any) -> None:
        try:
            await trio.sleep_forever()
        finally:
            cancelled.append("slow")

    async def boom(x: Any) -> None:
        await trio.sleep(0)
        raise LookupError("nope")

    with pytest.raises(LookupError, match="nope"):
        await RunnableParallel(slow=slow, boom=boom).ainvoke(1)
    assert cancelled == ["slow"]
    with pytest.raises(LookupError, match="nope"):
        await collect(RunnableParallel(slow=slow, boom=boom).astream(1))


def test_chain_decorator_names_the_runnable() -> None:
    @chain
    def reverse_and_double(word: str) -> str:
        return word[::-1] * 2

    assert isinstance(reverse_and_double, Runnable)
    assert reverse_and_double.name == "reverse_and_double"
    assert reverse_and_double.invoke("ab") == "baba"


async def test_with_config_and_bind() -> None:
    def show(x: Any, config: Any) -> Any:
        return (config["tags"], config["metadata"].get("who"))

    bound = RunnableLambda(show).with_config(run_name="shower", tags=["t1"], metadata={"who": "me"})
    assert bound.get_name() == "shower"
    assert await bound.ainvoke(1) == (["t1"], "me")
    assert await bound.ainvoke(1, {"tags": ["t2"]}) == (["t1", "t2"], "me")

    class Echo(Runnable[Any, Any]):
        async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
            return (input, kwargs)

    assert await Echo().bind(stop=["x"]).ainvoke(1) == (1, {"stop": ["x"]})
    assert await Echo().bind(stop=["x"]).with_config(tags=["a"]).ainvoke(1, stop=["y"]) == (1, {"stop": ["y"]})


async def test_get_config_inside_nested_lambdas() -> None:
    async def inner(x: Any) -> Any:
        config = get_config()
        return config["metadata"]["user"], config["configurable"]["k"]

    outer = RunnableLambda(lambda x: RunnableLambda(inner).invoke(x))
    assert await outer.ainvoke(1, {"metadata": {"user": "u"}, "configurable": {"k": 5}}) == ("u", 5)


async def test_generic_fake_model_in_a_chain_streams_tokens() -> None:
    model = GenericFakeChatModel(iter([AIMessage("hello world !")]))
    assert await collect((model | StrOutputParser()).astream("hi")) == ["hello", " ", "world", " ", "!"]
