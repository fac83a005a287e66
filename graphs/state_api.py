"""Reading and editing a thread's saved state: ``get_state``, history, ``update_state``.

A config naming a subgraph's ``checkpoint_ns`` (as ``get_state(subgraphs=True)``
hands out) is served by that subgraph: its checkpoints hold its own channels,
which only its program can read.

A snapshot is read one of two ways, as in LangGraph. ``get_state`` of a thread
(no ``checkpoint_id``) is *live*: it shows where the thread stands, so the
writes of tasks that already finished in a partly done step are in its values,
``next`` lists only the tasks still to run, and only unanswered interrupts show.
A snapshot of a named checkpoint, and every history entry, is a *record* of the
step planned from it: the values it started from, all its tasks with what each
wrote (``result``) and the interrupts each raised, answered or not.

Edits (``update_state`` / ``bulk_update_state``) are supersteps: each applies
one or more updates, as if the named nodes had run, and saves one checkpoint.
The updates' writes are also saved as pending writes of the checkpoint they
were applied to, under the id of the task they stand for, so that its history
entry shows them as that task's ``result`` — unless the thread had already moved
past that checkpoint.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Protocol

import attrs

from runtime.checkpoint.base import CheckpointTuple
from runtime.core.config import RunnableConfig, ensure_config
from runtime.core.errors import InvalidUpdateError
from runtime.core.types import END, PregelTask, StateSnapshot, StateUpdate
from runtime.scheduler import NS_END, NS_SEP, PUSH, Persistence, Program, Restored, StepMachine, checkpoint_config
from runtime.scheduler.checkpoints import read_checkpoint
from runtime.scheduler.planner import apply_writes, fold_writes
from runtime.scheduler.task import Write, task_id

from .node import NodeRunner
from .spec import GraphSpec

__all__ = [
    "SavedGraph",
    "History",
    "get_state",
    "history",
    "update_state",
    "bulk_update_state",
    "get_subgraphs",
    "persistence_for",
    "COPY",
    "INPUT",
]

COPY = "__copy__"
"""``as_node`` that copies a checkpoint forward (a ``fork`` with the same values and tasks)."""
INPUT = "__input__"
"""``as_node`` that writes the values as the graph's input."""


class SavedGraph(Protocol):
    """What reading and editing saved state needs of a compiled graph."""

    @property
    def checkpointer(self) -> Any: ...
    @property
    def program(self) -> Program: ...
    @property
    def spec(self) -> GraphSpec: ...
    def get_name(self) -> str: ...


_CHECKPOINT_KEYS_ERROR = (
    "Checkpointer requires one or more of the following 'configurable' keys: thread_id, checkpoint_ns, checkpoint_id"
)


def persistence_for(graph: SavedGraph, config: RunnableConfig, checkpoint_ns: str = "") -> Persistence:
    """The persistence of ``config``'s thread, or a clear error when there can be none."""
    if graph.checkpointer in (None, False):
        raise ValueError(f"Graph {graph.get_name()!r} has no checkpointer; compile it with checkpointer=InMemorySaver() or SqliteSaver(...)")
    thread_id = config.get("configurable", {}).get("thread_id")
    if thread_id is None:
        raise ValueError(_CHECKPOINT_KEYS_ERROR)
    return Persistence(graph.checkpointer, str(thread_id), checkpoint_ns)


def stateful_namespace(checkpoint_ns: str) -> str:
    """The namespace a ``checkpointer=True`` subgraph saves under: its task's, without
    task ids (``"parent|child"``), the same for every call on a thread."""
    return NS_SEP.join(segment.partition(NS_END)[0] for segment in checkpoint_ns.split(NS_SEP))


def _graph_at(graph: SavedGraph, checkpoint_ns: str) -> SavedGraph:
    """The (sub)graph whose checkpoints live at ``checkpoint_ns`` (``""``: ``graph`` itself)."""
    found = graph
    for segment in checkpoint_ns.split(NS_SEP) if checkpoint_ns else ():
        node = found.spec.nodes.get(segment.partition(NS_END)[0])
        child = getattr(node, "action", None)
        if child is None or not hasattr(child, "program"):
            raise ValueError(
                f"Subgraph {checkpoint_ns!r} not found: {segment!r} does not name a subgraph node of graph {found.get_name()!r}"
            )
        found = child
    return found


