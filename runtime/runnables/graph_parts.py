"""The records a drawable graph is made of: nodes, edges, and Mermaid's style options.

Kept apart from :mod:`runtime.runnables.graph` so the Mermaid writer
(:mod:`runtime.runnables.graph_mermaid`) and the graph both build on them.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from typing import Any, NamedTuple

__all__ = ["CurveStyle", "Edge", "MermaidDrawMethod", "Node", "NodeStyles", "is_uuid"]


def is_uuid(value: str) -> bool:
    """Whether ``value`` is a UUID (an id made up by :meth:`Graph.add_node`, not a name)."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class Edge(NamedTuple):
    """An edge from node id ``source`` to ``target``, labelled with ``data``."""

    source: str
    target: str
    data: Any = None
    conditional: bool = False

    def copy(self, *, source: str | None = None, target: str | None = None) -> Edge:
        """This edge with another source and/or target."""
        return Edge(source or self.source, target or self.target, self.data, self.conditional)


class Node(NamedTuple):
    """A node: its id, display name, what it stands for, and metadata."""

    id: str
    name: str
    data: Any
    metadata: dict[str, Any] | None

    def copy(self, *, id: str | None = None, name: str | None = None) -> Node:
        """This node with another id and/or name."""
        return Node(id or self.id, name or self.name, self.data, self.metadata)


class CurveStyle(enum.Enum):
    """How Mermaid draws edges (its ``flowchart.curve`` setting)."""

    BASIS = "basis"
    BUMP_X = "bumpX"
    BUMP_Y = "bumpY"
    CARDINAL = "cardinal"
    CATMULL_ROM = "catmullRom"
    LINEAR = "linear"
    MONOTONE_X = "monotoneX"
    MONOTONE_Y = "monotoneY"
    NATURAL = "natural"
    STEP = "step"
    STEP_AFTER = "stepAfter"
    STEP_BEFORE = "stepBefore"


@dataclasses.dataclass
class NodeStyles:
    """Mermaid class styles for ordinary, first and last nodes."""

    default: str = "fill:#f2f0ff,line-height:1.2"
    first: str = "fill-opacity:0"
    last: str = "fill:#bfb6fc"


class MermaidDrawMethod(enum.Enum):
    """How langchain-core renders Mermaid to PNG; accepted for compatibility, Tributary renders none."""

    PYPPETEER = "pyppeteer"
    API = "api"
