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
    * LangChainException          LangChain's base class, for code that catches it
      + OutputParserException     a model's output that does not parse (also a ValueError)
      + TracerException           a tracer's error
    * PartialJsonError            text that is not a prefix of any JSON (a ValueError)
    * CheckpointStoreError        the checkpoint store cannot do what was asked
    * DeserializationError        stored data the serializer will not read (a ValueError)

A user's own exception is never wrapped: it propagates as itself with a note
(``add_note``) saying which node, namespace and step it came from. Each class
stays importable from the module that raises it (``runtime.tools``,
``runtime.checkpoint`` …).
"""

from __future__ import annotations

import enum
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
    "LangChainException",
    "TracerException",
    "ErrorCode",
    "create_message",
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


class LangChainException(Exception):
    """LangChain's base class of its own errors; ``OutputParserException`` and
    ``TracerException`` derive from it so that code catching it keeps working."""


class TracerException(LangChainException):
    """An error in a tracer (a callback handler that records runs)."""


class ErrorCode(enum.Enum):
    """The codes of LangChain's troubleshooting pages, which :func:`create_message` links to."""

    INVALID_PROMPT_INPUT = "INVALID_PROMPT_INPUT"
    INVALID_TOOL_RESULTS = "INVALID_TOOL_RESULTS"
    MESSAGE_COERCION_FAILURE = "MESSAGE_COERCION_FAILURE"
    MODEL_AUTHENTICATION = "MODEL_AUTHENTICATION"
    MODEL_NOT_FOUND = "MODEL_NOT_FOUND"
    MODEL_RATE_LIMIT = "MODEL_RATE_LIMIT"
    OUTPUT_PARSING_FAILURE = "OUTPUT_PARSING_FAILURE"


def create_message(*, message: str, error_code: ErrorCode) -> str:
    """``message`` followed by the link to LangChain's troubleshooting page for ``error_code``,
    as LangChain words its errors."""
    return (
        f"{message}\nFor troubleshooting, visit: "
        f"https://docs.langchain.com/oss/python/langchain/errors/{error_code.value} "
    )


class OutputParserException(ValueError, LangChainException):
    """The model's output could not be parsed; the message shows it.

    Takes LangChain's arguments: ``observation`` and ``llm_output`` (the text that did not
    parse) for an agent that sends the error back to the model, which ``send_to_llm=True``
    asks for and which then must both be given. A text ``error`` gets LangChain's
    troubleshooting link appended."""

    def __init__(
        self,
        error: Any,
        observation: str | None = None,
        llm_output: str | None = None,
        send_to_llm: bool = False,
    ) -> None:
        if isinstance(error, str):
            error = create_message(message=error, error_code=ErrorCode.OUTPUT_PARSING_FAILURE)
        super().__init__(error)
        if send_to_llm and (observation is None or llm_output is None):
            raise ValueError("OutputParserException: send_to_llm=True needs both observation and llm_output")
        self.observation = observation
        self.llm_output = llm_output
        self.send_to_llm = send_to_llm


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