def _target(graph: SavedGraph, config: RunnableConfig) -> tuple[SavedGraph, Persistence, str | None]:
    """The (sub)graph ``config`` addresses, its persistence, and the checkpoint id it names."""
    configurable = config.get("configurable", {})
    persistence = persistence_for(graph, config, configurable.get("checkpoint_ns", ""))
    return _graph_at(graph, persistence.checkpoint_ns), persistence, configurable.get("checkpoint_id")


# -- reading -------------------------------------------------------------------------
def _result(writes: Sequence[Write], keys: frozenset[str]) -> dict[str, Any]:
    """A finished task's writes to state keys, as LangGraph's ``PregelTask.result``:
    ``{key: value}``, or ``{key: {"$writes": [...]}}`` for a key written more than once."""
    grouped: dict[str, list[Any]] = {}
    for key, value in writes:
        if key in keys:
            grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else {"$writes": values} for key, values in grouped.items()}


def _describe(
    graph: SavedGraph,
    persistence: Persistence,
    restored: Restored,
    *,
    live: bool,
    states: Mapping[str, StateSnapshot] | None = None,
) -> StateSnapshot:
    """The snapshot of ``restored``: live, or as the record of its step (see the module docstring).

    ``states`` holds the snapshots of subgraph tasks, by task id; without, a
    subgraph task's ``state`` is the config naming its namespace.
    """
    program = graph.program
    ns, thread = persistence.checkpoint_ns, persistence.thread_id
    machine = StepMachine.at(program, restored, checkpoint_ns=ns)
    tasks = machine.next_tasks()
    results = restored.results
    value_keys = frozenset(program.value_keys)
    waiting = restored.waiting() if live else {}
    described = []
    for task in tasks:
        if states is not None and task.id in states:
            state: Any = states[task.id]
        elif task.node.is_subgraph:
            state = {"configurable": {"thread_id": thread, "checkpoint_ns": task.checkpoint_ns}}
        else:
            state = None
        done = results.get(task.id)
        if live:
            interrupts = waiting.get(task.id, ())
        else:
            interrupts = restored.interrupts[task.id][1] if task.id in restored.interrupts else ()
        result = _result(done, value_keys) if done is not None else None
        error = restored.errors.get(task.id)
        described.append(PregelTask(task.id, task.name, task.path, error, tuple(interrupts), state, result))
    finished = [task for task in tasks if task.id in results]
    if live and finished:
        for task in finished:
            task.writes = list(results[task.id])
        apply_writes(machine.channels, finished)
    parents = restored.parents
    return StateSnapshot(
        values=program.values_of(machine.channels),
        next=tuple(task.name for task in tasks if not (live and task.id in results)),
        config=checkpoint_config(thread, ns, restored.checkpoint_id, parents),
        metadata=restored.metadata,
        created_at=restored.created_at,
        parent_config=checkpoint_config(thread, ns, restored.parent_id, parents) if restored.parent_id else None,
        tasks=tuple(described),
        interrupts=tuple(i for task in described for i in task.interrupts),
    )


async def _live_snapshot(graph: SavedGraph, persistence: Persistence, restored: Restored, subgraphs: bool) -> StateSnapshot:
    states: dict[str, StateSnapshot] | None = None
    if subgraphs:
        states = {}
        machine = StepMachine.at(graph.program, restored, checkpoint_ns=persistence.checkpoint_ns)
        for task in machine.next_tasks():
            if task.node.is_subgraph:
                child = graph.spec.nodes[task.name].action
                namespace = task.checkpoint_ns
                if child.checkpointer is True:
                    namespace = stateful_namespace(namespace)
                elif child.checkpointer is False:
                    continue
                inner = Persistence(persistence.saver, persistence.thread_id, namespace)
                found = await inner.load(child.program)
                if found is not None:
                    states[task.id] = await _live_snapshot(child, inner, found, subgraphs)
    return _describe(graph, persistence, restored, live=True, states=states)


async def get_state(graph: SavedGraph, config: RunnableConfig, *, subgraphs: bool = False) -> StateSnapshot:
    config = ensure_config(config)
    graph, persistence, checkpoint_id = _target(graph, config)
    restored = await persistence.load(graph.program, checkpoint_id)
    if restored is None:
        return StateSnapshot({}, (), config, None, None, None, ())
    if checkpoint_id is not None:
        return _describe(graph, persistence, restored, live=False)
    return await _live_snapshot(graph, persistence, restored, subgraphs)


