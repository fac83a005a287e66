"""A graph as declared: the immutable records the builder produces and ``compile`` reads.

:class:`~graphs.builder.StateGraph` collects declarations and rejects what it
can at once; :meth:`~graphs.builder.StateGraph.spec` freezes them into a
:class:`GraphSpec`, from which :func:`~graphs.compile.compile_program` makes
the scheduler's program — a pure function from spec to program.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from actors import RetryPolicy
    from runtime.cache import CachePolicy

__all__ = ["NodeDef", "Branch", "GraphSpec"]


@attrs.frozen
class NodeDef:
    """A node as declared: its action and options."""

    name: str
    action: Any
    input_schema: type | None = None
    metadata: Mapping[str, Any] = attrs.field(factory=dict)
    retry_policy: RetryPolicy | tuple[RetryPolicy, ...] | None = None
    timeout: float | None = None
    destinations: tuple[str, ...] | Mapping[str, str] = ()
    """Where the node's ``Command``\\s may go (drawn as conditional edges; a mapping labels them)."""
    cache_policy: CachePolicy[Any] | None = None
    defer: bool = False
    """Run only when the run would otherwise end (``add_node(defer=True)``)."""


@attrs.frozen
class Branch:
    """A conditional edge: ``path`` picks the next node(s) from the state.

    ``path_map`` maps what ``path`` returns to node names (a list means identity).
    ``input_schema`` is how ``path`` reads the state (default: as its source node does).
    """

    source: str
    path: Any
    name: str
    path_map: Mapping[Hashable, str] | None = None
    input_schema: type | None = None


@attrs.frozen
class GraphSpec:
    """Everything a ``StateGraph`` declared.

    Attributes:
        state_schema / input_schema / output_schema: the schemas (the latter two
            default to the state's).
        nodes: the nodes by name, in the order they were added.
        edges: ``(source, target)`` static edges.
        joins: ``((source, ...), target)`` edges that wait for all their sources.
        branches: conditional edges by source node, then by name.
    """

    state_schema: type
    input_schema: type
    output_schema: type
    nodes: Mapping[str, NodeDef]
    edges: tuple[tuple[str, str], ...]
    joins: tuple[tuple[tuple[str, ...], str], ...]
    branches: Mapping[str, Mapping[str, Branch]]
