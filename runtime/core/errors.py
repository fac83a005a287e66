"""Every exception the engine defines, in one place.

The hierarchy::

    * GraphError                  the graph's own structure or run is wrong
      + InvalidGraphError         at build or compile time (also a ValueError)
      + InvalidUpdateError        a node, router or input wrote what the state cannot take
      + GraphRecursionError       more supersteps than recursion_limit (also a RecursionError)
      + EmptyInputError           no input and nothing to resume
    * GraphBubbleUp               control flow, not failure: a run it leaves reports no error
      + GraphInterrupt            interrupt() pauses the graph
      + ParentCommand             a Command(graph=Command.PARENT) on its way up
    * EmptyChannelError           a channel read before its first write (a LookupError)
    * ToolException               a tool's error, for the model to see
      + ToolInvocationError       arguments that do not fit the tool's schema
    * OutputParserException       a model's output that does not parse (a ValueError)
    * PartialJsonError            text that is not a prefix of any JSON (a ValueError)
    * CheckpointStoreError        the checkpoint store cannot do what was asked
    * DeserializationError        stored data the serializer will not read (a ValueError)

A user's own exception is never wrapped: it propagates as itself with a note
(``add_note``) saying which node, namespace and step it came from. Each class
stays importable from the module that raises it (``runtime.tools``,
``runtime.checkpoint`` …).
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
    "EmptyChannelError",
    "ToolException",
    "ToolInvocationError",
    "OutputParserException",
    "PartialJsonError",
    "CheckpointStoreError",
    "DeserializationError",
]

TROUBLESHOOTING = "\nFor troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/errors/"


# -- the graph -----------------------------------------------------------------
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


# -- control flow --------------------------------------------------------------
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


# -- state ---------------------------------------------------------------------
class EmptyChannelError(LookupError):
    """The channel has never been written (and has no default)."""


# -- tools, parsers ------------------------------------------------------------
class ToolException(Exception):
    """An error a tool raises for the model to see (with ``handle_tool_error``)."""


_INVOCATION_TEMPLATE = (
    "Error invoking tool '{tool_name}' with kwargs {tool_kwargs} with error:\n {error}\n Please fix the error and try again."
)


class ToolInvocationError(ToolException):
    """The arguments do not fit the tool's schema (missing or unknown ones)."""

    def __init__(self, tool_name: str, tool_kwargs: dict[str, Any], error: str) -> None:
        self.message = _INVOCATION_TEMPLATE.format(tool_name=tool_name, tool_kwargs=tool_kwargs, error=error)
        super().__init__(self.message)
        self.tool_name = tool_name
        self.tool_kwargs = tool_kwargs


class OutputParserException(ValueError):
    """The model's output could not be parsed; the message shows it."""

    def __init__(self, message: str, *, llm_output: str | None = None) -> None:
        super().__init__(message)
        self.llm_output = llm_output


class PartialJsonError(ValueError):
    """The text is not a prefix of any JSON document; ``offset`` locates the culprit."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"invalid JSON at offset {offset}: {message}")
        self.offset = offset


# -- checkpoints ---------------------------------------------------------------
class CheckpointStoreError(Exception):
    """The store cannot do what was asked: it is closed, its file is not a
    Tributary checkpoint store (or is damaged, or newer), the database failed,
    or writes were put for a checkpoint it does not hold."""


class DeserializationError(ValueError):
    """The data is not something ``JsonSerializer.dumps`` wrote, uses a tag this
    process has not registered, or holds a pickle the serializer may not load."""