@attrs.frozen
class History:
    """Checkpoints of one namespace read from the saver, newest first; ``snapshots()``
    turns them into ``StateSnapshot``\\s one at a time."""

    graph: SavedGraph
    persistence: Persistence
    found: list[CheckpointTuple]

    def snapshots(self) -> Iterator[StateSnapshot]:
        for item in self.found:
            restored = read_checkpoint(self.graph.program, item)
            yield _describe(self.graph, self.persistence, restored, live=False)


async def history(
    graph: SavedGraph,
    config: RunnableConfig,
    *,
    filter: Mapping[str, Any] | None = None,
    before: RunnableConfig | None = None,
    limit: int | None = None,
) -> History:
    """The checkpoints ``get_state_history`` describes: all of them read at once, as
    LangGraph does, so no read of the saver stays open while the caller iterates."""
    config = ensure_config(config)
    graph, persistence, checkpoint_id = _target(graph, config)
    before_id = (before or {}).get("configurable", {}).get("checkpoint_id")
    saver, thread, ns = persistence.saver, persistence.thread_id, persistence.checkpoint_ns
    if checkpoint_id is None:
        found = await saver.alist(thread, ns, before=before_id, limit=limit, filter=filter)
        return History(graph, persistence, found)
    # A config naming a checkpoint lists only that one, as LangGraph's savers do.
    one = await saver.aget_tuple(thread, ns, checkpoint_id)
    keep = (
        one is not None
        and (before_id is None or one.checkpoint_id < before_id)
        and all(key in one.metadata and one.metadata[key] == value for key, value in (filter or {}).items())
        and limit != 0
    )
    return History(graph, persistence, [one] if keep and one is not None else [])


async def history_iterator(
    graph: SavedGraph,
    config: RunnableConfig,
    *,
    filter: Mapping[str, Any] | None = None,
    before: RunnableConfig | None = None,
    limit: int | None = None,
) -> AsyncIterator[StateSnapshot]:
    """``aget_state_history``: nothing is read until the first snapshot is asked for."""
    found = await history(graph, config, filter=filter, before=before, limit=limit)
    for snapshot in found.snapshots():
        yield snapshot


# -- editing ---------------------------------------------------------------------------
async def update_state(
    graph: SavedGraph, config: RunnableConfig, values: Any, as_node: str | None = None, task_id: str | None = None
) -> RunnableConfig:
    """Apply ``values`` as one superstep (see :func:`bulk_update_state`)."""
    return await bulk_update_state(graph, config, [[StateUpdate(values, as_node, task_id)]])


async def bulk_update_state(
    graph: SavedGraph, config: RunnableConfig, supersteps: Sequence[Sequence[Any]]
) -> RunnableConfig:
    """Apply ``supersteps`` in order, one new checkpoint each; return the last one's config.

    Each superstep is a list of ``StateUpdate(values, as_node, task_id)`` (or
    plain tuples). An update counts as the output of node ``as_node``: its
    static edges (and a ``Command``'s ``goto``) decide what runs next. A lone
    update without ``as_node`` keeps what was going to run next. Special nodes,
    each alone in its superstep: ``"__input__"`` writes the values as the
    graph's input (``source: "input"``); ``"__copy__"`` copies the checkpoint
    as a ``fork`` next to it (then applies ``values`` if they are a list of
    updates); ``END`` with ``values=None`` ends the planned step without running
    it, keeping what its finished tasks wrote.

    Raises:
        ValueError: no supersteps, or an empty one.
        InvalidUpdateError: an unknown node, or a special node that is not alone.
    """
    if not supersteps:
        raise ValueError("No supersteps provided")
    steps = [[_state_update(update) for update in superstep] for superstep in supersteps]
    if any(not superstep for superstep in steps):
        raise ValueError("No updates provided")
    config = ensure_config(config)
    target, persistence, checkpoint_id = _target(graph, config)
    program = target.program
    parents: dict[str, str] = {}
    for index, updates in enumerate(steps):
        checkpoint_id, parents = await _superstep(
            program, persistence, checkpoint_id, updates, named=index == 0 and checkpoint_id is not None
        )
    assert checkpoint_id is not None
    return checkpoint_config(persistence.thread_id, persistence.checkpoint_ns, checkpoint_id, parents)


