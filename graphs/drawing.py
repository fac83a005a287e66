"""``get_graph()``: the drawable :class:`~runtime.runnables.graph.Graph` of a compiled ``StateGraph``.

LangGraph finds a graph's edges by dry-running its channels: starting from the
input, every node's writes are applied step by step, and an edge is recorded
from each writer of a channel to each node that channel triggers. Static edges
and joins write every time a node "runs"; routers and ``Command`` destinations
have no runtime output to go by, so the targets they *declare* (a path map, a
``Literal`` return annotation, ``destinations=``) are written once, as
conditional writes labelled with their path-map keys. A router that declares
nothing contributes no edge, and nodes only it reaches stay unconnected.
Nodes that end up as a target but never as a source get an edge to ``END``.

:func:`draw_graph` runs the same dry run over a :class:`~graphs.spec.GraphSpec`
— ephemeral triggers, join barriers that fill up across steps, channel
versions and what each node has seen of them — so it finds exactly the edges
LangGraph draws, in the same order, with the same labels. ``xray`` replaces
subgraph nodes by their own graphs, their ids prefixed ``"<node>:"``.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from runtime.core.types import END, START, Command
from runtime.runnables.graph import Graph

from .node import branch_key
from .spec import GraphSpec

__all__ = ["draw_graph"]

_LIMIT = 250  # steps of the dry run; LangGraph's bound for cyclic graphs


class _Edge(NamedTuple):
    source: str
    target: str
    conditional: bool
    data: str | None


class _Trigger(NamedTuple):
    channel: str
    conditional: bool
    data: str | None


def _sort_key(item: tuple[Any, ...]) -> tuple[Any, ...]:
    # Labels may be None or str side by side; None sorts first.
    return tuple((x is not None, x) if x is None or isinstance(x, str) else (True, x) for x in item)


class _DryRun:
    """The channels of a graph, as far as which node triggers which: versions only, no values."""

    def __init__(self, spec: GraphSpec) -> None:
        self.triggers: dict[str, tuple[str, ...]] = {START: (START,)}
        self.barriers: dict[str, frozenset[str]] = {}
        join_triggers: dict[str, list[str]] = defaultdict(list)
        self.join_writes: dict[str, list[str]] = defaultdict(list)
        for sources, target in spec.joins:
            key = f"join:{'+'.join(sources)}:{target}"
            self.barriers[key] = frozenset(sources)
            if target != END:
                join_triggers[target].append(key)
            for source in sources:
                self.join_writes[source].append(key)
        for name in spec.nodes:
            self.triggers[name] = (branch_key(name), *join_triggers[name])
        self.versions: dict[str, int] = defaultdict(int)
        self.available: set[str] = set()
        self.barrier_seen: dict[str, set[str]] = defaultdict(set)
        self.seen: dict[str, dict[str, int]] = defaultdict(dict)

    def apply(self, tasks: Mapping[str, tuple[str, ...]], writes: Mapping[str, list[tuple[str, str | None]]]) -> None:
        """Apply one step: its tasks consumed their triggers, then their writes land."""
        for name, triggers in tasks.items():
            for channel in triggers:
                self.seen[name][channel] = self.versions[channel]
                if channel in self.barriers and self.barrier_seen[channel] == self.barriers[channel]:
                    self.barrier_seen[channel] = set()  # a full barrier is consumed by the task it let run
                    self.available.discard(channel)
        written: set[str] = set()
        for name, task_writes in writes.items():
            for channel, value in task_writes:
                written.add(channel)
                if channel in self.barriers and value is not None:
                    self.barrier_seen[channel].add(value)
        top = max(self.versions.values(), default=0)
        for channel in written:
            self.versions[channel] = top + 1
            if channel in self.barriers:
                if self.barrier_seen[channel] == self.barriers[channel]:
                    self.available.add(channel)
            else:
                self.available.add(channel)
        for channel in list(self.available):  # triggers are ephemeral: gone a step later
            if channel not in written and channel not in self.barriers:
                self.available.discard(channel)

    def next_tasks(self) -> dict[str, tuple[str, ...]]:
        """The nodes a channel they have not seen yet triggers, with those channels."""
        tasks: dict[str, tuple[str, ...]] = {}
        for name, triggers in self.triggers.items():
            fired = tuple(
                sorted(c for c in triggers if c in self.available and self.versions[c] > self.seen[name].get(c, 0))
            )
            if fired:
                tasks[name] = fired
        return tasks


def _declared(spec: GraphSpec, name: str) -> list[tuple[str, str | None]]:
    """The ``(target, label)`` pairs a node's routers and destinations declare."""
    declared: list[tuple[str, str | None]] = []
    node = spec.nodes.get(name)
    destinations = getattr(node, "destinations", None) if node is not None else None
    if not destinations and node is not None:
        destinations = _command_targets(node.action)
    if destinations:
        if isinstance(destinations, Mapping):
            declared.extend((target, str(label)) for target, label in destinations.items())
        else:
            declared.extend((target, None) for target in destinations)
    for branch in spec.branches.get(name, {}).values():
        if branch.path_map is not None:
            declared.extend((target, str(label)) for label, target in branch.path_map.items())
    return declared


def _command_targets(action: Any) -> tuple[str, ...]:
    """The targets a ``-> Command[Literal[...]]`` return annotation declares (LangGraph reads them)."""
    try:
        returned = typing.get_type_hints(action).get("return")
    except Exception:  # noqa: BLE001 - unannotated or unresolvable: declares nothing
        return ()
    if typing.get_origin(returned) in (typing.Union, types.UnionType):
        returned = next((a for a in typing.get_args(returned) if typing.get_origin(a) is Command), None)
    if typing.get_origin(returned) is Command:
        args = typing.get_args(returned)
        if args and typing.get_origin(args[0]) is typing.Literal:
            return tuple(typing.get_args(args[0]))
    return ()


