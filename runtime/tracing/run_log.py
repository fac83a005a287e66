"""``astream_log``: a run's progress as JSON Patch operations on a run log.

As langchain-core's: the log is a :class:`RunState` dict — the root run's ``id``,
``name``, ``type``, its ``streamed_output`` (every chunk the caller would get
from ``astream``) and ``final_output`` (their sum so far), and ``logs``, one
:class:`LogEntry` per run inside it that passes the filters, keyed by run name
(``name:2``, ``name:3`` … for later runs of the same name). Each
:class:`RunLogPatch` holds the operations one change makes:

* the first replaces the whole log (path ``""``) with the root's empty state;
* a run starting adds ``/logs/<key>``; its chunks add ``/logs/<key>/streamed_output/-``
  (a chat model's tokens also ``/logs/<key>/streamed_output_str/-``); its end adds
  ``/logs/<key>/final_output`` and ``/logs/<key>/end_time``;
* each chunk of the root adds ``/streamed_output/-`` and the change to ``/final_output``.

``patch + patch`` is a :class:`RunLog` with the ``state`` the operations build,
and adding further patches to it applies them. The log has two shapes, as in
langchain-core: ``"original"`` (``astream_log``: a chat model is an ``llm`` run,
an output that is not a dict is ``{"output": value}``, a run's inputs are not
logged) and ``"streaming_events"`` (what ``astream_events(version="v1")`` is
built on: outputs as they are, ``inputs`` logged).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pprint import pformat
from typing import Any, Literal, NotRequired, TypedDict

from actors import Mailbox

from ..core.config import RunnableConfig, ensure_config
from ..core.safe_stream import SafeStream
from ..messages import BaseMessage, BaseMessageChunk
from . import json_patch
from .events import EventFilter
from .run import NO_INPUT, BaseCallbackHandler, RunInfo

__all__ = ["LogEntry", "LogStreamHandler", "RunLog", "RunLogPatch", "RunState", "astream_log", "produce_run_log"]

LogSchema = Literal["original", "streaming_events"]

Send = Callable[["RunLogPatch"], Awaitable[None]]

OpenStream = Callable[[RunnableConfig], AbstractAsyncContextManager[Any]]
"""Opens the runnable's ``astream`` with a given config (``async with open(config) as chunks``)."""


class LogEntry(TypedDict):
    """One run inside the root run."""

    id: str
    name: str
    type: str
    tags: list[str]
    metadata: dict[str, Any]
    start_time: str
    """ISO-8601, milliseconds."""
    streamed_output_str: list[str]
    """A chat model's tokens as text."""
    streamed_output: list[Any]
    inputs: NotRequired[Any]
    """Only in the ``streaming_events`` shape; ``None`` while not known."""
    final_output: Any
    end_time: str | None


class RunState(TypedDict):
    """The whole log: the root run and the runs inside it."""

    id: str
    streamed_output: list[Any]
    final_output: Any
    name: str
    type: str
    logs: dict[str, LogEntry]


class RunLogPatch:
    """The JSON Patch operations of one change to the run log (``ops``)."""

    ops: list[dict[str, Any]]

    def __init__(self, *ops: dict[str, Any]) -> None:
        self.ops = list(ops)

    def __add__(self, other: Any) -> RunLog:
        if type(other) is RunLogPatch:
            ops = self.ops + other.ops
            return RunLog(*ops, state=json_patch.apply(None, copy.deepcopy(ops)))
        return NotImplemented

    def __repr__(self) -> str:
        return f"RunLogPatch({pformat(self.ops)[1:-1]})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunLogPatch) and self.ops == other.ops

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value


class RunLog(RunLogPatch):
    """Patches added up: their operations and the ``state`` they build."""

    state: RunState

    def __init__(self, *ops: dict[str, Any], state: RunState) -> None:
        super().__init__(*ops)
        self.state = state

    def __add__(self, other: Any) -> RunLog:
        if type(other) is RunLogPatch:
            state = json_patch.apply(copy.deepcopy(self.state), other.ops)
            return RunLog(*self.ops, *other.ops, state=state)
        return NotImplemented

    def __repr__(self) -> str:
        return f"RunLog({pformat(self.state)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunLog) and self.state == other.state and self.ops == other.ops


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict) else ""
            for part in content
        )
    return ""


