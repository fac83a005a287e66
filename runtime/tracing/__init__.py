"""The callback → event pipeline: runs, handlers, ``astream_events`` and ``messages`` mode.

See :mod:`runtime.tracing.run` for how runs find their parents and
:mod:`runtime.tracing.scope` for how a runnable reports its run.
"""

from .custom import adispatch_custom_event, dispatch_custom_event
from .events import EventFilter, EventStreamHandler
from .langchain_handlers import AsyncCallbackHandler
from .messages import NOSTREAM, StreamMessagesHandler
from .run_log import LogEntry, LogStreamHandler, RunLog, RunLogPatch, RunState
from .run import NO_INPUT, BaseCallbackHandler, CallbackManager, RunInfo, resolve_callbacks
from .scope import (
    RunReport,
    RunScope,
    begin_run,
    has_handlers,
    is_control_flow,
)
from .stream_events import EVENT_BUFFER, astream_events

__all__ = [
    "EVENT_BUFFER",
    "NOSTREAM",
    "NO_INPUT",
    "AsyncCallbackHandler",
    "BaseCallbackHandler",
    "CallbackManager",
    "EventFilter",
    "EventStreamHandler",
    "LogEntry",
    "LogStreamHandler",
    "RunInfo",
    "RunLog",
    "RunLogPatch",
    "RunReport",
    "RunScope",
    "RunState",
    "StreamMessagesHandler",
    "adispatch_custom_event",
    "astream_events",
    "begin_run",
    "dispatch_custom_event",
    "has_handlers",
    "is_control_flow",
    "resolve_callbacks",
]
