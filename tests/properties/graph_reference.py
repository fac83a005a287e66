"""A pure reference interpreter for generated graphs: what running a spec must produce.

It knows nothing of the scheduler. It walks supersteps the way docs/architecture.md and
docs/streaming.md describe them:

* step 0 applies the input (and runs ``START``'s edges and router); every later
  step runs the pending ``Send``s and every node whose edge fired, or whose join
  completed, in the step before;
* a pull task reads the state as it was after the previous step; a worker reads
  its ``Send`` argument; a subgraph node (added as a compiled graph, or invoked
  by a node) runs the nested spec on the state's keys (a subgraph worker: on its
  ``Send`` argument) and its update is the nested run's whole final state;
* a router sees the step's state plus its own task's writes;
* at the barrier the writes are folded through the reducers (``operator.add``)
  in task-path order — pull tasks by node name, then ``Send``s by index — and a
  join completes when all its sources have written since it last fired;
* ``values`` follows every step that wrote a state key;
* a step with a failing task is the last one: no barrier, no ``values``.

Node entries are ``(graph label, node, step, send index or None, info)`` where
``info`` is ``len(log)`` of a pull task's input, ``(source, i)`` of a worker's
``Send``. The real nodes append their task id as a sixth field;
:func:`normalize` drops it.
"""

from __future__ import annotations

import operator
from typing import Any

import attrs

from graphs import END, START

from graph_strategies import FanoutSpec, GraphSpec, NodeSpec

__all__ = ["RefRun", "RefTask", "reference_run", "normalize", "send_arg", "STATE_KEYS", "MAX_REF_STEPS"]

STATE_KEYS = ("log", "ticks")
MAX_REF_STEPS = 5_000


@attrs.define
class RefTask:
    name: str
    index: int | None  # the Send index of a worker task
    arg: Any  # the task's input: the state, or the Send argument
    writes: list[tuple[str, Any]]
    fails: bool = False
    child: RefRun | None = None


@attrs.define
class RefRun:
    """One run of one spec.

    Attributes:
        values: ``(step, state)`` for every ``values`` part, in order.
        steps: the tasks of each step (step 0, the input, has none).
        final: the final state (``None`` if the run fails).
        failed_step: the step that raised, if any.
        origins: ``(graph label, node)`` of every node whose exception may be the
            one the run raises (tasks of one step fail in any order).
    """

    spec: GraphSpec
    values: list[tuple[int, dict[str, list[Any]]]] = attrs.field(factory=list)
    steps: dict[int, list[RefTask]] = attrs.field(factory=dict)
    final: dict[str, list[Any]] | None = None
    failed_step: int | None = None
    origins: set[tuple[str, str]] = attrs.field(factory=set)

    @property
    def last_step(self) -> int:
        return max(self.steps, default=0)

    def child(self, node: str, step: int, input: Any) -> RefRun | None:
        """The nested run of task ``node`` at ``step``; ``input`` (normalized) tells
        the ``Send``s to one subgraph worker apart."""
        found = [task for task in self.steps.get(step, ()) if task.name == node and task.child is not None]
        if len(found) > 1:
            found = [task for task in found if task.arg == input]
        return found[0].child if len(found) == 1 else None

    def executed(self) -> set[tuple[str, str]]:
        """``(graph label, node)`` of every function node that ran, at every level."""
        seen: set[tuple[str, str]] = set()
        for tasks in self.steps.values():
            for task in tasks:
                if task.child is not None:
                    seen |= task.child.executed()
                else:
                    seen.add((self.spec.label, task.name))
        return seen


def normalize(value: Any) -> Any:
    """A state, update or entry with the real task ids taken out of node entries."""
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if isinstance(value, tuple) and len(value) == 6:
        return value[:5]
    return value


def _fold(state: dict[str, list[Any]], writes: list[tuple[str, Any]]) -> dict[str, list[Any]]:
    state = dict(state)
    for key, value in writes:
        if key in STATE_KEYS:
            state[key] = operator.add(state[key], value)
    return state


def send_arg(spec: GraphSpec, fan: FanoutSpec, i: int) -> dict[str, Any]:
    """What the ``i``-th ``Send`` of ``fan`` carries."""
    if spec.node(fan.worker).nests:
        return {"log": [("send", fan.source, i)]}
    return {"src": fan.source, "i": i}


