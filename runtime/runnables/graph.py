"""A drawable graph: nodes and edges, its JSON form and its Mermaid text, as langchain-core's ``Graph``.

``CompiledStateGraph.get_graph()`` returns one (see :mod:`graphs.drawing`).
A :class:`Node` has an ``id`` (unique; a subgraph's nodes are prefixed
``"<subgraph>:"``), a display ``name``, the object it stands for (``data``) and
optional ``metadata``; an :class:`Edge` joins two node ids, optionally
``conditional`` and with a ``data`` label. :meth:`Graph.to_json` and
:meth:`Graph.draw_mermaid` give the same text langchain-core gives for the
same nodes and edges, so a front end written for LangGraph reads them as they
are. PNG and ASCII rendering are not provided (they need a browser, network
access or extra packages): those methods raise ``NotImplementedError``.
"""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .graph_mermaid import draw_mermaid as _draw_mermaid
from .graph_parts import CurveStyle, Edge, MermaidDrawMethod, Node, NodeStyles, is_uuid

__all__ = [
    "CurveStyle",
    "Edge",
    "Graph",
    "MermaidDrawMethod",
    "Node",
    "NodeStyles",
    "node_data_json",
    "node_data_str",
]


def node_data_str(id: str, data: Any) -> str:
    """A node's display name: its id, unless the id was made up (then its data's name)."""
    if not is_uuid(id) or data is None:
        return id
    name = data.get_name() if hasattr(data, "get_name") else getattr(data, "__name__", type(data).__name__)
    return name.removeprefix("Runnable")


def _object_id(obj: Any) -> list[str]:
    """The dotted path of what a node stands for: a function's own, or its object's class's."""
    if inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isbuiltin(obj):
        return [*str(obj.__module__).split("."), obj.__name__]
    cls = type(obj)
    return [*cls.__module__.split("."), cls.__name__]


def node_data_json(node: Node, *, with_schemas: bool = False) -> dict[str, Any]:
    """A node's ``type`` / ``data`` (/ ``metadata``) entries in :meth:`Graph.to_json`."""
    data = node.data
    json: dict[str, Any]
    if data is None:
        json = {}
    elif inspect.isclass(data) and hasattr(data, "model_json_schema"):
        json = {
            "type": "schema",
            "data": data.model_json_schema() if with_schemas else node_data_str(node.id, data),
        }
    elif callable(data) or hasattr(data, "ainvoke"):
        json = {"type": "runnable", "data": {"id": _object_id(data), "name": node_data_str(node.id, data)}}
    else:
        json = {"type": "unknown", "data": node_data_str(node.id, data)}
    if node.metadata is not None:
        json["metadata"] = node.metadata
    return json


