"""Value types shared by the scheduler and the graph builder.

They live in ``runtime`` (not ``graphs``) because the scheduler must create and
route them; ``graphs`` re-exports them under LangGraph's names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Final, Generic, NamedTuple, TypeVar

import attrs

from .config import RunnableConfig

__all__ = ["Send", "Command", "Interrupt", "START", "END", "PregelTask", "StateSnapshot", "StateUpdate"]

START: Final = "__start__"
"""The virtual node a graph's input enters through."""
END: Final = "__end__"
"""The virtual node that ends a branch of the graph."""

N = TypeVar("N")


@attrs.frozen(repr=False)
class Send:
    """Run ``node`` in the next step with ``arg`` as its input (one task per Send).

    Returned from a conditional edge (alone or in a list) or used as a
    ``Command(goto=...)`` target, it fans work out: each Send becomes its own
    task with its own input, and tasks of one step run concurrently.
    """

    node: str
    arg: Any

    def __repr__(self) -> str:
        return f"Send(node={self.node!r}, arg={self.arg!r})"


@attrs.frozen(eq=False)
class Interrupt:
    """A pause raised by ``interrupt(value)`` inside a node, resumed by ``Command(resume=...)``.

    ``id`` is 32 hex characters, derived from the task's checkpoint namespace so
    that a resumed run can match answers to the interrupts that asked for them.
    """

    value: Any
    id: str = ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Interrupt):
            return NotImplemented
        return self.value == other.value and self.id == other.id

    def __hash__(self) -> int:
        return hash(self.id)


@attrs.frozen
class Command(Generic[N]):
    """A node's return value that updates state and routes in one go.

    Args:
        update: the state update, as a node would return it.
        goto: a node name, a ``Send``, or a sequence of them, to run next.
        resume: the value ``interrupt()`` returns when a thread is resumed.
        graph: ``None`` for the current graph or ``Command.PARENT`` to send the
            update and routing to the enclosing graph.
    """

    graph: str | None = None
    update: Any = None
    resume: Any = None
    goto: Send | Sequence[Send | str] | str = ()

    PARENT: ClassVar[str] = "__parent__"


class PregelTask(NamedTuple):
    """A task of a saved step, as ``get_state().tasks`` lists it (LangGraph's name)."""

    id: str
    name: str
    path: tuple[Any, ...]
    error: Exception | None = None
    interrupts: tuple[Interrupt, ...] = ()
    state: Any = None
    result: Any = None


class StateSnapshot(NamedTuple):
    """A thread's state at one checkpoint, as ``get_state`` returns it (LangGraph's name)."""

    values: dict[str, Any]
    next: tuple[str, ...]
    config: RunnableConfig
    metadata: dict[str, Any] | None
    created_at: str | None
    parent_config: RunnableConfig | None
    tasks: tuple[PregelTask, ...]
    interrupts: tuple[Interrupt, ...] = ()


class StateUpdate(NamedTuple):
    """One update of ``bulk_update_state``: ``values`` as if written by node ``as_node``
    (LangGraph's name). ``task_id`` names the task the update stands for; by default
    it is the id of the next task of ``as_node``, if there is one."""

    values: dict[str, Any] | Any | None
    as_node: str | None = None
    task_id: str | None = None
