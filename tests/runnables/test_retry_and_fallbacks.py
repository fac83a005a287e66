"""``with_retry`` and ``with_fallbacks`` (expected values observed on langchain-core 1.8).

Our event streams add ``on_chain_error`` for each failed attempt (deliberate
difference: astream_events reports errors); everything else is langchain-core's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import trio
import trio.testing

from runtime import RunnableLambda, RunnableWithFallbacks
from runtime.runnables import RunnableRetry


def shape(events: list[dict[str, Any]]) -> list[tuple[str, str, list[str], Any]]:
    return [(e["event"], e["name"], e["tags"], e["data"]) for e in events]


async def events_of(stream: Any) -> list[dict[str, Any]]:
    async with stream as events:
        return [event async for event in events]


class Flaky:
    """Fails with ``error`` until its ``succeed_on``-th call."""

    def __init__(self, succeed_on: int, error: type[Exception] = ValueError) -> None:
        self.calls: list[Any] = []
        self.succeed_on = succeed_on
        self.error = error

    def __call__(self, x: int) -> int:
        self.calls.append(x)
        if len(self.calls) < self.succeed_on:
            raise self.error(f"fail {len(self.calls)}")
        return x * 2


def flaky_lambda(flaky: Flaky) -> RunnableLambda[int, int]:
    return RunnableLambda(flaky, name="flaky")


async def test_retry_until_it_works() -> None:
    flaky = Flaky(3)
    retrying = flaky_lambda(flaky).with_retry(stop_after_attempt=3, wait_exponential_jitter=False)
    assert isinstance(retrying, RunnableRetry)
    assert await retrying.ainvoke(2) == 4
    assert flaky.calls == [2, 2, 2]
    assert retrying.get_name() == "flaky"


async def test_retry_gives_up_with_the_last_error() -> None:
    with pytest.raises(ValueError, match="fail 2"):
        await flaky_lambda(Flaky(3)).with_retry(stop_after_attempt=2, wait_exponential_jitter=False).ainvoke(1)
    other = Flaky(3, KeyError)
    with pytest.raises(KeyError, match="fail 1"):
        await flaky_lambda(other).with_retry(retry_if_exception_type=(ValueError,)).ainvoke(1)
    assert other.calls == [1]  # not a type worth retrying: no second attempt


def async_flaky(flaky: Flaky) -> RunnableLambda[int, int]:
    # Async, so no worker thread runs while the mock clock jumps.
    async def call(x: int) -> int:
        return flaky(x)

    return RunnableLambda(call, name="flaky")


async def test_retry_waits_exponentially_with_jitter(autojump_clock: trio.testing.MockClock) -> None:
    start = trio.current_time()
    exact = async_flaky(Flaky(3)).with_retry(exponential_jitter_params={"jitter": 0})
    assert await exact.ainvoke(1) == 2
    assert trio.current_time() - start == pytest.approx(1 + 2)  # initial * 2 ** (n - 1)
    start = trio.current_time()
    assert await async_flaky(Flaky(3)).with_retry().ainvoke(1) == 2
    assert 3 <= trio.current_time() - start < 5  # plus up to 1 second of jitter per wait
    start = trio.current_time()
    capped = async_flaky(Flaky(4)).with_retry(
        stop_after_attempt=4, exponential_jitter_params={"initial": 2, "max": 3, "jitter": 0}
    )
    assert await capped.ainvoke(1) == 2
    assert trio.current_time() - start == pytest.approx(2 + 3 + 3)


def test_retry_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="at least 1 attempt"):
        RunnableLambda(abs).with_retry(stop_after_attempt=0)
    with pytest.raises(TypeError, match=r"unknown key\(s\) \['wait'\]"):
        RunnableLambda(abs).with_retry(exponential_jitter_params={"wait": 1})


async def test_retry_events_each_attempt_is_a_child_run() -> None:
    retrying = flaky_lambda(Flaky(3)).with_retry(wait_exponential_jitter=False)
    outer = RunnableLambda(lambda x: retrying.invoke(x), name="outer")
    events = await events_of(outer.astream_events(2, version="v2"))
    assert shape(events) == [
        ("on_chain_start", "outer", [], {"input": 2}),
        ("on_chain_start", "flaky", [], {"input": 2}),
        ("on_chain_start", "flaky", [], {"input": 2}),
        ("on_chain_error", "flaky", [], {"error": events[3]["data"]["error"], "input": 2}),
        ("on_chain_start", "flaky", ["retry:attempt:2"], {"input": 2}),
        ("on_chain_error", "flaky", ["retry:attempt:2"], {"error": events[5]["data"]["error"], "input": 2}),
        ("on_chain_start", "flaky", ["retry:attempt:3"], {"input": 2}),
        ("on_chain_end", "flaky", ["retry:attempt:3"], {"output": 4, "input": 2}),
        ("on_chain_end", "flaky", [], {"output": 4, "input": 2}),
        ("on_chain_stream", "outer", [], {"chunk": 4}),
        ("on_chain_end", "outer", [], {"output": 4}),
    ]
    assert events[2]["parent_ids"] == [events[0]["run_id"], events[1]["run_id"]]


async def test_streaming_a_retry_runs_once_as_langchain() -> None:
    # langchain-core's RunnableRetry retries invoke and batch only.
    with pytest.raises(ValueError, match="fail 1"):
        async with flaky_lambda(Flaky(2)).with_retry(wait_exponential_jitter=False).astream(1) as stream:
            async for _ in stream:
                pass


# -- fallbacks -----------------------------------------------------------------------------
def bad(x: Any) -> str:
    raise ValueError("bad")


def bad_key(x: Any) -> str:
    raise KeyError("bad_key")


def good(x: Any) -> str:
    return f"good {x}"


async def test_fallbacks_try_the_next_runnable() -> None:
    fallbacks = RunnableLambda(bad).with_fallbacks([RunnableLambda(good)])
    assert isinstance(fallbacks, RunnableWithFallbacks)
    assert await fallbacks.ainvoke(1) == "good 1"
    assert fallbacks.get_name() == "RunnableWithFallbacks"
    assert [r.get_name() for r in fallbacks.runnables] == ["bad", "good"]
    assert [c async for c in fallbacks.astream(1)] == ["good 1"]


async def test_fallbacks_raise_the_first_error_or_an_unhandled_one() -> None:
    with pytest.raises(ValueError, match="bad"):
        await RunnableLambda(bad).with_fallbacks([RunnableLambda(bad_key)]).ainvoke(1)
    with pytest.raises(ValueError, match="bad"):
        await RunnableLambda(bad).with_fallbacks([RunnableLambda(good)], exceptions_to_handle=(KeyError,)).ainvoke(1)


async def test_fallbacks_pass_the_error_under_exception_key() -> None:
    fallbacks = RunnableLambda(bad).with_fallbacks([RunnableLambda(lambda d: d)], exception_key="err")
    result = await fallbacks.ainvoke({"q": 1})
    assert result["q"] == 1 and isinstance(result["err"], ValueError) and str(result["err"]) == "bad"
    with pytest.raises(TypeError, match="exception_key='err'.*needs a dict input, got int"):
        await fallbacks.ainvoke(1)


async def test_streamed_fallback_only_before_the_first_chunk() -> None:
    async def breaks_midway(x: Any) -> AsyncIterator[str]:
        yield "a"
        raise ValueError("mid")

    seen: list[str] = []
    with pytest.raises(ValueError, match="mid"):
        async with RunnableLambda(breaks_midway).with_fallbacks([RunnableLambda(good)]).astream(1) as stream:
            async for chunk in stream:
                seen.append(chunk)
    assert seen == ["a"]


async def test_fallback_events_as_langchain() -> None:
    fallbacks = RunnableLambda(bad).with_fallbacks([RunnableLambda(good)])
    events = await events_of(fallbacks.astream_events(1, version="v2"))
    assert [(e["event"], e["name"], e["data"]) for e in events if e["event"] != "on_chain_error"] == [
        ("on_chain_start", "RunnableWithFallbacks", {"input": 1}),
        ("on_chain_start", "bad", {}),
        ("on_chain_start", "good", {}),
        ("on_chain_stream", "good", {"chunk": "good 1"}),
        ("on_chain_stream", "RunnableWithFallbacks", {"chunk": "good 1"}),
        ("on_chain_end", "good", {"output": "good 1", "input": 1}),
        ("on_chain_end", "RunnableWithFallbacks", {"output": "good 1"}),
    ]
    outer = RunnableLambda(lambda x: fallbacks.invoke(x), name="outer")
    events = await events_of(outer.astream_events(1, version="v2"))
    assert [(e["event"], e["name"], e["data"]) for e in events if e["event"] != "on_chain_error"] == [
        ("on_chain_start", "outer", {"input": 1}),
        ("on_chain_start", "RunnableWithFallbacks", {"input": 1}),
        ("on_chain_start", "bad", {"input": 1}),
        ("on_chain_start", "good", {"input": 1}),
        ("on_chain_end", "good", {"output": "good 1", "input": 1}),
        ("on_chain_end", "RunnableWithFallbacks", {"output": "good 1", "input": 1}),
        ("on_chain_stream", "outer", {"chunk": "good 1"}),
        ("on_chain_end", "outer", {"output": "good 1"}),
    ]
