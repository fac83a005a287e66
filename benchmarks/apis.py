"""The two graph APIs a workload is built against, behind one small record.

A workload writes its graph once, as a function of a :class:`GraphApi`, and
builds it twice: against :func:`tributary_api` and against :func:`langgraph_api`.
The record holds only the names both libraries share (LangGraph's API is
Tributary's contract), so "the same shape" is the same code, not two copies
that may drift apart.

The one place the two differ is how a stream is left: each side uses its own
safe form (:meth:`GraphApi.open_stream`), so a consumer that stops early
cancels the run on both.

Each library is imported only when its side is asked for, so a process that
runs one side (the memory workload's children) carries nothing of the other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.metadata
from collections.abc import Callable
from typing import Any

__all__ = ["GraphApi", "tributary_api", "langgraph_api", "version_of"]


@dataclasses.dataclass(frozen=True)
class GraphApi:
    """What a workload may use to build and run a graph.

    Attributes:
        name: "Tributary" or "LangGraph", as the table shows it.
        loop: the event loop its coroutines run under: ``"trio"`` or ``"asyncio"``.
        StateGraph / START / END / Send / get_stream_writer: the library's own objects.
        open_stream: ``open_stream(graph, input, **kwargs)`` — an async context
            manager around ``graph.astream(input, **kwargs)`` that yields the
            iterator and cancels the run when left.
    """

    name: str
    loop: str
    StateGraph: Any
    START: Any
    END: Any
    Send: Any
    get_stream_writer: Callable[[], Any]
    open_stream: Callable[..., Any]


def _tributary_stream(graph: Any, input: Any, **kwargs: Any) -> Any:
    return graph.astream(input, **kwargs)


def _langgraph_stream(graph: Any, input: Any, **kwargs: Any) -> Any:
    return contextlib.aclosing(graph.astream(input, **kwargs))


@functools.cache
def tributary_api() -> GraphApi:
    """Tributary's side."""
    import graphs

    return GraphApi(
        name="Tributary",
        loop="trio",
        StateGraph=graphs.StateGraph,
        START=graphs.START,
        END=graphs.END,
        Send=graphs.Send,
        get_stream_writer=graphs.get_stream_writer,
        open_stream=_tributary_stream,
    )


@functools.cache
def langgraph_api() -> GraphApi | None:
    """LangGraph's side, or ``None`` when it is not installed (``pip install -e ".[bench]"``)."""
    try:
        from langgraph.config import get_stream_writer
        from langgraph.graph import END, START, StateGraph
        from langgraph.types import Send
    except ImportError:
        return None
    return GraphApi(
        name="LangGraph",
        loop="asyncio",
        StateGraph=StateGraph,
        START=START,
        END=END,
        Send=Send,
        get_stream_writer=get_stream_writer,
        open_stream=_langgraph_stream,
    )


def version_of(distribution: str) -> str | None:
    """The installed version of ``distribution``, or ``None``."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