def llm_result(message: Any) -> dict[str, Any]:
    """A chat model's output in the shape of langchain-core's ``LLMResult`` dict."""
    if not isinstance(message, BaseMessage):
        return {"generations": [], "llm_output": None, "run": None, "type": "LLMResult"}
    generation = {
        "text": _text(message.content),
        "generation_info": None,
        "type": "ChatGenerationChunk" if isinstance(message, BaseMessageChunk) else "ChatGeneration",
        "message": message,
    }
    return {"generations": [[generation]], "llm_output": None, "run": None, "type": "LLMResult"}


class LogStreamHandler(BaseCallbackHandler):
    """Turns the callbacks of a run tree into :class:`RunLogPatch` es handed to ``send``.

    Args:
        send: called with each patch, in the order things happen.
        filter: which inner runs get a log entry (``None``: all).
        schema: ``"original"`` or ``"streaming_events"`` (see the module docstring).
    """

    streaming = True

    def __init__(self, send: Send, filter: EventFilter | None, schema: LogSchema = "original") -> None:
        self._send = send
        self.filter = filter
        self.schema = schema
        self.root_id: str | None = None
        self._keys: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def _type(self, run: RunInfo) -> str:
        # langchain-core's original log format knows chat models as llm runs.
        return "llm" if run.run_type == "chat_model" and self.schema == "original" else run.run_type

    def _includes(self, run: RunInfo) -> bool:
        flt = self.filter
        return flt is None or flt.include(run.name, self._type(run), run.tags)

    def _output(self, run: RunInfo, output: Any) -> Any:
        if run.run_type == "chat_model":
            return llm_result(output)
        if self.schema == "original" and not isinstance(output, dict):
            return {"output": output}
        return output

    async def start_root(self, run_id: str, name: str, run_type: str) -> None:
        """Begin the log with the root run's empty state."""
        self.root_id = run_id
        state = RunState(id=run_id, streamed_output=[], final_output=None, logs={}, name=name, type=run_type)
        await self._send(RunLogPatch({"op": "replace", "path": "", "value": state}))

    async def on_run_start(self, run: RunInfo, input: Any) -> None:
        if self.root_id is None:
            await self.start_root(run.run_id, run.name, self._type(run))
            return
        if not self._includes(run):
            return
        count = self._counts[run.name] = self._counts.get(run.name, 0) + 1
        key = self._keys[run.run_id] = json_patch.escape(run.name if count == 1 else f"{run.name}:{count}")
        entry = LogEntry(
            id=run.run_id, name=run.name, type=self._type(run), tags=list(run.tags), metadata=dict(run.metadata),
            start_time=_now(), streamed_output=[], streamed_output_str=[], final_output=None, end_time=None,
        )
        if self.schema == "streaming_events":
            entry["inputs"] = None if input is NO_INPUT else input
        await self._send(RunLogPatch({"op": "add", "path": f"/logs/{key}", "value": entry}))

    async def on_run_stream(self, run: RunInfo, chunk: Any) -> None:
        key = self._keys.get(run.run_id)
        if key is not None:
            await self._send(RunLogPatch({"op": "add", "path": f"/logs/{key}/streamed_output/-", "value": chunk}))

    async def on_llm_new_token(self, run: RunInfo, chunk: Any) -> None:
        key = self._keys.get(run.run_id)
        if key is not None:
            token = _text(getattr(chunk, "content", chunk))
            await self._send(RunLogPatch(
                {"op": "add", "path": f"/logs/{key}/streamed_output_str/-", "value": token},
                {"op": "add", "path": f"/logs/{key}/streamed_output/-", "value": chunk},
            ))

    async def _finish(self, run: RunInfo, output: Any, input: Any) -> None:
        key = self._keys.get(run.run_id)
        if key is None:
            return
        ops: list[dict[str, Any]] = []
        if self.schema == "streaming_events":
            ops.append({"op": "replace", "path": f"/logs/{key}/inputs", "value": None if input is NO_INPUT else input})
        ops.append({"op": "add", "path": f"/logs/{key}/final_output", "value": output})
        ops.append({"op": "add", "path": f"/logs/{key}/end_time", "value": _now()})
        await self._send(RunLogPatch(*ops))

    async def on_run_end(self, run: RunInfo, output: Any, input: Any) -> None:
        await self._finish(run, self._output(run, output), input)

    async def on_run_error(self, run: RunInfo, error: BaseException, input: Any, extra: dict[str, Any]) -> None:
        # As langchain-core: a failed run is finished with no output.
        await self._finish(run, None, input)


