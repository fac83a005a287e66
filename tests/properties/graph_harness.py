"""Turning a :class:`GraphSpec` into a real graph, running it, and reading the stream back.

* :func:`build` compiles a spec into a ``StateGraph`` whose nodes do what their
  spec says and record it in a :class:`Recorder` (which task wrote which chunk,
  which node bodies are running right now).
* :func:`run_spec` runs one example in a fresh ``trio.run`` under a
  ``MockClock(autojump_threshold=0)`` — trio's hypothesis plugin seeds the
  scheduler's shuffling from the example, so a failing interleaving replays
  and shrinks — through one of the stream APIs, and returns a :class:`Run`.
* :class:`Trace` reads a run's parts back into tasks: every part is attributed
  to the task that produced it and labelled with its step, so the property
  tests can state the ordering guarantees directly.

A node appends ``(graph label, node, step, send index, info, task id)`` to
``log``; its custom chunks are ``("chunk", label, node, task id, step, seq,
checkpoint_ns)``. Step, path and checkpoint namespace come from
``get_config()["metadata"]``, as a user's node would read them.
"""

from __future__ import annotations

import operator
import threading
import time
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypedDict

import attrs
import trio
import trio.testing

import runtime.core.stream

from graphs import CompiledStateGraph, Send, StateGraph, StreamPart, get_config, get_stream_writer
from runtime.scheduler import NS_END, NS_SEP, PUSH

from graph_reference import STATE_KEYS, RefRun, normalize, send_arg
from graph_strategies import FanoutSpec, GraphSpec, LoopSpec, NodeSpec

__all__ = [
    "APIS",
    "CONFIG",
    "EXPECTED_MODES",
    "MODES",
    "State",
    "NodeFailed",
    "Recorder",
    "Run",
    "Trace",
    "TaskTrace",
    "build",
    "run_spec",
    "failure_type",
]

MODES = ("values", "updates", "custom", "tasks", "debug", "messages", "checkpoints")
"""Every mode: the ones a graph without models or a checkpointer must leave silent included."""
EXPECTED_MODES = frozenset({"values", "updates", "custom", "tasks", "debug"})
APIS = ("parts", "astream_cm", "astream_bare")
CONFIG = {"recursion_limit": 1_000}


class State(TypedDict):
    log: Annotated[list, operator.add]
    ticks: Annotated[list, operator.add]


class NodeFailed(Exception):
    """Base of the per-node exception types generated failing nodes raise."""

    label: str = ""
    node: str = ""


_failure_types: dict[tuple[str, str], type[NodeFailed]] = {}


def failure_type(label: str, node: str) -> type[NodeFailed]:
    """The exception type node ``node`` of graph ``label`` raises (one class per node)."""
    key = (label, node)
    if key not in _failure_types:
        name = f"Failed_{label.replace('.', '_')}_{node}"
        _failure_types[key] = type(name, (NodeFailed,), {"label": label, "node": node})
    return _failure_types[key]


@attrs.define
class Recorder:
    """What node bodies did, written from the loop thread and from worker threads."""

    written: dict[str, list[int]] = attrs.field(factory=dict)
    running: dict[str, str] = attrs.field(factory=dict)
    lock: threading.Lock = attrs.field(factory=threading.Lock)

    def enter(self, tid: str, name: str) -> None:
        with self.lock:
            self.running[tid] = name

    def exit(self, tid: str) -> None:
        with self.lock:
            del self.running[tid]

    def wrote(self, tid: str, seq: int) -> None:
        with self.lock:
            self.written.setdefault(tid, []).append(seq)


# -- building -----------------------------------------------------------------

def _whoami() -> tuple[int, Any, str, str]:
    metadata = get_config()["metadata"]
    path = metadata["langgraph_path"]
    checkpoint_ns = metadata["langgraph_checkpoint_ns"]
    tid = checkpoint_ns.rsplit(NS_SEP, 1)[-1].split(NS_END, 1)[1]
    return metadata["langgraph_step"], (path[1] if path[0] == PUSH else None), checkpoint_ns, tid


