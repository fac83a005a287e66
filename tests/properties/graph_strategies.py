"""Generated graphs: what a property test runs, as plain data, and the strategies that draw it.

A :class:`GraphSpec` describes one ``StateGraph`` completely — its nodes in a
topological order, static edges, joins (``add_edge([a, b], c)``), bounded loops
(a router that sends control back until ``ticks`` counts the node ``bound``
times) and ``Send`` fan-outs (a router returning ``count`` ``Send``s to a worker
node) — and every node's behaviour: sync or async, the custom chunks it writes,
the checkpoints it takes between them, whether it raises, or, for a subgraph
node, the whole nested ``GraphSpec`` (up to two levels below the root).

Specs are frozen values so hypothesis can shrink them and print them; their
``repr`` reads like the graph. :mod:`graph_harness` turns a spec into a
compiled graph, :mod:`graph_reference` predicts what running it must produce.

Node names are drawn from one small pool in a random topological order and
added to the builder in another random order, so that "by name" (write
application), "in insertion order" (task creation) and "in topological order"
never coincide by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
from hypothesis import strategies as st

from graphs import END, START

__all__ = [
    "Op",
    "NodeSpec",
    "LoopSpec",
    "FanoutSpec",
    "GraphSpec",
    "graph_specs",
    "retimed",
    "with_failures",
    "NAME_POOL",
]

NAME_POOL = "abcdefgh"
MAX_NODES = 6
MAX_SUB_NODES = 4
MAX_DEPTH = 2
MAX_SENDS = 6
MAX_OPS = 5
SLEEPS = (0.001, 0.01, 0.5, 2.0)

CHUNK_OPS = frozenset({"chunk", "achunk"})
TIMING_OPS = frozenset({"sleep0", "checkpoint", "sleep", "yield"})


@attrs.frozen
class Op:
    """One thing a node does, in order.

    ``chunk``: ``writer(chunk)``; ``achunk``: ``await writer.asend(chunk)`` (async
    nodes); ``sleep0``: ``await trio.sleep(0)``; ``checkpoint``:
    ``await trio.lowlevel.checkpoint()``; ``sleep``: ``await trio.sleep(seconds)``
    under the mock clock; ``yield``: ``time.sleep(0)`` (sync nodes, in their worker
    thread); ``fail``: raise the node's own exception type.
    """

    kind: str
    seconds: float = 0.0

    def __repr__(self) -> str:
        return f"sleep({self.seconds})" if self.kind == "sleep" else self.kind


@attrs.frozen
class NodeSpec:
    """A node and its behaviour.

    Attributes:
        kind: ``"async"``, ``"sync"`` (runs in a worker thread), ``"subgraph"`` (a
            compiled graph added as the node) or ``"invoke"`` (an async node that
            calls ``await subgraph.ainvoke(...)`` and returns its result).
        ops: what a function node does before returning.
        writes_log: whether it appends its entry to ``log`` (otherwise it returns
            ``None``, unless it drives a loop and must count itself in ``ticks``).
        worker: reached only by ``Send``; its input is the ``Send`` argument.
        writer_param: take the writer as a ``writer`` parameter instead of
            calling ``get_stream_writer()``.
        subgraph: the nested graph of a ``"subgraph"`` or ``"invoke"`` node.
    """

    name: str
    kind: str
    ops: tuple[Op, ...] = ()
    writes_log: bool = True
    worker: bool = False
    writer_param: bool = False
    subgraph: GraphSpec | None = None

    @property
    def fails(self) -> bool:
        return any(op.kind == "fail" for op in self.ops)

    @property
    def nests(self) -> bool:
        """Whether the node runs a nested graph (whose parts carry a namespace below it)."""
        return self.subgraph is not None


@attrs.frozen
class LoopSpec:
    """After ``source``: go to ``back`` while ``ticks`` holds ``source`` fewer than ``bound`` times, else ``exit``."""

    source: str
    back: str
    exit: str
    bound: int
    is_async: bool = False


@attrs.frozen
class FanoutSpec:
    """After ``source`` (a node or ``START``): ``count`` ``Send``s to ``worker``: argument
    ``{"src": source, "i": i}`` to a function worker, ``{"log": [("send", source, i)]}``
    to a subgraph worker."""

    source: str
    worker: str
    count: int
    is_async: bool = False


@attrs.frozen(repr=False)
class GraphSpec:
    """A whole generated graph; ``nodes`` are in topological order (edges only go forward,
    except the loops' back edges)."""

    label: str
    nodes: tuple[NodeSpec, ...]
    add_order: tuple[str, ...]
    edges: tuple[tuple[str, str], ...] = ()
    joins: tuple[tuple[tuple[str, ...], str], ...] = ()
    loops: tuple[LoopSpec, ...] = ()
    fanouts: tuple[FanoutSpec, ...] = ()

    def node(self, name: str) -> NodeSpec:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"{self.label} has no node {name!r}")

    def loop_of(self, name: str) -> LoopSpec | None:
        return next((loop for loop in self.loops if loop.source == name), None)

    def walk(self) -> Iterator[GraphSpec]:
        """This graph and every graph nested in it."""
        yield self
        for node in self.nodes:
            if node.subgraph is not None:
                yield from node.subgraph.walk()

    def map_nodes(self, change: Callable[[GraphSpec, NodeSpec], NodeSpec]) -> GraphSpec:
        """A copy with ``change(graph, node)`` applied to every node at every level."""
        nodes = []
        for node in self.nodes:
            if node.subgraph is not None:
                node = attrs.evolve(node, subgraph=node.subgraph.map_nodes(change))
            nodes.append(change(self, node))
        return attrs.evolve(self, nodes=tuple(nodes))

    def describe(self, indent: str = "") -> str:
        lines = [f"{indent}graph {self.label} (added {' '.join(self.add_order)}):"]
        for node in self.nodes:
            flags = [node.kind]
            if node.worker:
                flags.append("worker")
            if not node.writes_log:
                flags.append("returns-None")
            if node.writer_param:
                flags.append("writer-param")
            lines.append(f"{indent}  node {node.name} [{', '.join(flags)}] ops={list(node.ops)}")
            if node.subgraph is not None:
                lines.append(node.subgraph.describe(indent + "    "))
        for source, target in self.edges:
            lines.append(f"{indent}  edge {source} -> {target}")
        for sources, target in self.joins:
            lines.append(f"{indent}  join {list(sources)} -> {target}")
        for loop in self.loops:
            lines.append(
                f"{indent}  loop {loop.source} -> {loop.back} while ticks[{loop.source}] < {loop.bound}, "
                f"else -> {loop.exit}{' (async router)' if loop.is_async else ''}"
            )
        for fan in self.fanouts:
            lines.append(
                f"{indent}  fanout {fan.source} -> {fan.count} x Send({fan.worker!r})"
                f"{' (async router)' if fan.is_async else ''}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "\n" + self.describe()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints falsifying examples with this
        printer.text(repr(self))


# -- drawing ------------------------------------------------------------------

def _timing_ops(kind: str) -> st.SearchStrategy[Op]:
    if kind == "sync":
        return st.just(Op("yield"))
    return st.one_of(
        st.just(Op("sleep0")),
        st.just(Op("checkpoint")),
        st.sampled_from(SLEEPS).map(lambda seconds: Op("sleep", seconds)),
    )


def _chunk_ops(kind: str) -> st.SearchStrategy[Op]:
    if kind == "sync":
        return st.just(Op("chunk"))
    return st.sampled_from((Op("chunk"), Op("achunk")))


def _ops(kind: str) -> st.SearchStrategy[tuple[Op, ...]]:
    return st.lists(st.one_of(_chunk_ops(kind), _timing_ops(kind)), max_size=MAX_OPS).map(tuple)


@st.composite
def graph_specs(
    draw: Any, label: str = "g", depth: int = 0, subgraphs: bool = True, max_nodes: int = MAX_NODES
) -> GraphSpec:
    """A random graph whose nodes never fail (see :func:`with_failures`)."""
    count = draw(st.integers(1, max_nodes))
    names: list[str] = list(draw(st.permutations(NAME_POOL)))[:count]
    nodes: list[NodeSpec] = []
    edges: list[tuple[str, str]] = []
    joins: list[tuple[tuple[str, ...], str]] = []
    fanouts: list[FanoutSpec] = []
    loops: list[LoopSpec] = []
    has_router: set[str] = set()
    workers: set[str] = set()
    sends_left = MAX_SENDS
    subgraphs_left = 1 if subgraphs and depth < MAX_DEPTH else 0
    for index, name in enumerate(names):
        earlier = names[:index]
        router_free = [s for s in (START, *earlier) if s not in has_router and s not in workers]
        if router_free and sends_left > 0 and draw(st.integers(0, 3)) == 0:
            source = draw(st.sampled_from(router_free))
            fan_count = draw(st.integers(0, min(4, sends_left)))
            sends_left -= fan_count
            fanouts.append(FanoutSpec(source, name, fan_count, draw(st.booleans())))
            has_router.add(source)
            workers.add(name)
            kind = draw(st.sampled_from(("async", "sync", "subgraph") if subgraphs_left else ("async", "sync")))
            if kind == "subgraph":
                subgraphs_left -= 1
                inner = draw(graph_specs(f"{label}.{name}", depth + 1, subgraphs, MAX_SUB_NODES))
                nodes.append(NodeSpec(name, kind, worker=True, subgraph=inner))
            else:
                nodes.append(NodeSpec(name, kind, draw(_ops(kind)), True, True, draw(st.booleans())))
            continue
        kinds = ["async", "async", "sync"] + (["subgraph", "invoke"] if subgraphs_left else [])
        kind = draw(st.sampled_from(kinds))
        predecessors = draw(st.lists(st.sampled_from([START, *earlier]), min_size=1, max_size=2, unique=True))
        edges.extend((source, name) for source in predecessors)
        if len(earlier) >= 2 and draw(st.integers(0, 3)) == 0:
            sources = draw(st.lists(st.sampled_from(earlier), min_size=2, max_size=3, unique=True))
            joins.append((tuple(sources), name))
        if kind in ("subgraph", "invoke"):
            subgraphs_left -= 1
            inner = draw(graph_specs(f"{label}.{name}", depth + 1, subgraphs, MAX_SUB_NODES))
            nodes.append(NodeSpec(name, kind, subgraph=inner))
        else:
            nodes.append(
                NodeSpec(name, kind, draw(_ops(kind)), draw(st.integers(0, 5)) > 0, False, draw(st.booleans()))
            )
    # A loop's source counts itself in ``ticks``, so it must be a function node.
    kinds = {node.name: node.kind for node in nodes}
    loop_sources = [n for n in names if n not in has_router and n not in workers and kinds[n] in ("async", "sync")]
    for source in draw(st.lists(st.sampled_from(loop_sources), max_size=2, unique=True)) if loop_sources else ():
        at = names.index(source)
        back = draw(st.sampled_from([n for n in names[: at + 1] if n not in workers]))
        exit_to = draw(st.sampled_from([END, *(n for n in names[at + 1 :] if n not in workers)]))
        loops.append(LoopSpec(source, back, exit_to, draw(st.integers(1, 3)), draw(st.booleans())))
        has_router.add(source)
    for name in names:
        if draw(st.integers(0, 4)) == 0:
            edges.append((name, END))
    add_order = tuple(draw(st.permutations(names)))
    return GraphSpec(label, tuple(nodes), add_order, tuple(edges), tuple(joins), tuple(loops), tuple(fanouts))


@st.composite
def retimed(draw: Any, spec: GraphSpec) -> GraphSpec:
    """The same graph writing the same chunks (and failing at the same point), with
    freshly drawn checkpoints and sleeps between them."""

    def retime(node: NodeSpec) -> tuple[Op, ...]:
        ops: list[Op] = []
        for op in node.ops:
            if op.kind in TIMING_OPS:
                continue
            ops.extend(draw(st.lists(_timing_ops(node.kind), max_size=2)))
            ops.append(op)
        ops.extend(draw(st.lists(_timing_ops(node.kind), max_size=2)))
        return tuple(ops)

    changed: dict[tuple[str, str], tuple[Op, ...]] = {}
    for graph in spec.walk():
        for node in graph.nodes:
            if not node.nests:
                changed[graph.label, node.name] = retime(node)
    return spec.map_nodes(
        lambda graph, node: node if node.nests else attrs.evolve(node, ops=changed[graph.label, node.name])
    )


@st.composite
def with_failures(draw: Any, spec: GraphSpec, candidates: list[tuple[str, str]]) -> GraphSpec:
    """``spec`` with one or two of ``candidates`` (``(graph label, node)`` of function
    nodes) raising their own exception at a drawn point among their ops."""
    chosen = draw(st.lists(st.sampled_from(sorted(candidates)), min_size=1, max_size=2, unique=True))
    positions = {key: draw(st.integers(0, 99)) for key in chosen}

    def fail(graph: GraphSpec, node: NodeSpec) -> NodeSpec:
        key = (graph.label, node.name)
        if key not in positions:
            return node
        ops = list(node.ops)
        ops.insert(positions[key] % (len(ops) + 1), Op("fail"))
        return attrs.evolve(node, ops=tuple(ops))

    return spec.map_nodes(fail)