@dataclasses.dataclass
class Graph:
    """Nodes by id (in insertion order) and the edges between them."""

    nodes: dict[str, Node] = dataclasses.field(default_factory=dict)
    edges: list[Edge] = dataclasses.field(default_factory=list)

    def to_json(self, *, with_schemas: bool = False) -> dict[str, list[dict[str, Any]]]:
        """``{"nodes": [...], "edges": [...]}``; made-up (UUID) ids become their position."""
        stable = {node.id: i if is_uuid(node.id) else node.id for i, node in enumerate(self.nodes.values())}
        edges: list[dict[str, Any]] = []
        for edge in self.edges:
            entry: dict[str, Any] = {"source": stable[edge.source], "target": stable[edge.target]}
            if edge.data is not None:
                entry["data"] = edge.data
            if edge.conditional:
                entry["conditional"] = True
            edges.append(entry)
        return {
            "nodes": [{"id": stable[node.id], **node_data_json(node, with_schemas=with_schemas)} for node in self.nodes.values()],
            "edges": edges,
        }

    def __bool__(self) -> bool:
        return bool(self.nodes)

    def next_id(self) -> str:
        """A fresh node id."""
        return uuid.uuid4().hex

    def add_node(self, data: Any, id: str | None = None, *, metadata: dict[str, Any] | None = None) -> Node:
        """Add a node for ``data`` (id made up when not given).

        Raises:
            ValueError: a node with ``id`` exists already.
        """
        if id is not None and id in self.nodes:
            raise ValueError(f"Node with id {id} already exists")
        id_ = id or self.next_id()
        node = Node(id_, node_data_str(id_, data), data, metadata)
        self.nodes[id_] = node
        return node

    def remove_node(self, node: Node) -> None:
        """Remove ``node`` and every edge touching it."""
        self.nodes.pop(node.id)
        self.edges = [e for e in self.edges if node.id not in (e.source, e.target)]

    def add_edge(self, source: Node, target: Node, data: Any = None, conditional: bool = False) -> Edge:
        """Add an edge between two nodes of this graph.

        Raises:
            ValueError: naming the endpoint that is not in the graph.
        """
        if source.id not in self.nodes:
            raise ValueError(f"Source node {source.id} not in graph")
        if target.id not in self.nodes:
            raise ValueError(f"Target node {target.id} not in graph")
        edge = Edge(source.id, target.id, data, conditional)
        self.edges.append(edge)
        return edge

    def extend(self, graph: Graph, *, prefix: str = "") -> tuple[Node | None, Node | None]:
        """Add ``graph``'s nodes and edges, ids prefixed ``"<prefix>:"``; return its first and last nodes."""
        if all(is_uuid(node.id) for node in graph.nodes.values()):
            prefix = ""

        def prefixed(id_: str) -> str:
            return f"{prefix}:{id_}" if prefix else id_

        self.nodes.update({prefixed(k): v.copy(id=prefixed(k)) for k, v in graph.nodes.items()})
        self.edges.extend(e.copy(source=prefixed(e.source), target=prefixed(e.target)) for e in graph.edges)
        first, last = graph.first_node(), graph.last_node()
        return (
            first.copy(id=prefixed(first.id)) if first else None,
            last.copy(id=prefixed(last.id)) if last else None,
        )

    def reid(self) -> Graph:
        """A copy whose made-up ids are replaced by readable names (numbered when they clash)."""
        ids_by_name: dict[str, list[str]] = defaultdict(list)
        for node in self.nodes.values():
            ids_by_name[node.name].append(node.id)
        labels = {
            node_id: name if len(ids) == 1 else f"{name}_{i + 1}"
            for name, ids in ids_by_name.items()
            for i, node_id in enumerate(ids)
        }

        def new_id(node_id: str) -> str:
            return labels[node_id] if is_uuid(node_id) else node_id

        return Graph(
            nodes={new_id(k): node.copy(id=new_id(k)) for k, node in self.nodes.items()},
            edges=[e.copy(source=new_id(e.source), target=new_id(e.target)) for e in self.edges],
        )

    def first_node(self) -> Node | None:
        """The one node no edge leads into, or ``None`` if there is no single such node."""
        return _first_node(self)

    def last_node(self) -> Node | None:
        """The one node no edge leaves, or ``None`` if there is no single such node."""
        return _last_node(self)

    def trim_first_node(self) -> None:
        """Remove the first node if it has one edge and another node would then be first."""
        first = self.first_node()
        if first and _first_node(self, exclude=[first.id]) and len({e for e in self.edges if e.source == first.id}) == 1:
            self.remove_node(first)

    def trim_last_node(self) -> None:
        """Remove the last node if it has one edge and another node would then be last."""
        last = self.last_node()
        if last and _last_node(self, exclude=[last.id]) and len({e for e in self.edges if e.target == last.id}) == 1:
            self.remove_node(last)

    def draw_mermaid(
        self,
        *,
        with_styles: bool = True,
        curve_style: CurveStyle = CurveStyle.LINEAR,
        node_colors: NodeStyles | None = None,
        wrap_label_n_words: int = 9,
        frontmatter_config: dict[str, Any] | None = None,
    ) -> str:
        """The graph as Mermaid flowchart text (see :func:`runtime.runnables.graph_mermaid.draw_mermaid`)."""
        graph = self.reid()
        first, last = graph.first_node(), graph.last_node()
        return _draw_mermaid(
            nodes=graph.nodes,
            edges=graph.edges,
            first_node=first.id if first else None,
            last_node=last.id if last else None,
            with_styles=with_styles,
            curve_style=curve_style,
            node_styles=node_colors,
            wrap_label_n_words=wrap_label_n_words,
            frontmatter_config=frontmatter_config,
        )


    def draw_mermaid_png(self, **kwargs: Any) -> bytes:
        """Not provided: rendering needs a browser or the mermaid.ink web service.

        Raises:
            NotImplementedError: always; render :meth:`draw_mermaid`'s text instead.
        """
        raise NotImplementedError(
            "Graph.draw_mermaid_png() is not supported by Tributary (it needs a browser or the mermaid.ink "
            "service); render the text of Graph.draw_mermaid() with any Mermaid renderer instead"
        )

    def draw_ascii(self) -> str:
        """Not provided (langchain-core needs the grandalf package for it).

        Raises:
            NotImplementedError: always; use :meth:`draw_mermaid`.
        """
        raise NotImplementedError("Graph.draw_ascii() is not supported by Tributary; use Graph.draw_mermaid()")

    def print_ascii(self) -> None:
        """Not provided; see :meth:`draw_ascii`."""
        print(self.draw_ascii())


def _first_node(graph: Graph, exclude: Sequence[str] = ()) -> Node | None:
    targets = {e.target for e in graph.edges if e.source not in exclude}
    found = [n for n in graph.nodes.values() if n.id not in exclude and n.id not in targets]
    return found[0] if len(found) == 1 else None


def _last_node(graph: Graph, exclude: Sequence[str] = ()) -> Node | None:
    sources = {e.source for e in graph.edges if e.target not in exclude}
    found = [n for n in graph.nodes.values() if n.id not in exclude and n.id not in sources]
    return found[0] if len(found) == 1 else None