def _update(spec: GraphSpec, node: NodeSpec, step: int, index: Any, arg: Any, tid: str) -> dict[str, Any] | None:
    update: dict[str, Any] = {}
    if node.writes_log:
        info = (arg["src"], arg["i"]) if node.worker else len(arg["log"])
        update["log"] = [(spec.label, node.name, step, index, info, tid)]
    if spec.loop_of(node.name) is not None:
        update["ticks"] = [node.name]
    return update or None


def _async_action(spec: GraphSpec, node: NodeSpec, recorder: Recorder) -> Callable[..., Any]:
    label, name = spec.label, node.name

    async def body(arg: Any, writer: Any) -> Any:
        step, index, checkpoint_ns, tid = _whoami()
        recorder.enter(tid, name)
        try:
            seq = 0
            for op in node.ops:
                kind = op.kind
                if kind in ("chunk", "achunk"):
                    chunk = ("chunk", label, name, tid, step, seq, checkpoint_ns)
                    if kind == "chunk":
                        writer(chunk)
                    else:
                        await writer.asend(chunk)
                    recorder.wrote(tid, seq)
                    seq += 1
                elif kind == "sleep0":
                    await trio.sleep(0)
                elif kind == "checkpoint":
                    await trio.lowlevel.checkpoint()
                elif kind == "sleep":
                    await trio.sleep(op.seconds)
                elif kind == "fail":
                    raise failure_type(label, name)(f"{label}:{name} failed at step {step}")
            return _update(spec, node, step, index, arg, tid)
        finally:
            recorder.exit(tid)

    if node.writer_param:
        async def action(state: Any, writer: Any) -> Any:
            return await body(state, writer)
    else:
        async def action(state: Any) -> Any:
            return await body(state, get_stream_writer())
    action.__name__ = name
    return action


def _sync_action(spec: GraphSpec, node: NodeSpec, recorder: Recorder) -> Callable[..., Any]:
    label, name = spec.label, node.name

    def body(arg: Any, writer: Any) -> Any:
        step, index, checkpoint_ns, tid = _whoami()
        recorder.enter(tid, name)
        try:
            seq = 0
            for op in node.ops:
                if op.kind == "chunk":
                    writer(("chunk", label, name, tid, step, seq, checkpoint_ns))
                    recorder.wrote(tid, seq)
                    seq += 1
                elif op.kind == "yield":
                    time.sleep(0)
                elif op.kind == "fail":
                    raise failure_type(label, name)(f"{label}:{name} failed at step {step}")
            return _update(spec, node, step, index, arg, tid)
        finally:
            recorder.exit(tid)

    if node.writer_param:
        def action(state: Any, writer: Any) -> Any:
            return body(state, writer)
    else:
        def action(state: Any) -> Any:
            return body(state, get_stream_writer())
    action.__name__ = name
    return action


def _invoking_action(node: NodeSpec, recorder: Recorder) -> Callable[..., Any]:
    assert node.subgraph is not None
    subgraph = build(node.subgraph, recorder)

    async def action(state: Any) -> Any:
        return await subgraph.ainvoke({key: state[key] for key in STATE_KEYS})

    action.__name__ = node.name
    return action


def _loop_router(loop: LoopSpec) -> Callable[..., Any]:
    def choose(state: Any) -> str:
        return loop.back if state["ticks"].count(loop.source) < loop.bound else loop.exit

    if loop.is_async:
        async def route(state: Any) -> str:
            await trio.lowlevel.checkpoint()
            return choose(state)
    else:
        def route(state: Any) -> str:
            return choose(state)
    route.__name__ = f"loop_{loop.source}"
    return route


def _fanout_router(spec: GraphSpec, fan: FanoutSpec) -> Callable[..., Any]:
    def sends(state: Any) -> list[Send]:
        return [Send(fan.worker, send_arg(spec, fan, i)) for i in range(fan.count)]

    if fan.is_async:
        async def route(state: Any) -> list[Send]:
            await trio.lowlevel.checkpoint()
            return sends(state)
    else:
        def route(state: Any) -> list[Send]:
            return sends(state)
    route.__name__ = f"fanout_{fan.source}"
    return route


