"""The exceptions Tributary raises itself.

A user's own exception is never wrapped: it propagates as itself with a note
(``add_note``) saying which node, namespace and step it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import Command

__all__ = [
    "GraphError",
    "InvalidGraphError",
    "InvalidUpdateError",
    "GraphRecursionError",
    "EmptyInputError",
    "GraphBubbleUp",
    "GraphInterrupt",
    "ParentCommand",
]

TROUBLESHOOTING = "\nFor troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/errors/"


class GraphError(Exception):
    """Base class of the errors a graph raises about its own structure or run."""


class InvalidGraphError(GraphError, ValueError):
    """The graph is malformed; raised by the builder or ``compile()``."""


class InvalidUpdateError(GraphError):
    """A node, router or input wrote something the state cannot take."""


class GraphRecursionError(GraphError, RecursionError):
    """The run took more supersteps than ``recursion_limit`` allows."""


class EmptyInputError(GraphError):
    """The graph was started with no input and nothing to resume."""


class GraphBubbleUp(Exception):
    """Base of the exceptions that are control flow, not failure.

    One of them leaving a run is not that run's error: the run reports no error
    (and no end), and the graph acts on it — it pauses for an interrupt, or the
    node running a subgraph takes over a command meant for it.
    """


class GraphInterrupt(GraphBubbleUp):
    """Raised inside a node by ``interrupt()``; the run pauses instead of failing."""

    def __init__(self, interrupts: tuple[object, ...] = ()) -> None:
        super().__init__(interrupts)
        self.interrupts = interrupts


class ParentCommand(GraphBubbleUp):
    """Carries a ``Command(graph=Command.PARENT)`` from a subgraph to the node running it."""

    def __init__(self, command: Command[Any]) -> None:
        super().__init__(command)
        self.command = command
