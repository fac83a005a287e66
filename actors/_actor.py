"""The actor: a named trio task running one behaviour, with a handle to its outcome."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, Literal, TypeVar, final

import attrs

from ._mailbox import Mailbox

__all__ = ["Actor"]

R = TypeVar("R")

ActorState = Literal["pending", "running", "done", "failed", "cancelled"]


@final
@attrs.define(eq=False, repr=False)
class Actor(Generic[R]):
    """A handle on one actor spawned by a :class:`~actors.Supervisor`.

    The behaviour is an async callable; its return value becomes ``result`` once
    ``state`` is ``"done"``. An actor that takes messages gets an ``inbox``
    (created by ``spawn(..., inbox_capacity=N)``) and is sent to with ``send``.
    """

    name: str
    behaviour: Callable[..., Awaitable[R]]
    args: tuple[Any, ...] = ()
    inbox: Mailbox[Any] | None = None
    state: ActorState = "pending"
    result: R | None = None
    error: BaseException | None = None
    attempts: int = 0

    def __repr__(self) -> str:
        return f"<Actor {self.name!r} {self.state}>"

    async def send(self, message: Any) -> None:
        """Deliver ``message`` to this actor's inbox, waiting while it is full."""
        if self.inbox is None:
            raise TypeError(f"actor {self.name!r} has no inbox; spawn it with inbox_capacity=N")
        await self.inbox.put(message)