def _state_update(update: Any) -> StateUpdate:
    if isinstance(update, StateUpdate):
        return update
    if isinstance(update, Sequence) and not isinstance(update, str) and 2 <= len(update) <= 3:
        return StateUpdate(*update)
    raise InvalidUpdateError(f"Invalid update {update!r}: expected StateUpdate(values, as_node[, task_id])")


async def _superstep(
    program: Program, persistence: Persistence, checkpoint_id: str | None, updates: list[StateUpdate], *, named: bool
) -> tuple[str, dict[str, str]]:
    """Apply one superstep on ``checkpoint_id`` (the latest when ``None``); return
    the new checkpoint's id and parents. ``named``: the caller named the checkpoint."""
    restored = await persistence.load(program, checkpoint_id)
    machine = StepMachine.at(program, restored, checkpoint_ns=persistence.checkpoint_ns)
    parents = restored.parents if restored is not None else {}
    values, as_node = updates[0].values, updates[0].as_node
    if values is None and as_node == END:
        _alone(updates, "Cannot apply multiple updates when clearing state")
        checkpoint = machine.clear_tasks(restored.results if restored is not None else {})
    elif as_node == INPUT:
        _alone(updates, "Cannot apply multiple updates when updating as input")
        if values is None:
            raise InvalidUpdateError(f"Received no input writes for {program.input_channel}")
        checkpoint = machine.apply_input(values)
    elif as_node == COPY:
        _alone(updates, "Cannot copy checkpoint with multiple updates")
        if restored is None:
            raise InvalidUpdateError("Cannot copy a non-existent checkpoint")
        checkpoint = machine.copy(restored)
        await persistence.save(checkpoint)
        if isinstance(values, list) and values:
            return await _superstep(
                program, persistence, checkpoint.checkpoint_id, _copied_updates(machine, values), named=False
            )
        return checkpoint.checkpoint_id, parents
    else:
        checkpoint = await _apply_updates(program, persistence, machine, restored, updates, named=named)
    await persistence.save(checkpoint)
    return checkpoint.checkpoint_id, parents


def _alone(updates: list[StateUpdate], message: str) -> None:
    if len(updates) > 1:
        raise InvalidUpdateError(message)


def _copied_updates(machine: StepMachine, items: list[Any]) -> list[StateUpdate]:
    """The updates to apply on a copy: each stands for the next unclaimed task of its node."""
    ids: dict[str, deque[str]] = {}
    for task in machine.next_tasks():
        ids.setdefault(task.name, deque()).append(task.id)
    updates = []
    for item in items:
        if not isinstance(item, Sequence) or isinstance(item, str) or len(item) < 2:
            raise InvalidUpdateError(f"Invalid update item: {item!r} when copying checkpoint")
        values, as_node = item[0], item[1]
        queue = ids.get(as_node)
        updates.append(StateUpdate(values, as_node, queue.popleft() if queue else None))
    return updates


async def _apply_updates(
    program: Program,
    persistence: Persistence,
    machine: StepMachine,
    restored: Restored | None,
    updates: list[StateUpdate],
    *,
    named: bool,
) -> Any:
    """Apply updates as node outputs; save each one's writes as its task's pending writes."""
    single = len(updates) == 1
    next_ids: dict[str, deque[str]] = {}
    if restored is not None:
        for task in machine.next_tasks():
            next_ids.setdefault(task.name, deque()).append(task.id)
    writes: list[Write] = []
    records: dict[str, list[Write]] = {}
    for index, update in enumerate(updates):
        as_node = update.as_node
        if as_node is None:
            if not single:
                raise InvalidUpdateError("as_node is required when applying multiple updates")
            as_node = await _last_node(program, persistence, restored)
        spec = program.nodes.get(as_node)
        if spec is None or (spec.hidden and as_node != program.input_channel):
            raise InvalidUpdateError(f"update_state(as_node={as_node!r}): the graph has no node named {as_node!r}")
        runner = spec.run
        assert isinstance(runner, NodeRunner)
        node_writes = await _routed(runner, machine, runner.writes_of(update.values))
        queue = next_ids.get(as_node)
        stands_for = update.task_id or (queue.popleft() if queue else _update_task_id(machine, index))
        records.setdefault(stands_for, []).extend(w for w in node_writes if w[0] != PUSH)
        writes.extend(node_writes)
    checkpoint = machine.apply_update(writes, keep_plan=False)
    if restored is not None and not (named and await _superseded(persistence, restored)):
        for stands_for, task_writes in records.items():
            await persistence.put_result(restored.checkpoint_id, stands_for, task_writes)
    return checkpoint


