"""``astream_events(version="v1")``: events read off the run log, as langchain-core does.

v1 is built on ``astream_log`` (its ``streaming_events`` shape): each patch is
applied to the log, and every log entry it touched becomes one event —
``on_<type>_start`` when the entry appears (with ``data.input`` only if the run
knew its input), ``on_<type>_stream`` per chunk (``data.chunk``), and
``on_<type>_end`` with ``data.input`` (if known) and ``data.output``. How v1
differs from v2:

* ``parent_ids`` is always ``[]``; there are no error events and no custom events;
* the root run's events carry the config's tags and metadata (not the run's),
  its start always carries what the caller passed in, and its end no input;
  the filters apply to the root's events by the root's name and tags;
* a chat model's end output is langchain-core's ``LLMResult`` dict
  (``{"generations": [[{"text", "generation_info", "type", "message"}]], …}``);
* the root's stream events are the chunks the caller would get from ``astream``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from actors import Mailbox

from ..core.config import RunnableConfig, ensure_config
from ..core.safe_stream import SafeStream
from . import json_patch
from .events import EventFilter
from .run_log import OpenStream, RunLogPatch, produce_run_log

__all__ = ["astream_events_v1"]


def astream_events_v1(
    open_stream: OpenStream,
    input: Any,
    config: RunnableConfig | None,
    *,
    root_name: str,
    buffer: int,
    include_names: Sequence[str] | None,
    include_types: Sequence[str] | None,
    include_tags: Sequence[str] | None,
    exclude_names: Sequence[str] | None,
    exclude_types: Sequence[str] | None,
    exclude_tags: Sequence[str] | None,
) -> SafeStream[dict[str, Any]]:
    """The v1 event stream of the run ``open_stream`` starts on ``input``."""
    mailbox: Mailbox[Any] = Mailbox(buffer)
    event_filter = EventFilter.of(
        include_names=include_names, include_types=include_types, include_tags=include_tags,
        exclude_names=exclude_names, exclude_types=exclude_types, exclude_tags=exclude_tags,
    )
    log: dict[str, Any] = {}
    root: dict[str, Any] = {}  # the config's name, tags and metadata, set when the run begins

    def root_event(kind: str, data: dict[str, Any]) -> dict[str, Any] | None:
        state = log["state"]
        name, tags = root["name"], root["tags"]
        if event_filter is not None and not event_filter.include(name, state["type"], tags):
            return None
        return {
            "event": f"on_{state['type']}_{kind}", "run_id": state["id"], "name": name,
            "tags": tags, "metadata": root["metadata"], "data": data, "parent_ids": [],
        }

    async def put(event: dict[str, Any] | None) -> None:
        if event is not None and not mailbox.put_nowait(event):
            await mailbox.put(event)

    async def send(patch: RunLogPatch) -> None:
        # The log is only ours: apply in place, but to copies of the values, which
        # the runs still hold (a first chunk becomes the final output, which later
        # operations change). Events are built before any wait, so concurrent runs
        # reporting cannot see a half-applied log.
        started = "state" in log
        log["state"] = json_patch.apply(log.get("state"), copy.deepcopy(patch.ops))
        state = log["state"]
        events = [] if started else [root_event("start", {"input": input})]
        keys: dict[str, None] = {}
        for op in patch.ops:
            path = op["path"]
            if path.startswith("/logs/"):
                keys[path.split("/")[2]] = None
        for escaped in keys:
            entry = state["logs"][escaped.replace("~1", "/").replace("~0", "~")]
            data: dict[str, Any] = {}
            if entry["end_time"] is not None:
                kind = "end"
                if entry.get("inputs") is not None:
                    data["input"] = entry["inputs"]
                data["output"] = entry["final_output"]
            elif entry["streamed_output"]:
                kind = "stream"
                data = {"chunk": entry["streamed_output"][0]}
                entry["streamed_output"] = []
            else:
                kind = "start"
                if entry.get("inputs") is not None:
                    data["input"] = entry["inputs"]
            events.append({
                "event": f"on_{entry['type']}_{kind}", "name": entry["name"], "run_id": entry["id"],
                "tags": entry["tags"], "metadata": entry["metadata"], "data": data, "parent_ids": [],
            })
        if state["streamed_output"]:
            chunk = state["streamed_output"][0]
            state["streamed_output"] = []
            events.append(root_event("stream", {"chunk": chunk}))
        for event in events:
            await put(event)

    async def run() -> None:
        run_config = ensure_config(config)  # here, so a bad config is raised at the first item
        root.update(
            name=run_config.get("run_name") or root_name,
            tags=run_config.get("tags", []),
            metadata=run_config.get("metadata", {}),
        )
        await produce_run_log(
            open_stream, run_config, send, root_name=root_name, filter=event_filter, schema="streaming_events",
            with_streamed_output_list=True,
        )
        await put(root_event("end", {"output": log["state"]["final_output"]}))

    return SafeStream(run, mailbox)
