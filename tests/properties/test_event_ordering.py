"""The ordering guarantees extended to ``astream_events``, as properties.

For generated graphs (the strategies of :mod:`graph_strategies`, nodes from
:mod:`graph_harness`, some failing) and for generated runnable compositions
(sequences, parallel dicts, lambdas, generator steps, model | parser pairs,
tools and nested invokes, some failing), the event stream must satisfy:

* per run: one start, first; stream events and custom events only between the
  start and the run's one terminal event (end or error); nothing after it;
* the first event is the root's start, and ``parent_ids`` are consistent with
  the run tree: a run's parent had started and not yet finished when it
  started, and ``parent_ids`` is the parent's ``parent_ids`` plus the parent;
* children end before their parent ends (a child may have no end when a
  failing sibling cancelled it);
* a run that completes leaves no run open; a failing one ends with the root's
  ``on_chain_error`` carrying the error the iterator raises (difference 4),
  after the error events of the runs it came through, innermost first.

Each example runs in a fresh ``trio.run`` under an autojumping clock, so
hypothesis shuffles the scheduling and a failing interleaving replays.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import attrs
import trio
import trio.testing
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from graph_harness import CONFIG, NodeFailed, Recorder, build
from graph_reference import reference_run
from graph_strategies import GraphSpec, graph_specs, with_failures
from runtime import (
    GenericFakeChatModel,
    Runnable,
    RunnableLambda,
    RunnableParallel,
    StrOutputParser,
    tool,
)
from runtime.runnables import RunnableGenerator, RunnableSequence

EXAMPLES = int(os.environ.get("TRIBUTARY_PROPERTY_EXAMPLES", "200"))

event_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

TERMINAL = ("_end", "_error")


def is_terminal(event: dict[str, Any]) -> bool:
    return event["event"] != "on_custom_event" and event["event"].endswith(TERMINAL)


def check_events(events: list[dict[str, Any]], error: BaseException | None) -> None:
    """Every ordering property of one event stream (see the module docstring)."""
    assert events, "no events at all"
    root = events[0]
    assert root["event"].endswith("_start") and root["parent_ids"] == [], f"first event is not the root start: {root}"
    started: dict[str, int] = {}
    finished: dict[str, int] = {}
    parents: dict[str, list[str]] = {}
    for index, item in enumerate(events):
        run_id, kind = item["run_id"], item["event"]
        if kind == "on_custom_event":
            assert run_id in started and run_id not in finished, f"custom item #{index} outside its run"
            continue
        if kind.endswith("_start"):
            assert run_id not in started, f"run {item['name']} started twice"
            ids = item["parent_ids"]
            if ids:
                parent = ids[-1]
                assert parent in started, f"#{index} {item['name']}: parent had not started"
                assert parent not in finished, f"#{index} {item['name']}: parent had already finished"
                assert parents[parent] + [parent] == ids, f"#{index} {item['name']}: parent_ids {ids} break the tree"
            else:
                assert index == 0, f"#{index} {item['name']}: a second root"
            started[run_id] = index
            parents[run_id] = ids
            continue
        assert run_id in started, f"#{index} {kind} {item['name']} before its start"
        assert run_id not in finished, f"#{index} {kind} {item['name']} after its run finished"
        assert item["parent_ids"] == parents[run_id], f"#{index} parent_ids changed within a run"
        if is_terminal(item):
            finished[run_id] = index
    for run_id, end in finished.items():
        for child, ids in parents.items():
            if ids and ids[-1] == run_id and child in finished:
                assert finished[child] < end, "a child finished after its parent"
    if error is None:
        assert set(started) == set(finished), f"runs left open: {set(started) - set(finished)}"
        assert events[-1]["event"].endswith("_end") and events[-1]["run_id"] == root["run_id"]
    else:
        last = events[-1]
        assert last["run_id"] == root["run_id"] and last["event"].endswith("_error"), f"last item: {last['event']}"
        assert last["data"]["error"] is error, "the root's error item does not carry the raised error"
        chain = [e for e in events if e["event"].endswith("_error") and e["data"]["error"] is error]
        depths = [len(e["parent_ids"]) for e in chain]
        assert depths == sorted(depths, reverse=True), f"error events not innermost first: {depths}"


async def gather(stream: Any) -> tuple[list[dict[str, Any]], BaseException | None]:
    events: list[dict[str, Any]] = []
    try:
        async with stream as items:
            async for item in items:
                events.append(item)
    except Exception as error:  # noqa: BLE001 - the property judges it
        return events, error
    return events, None


# -- generated graphs ---------------------------------------------------------------

@st.composite
def graph_cases(draw: Any) -> tuple[GraphSpec, dict[str, Any], str | list[str]]:
    spec = draw(graph_specs())
    input = {"log": []}
    if draw(st.integers(0, 2)) == 0:
        executed = sorted(reference_run(spec, input).executed())
        assume(executed)
        spec = draw(with_failures(spec, executed))
    mode = draw(st.sampled_from(["updates", "values", ["custom", "updates"]]))
    return spec, input, mode


@event_settings
@given(graph_cases())
def test_graph_events_are_ordered_and_nested(case: tuple[GraphSpec, dict[str, Any], Any]) -> None:
    spec, input, mode = case

    async def main() -> None:
        app = build(spec, Recorder())
        events, error = await gather(app.astream_events(input, CONFIG, stream_mode=mode, subgraphs=True))
        event(f"graph run failed: {error is not None}")
        event(f"nested graph runs: {sum(e['name'] == 'LangGraph' for e in events if e['event'] == 'on_chain_start') > 1}")
        check_events(events, error)
        assert error is None or isinstance(error, NodeFailed), f"unexpected error {error!r}"
        roots = [e for e in events if e["parent_ids"] == []]
        assert {e["name"] for e in roots} == {"LangGraph"}
        nodes = [e for e in events if e["event"] == "on_chain_start" and len(e["parent_ids"]) == 1]
        assert all(e["tags"][0].startswith("graph:step:") for e in nodes)

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))


# -- generated runnable compositions ------------------------------------------------------

class Boom(Exception):
    pass


@attrs.frozen
class RSpec:
    """A runnable to build: ``kind`` and its children; every one maps a string to a string."""

    kind: str
    children: tuple[RSpec, ...] = ()
    fails: bool = False
    sleeps: bool = False

    def build(self) -> Runnable[Any, Any]:
        kind, fails, sleeps = self.kind, self.fails, self.sleeps
        if kind == "lambda":
            async def step(x: str) -> str:
                if sleeps:
                    await trio.sleep(0.01)
                if fails:
                    raise Boom("lambda")
                return x + "l"

            return RunnableLambda(step)
        if kind == "sync":
            def sync_step(x: str) -> str:
                if fails:
                    raise Boom("sync")
                return x + "s"

            return RunnableLambda(sync_step)
        if kind == "gen":
            async def transform(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
                async for chunk in chunks:
                    if sleeps:
                        await trio.sleep(0)
                    yield chunk.upper()
                if fails:
                    raise Boom("gen")

            return RunnableGenerator(transform)
        if kind == "model":
            return GenericFakeChatModel(iter(["a b c"] * 100)) | StrOutputParser()
        if kind == "seq":
            return RunnableSequence(*(child.build() for child in self.children))
        if kind == "par":
            branches = {f"k{i}": child.build() for i, child in enumerate(self.children)}
            return RunnableParallel(branches) | (lambda d: "".join(d[k] for k in sorted(d)))
        inner = self.children[0].build()
        if kind == "nested":
            async def nested(x: str) -> str:
                return await inner.ainvoke(x)

            return RunnableLambda(nested)
        assert kind == "tool"

        @tool
        async def wrapped(x: str) -> str:
            """Calls the inner runnable."""
            return await inner.ainvoke(x)

        return wrapped


leaves = st.builds(
    RSpec,
    kind=st.sampled_from(["lambda", "sync", "gen", "model"]),
    fails=st.just(False),
    sleeps=st.booleans(),
)


def _compose(children: Any) -> Any:
    return st.one_of(
        st.builds(lambda cs: RSpec("seq", tuple(cs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda cs: RSpec("par", tuple(cs)), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda c: RSpec("nested", (c,)), children),
        st.builds(lambda c: RSpec("tool", (c,)), children),
    )


rspecs = st.recursive(leaves, _compose, max_leaves=6)


def with_a_failure(spec: RSpec, path: list[int]) -> RSpec:
    """``spec`` with the leaf that ``path`` leads to raising :class:`Boom`."""
    if not spec.children:
        return attrs.evolve(spec, kind="lambda" if spec.kind == "model" else spec.kind, fails=True)
    index = (path[0] if path else 0) % len(spec.children)
    children = list(spec.children)
    children[index] = with_a_failure(children[index], path[1:])
    return attrs.evolve(spec, children=tuple(children))


@event_settings
@given(rspecs, st.one_of(st.none(), st.lists(st.integers(0, 5), max_size=4)), st.booleans())
def test_runnable_events_are_ordered_and_nested(spec: RSpec, failure: list[int] | None, via_invoke: bool) -> None:
    if failure is not None:
        spec = with_a_failure(spec, failure)

    async def main() -> None:
        runnable = built = spec.build()
        if via_invoke:
            async def root(x: str) -> str:
                return await built.ainvoke(x)

            runnable = RunnableLambda(root)
        events, error = await gather(runnable.astream_events("in", {"tags": ["user"]}))
        event(f"runnable failed: {error is not None}")
        event(f"runs: {min(len({e['run_id'] for e in events}), 10) // 5 * 5}+")
        check_events(events, error)
        assert all("user" in e["tags"] for e in events)
        if error is None:
            expected = await spec.build().ainvoke("in")
            assert events[-1]["data"]["output"] == expected or events[-1]["event"] != "on_chain_end"
        else:
            assert isinstance(error, Boom)

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