async def _routed(runner: NodeRunner, machine: StepMachine, writes: list[Write]) -> list[Write]:
    """``writes`` plus what the node's routers add, each router seeing the state with
    ``writes`` applied: an update runs the node's conditional edges, as in LangGraph."""
    if not runner.routers:
        return writes
    value_keys = frozenset(machine.program.value_keys)
    written = [(key, value) for key, value in writes if key in value_keys]
    channels = {key: machine.channels[key].copy() for key, _ in written}
    fold_writes(channels, written)
    local = {**machine.values, **{key: channel.get() for key, channel in channels.items() if channel.is_available()}}
    config = ensure_config(None)
    for index, (branch, router, read) in enumerate(runner.routers):
        # The node's own routing, called as its task calls it (no run of its own).
        writes.extend(runner._branch_writes(branch, await runner._route(router, read(local), config, None, index)))
    return writes


async def _last_node(program: Program, persistence: Persistence, restored: Restored | None) -> str:
    """The node an update without ``as_node`` stands for, guessed as LangGraph does:
    the node whose task ran last, or the input node when none ran yet.

    The tasks that made a ``loop`` checkpoint are the pull tasks planned from its
    parent (a ``Send``'s task counts for nothing, as in LangGraph), and so are
    those of a ``__copy__`` of one (a sibling: its parent is two steps before
    it). Edits, inputs and the fork a replay starts with (a copy of its parent,
    one step before it) ran no node, so the search goes on from their parent.

    Raises:
        InvalidUpdateError: several nodes ran in the last step that ran any.
    """
    current = restored
    while current is not None and current.parent_id is not None:
        parent = await persistence.load(program, current.parent_id)
        if parent is None:
            break
        if current.source == "loop" or (current.source == "fork" and current.step - parent.step > 1):
            names = sorted({t.name for t in StepMachine.at(program, parent).next_tasks() if t.path[0] != PUSH})
            if len(names) == 1:
                return names[0]
            if names:
                raise InvalidUpdateError(
                    f"Ambiguous update, specify as_node: nodes {', '.join(map(repr, names))} all ran in the last "
                    "step, so update_state cannot tell which one the update stands for"
                )
        current = parent
    return program.input_channel


def _update_task_id(machine: StepMachine, index: int) -> str:
    """The id of an update that stands for no planned task."""
    return task_id(machine.checkpoint_id, machine.checkpoint_ns, machine.step, "__update__", str(index))


async def _superseded(persistence: Persistence, restored: Restored) -> bool:
    """Whether the thread moved past ``restored``: then its history stays as it was."""
    latest = await persistence.saver.aget_tuple(persistence.thread_id, persistence.checkpoint_ns)
    return latest is not None and latest.checkpoint_id != restored.checkpoint_id


# -- subgraphs ----------------------------------------------------------------------
def get_subgraphs(graph: SavedGraph, namespace: str | None = None, recurse: bool = False) -> Iterator[tuple[str, Any]]:
    """``(namespace, subgraph)`` for each node of ``graph`` that is a compiled graph,
    in node order; with ``recurse``, theirs too (``"parent|child"``). ``namespace``
    picks the one subgraph at that path (a nested path needs ``recurse``)."""
    for name, node in graph.spec.nodes.items():
        if namespace is not None and namespace != name and not namespace.startswith(name + NS_SEP):
            continue
        child = node.action
        if not hasattr(child, "program"):
            continue
        if name == namespace:
            yield name, child
            return
        if namespace is None:
            yield name, child
        if recurse:
            rest = None if namespace is None else namespace[len(name) + 1 :]
            for inner, found in get_subgraphs(child, rest, recurse):
                yield f"{name}{NS_SEP}{inner}", found
