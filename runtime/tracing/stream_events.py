"""``astream_events(version="v2")``: the whole run tree as a stream of event dicts.

The runnable runs in streaming mode (its ``produce`` coroutine) in the producer
task of a :class:`~runtime.core.safe_stream.SafeStream` (so the stream is as safe to
leave as ``astream()``), with an :class:`EventStreamHandler` added to its
callbacks and its ``run_id`` fixed so the handler knows which run is the root. Every run
reports straight into the consumer's mailbox — there is no relay task — in the
order things happen.

Graphs add their own stream parts to the same mailbox (their ``StreamTarget``
shares it), so a graph's root ``on_chain_stream`` events (the items
``astream()`` would yield) keep their place among the node events; the
consumer side turns each part into that event.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from actors import Mailbox

from ..core.config import RunnableConfig, ensure_config
from ..core.safe_stream import SafeStream
from .events import EventFilter, EventStreamHandler

__all__ = ["astream_events", "EVENT_BUFFER"]

EVENT_BUFFER = 1024
"""Events the consumer's mailbox holds before the reporting runs wait.

Producing an event costs about a microsecond and a model streams thousands of
tokens, so a bound is what keeps a slow consumer (a websocket, a UI) from
letting a fast run buffer its whole trace; 1024 is the graph stream's bound,
large enough that a consumer draining in batches rarely makes a run wait."""


def astream_events(
    produce: Callable[[RunnableConfig, EventStreamHandler], Awaitable[None]],
    input: Any,
    config: RunnableConfig | None,
    *,
    version: str,
    include_names: Sequence[str] | None,
    include_types: Sequence[str] | None,
    include_tags: Sequence[str] | None,
    exclude_names: Sequence[str] | None,
    exclude_types: Sequence[str] | None,
    exclude_tags: Sequence[str] | None,
) -> SafeStream[dict[str, Any]]:
    """The event stream of ``await produce(config, handler)``, a runnable run on ``input``
    with ``config`` carrying ``handler`` (see ``Runnable.astream_events``)."""
    mailbox: Mailbox[Any] = Mailbox(EVENT_BUFFER)
    problem: Exception | None = None
    event_filter: EventFilter | None = None
    try:
        if version != "v2":
            raise ValueError(f"astream_events supports version='v1' and 'v2', got version={version!r}")
        event_filter = EventFilter.of(
            include_names=include_names, include_types=include_types, include_tags=include_tags,
            exclude_names=exclude_names, exclude_types=exclude_types, exclude_tags=exclude_tags,
        )
    except (TypeError, ValueError) as error:  # raised lazily, at the first item, like astream()
        problem = error
    handler = EventStreamHandler(mailbox, input, event_filter)
    async def run() -> None:
        if problem is not None:
            raise problem
        run_config = ensure_config(config)
        run_id = run_config.get("run_id") or uuid.uuid4()
        run_config["run_id"] = run_id
        handler.root_run_id = str(run_id)
        callbacks = run_config.get("callbacks")
        if callbacks is None:
            run_config["callbacks"] = [handler]
        elif isinstance(callbacks, list):
            run_config["callbacks"] = [*callbacks, handler]
        else:
            run_config["callbacks"] = [callbacks, handler]
        await produce(run_config, handler)

    def to_event(item: Any) -> Any:
        if type(item) is dict:
            return item
        # A graph's stream part: the root's on_chain_stream in the shape astream() yields.
        event = handler.root_stream_event(handler.part_shape(item))
        return SafeStream.SKIP if event is None else event

    return SafeStream(run, mailbox, to_event)