def build(spec: GraphSpec, recorder: Recorder) -> CompiledStateGraph:
    """The compiled graph ``spec`` describes, its nodes reporting to ``recorder``."""
    graph = StateGraph(State)
    for name in spec.add_order:
        node = spec.node(name)
        if node.kind == "subgraph":
            assert node.subgraph is not None
            action: Any = build(node.subgraph, recorder)
        elif node.kind == "invoke":
            action = _invoking_action(node, recorder)
        elif node.kind == "async":
            action = _async_action(spec, node, recorder)
        else:
            action = _sync_action(spec, node, recorder)
        graph.add_node(name, action)
    for source, target in spec.edges:
        graph.add_edge(source, target)
    for sources, target in spec.joins:
        graph.add_edge(list(sources), target)
    for loop in spec.loops:
        graph.add_conditional_edges(loop.source, _loop_router(loop))
    for fan in spec.fanouts:
        graph.add_conditional_edges(fan.source, _fanout_router(spec, fan))
    return graph.compile()


# -- running ------------------------------------------------------------------

@attrs.define
class Run:
    """What one run of a graph showed its consumer.

    Attributes:
        parts: every part, in arrival order (projected parts turned back into ``StreamPart``s).
        error: what the stream raised, if anything (``None``: it ended normally).
        error_escaped_as_itself: the object raised inside the ``async with`` body
            is the one that came out of it.
        running_at_end: node bodies still running when the consumer saw the error
            (or the end of the stream).
        leaked_tasks: trio tasks alive after the stream was left that were not
            there before it started.
        output: ``ainvoke``'s result, when asked for.
    """

    parts: list[StreamPart] = attrs.field(factory=list)
    error: BaseException | None = None
    error_escaped_as_itself: bool = True
    running_at_end: dict[str, str] = attrs.field(factory=dict)
    leaked_tasks: list[str] = attrs.field(factory=list)
    output: Any = None
    recorder: Recorder = attrs.field(factory=Recorder)


def _all_tasks() -> set[trio.lowlevel.Task]:
    found: set[trio.lowlevel.Task] = set()
    pending = [trio.lowlevel.current_root_task()]
    while pending:
        task = pending.pop()
        if task is None or task in found:
            continue
        found.add(task)
        for nursery in task.child_nurseries:
            pending.extend(nursery.child_tasks)
    return found


async def _consume(app: CompiledStateGraph, input: Any, api: str, pauses: Sequence[int], run: Run) -> None:
    """Read the whole stream into ``run``; the consumer stops for a while after each
    part count in ``pauses`` (so that producers meet a full mailbox)."""
    pause_at = set(pauses)
    inner: list[BaseException] = []

    async def drain(stream: Any) -> None:
        try:
            async for item in stream:
                run.parts.append(item if api == "parts" else StreamPart(*item))
                if len(run.parts) in pause_at:
                    await trio.sleep(0.01)
        except BaseException as error:
            inner.append(error)
            raise
        finally:
            run.running_at_end = dict(run.recorder.running)

    modes = list(MODES)
    if api == "parts":
        stream = app.astream_parts(input, CONFIG, stream_mode=modes, subgraphs=True)
    else:
        stream = app.astream(input, CONFIG, stream_mode=modes, subgraphs=True)
    try:
        if api == "astream_bare":
            try:
                await drain(stream)
            finally:
                await stream.aclose()
        else:
            async with stream:
                await drain(stream)
    except BaseException as error:  # noqa: BLE001 - recorded for the properties to judge
        run.error = error
        run.error_escaped_as_itself = bool(inner) and error is inner[0]


