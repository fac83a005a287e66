"""The ordering guarantees of docs/streaming.md, as properties over generated graphs.

Every example draws a graph (:mod:`graph_strategies`), predicts its run with the
reference interpreter (:mod:`graph_reference`), runs it for real through one of
the stream APIs — ``astream_parts`` or ``astream(stream_mode=[...all modes],
subgraphs=True)``, in its ``async with`` form or bare — in a fresh ``trio.run``
whose scheduling trio's hypothesis plugin shuffles, and reads the parts back
into tasks and steps (:class:`graph_harness.Trace`). Each test states one
guarantee; a failure prints the shrunk graph and the labelled stream.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from typing import Any

import attrs
import trio
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from graph_harness import APIS, EXPECTED_MODES, NodeFailed, Run, Trace, failure_type, run_spec
from graph_reference import STATE_KEYS, RefRun, normalize, reference_run
from graph_strategies import GraphSpec, graph_specs, retimed, with_failures

EXAMPLES = int(os.environ.get("TRIBUTARY_PROPERTY_EXAMPLES", "200"))
"""Examples per property: 200 in CI; raise it locally for a deeper search."""

property_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@attrs.frozen(repr=False)
class Scenario:
    """A generated graph, its input, how it is consumed, and the reference prediction."""

    spec: GraphSpec
    input: dict[str, Any]
    api: str
    pauses: tuple[int, ...]
    buffer: int | None
    ref: RefRun

    def __repr__(self) -> str:
        return (
            f"Scenario(api={self.api!r}, input={self.input!r}, pauses={self.pauses}, "
            f"buffer={self.buffer}){self.spec!r}"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints falsifying examples with this
        printer.text(repr(self))


@st.composite
def scenarios(draw: Any, failures: str = "never") -> Scenario:
    """``failures``: ``"never"``, ``"sometimes"`` or ``"always"`` (a node that runs raises)."""
    spec = draw(graph_specs())
    input = {"log": draw(st.lists(st.sampled_from(("in0", "in1")), max_size=2))}
    ref = reference_run(spec, input)
    if failures == "always" or (failures == "sometimes" and draw(st.integers(0, 3)) == 0):
        executed = sorted(ref.executed())
        assume(executed)
        spec = draw(with_failures(spec, executed))
        ref = reference_run(spec, input)
    api = draw(st.sampled_from(APIS))
    pauses = tuple(draw(st.lists(st.integers(1, 40), max_size=3)))
    buffer = draw(st.sampled_from((None, None, 1, 3)))
    return Scenario(spec, input, api, pauses, buffer, ref)


def _features(scenario: Scenario) -> None:
    graphs = list(scenario.spec.walk())
    nodes = [node for graph in graphs for node in graph.nodes]
    event(f"api: {scenario.api}")
    event(f"stream buffer: {scenario.buffer or 'default'}")
    event(f"subgraph depth: {max(graph.label.count('.') for graph in graphs)}")
    for feature, present in (
        ("loop", any(graph.loops for graph in graphs)),
        ("join", any(graph.joins for graph in graphs)),
        ("Send", any(fan.count for graph in graphs for fan in graph.fanouts)),
        ("sync node", any(node.kind == "sync" for node in nodes)),
        ("custom chunks", any(op.kind in ("chunk", "achunk") for node in nodes for op in node.ops)),
        ("failure", scenario.ref.failed_step is not None),
    ):
        event(f"{feature}: {'yes' if present else 'no'}")


def play(scenario: Scenario, invoke: bool = False) -> tuple[Run, Trace]:
    _features(scenario)
    run = run_spec(scenario.spec, scenario.input, scenario.api, scenario.pauses, invoke, scenario.buffer)
    check_clean_exit(scenario, run)
    return run, Trace.read(scenario.spec, scenario.ref, run.parts)


def fail(trace: Trace, message: str) -> None:
    raise AssertionError(f"{message}\n--- stream ---\n{trace.render()}")


def problems(trace: Trace, *kinds: str) -> None:
    found = [message for kind, message in trace.problems if kind in kinds]
    if found:
        fail(trace, "; ".join(found))


def check_clean_exit(scenario: Scenario, run: Run) -> None:
    """Whatever happened, the consumer sees a real error or none, and nothing outlives the stream."""
    assert not isinstance(run.error, trio.Cancelled), f"Cancelled escaped into the consumer: {run.error!r}"
    if scenario.ref.failed_step is None:
        assert run.error is None, f"the run raised {run.error!r} but the reference completes"
    else:
        assert run.error is not None, f"the run completed but the reference fails at step {scenario.ref.failed_step}"
    assert not run.running_at_end, f"node bodies still running when the stream ended: {run.running_at_end}"
    assert not run.leaked_tasks, f"trio tasks outlived the stream: {run.leaked_tasks}"
    assert run.error_escaped_as_itself, "leaving the 'async with' block changed the error"
    unexpected = {part.mode for part in run.parts} - EXPECTED_MODES
    assert not unexpected, f"modes a graph without models or checkpointer must not emit: {unexpected}"


# -- 1. chunks written by one actor arrive in the order it wrote them ---------

@property_settings
@given(scenarios(failures="sometimes"))
def test_actor_chunks_arrive_in_write_order(scenario: Scenario) -> None:
    run, trace = play(scenario)
    delivered = {
        task.id: [seq for _, seq in task.chunks] for task in trace.tasks.values() if task.chunks
    }
    for tid, seqs in delivered.items():
        if any(b <= a for a, b in zip(seqs, seqs[1:])):
            fail(trace, f"task {tid}: chunk sequence numbers arrived as {seqs}")
    written = {tid: seqs for tid, seqs in run.recorder.written.items() if seqs}
    if delivered != written:
        fail(trace, f"chunks written {written} but delivered {delivered}")


# -- 2. everything of step k precedes everything of step k+1 at one namespace --

@property_settings
@given(scenarios(failures="sometimes"))
def test_steps_do_not_interleave_at_a_namespace(scenario: Scenario) -> None:
    _, trace = play(scenario)
    problems(trace, "steps", "values")
    by_namespace: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, part in enumerate(trace.parts):
        by_namespace[part.namespace].append(index)
    for namespace, indices in by_namespace.items():
        last_step, last_index = -1, -1
        values_of: dict[int, int] = {}
        for index in indices:
            step = trace.label[index][1]
            if step is None:
                why = f" ({task} has no debug start)" if (task := trace.label[index][0]) is not None else ""
                fail(trace, f"part {index} ({trace.parts[index].mode}) at {namespace} has no step{why}")
            if step < last_step:
                fail(trace, f"part {index} (step {step}) after part {last_index} (step {last_step}) at {namespace}")
            if step in values_of:
                fail(trace, f"part {index} of step {step} after that step's values (part {values_of[step]})")
            if trace.parts[index].mode == "values":
                values_of[step] = index
            last_step, last_index = step, index


# -- 3. a task's parts come in lifecycle order; a step's starts precede its results

@property_settings
@given(scenarios(failures="sometimes"))
def test_task_parts_follow_the_task_lifecycle(scenario: Scenario) -> None:
    run, trace = play(scenario)
    problems(trace, "lifecycle")
    completed = run.error is None
    for task in trace.tasks.values():
        if set(task.starts) != {"tasks", "debug"}:
            fail(trace, f"{task}: start reported in {sorted(task.starts)}, expected tasks and debug")
        started = max(task.starts.values())
        inside = [index for index, _ in task.chunks]
        prefix = (*task.namespace, task.segment)
        inside += [i for i, part in enumerate(trace.parts) if part.namespace[: len(prefix)] == prefix]
        if inside and min(inside) < started:
            fail(trace, f"{task}: part {min(inside)} from inside the task before its start (part {started})")
        if len(task.updates) > 1:
            fail(trace, f"{task}: {len(task.updates)} updates parts")
        after = task.updates + list(task.results.values())
        if after and inside and max(inside) > min(after):
            fail(trace, f"{task}: part {max(inside)} from inside the task after its update/result (part {min(after)})")
        if task.updates and task.results and task.updates[0] > min(task.results.values()):
            fail(trace, f"{task}: updates part {task.updates[0]} after its result {task.results}")
        if task.results and set(task.results) != {"tasks", "debug"}:
            fail(trace, f"{task}: result reported in {sorted(task.results)}, expected tasks and debug")
        if completed:
            if len(task.updates) != 1 or not task.results:
                fail(trace, f"{task}: a completed run must report one update and a result for every task")
            payload = task.result_payload
            update = trace.parts[task.updates[0]].chunk[task.name]
            if payload["error"] is not None or normalize(payload["result"]) != normalize(update or {}):
                fail(trace, f"{task}: result payload {payload} does not match its update {update}")
    steps: dict[tuple[tuple[str, ...], int | None], list[Any]] = defaultdict(list)
    for task in trace.tasks.values():
        steps[task.namespace, task.step].append(task)
    for (namespace, step), tasks in steps.items():
        for mode in ("tasks", "debug"):
            last_start = max(task.starts[mode] for task in tasks)
            ends = [task.results[mode] for task in tasks if mode in task.results]
            ends += [index for task in tasks for index in task.updates]
            if ends and min(ends) < last_start:
                fail(trace, f"step {step} at {namespace}: a result/update (part {min(ends)}) "
                            f"before the last {mode} start (part {last_start})")


# -- 4. values fold the writes in task-path order; output independent of scheduling

def _state_writes(writes: list[tuple[str, Any]]) -> dict[str, Any] | None:
    update = {key: value for key, value in writes if key in STATE_KEYS}
    return update or None


@property_settings
@given(scenarios(failures="sometimes"))
def test_values_fold_writes_in_task_path_order(scenario: Scenario) -> None:
    run, trace = play(scenario, invoke=True)
    problems(trace, "values", "lifecycle")
    runs = {()} | {task.namespace + (task.segment,) for task in trace.tasks.values() if trace.spec_at(
        task.namespace) is not None and trace.spec_at(task.namespace).node(task.name).nests}
    for namespace in runs:
        ref = trace.ref_at(namespace)
        if ref is None:
            fail(trace, f"no reference run for the subgraph run at {namespace}")
        parent = trace.parent_task(namespace)
        completed = run.error is None if parent is None else bool(parent.updates)
        real = [normalize(trace.parts[index].chunk) for index in trace.values.get(namespace, [])]
        expected = [state for _, state in ref.values]
        if (real != expected) if completed else (real != expected[: len(real)]):
            fail(trace, f"values at {namespace}:\n  got      {real}\n  expected {expected}")
        by_step: dict[int, list[Any]] = defaultdict(list)
        for task in trace.tasks.values():
            if task.namespace == namespace and task.step is not None:
                by_step[task.step].append(task)
        for step, tasks in by_step.items():
            ref_tasks = ref.steps.get(step, [])
            ran, expected_names = Counter(t.name for t in tasks), Counter(t.name for t in ref_tasks)
            # A run cancelled from outside may stop between two task starts.
            if (ran != expected_names) if completed else not ran <= expected_names:
                fail(trace, f"step {step} at {namespace} ran {sorted(ran.elements())}, "
                            f"expected {sorted(expected_names.elements())}")
            for task in tasks:
                if not task.updates:
                    continue
                update = normalize(trace.parts[task.updates[0]].chunk[task.name])
                candidates = [_state_writes(t.writes) for t in ref_tasks if t.name == task.name]
                if update not in candidates:
                    fail(trace, f"{task} updated {update}, expected one of {candidates}")
    if run.error is None:
        assert normalize(run.output) == scenario.ref.final, f"ainvoke returned {run.output}"


@property_settings
@given(st.data())
def test_output_is_independent_of_scheduling(data: st.DataObject) -> None:
    scenario = data.draw(scenarios(failures="never"), label="scenario")
    other = data.draw(retimed(scenario.spec), label="same graph, other timing")
    other_api = data.draw(st.sampled_from(APIS), label="other api")
    first, trace = play(scenario)
    second_scenario = attrs.evolve(scenario, spec=other, api=other_api)
    second, _ = play(second_scenario, invoke=True)
    root_values = [[normalize(p.chunk) for p in r.parts if p.namespace == () and p.mode == "values"]
                   for r in (first, second)]
    assert root_values[0] == root_values[1], "the two timings streamed different root values"
    assert root_values[0][-1] == scenario.ref.final, "the final values differ from the reference"
    assert normalize(second.output) == scenario.ref.final, f"ainvoke returned {second.output}"


# -- 5. a failing node: its own exception, nothing after its step, nothing left running

@property_settings
@given(scenarios(failures="always"))
def test_node_failure_surfaces_as_itself(scenario: Scenario) -> None:
    run, trace = play(scenario)
    ref = scenario.ref
    assert ref.failed_step is not None
    error = run.error
    if error is None or isinstance(error, BaseExceptionGroup) or not isinstance(error, NodeFailed):
        fail(trace, f"expected a node's own exception, got {error!r}")
    origin = (type(error).label, type(error).node)
    if origin not in ref.origins or type(error) is not failure_type(*origin):
        fail(trace, f"{error!r} is not from a node that fails first ({sorted(ref.origins)})")
    if not any(f"'{origin[1]}'" in note for note in getattr(error, "__notes__", ())):
        fail(trace, f"no note names node {origin[1]!r}: {getattr(error, '__notes__', None)}")
    for namespace in trace.namespaces() | {()}:
        run_ref = trace.ref_at(namespace)
        if run_ref is None:
            fail(trace, f"no reference run for {namespace}")
        limit = run_ref.failed_step if run_ref.failed_step is not None else run_ref.last_step
        for index, part in enumerate(trace.parts):
            if part.namespace != namespace:
                continue
            step = trace.label[index][1]
            if step is None or step > limit:
                fail(trace, f"part {index} at {namespace} is from step {step}, after the failing step {limit}")
            if part.mode == "values" and step == run_ref.failed_step:
                fail(trace, f"part {index}: values of the failing step {step} at {namespace}")
    # The first error of a step cancels its siblings that wait: after a namespace's
    # first error result, a sibling of that step reports an update or a successful
    # result only if it finishes without waiting (it had its first turn, as in
    # LangGraph's astream); a sync node's thread runs on, but its result must not stream.
    first_error: dict[tuple[str, ...], tuple[int, int | None]] = {}
    for index, part in enumerate(trace.parts):
        step = trace.label[index][1]
        seen = first_error.get(part.namespace)
        is_result = part.mode == "tasks" and "result" in part.chunk
        if seen is not None and seen[1] == step:
            reports = part.mode == "updates" or (is_result and part.chunk["error"] is None)
            if reports and not finishes_without_waiting(trace.spec_at(part.namespace), reporter(part)):
                fail(trace, f"part {index}: step {step} at {part.namespace} still reports {part.mode} "
                            f"after its first error (part {seen[0]})")
        if seen is None and is_result and part.chunk["error"] is not None:
            first_error[part.namespace] = (index, step)


WAITING_OPS = frozenset({"achunk", "sleep0", "checkpoint", "sleep"})


def reporter(part: Any) -> str | None:
    """The node an ``updates`` part or a ``tasks`` result is about."""
    if part.mode == "tasks":
        return str(part.chunk["name"])
    names = [name for name in part.chunk if name != "__metadata__"]
    return names[0] if len(names) == 1 else None


def finishes_without_waiting(spec: Any, name: str | None) -> bool:
    """Whether node ``name`` of ``spec`` runs, routers included, without ever waiting."""
    if spec is None or name is None or not any(node.name == name for node in spec.nodes):
        return False
    node = spec.node(name)
    if node.kind != "async" or any(op.kind in WAITING_OPS for op in node.ops):
        return False
    routers = [*spec.loops, *spec.fanouts]
    return not any(router.source == name and router.is_async for router in routers)


# -- 6. subgraph namespaces name a task the parent started ---------------------

@property_settings
@given(scenarios(failures="sometimes"))
def test_subgraph_namespaces_name_started_tasks(scenario: Scenario) -> None:
    _, trace = play(scenario)
    for index, part in enumerate(trace.parts):
        namespace = part.namespace
        for depth, segment in enumerate(namespace):
            name, colon, tid = segment.partition(":")
            task = trace.tasks.get((namespace[:depth], tid))
            if not colon or not UUID.match(tid) or task is None or task.name != name or "tasks" not in task.starts:
                fail(trace, f"part {index}: namespace segment {segment!r} names no task started at {namespace[:depth]}")
            if task.starts["tasks"] > index:
                fail(trace, f"part {index}: namespace segment {segment!r} before that task's start")
            spec = trace.spec_at(namespace[:depth])
            if spec is None or not spec.node(name).nests:
                fail(trace, f"part {index}: namespace segment {segment!r} is not a subgraph node")
        if part.mode == "custom":
            _, _, node, tid, _, _, checkpoint_ns = part.chunk
            segments = tuple(checkpoint_ns.split("|"))
            if segments[:-1] != namespace or segments[-1] != f"{node}:{tid}":
                fail(trace, f"part {index}: custom chunk of task {node}:{tid} ({checkpoint_ns}) at {namespace}")


# -- Events ordering (astream_events v2: start before stream before end, parent_ids)
# belongs with these properties and is to be added here, reusing scenarios() and
# graph_harness, by whoever adds the event pipeline's ordering tests.
