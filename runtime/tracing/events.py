"""The handler behind ``astream_events(version="v2")``: runs in, event dicts out.

Each callback becomes one event dict with LangChain's v2 shape::

    {"event": "on_<run_type>_<start|stream|end|error>", "name", "run_id",
     "parent_ids" (root first), "tags", "metadata", "data"}

``data`` is ``{"input"}`` on start (absent for a run that consumes a stream and
does not know its input yet), ``{"chunk"}`` on stream, ``{"output", "input"}`` on
end and ``{"error", "input"}`` on error (tools add ``tool_call_id``). As in
langchain-core, the first event that passes the filter (the root's start when
nothing is filtered) carries the value the caller passed in as its input, and
the end event of that event's run carries no input. Custom events are ``{"event": "on_custom_event", "name": <event name>,
"data": <payload>, "run_id": <the run they were dispatched in>, …}``.

Events are put into the consumer's bounded mailbox as they happen; a full
mailbox makes the reporting run wait, which is the back-pressure. The events
of one run share its ``tags``, ``metadata`` and ``parent_ids`` objects (as
LangChain's share tags and metadata): treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, final

import attrs

from actors import Mailbox

from .run import NO_INPUT, BaseCallbackHandler, RunInfo

__all__ = ["EventFilter", "EventStreamHandler"]


@attrs.frozen
class EventFilter:
    """LangChain's root event filter: includes are OR-ed (all pass if none given), then excludes remove.

    The *type* tested is the run type, except for ``on_custom_event`` where it is the event's name.
    """

    include_names: frozenset[str] | None = None
    include_types: frozenset[str] | None = None
    include_tags: frozenset[str] | None = None
    exclude_names: frozenset[str] | None = None
    exclude_types: frozenset[str] | None = None
    exclude_tags: frozenset[str] | None = None

    @classmethod
    def of(cls, **given: Sequence[str] | None) -> EventFilter | None:
        """A filter from the ``include_*``/``exclude_*`` arguments; ``None`` when none is given."""
        fields = {key: frozenset(value) for key, value in given.items() if value is not None}
        return cls(**fields) if fields else None

    def include(self, name: str, type_: str, tags: Sequence[str]) -> bool:
        if self.include_names is None and self.include_types is None and self.include_tags is None:
            keep = True
        else:
            keep = (
                (self.include_names is not None and name in self.include_names)
                or (self.include_types is not None and type_ in self.include_types)
                or (self.include_tags is not None and any(tag in self.include_tags for tag in tags))
            )
        if not keep:
            return False
        if self.exclude_names is not None and name in self.exclude_names:
            return False
        if self.exclude_types is not None and type_ in self.exclude_types:
            return False
        if self.exclude_tags is not None and any(tag in self.exclude_tags for tag in tags):
            return False
        return True


@final
class EventStreamHandler(BaseCallbackHandler):
    """Turns the callbacks of one run tree into v2 event dicts in ``mailbox``.

    Args:
        mailbox: the consumer's bounded mailbox.
        root_input: what the caller passed in (the root start event's input).
        filter: which events to keep (``None``: all).
    """

    streaming = True

    def __init__(self, mailbox: Mailbox[Any], root_input: Any, filter: EventFilter | None) -> None:
        self.mailbox = mailbox
        self.root_input = root_input
        self.filter = filter
        self.root_run_id: str | None = None
        self.root: RunInfo | None = None
        self._first_run_id: str | None = None
        """The run of the first event let through (set once that event is sent)."""
        self.part_shape: Callable[[Any], Any] = _identity
        """Turns a graph's stream part into the item ``astream()`` would yield (set by the graph)."""

    async def _send(self, event: dict[str, Any], name: str, type_: str, tags: Sequence[str]) -> None:
        flt = self.filter
        if flt is not None and not flt.include(name, type_, tags):
            return
        first = self._first_run_id
        if first is None:
            event = self._as_first(event)
        elif event["run_id"] == first and event["event"].endswith("_end"):
            # The first event already carries the caller's input.
            event["data"].pop("input", None)
        mailbox = self.mailbox
        if not mailbox.put_nowait(event):
            await mailbox.put(event)

    def _as_first(self, event: dict[str, Any]) -> dict[str, Any]:
        # As langchain-core: whatever event passes the filter first carries the
        # caller's input (a stream-consuming run does not know its own yet).
        self._first_run_id = event["run_id"]
        data = event["data"]
        if isinstance(data, dict):
            event["data"] = {**data, "input": self.root_input}
        return event

    @staticmethod
    def _event(kind: str, run: RunInfo, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "event": f"on_{run.run_type}_{kind}",
            "name": run.name,
            "run_id": run.run_id,
            "parent_ids": run.parent_ids,
            "tags": run.tags,
            "metadata": run.metadata,
            "data": data,
        }

    async def on_run_start(self, run: RunInfo, input: Any) -> None:
        if run.run_id == self.root_run_id:
            self.root = run
        data: dict[str, Any] = {} if input is NO_INPUT else {"input": input}
        await self._send(self._event("start", run, data), run.name, run.run_type, run.tags)

    async def on_run_stream(self, run: RunInfo, chunk: Any) -> None:
        await self._send(self._event("stream", run, {"chunk": chunk}), run.name, run.run_type, run.tags)

    async def on_llm_new_token(self, run: RunInfo, chunk: Any) -> None:
        await self._send(self._event("stream", run, {"chunk": chunk}), run.name, run.run_type, run.tags)

    async def on_run_end(self, run: RunInfo, output: Any, input: Any) -> None:
        data = {"output": output, "input": {} if input is NO_INPUT else input}
        await self._send(self._event("end", run, data), run.name, run.run_type, run.tags)

    async def on_run_error(self, run: RunInfo, error: BaseException, input: Any, extra: dict[str, Any]) -> None:
        data: dict[str, Any] = {"error": error, "input": {} if input is NO_INPUT else input, **extra}
        await self._send(self._event("error", run, data), run.name, run.run_type, run.tags)

    async def on_custom_event(
        self, run: RunInfo, name: str, data: Any, tags: list[str], metadata: dict[str, Any]
    ) -> None:
        event = {
            "event": "on_custom_event",
            "name": name,
            "run_id": run.run_id,
            "parent_ids": run.parent_ids,
            "tags": tags,
            "metadata": metadata,
            "data": data,
        }
        await self._send(event, name, name, tags)

    async def tap_root(self, chunk: Any) -> None:
        """A chunk of the root's output: an ``on_<type>_stream`` event unless the root
        streamed it itself or has already ended (as LangChain's output tap)."""
        root = self.root
        if root is None or root.streamed_own_events or root.finished:
            return
        await self._send(self._event("stream", root, {"chunk": chunk}), root.name, root.run_type, root.tags)

    def root_stream_event(self, chunk: Any) -> dict[str, Any] | None:
        """The root's ``on_<type>_stream`` event for ``chunk`` if it passes the filter."""
        root = self.root
        if root is None:
            return None
        flt = self.filter
        if flt is not None and not flt.include(root.name, root.run_type, root.tags):
            return None
        return self._event("stream", root, {"chunk": chunk})


def _identity(item: Any) -> Any:
    return item