def run_spec(
    spec: GraphSpec,
    input: dict[str, Any],
    api: str = "parts",
    pauses: Sequence[int] = (),
    invoke: bool = False,
    buffer: int | None = None,
) -> Run:
    """Run ``spec`` once (a fresh ``trio.run`` under an autojumping mock clock).

    ``buffer`` shrinks the consumer's mailbox (``runtime.core.stream.DEFAULT_STREAM_BUFFER``)
    for this run, so that producers meet back-pressure: async writers wait, worker
    threads block, and the loop thread's synchronous writes go past the bound.
    """
    run = Run()

    async def main() -> None:
        before = _all_tasks()
        app = build(spec, run.recorder)
        await _consume(app, input, api, pauses, run)
        run.leaked_tasks = sorted(task.name for task in _all_tasks() - before)
        if invoke and run.error is None:
            run.output = await build(spec, Recorder()).ainvoke(input, CONFIG)

    default = runtime.core.stream.DEFAULT_STREAM_BUFFER
    if buffer is not None:
        runtime.core.stream.DEFAULT_STREAM_BUFFER = buffer
    try:
        trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    finally:
        runtime.core.stream.DEFAULT_STREAM_BUFFER = default
    return run


# -- reading the stream back --------------------------------------------------

Namespace = tuple[str, ...]


@attrs.define(eq=False)
class TaskTrace:
    """Everything the stream said about one task."""

    namespace: Namespace
    id: str
    name: str
    step: int | None = None
    starts: dict[str, int] = attrs.field(factory=dict)  # mode -> part index
    results: dict[str, int] = attrs.field(factory=dict)
    result_payload: Any = None
    start_input: Any = None
    updates: list[int] = attrs.field(factory=list)
    chunks: list[tuple[int, int]] = attrs.field(factory=list)  # (part index, seq)

    @property
    def segment(self) -> str:
        return f"{self.name}{NS_END}{self.id}"

    def __repr__(self) -> str:
        return f"<task {self.name} step={self.step} ns={self.namespace} id={self.id[:8]}>"