def _router_targets(spec: GraphSpec, source: str, state: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    """The control writes of ``source``'s router, if it has one: ``("branch", node)`` / ``("send", (node, arg))``."""
    loop = spec.loop_of(source)
    if loop is not None:
        target = loop.back if state["ticks"].count(source) < loop.bound else loop.exit
        return [] if target == END else [("branch", target)]
    for fan in spec.fanouts:
        if fan.source == source:
            return [("send", (fan.worker, send_arg(spec, fan, i))) for i in range(fan.count)]
    return []


def _edge_writes(spec: GraphSpec, source: str) -> list[tuple[str, Any]]:
    targets = dict.fromkeys(t for s, t in spec.edges if s == source and t != END)
    writes: list[tuple[str, Any]] = [("branch", t) for t in targets]
    writes += [("join", i) for i, (sources, _) in enumerate(spec.joins) if source in sources]
    return writes


def _node_update(spec: GraphSpec, node: NodeSpec, step: int, index: int | None, arg: Any) -> dict[str, list[Any]]:
    update: dict[str, list[Any]] = {}
    if node.writes_log:
        info = (arg["src"], arg["i"]) if node.worker else len(arg["log"])
        update["log"] = [(spec.label, node.name, step, index, info)]
    if spec.loop_of(node.name) is not None:
        update["ticks"] = [node.name]
    return update


def reference_run(spec: GraphSpec, input: dict[str, list[Any]]) -> RefRun:
    """Run ``spec`` on ``input`` (a dict of state keys) in the reference model."""
    run = RefRun(spec)
    state: dict[str, list[Any]] = {key: [] for key in STATE_KEYS}
    input_writes = [(key, value) for key, value in input.items() if key in STATE_KEYS]
    state = _fold(state, input_writes)
    if input_writes:
        run.values.append((0, state))
    control = _edge_writes(spec, START) + _router_targets(spec, START, state)
    joins_seen: list[set[str]] = [set() for _ in spec.joins]
    fired: set[int] = set()
    step = 1
    while True:
        triggered = {value for kind, value in control if kind == "branch"}
        triggered |= {spec.joins[i][1] for i in fired if spec.joins[i][1] != END}
        sends = [value for kind, value in control if kind == "send"]
        if not triggered and not sends:
            break
        if step > MAX_REF_STEPS:
            raise RuntimeError(f"reference run of {spec.label} did not stop")
        tasks: list[RefTask] = []
        for index, (worker, arg) in enumerate(sends):
            tasks.append(_run_task(spec, spec.node(worker), step, index, arg, state))
        for name in sorted(triggered, key=spec.add_order.index):
            tasks.append(_run_task(spec, spec.node(name), step, None, state, state))
        run.steps[step] = tasks
        failing = [task for task in tasks if task.fails]
        if failing:
            run.failed_step = step
            for task in failing:
                if task.child is not None:
                    run.origins |= task.child.origins
                else:
                    run.origins.add((spec.label, task.name))
            return run
        for i in fired:  # the join's target ran this step and consumed it
            if spec.joins[i][1] != END:
                joins_seen[i] = set()
        pulls = sorted((t for t in tasks if t.index is None), key=lambda t: t.name)
        pushes = [t for t in tasks if t.index is not None]
        wrote_state = False
        control = []
        was_complete = [seen >= set(spec.joins[i][0]) for i, seen in enumerate(joins_seen)]
        for task in pulls + pushes:
            for key, value in task.writes:
                if key in STATE_KEYS:
                    state = _fold(state, [(key, value)])
                    wrote_state = True
                elif key == "join":
                    joins_seen[value].add(task.name)
                else:
                    control.append((key, value))
        fired = {
            i for i, seen in enumerate(joins_seen) if not was_complete[i] and seen >= set(spec.joins[i][0])
        }
        if wrote_state:
            run.values.append((step, state))
        step += 1
    run.final = state
    return run


def _run_task(
    spec: GraphSpec, node: NodeSpec, step: int, index: int | None, arg: Any, state: dict[str, list[Any]]
) -> RefTask:
    task = RefTask(node.name, index, arg, [])
    if node.subgraph is not None:
        child = reference_run(node.subgraph, {key: arg[key] for key in STATE_KEYS if key in arg})
        task.child = child
        if child.final is None:
            task.fails = True
            return task
        update: dict[str, list[Any]] = dict(child.final)
    elif node.fails:
        task.fails = True
        return task
    else:
        update = _node_update(spec, node, step, index, arg)
    writes: list[tuple[str, Any]] = list(update.items())
    writes += _edge_writes(spec, node.name)
    writes += _router_targets(spec, node.name, _fold(state, writes))
    task.writes = writes
    return task