async def produce_run_log(
    open_stream: OpenStream,
    config: RunnableConfig | None,
    send: Send,
    *,
    root_name: str,
    filter: EventFilter | None,
    schema: LogSchema,
    with_streamed_output_list: bool,
) -> None:
    """Run the runnable (``open_stream``) with a :class:`LogStreamHandler` attached,
    handing every patch — the handler's and the root output's — to ``send``.

    A runnable that reports no run of its own still gets a root (a ``chain``
    named ``root_name``), so the log always has a state."""
    handler = LogStreamHandler(send, filter, schema)
    run_config = ensure_config(config)
    callbacks = run_config.get("callbacks")
    if callbacks is None:
        run_config["callbacks"] = [handler]
    elif isinstance(callbacks, list):
        run_config["callbacks"] = [*callbacks, handler]
    else:
        run_config["callbacks"] = [callbacks, handler]
    final: Any = None
    async with open_stream(run_config) as chunks:
        async for chunk in chunks:
            if handler.root_id is None:
                await handler.start_root(str(uuid.uuid4()), root_name, "chain")
            previous = final
            if final is None:
                final = chunk
            else:
                try:
                    final = final + chunk
                except TypeError:
                    previous, final = None, chunk
            ops: list[dict[str, Any]] = []
            if with_streamed_output_list:
                # A copy: the log must not share the chunk with final_output.
                ops.append({"op": "add", "path": "/streamed_output/-", "value": copy.deepcopy(chunk)})
            ops.extend(json_patch.diff(previous, final, "/final_output"))
            await send(RunLogPatch(*ops))
    if handler.root_id is None:
        await handler.start_root(str(uuid.uuid4()), root_name, "chain")


def astream_log(
    open_stream: OpenStream,
    config: RunnableConfig | None,
    *,
    root_name: str,
    diff: bool,
    with_streamed_output_list: bool,
    buffer: int,
    include_names: Sequence[str] | None,
    include_types: Sequence[str] | None,
    include_tags: Sequence[str] | None,
    exclude_names: Sequence[str] | None,
    exclude_types: Sequence[str] | None,
    exclude_tags: Sequence[str] | None,
) -> SafeStream[RunLogPatch]:
    """The patches of one run (``diff=True``) or the :class:`RunLog` after each (``diff=False``)."""
    mailbox: Mailbox[Any] = Mailbox(buffer)
    event_filter = EventFilter.of(
        include_names=include_names, include_types=include_types, include_tags=include_tags,
        exclude_names=exclude_names, exclude_types=exclude_types, exclude_tags=exclude_tags,
    )

    async def send(patch: RunLogPatch) -> None:
        if not mailbox.put_nowait(patch):
            await mailbox.put(patch)

    async def run() -> None:
        await produce_run_log(
            open_stream, config, send, root_name=root_name, filter=event_filter, schema="original",
            with_streamed_output_list=with_streamed_output_list,
        )

    if diff:
        return SafeStream(run, mailbox)
    total: list[RunLog] = []

    def accumulate(patch: RunLogPatch) -> RunLog:
        log = total[0] + patch if total else RunLog(state=None) + patch  # type: ignore[arg-type]  # starts empty
        total[:] = [log]
        return log

    return SafeStream(run, mailbox, accumulate)