@attrs.define
class Trace:
    """A run's parts, attributed to tasks and labelled with steps.

    ``label[i]`` is ``(task, step)`` for part ``i``: the task that produced it
    (``None`` for ``values``) and the step it belongs to at its namespace
    (``None`` when the stream gives no way to tell — reported in ``problems``).
    ``problems`` lists parts that could not be attributed, each tagged with the
    guarantee whose violation it shows.
    """

    spec: GraphSpec
    ref: RefRun
    parts: list[StreamPart]
    tasks: dict[tuple[Namespace, str], TaskTrace] = attrs.field(factory=dict)
    values: dict[Namespace, list[int]] = attrs.field(factory=dict)
    label: list[tuple[TaskTrace | None, int | None]] = attrs.field(factory=list)
    problems: list[tuple[str, str]] = attrs.field(factory=list)

    @classmethod
    def read(cls, spec: GraphSpec, ref: RefRun, parts: list[StreamPart]) -> Trace:
        trace = cls(spec, ref, parts)
        trace._attribute()
        return trace

    # -- namespaces ---------------------------------------------------------------
    def spec_at(self, namespace: Namespace) -> GraphSpec | None:
        spec: GraphSpec | None = self.spec
        for segment in namespace:
            name = segment.split(NS_END, 1)[0]
            try:
                node = spec.node(name) if spec is not None else None
            except KeyError:
                return None
            spec = node.subgraph if node is not None else None
        return spec

    def parent_task(self, namespace: Namespace) -> TaskTrace | None:
        """The task (at the namespace above) whose subgraph run ``namespace`` is."""
        if not namespace:
            return None
        name, _, tid = namespace[-1].partition(NS_END)
        task = self.tasks.get((namespace[:-1], tid))
        return task if task is not None and task.name == name else None

    def ref_at(self, namespace: Namespace) -> RefRun | None:
        """The reference run the real run at ``namespace`` corresponds to (by node and step)."""
        ref: RefRun | None = self.ref
        for depth in range(len(namespace)):
            task = self.parent_task(namespace[: depth + 1])
            if ref is None or task is None or task.step is None:
                return None
            ref = ref.child(task.name, task.step, normalize(task.start_input))
        return ref

    def namespaces(self) -> set[Namespace]:
        return {part.namespace for part in self.parts}

    # -- attribution --------------------------------------------------------------
    def _task(self, namespace: Namespace, tid: str, name: str) -> TaskTrace:
        task = self.tasks.get((namespace, tid))
        if task is None:
            task = self.tasks[namespace, tid] = TaskTrace(namespace, tid, name)
        return task

    def _attribute(self) -> None:
        for index, (namespace, mode, chunk) in enumerate(self.parts):
            task: TaskTrace | None = None
            if mode == "debug":
                payload = chunk["payload"]
                task = self._task(namespace, payload["id"], payload["name"])
                kind = "starts" if chunk["type"] == "task" else "results"
                getattr(task, kind)["debug"] = index
                if task.step is None:
                    task.step = chunk["step"]
                elif task.step != chunk["step"]:
                    self.problems.append(("steps", f"part {index}: debug step {chunk['step']} for {task}"))
            elif mode == "tasks":
                task = self._task(namespace, chunk["id"], chunk["name"])
                if "result" in chunk:
                    task.results["tasks"] = index
                    task.result_payload = chunk
                else:
                    task.starts["tasks"] = index
                    task.start_input = chunk["input"]
            elif mode == "custom":
                _, _, name, tid, step, seq, _ = chunk
                task = self._task(namespace, tid, name)
                task.chunks.append((index, seq))
                if task.step is None:
                    task.step = step
            elif mode == "updates":
                task = self._updated_task(index, namespace, chunk)
                if task is not None:
                    task.updates.append(index)
            elif mode == "values":
                self.values.setdefault(namespace, []).append(index)
            self.label.append((task, task.step if task is not None else None))
        for namespace, indices in self.values.items():
            ref = self.ref_at(namespace)
            for k, index in enumerate(indices):
                step = ref.values[k][0] if ref is not None and k < len(ref.values) else None
                if step is None:
                    self.problems.append(("values", f"part {index}: values #{k} at {namespace} not in the reference"))
                self.label[index] = (None, step)
        for index, (task, step) in enumerate(self.label):
            if task is not None and step is None:
                self.label[index] = (task, task.step)

    def _updated_task(self, index: int, namespace: Namespace, chunk: Any) -> TaskTrace | None:
        """The task an ``updates`` part belongs to: a function node names itself in its log
        entry; otherwise it is the one task of that name started and not yet updated."""
        (name, update), = chunk.items()
        spec = self.spec_at(namespace)
        node = spec.node(name) if spec is not None and name in spec.add_order else None
        if node is not None and not node.nests and update and "log" in update:
            tid = update["log"][0][5]
            task = self.tasks.get((namespace, tid))
            if task is None:
                self.problems.append(("lifecycle", f"part {index}: update of {name} before its task started"))
                task = self._task(namespace, tid, name)
            return task
        running = [
            task for task in self.tasks.values()
            if task.namespace == namespace and task.name == name and task.starts and not task.updates
            and not task.results
        ]
        if len(running) > 1 and update and "log" in update:
            # Sends to one subgraph: its output log starts with the log it was sent.
            running = [
                task for task in running
                if isinstance(task.start_input, dict) and "log" in task.start_input
                and update["log"][: len(task.start_input["log"])] == task.start_input["log"]
            ]
        if len(running) != 1:
            self.problems.append(
                ("lifecycle", f"part {index}: update of {name} at {namespace} matches running tasks {running}")
            )
            return None
        return running[0]

    def render(self, limit: int = 200) -> str:
        """The parts, one per line, for failure messages."""
        lines = []
        for index, ((namespace, mode, chunk), (task, step)) in enumerate(zip(self.parts, self.label)):
            if index >= limit:
                lines.append(f"... {len(self.parts) - limit} more")
                break
            ns = "/".join(segment.split(NS_END)[0] + ":" + segment.split(NS_END)[1][:6] for segment in namespace)
            shown = chunk
            if mode == "debug":
                shown = f"{chunk['type']} {chunk['payload']['name']}"
            elif mode == "tasks":
                shown = f"{'result' if 'result' in chunk else 'start'} {chunk['name']} {chunk['id'][:6]}"
            elif mode == "custom":
                shown = f"{chunk[2]} seq={chunk[5]}"
            elif mode in ("values", "updates"):
                shown = _short(chunk)
            lines.append(f"{index:4} [{ns or '()'}] step={step} {mode}: {shown}")
        return "\n".join(lines)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 160 else text[:157] + "..."