def _find_edges(spec: GraphSpec) -> tuple[set[_Edge], dict[str, set[_Trigger]]]:
    """The dry run: the edges found, and the writers of its last step."""
    edge_targets: dict[str, list[str]] = defaultdict(list)
    for source, target in spec.edges:
        edge_targets[source].append(target)
    run = _DryRun(spec)
    edges: set[_Edge] = set()
    sources: dict[str, set[_Trigger]] = {}
    step_sources: dict[str, set[_Trigger]] = {}
    declared_writes: dict[str, set[_Trigger]] = defaultdict(set)
    declared_done: set[str] = set()
    run.apply({}, {"": [(START, None)]})
    tasks = run.next_tasks()
    for _ in range(-1, _LIMIT):
        if not tasks:
            break
        writes: dict[str, list[tuple[str, str | None]]] = {}
        conditionals: dict[tuple[str, str], str | None] = {}
        for name in tasks:
            task_writes: list[tuple[str, str | None]] = [
                (branch_key(t), None) for t in dict.fromkeys(edge_targets[name]) if t != END
            ]
            task_writes += [(key, name) for key in run.join_writes[name]]
            if name not in declared_done:  # declared targets are written once (LangGraph's static writes)
                declared_done.add(name)
                for target, label in _declared(spec, name):
                    if target == END:
                        edges.add(_Edge(name, END, True, label))
                        continue
                    conditionals[(name, branch_key(target))] = label
                    declared_writes[name].add(_Trigger(branch_key(target), True, label))
                    task_writes.append((branch_key(target), None))
            writes[name] = task_writes
        step_sources = {}
        for name, task_writes in writes.items():
            triggered = {
                _Trigger(channel, (name, channel) in conditionals and value is None, conditionals.get((name, channel)) if value is None else None)
                for channel, value in task_writes
            }
            step_sources[name] = triggered | declared_writes.get(name, set())
        sources.update(step_sources)
        by_trigger: dict[str, set[_Edge]] = defaultdict(set)
        for source, triggers in sources.items():
            for channel, conditional, label in triggers:
                by_trigger[channel].add(_Edge(source, "", conditional, label))
        run.apply(tasks, writes)
        tasks = run.next_tasks()
        for name, fired in tasks.items():
            added = False
            for channel in fired:
                for source, _, conditional, label in sorted(by_trigger[channel], key=_sort_key):
                    edges.add(_Edge(source, name, conditional, label))
                    if _Trigger(channel, conditional, label) in step_sources.get(source, set()):
                        added = True
                    else:
                        sources[source].discard(_Trigger(channel, conditional, label))
            if not added:
                for source in step_sources:
                    edges.add(_Edge(source, name, True, None))
    return edges, step_sources


def _add_edge(graph: Graph, source: str, target: str, *, data: Any = None, conditional: bool = False) -> None:
    for edge in graph.edges:
        if edge.source == source and edge.target == target:
            return
    if target not in graph.nodes and target == END:
        graph.add_node(None, END)
    graph.add_edge(graph.nodes[source], graph.nodes[target], data, conditional)


def draw_graph(
    spec: GraphSpec,
    *,
    start_data: Any,
    interrupt_before: Sequence[str] = (),
    interrupt_after: Sequence[str] = (),
    subgraphs: Mapping[str, Graph] | None = None,
) -> Graph:
    """The drawable graph of ``spec`` (see the module docstring).

    Args:
        start_data: what the ``__start__`` node stands for (its ``data``).
        interrupt_before / interrupt_after: nodes marked ``__interrupt`` in their metadata.
        subgraphs: drawn subgraphs by node name, spliced in place of their nodes.
    """
    edges, last_sources = _find_edges(spec)
    graph = Graph()
    graph.add_node(start_data, START)
    for name, node in spec.nodes.items():
        metadata = dict(node.metadata or {})
        if getattr(node, "defer", False):
            metadata["defer"] = True
        if name in interrupt_before and name in interrupt_after:
            metadata["__interrupt"] = "before,after"
        elif name in interrupt_before:
            metadata["__interrupt"] = "before"
        elif name in interrupt_after:
            metadata["__interrupt"] = "after"
        tools = getattr(node.action, "tools_by_name", None)
        if isinstance(tools, Mapping) and tools:
            metadata["__tools"] = list(tools)
        graph.add_node(node.action, name, metadata=metadata or None)
    for source, target, conditional, label in sorted(edges, key=_sort_key):
        _add_edge(graph, source, target, data=label if label != target else None, conditional=conditional)
    termini = {e.target for e in edges if e.target != END} - {e.source for e in edges}
    if termini:
        for source in sorted(termini):
            _add_edge(graph, source, END)
    elif len(last_sources) == 1 and not any(e.target == END for e in edges):
        for source in sorted(last_sources):
            _add_edge(graph, source, END, conditional=True)
    for name, subgraph in (subgraphs or {}).items():
        if len(subgraph.nodes) > 1 and name in graph.nodes and subgraph.first_node() and subgraph.last_node():
            subgraph.trim_first_node()
            subgraph.trim_last_node()
            graph.nodes.pop(name)
            first, last = graph.extend(subgraph, prefix=name)
            for index, edge in enumerate(graph.edges):
                if edge.source == name and last is not None:
                    edge = edge.copy(source=last.id)
                if edge.target == name and first is not None:
                    edge = edge.copy(target=first.id)
                graph.edges[index] = edge
    return graph
