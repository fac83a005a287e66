"""The exceptions Tributary raises itself.

A user's own exception is never wrapped: it propagates as itself with a note
(``add_note``) saying which node, namespace and step it came from.
"""

from __future__ import annotations

__all__ = [
    "GraphError",
    "InvalidGraphError",
    "InvalidUpdateError",
    "GraphRecursionError",
    "EmptyInputError",
    "GraphInterrupt",
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


class GraphInterrupt(GraphError):
    """Raised inside a node by ``interrupt()``; the run pauses instead of failing."""

    def __init__(self, interrupts: tuple[object, ...] = ()) -> None:
        super().__init__(interrupts)
        self.interrupts = interrupts
