"""``add_node(retry_policy=[...])``: the first policy whose ``retry_on`` matches the error decides (LangGraph 1.2)."""

from __future__ import annotations

import itertools
from typing import Any, TypedDict

import pytest
import trio

from graphs import START, RetryPolicy, StateGraph


class State(TypedDict, total=False):
    x: int
    y: int


def flaky(errors: list[BaseException], times: list[float]) -> Any:
    """A node that raises ``errors`` in turn, then returns how many calls it took."""

    async def node(state: State) -> State:
        times.append(trio.current_time())
        if len(times) <= len(errors):
            raise errors[len(times) - 1]
        return {"x": len(times)}

    return node


def app(node: Any, policies: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("flaky", node, retry_policy=policies)
    graph.add_edge(START, "flaky")
    return graph.compile()


VALUE = RetryPolicy(retry_on=ValueError, max_attempts=2, initial_interval=10.0, jitter=False)
KEY = RetryPolicy(retry_on=KeyError, max_attempts=4, initial_interval=1.0, backoff_factor=1.0, jitter=False)


async def test_the_first_matching_policy_retries(autojump_clock: trio.testing.MockClock) -> None:
    times: list[float] = []
    out = await app(flaky([KeyError("a"), KeyError("b")], times), [VALUE, KEY]).ainvoke({})
    assert out == {"x": 3}
    # KEY's interval, not VALUE's: waits of 1 second.
    assert [round(b - a, 6) for a, b in itertools.pairwise(times)] == [1.0, 1.0]


async def test_its_attempt_budget_ends_the_retries(autojump_clock: trio.testing.MockClock) -> None:
    times: list[float] = []
    with pytest.raises(ValueError, match="v2"):
        await app(flaky([ValueError("v1"), ValueError("v2"), ValueError("v3")], times), [VALUE, KEY]).ainvoke({})
    assert len(times) == 2
    assert times[1] - times[0] == pytest.approx(10.0)


async def test_an_error_no_policy_matches_is_not_retried(autojump_clock: trio.testing.MockClock) -> None:
    times: list[float] = []
    with pytest.raises(TypeError, match="t1"):
        await app(flaky([TypeError("t1")], times), [VALUE, KEY]).ainvoke({})
    assert len(times) == 1


async def test_attempts_count_across_policies(autojump_clock: trio.testing.MockClock) -> None:
    # A KeyError (KEY retries), then a ValueError on the second attempt: VALUE allows 2 attempts in all.
    times: list[float] = []
    with pytest.raises(ValueError, match="v"):
        await app(flaky([KeyError("k"), ValueError("v")], times), [VALUE, KEY]).ainvoke({})
    assert len(times) == 2


async def test_a_policy_in_a_list_of_one_and_alone_agree(autojump_clock: trio.testing.MockClock) -> None:
    for policies in (KEY, [KEY], (KEY,)):
        times: list[float] = []
        assert await app(flaky([KeyError("k")], times), policies).ainvoke({}) == {"x": 2}


async def test_siblings_retry_by_their_own_lists(autojump_clock: trio.testing.MockClock) -> None:
    left: list[float] = []
    right: list[float] = []
    graph = StateGraph(State)
    graph.add_node("left", flaky([KeyError("k")], left), retry_policy=[VALUE, KEY])
    right_node = flaky([ValueError("v")], right)

    async def right_y(state: State) -> State:
        return {"y": (await right_node(state))["x"]}

    graph.add_node("right", right_y, retry_policy=[KEY, VALUE])
    graph.add_edge(START, "left")
    graph.add_edge(START, "right")
    assert await graph.compile().ainvoke({}) == {"x": 2, "y": 2}
    assert len(left) == len(right) == 2


def test_a_list_must_hold_retry_policies() -> None:
    graph = StateGraph(State)
    with pytest.raises(TypeError, match="Node `n`.*'often'"):
        graph.add_node("n", lambda state: state, retry_policy=[KEY, "often"])
    with pytest.raises(TypeError, match="Node `m`"):
        graph.add_node("m", lambda state: state, retry_policy=3)
