"""``stream_mode="messages"``: a callback handler that turns runs into ``(message, metadata)`` parts.

A graph asked for ``messages`` attaches one handler for its consumer. Messages
reach that consumer two ways (docs/streaming.md, "messages"):

* tokens: a chat model run (not tagged ``nostream``) inside a graph node emits
  every ``AIMessageChunk`` as it is produced — ``invoke`` streams too, since
  this handler asks for tokens — and, at its end, the whole message if no
  chunk with its id went out (a model that cannot stream);
* node output: when a node run ends, every message in its return value (top
  level, lists, ``Command.update``) whose id was not seen yet; messages in the
  node's input are marked seen when it starts.

The part's namespace is the graph's: ``langgraph_checkpoint_ns`` without the
task's own segment. Tokens from subgraphs reach the consumer only if it asked
for ``subgraphs=True`` (``StreamTarget.wants`` decides), but a subgraph node's
output still brings its new messages, whole, with the parent node's metadata.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, final

import attrs

from ..core.stream import StreamTarget
from ..core.types import Command
from ..messages import BaseMessage
from .run import BaseCallbackHandler, RunInfo

__all__ = ["StreamMessagesHandler", "NOSTREAM"]

NOSTREAM = "nostream"
"""A chat model run with this tag streams no tokens in ``messages`` mode."""

_NS_SEP = "|"


def _namespace(metadata: Mapping[str, Any]) -> tuple[str, ...]:
    checkpoint_ns = metadata.get("langgraph_checkpoint_ns")
    if not checkpoint_ns:
        return ()
    return tuple(checkpoint_ns.split(_NS_SEP))[:-1]


def _values(value: Any) -> Sequence[Any]:
    """A node output's top-level values (a dict's, or a dataclass/attrs instance's fields)."""
    if isinstance(value, Mapping):
        return list(value.values())
    if attrs.has(type(value)):
        return [getattr(value, f.name) for f in attrs.fields(type(value))]
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return [getattr(value, name) for name in fields]
    return ()


def _messages_in(value: Any) -> list[BaseMessage]:
    if isinstance(value, BaseMessage):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [item for item in value if isinstance(item, BaseMessage)]
    found: list[BaseMessage] = []
    for item in _values(value):
        if isinstance(item, BaseMessage):
            found.append(item)
        elif isinstance(item, Sequence) and not isinstance(item, str):
            found.extend(m for m in item if isinstance(m, BaseMessage))
    return found


def _output_messages(output: Any) -> list[BaseMessage]:
    if isinstance(output, Command):
        return _messages_in(output.update)
    if isinstance(output, Sequence) and not isinstance(output, str) and any(isinstance(v, Command) for v in output):
        found: list[BaseMessage] = []
        for value in output:
            found.extend(_messages_in(value.update if isinstance(value, Command) else value))
        return found
    return _messages_in(output)


@final
class StreamMessagesHandler(BaseCallbackHandler):
    """Feeds ``messages`` parts to one consumer's :class:`StreamTarget`."""

    streaming = True

    def __init__(self, target: StreamTarget) -> None:
        self.target = target
        self.seen: set[str] = set()
        self._open: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {}

    async def on_run_start(self, run: RunInfo, input: Any) -> None:
        if run.run_type == "chat_model":
            if NOSTREAM in run.tags:
                return
            namespace = _namespace(run.metadata)
            if not self.target.wants("messages", len(namespace)):
                return
            metadata = dict(run.metadata)
            user_tags = [tag for tag in run.tags if not tag.startswith("seq:step")]
            if user_tags:
                metadata["tags"] = user_tags
            self._open[run.run_id] = (namespace, metadata)
        elif run.kind == "node":
            namespace = _namespace(run.metadata)
            if not self.target.wants("messages", len(namespace)):
                return
            self._open[run.run_id] = (namespace, run.metadata)
            for message in _messages_in(input):
                if message.id is not None:
                    self.seen.add(message.id)

    async def on_llm_new_token(self, run: RunInfo, chunk: Any) -> None:
        meta = self._open.get(run.run_id)
        if meta is not None and isinstance(chunk, BaseMessage):
            await self._emit(meta, chunk, dedupe=False)

    async def on_run_end(self, run: RunInfo, output: Any, input: Any) -> None:
        meta = self._open.pop(run.run_id, None)
        if meta is None:
            return
        if run.run_type == "chat_model":
            if isinstance(output, BaseMessage):
                await self._emit(meta, output, dedupe=True)
            return
        for message in _output_messages(output):
            await self._emit(meta, message, dedupe=True)

    async def on_run_error(self, run: RunInfo, error: BaseException, input: Any, extra: dict[str, Any]) -> None:
        self._open.pop(run.run_id, None)

    async def _emit(self, meta: tuple[tuple[str, ...], dict[str, Any]], message: BaseMessage, *, dedupe: bool) -> None:
        if message.id is None:
            message.id = str(uuid.uuid4())
        elif dedupe and message.id in self.seen:
            return
        self.seen.add(message.id)
        namespace, metadata = meta
        await self.target.put(namespace, "messages", (message, metadata))
