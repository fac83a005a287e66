"""Reading and editing a thread's saved state: ``get_state``, history, ``update_state``.

A config naming a subgraph's ``checkpoint_ns`` (as ``get_state(subgraphs=True)``
hands out) is served by that subgraph: its checkpoints hold its own channels,
which only its program can read.
"""

from __future__ import annotations

from typing import Any, Protocol

from runtime.core.config import RunnableConfig, ensure_config
from runtime.core.errors import InvalidUpdateError
from runtime.scheduler.checkpoints import read_checkpoint
from runtime.scheduler import NS_END, NS_SEP, Persistence, Program, Restored, StepMachine, checkpoint_config
from runtime.core.types import PregelTask, StateSnapshot

from .node import NodeRunner, update_writes
from .spec import GraphSpec

__all__ = ["SavedGraph", "get_state", "get_state_history", "update_state", "persistence_for"]



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


async def _snapshot(graph: SavedGraph, persistence: Persistence, restored: Restored, subgraphs: bool) -> StateSnapshot:
    program = graph.program
    ns = persistence.checkpoint_ns
    machine = StepMachine.at(program, restored, checkpoint_ns=ns)
    tasks = machine.next_tasks()
    waiting = restored.waiting()
    output_keys = frozenset(program.output_keys)
    described = []
    for task in tasks:
        state = None
        if subgraphs and task.node.is_subgraph:
            child = graph.spec.nodes[task.name].action
            inner = Persistence(persistence.saver, persistence.thread_id, task.checkpoint_ns)
            found = await inner.load(child.program)
            if found is not None:
                state = await _snapshot(child, inner, found, subgraphs)
        result = None
        if task.id in restored.results:  # its writes to the state, not to edges and joins
            result = {key: value for key, value in restored.results[task.id] if key in output_keys}
        described.append(PregelTask(task.id, task.name, task.path, None, waiting.get(task.id, ()), state, result))
    thread = persistence.thread_id
    return StateSnapshot(
        values=machine.output(),
        next=tuple(task.name for task in tasks),
        config=checkpoint_config(thread, ns, restored.checkpoint_id),
        metadata=restored.metadata,
        created_at=restored.created_at,
        parent_config=checkpoint_config(thread, ns, restored.parent_id) if restored.parent_id else None,
        tasks=tuple(described),
        interrupts=tuple(i for found in waiting.values() for i in found),
    )


async def get_state(graph: SavedGraph, config: RunnableConfig, *, subgraphs: bool = False) -> StateSnapshot:
    config = ensure_config(config)
    configurable = config["configurable"]
    persistence = persistence_for(graph, config, configurable.get("checkpoint_ns", ""))
    graph = _graph_at(graph, persistence.checkpoint_ns)
    restored = await persistence.load(graph.program, configurable.get("checkpoint_id"))
    if restored is None:
        return StateSnapshot({}, (), config, None, None, None, ())
    return await _snapshot(graph, persistence, restored, subgraphs)


async def get_state_history(
    graph: SavedGraph, config: RunnableConfig, *, before: RunnableConfig | None = None, limit: int | None = None
) -> list[StateSnapshot]:
    config = ensure_config(config)
    configurable = config["configurable"]
    persistence = persistence_for(graph, config, configurable.get("checkpoint_ns", ""))
    graph = _graph_at(graph, persistence.checkpoint_ns)
    before_id = (before or {}).get("configurable", {}).get("checkpoint_id")
    found = await persistence.saver.alist(persistence.thread_id, persistence.checkpoint_ns, before=before_id, limit=limit)
    return [await _snapshot(graph, persistence, read_checkpoint(graph.program, item), False) for item in found]


async def update_state(
    graph: SavedGraph, config: RunnableConfig, values: Any, as_node: str | None = None
) -> RunnableConfig:
    """Apply ``values`` through the reducers as a new ``update`` checkpoint; return its config.

    With ``as_node``, the update counts as that node's output: its static edges
    (and a ``Command``'s ``goto``) decide what runs next. Without it, what was
    going to run next still will.
    """
    config = ensure_config(config)
    configurable = config["configurable"]
    persistence = persistence_for(graph, config, configurable.get("checkpoint_ns", ""))
    program = _graph_at(graph, persistence.checkpoint_ns).program
    restored = await persistence.load(program, configurable.get("checkpoint_id"))
    if as_node is not None:
        spec = program.nodes.get(as_node)
        if spec is None or spec.hidden:
            raise InvalidUpdateError(f"update_state(as_node={as_node!r}): the graph has no node named {as_node!r}")
        runner = spec.run
        assert isinstance(runner, NodeRunner)
        writes = runner.writes_of(values)
    else:
        writes = update_writes("update_state", values, frozenset(program.channels))
    machine = StepMachine.at(program, restored, checkpoint_ns=persistence.checkpoint_ns)
    checkpoint = machine.apply_update(writes, keep_plan=as_node is None and restored is not None)
    await persistence.save(checkpoint)
    return checkpoint_config(persistence.thread_id, persistence.checkpoint_ns, checkpoint.checkpoint_id)
