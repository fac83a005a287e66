"""The two APIs a workload is built against, behind one small record.

A workload writes its graph once, as a function of a :class:`GraphApi`, and
builds it twice: against :func:`tributary_api` and against :func:`langgraph_api`.
The record holds only names both libraries share (LangGraph's and
LangChain's API is Tributary's contract), so "the same shape" is the same
code, not two copies that may drift apart.

Two things differ between the sides, and the record says how:

* how a stream is left: each side wraps what ``astream()`` /
  ``astream_events()`` returned in its own safe form (:attr:`GraphApi.safely`),
  so a consumer that stops early cancels the run on both;
* LangChain's ``FakeMessagesListChatModel`` only has a synchronous ``_generate``,
  which its ``ainvoke`` runs in a worker thread, and it refuses ``bind_tools``.
  LangGraph's side gets a subclass that replies natively async and accepts
  tools (the latter as LangGraph's own ``react_agent`` benchmark does), so both
  sides measure the runtime rather than a thread hop.

Each library is imported only when its side is asked for, so a process that
runs one side (the memory workload's children) carries nothing of the other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.metadata
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["GraphApi", "tributary_api", "langgraph_api", "version_of"]


@dataclasses.dataclass(frozen=True)
class GraphApi:
    """What a workload may use to build and run a graph.

    Attributes:
        name: "Tributary" or "LangGraph", as the table shows it.
        loop: the event loop its coroutines run under: ``"trio"`` or ``"asyncio"``.
        safely: ``safely(stream)`` — an async context manager around what
            ``astream()`` or ``astream_events()`` returned; it yields the iterator
            and cancels the run when left.
        the rest: the library's own objects of those names (``FakeMessagesListChatModel``
            is LangGraph's async subclass, see the module docstring).
    """

    name: str
    loop: str
    safely: Callable[[Any], Any]
    StateGraph: Any
    START: Any
    END: Any
    Send: Any
    get_stream_writer: Callable[[], Any]
    add_messages: Callable[..., Any]
    AIMessage: Any
    HumanMessage: Any
    GenericFakeChatModel: Any
    FakeMessagesListChatModel: Any
    tool: Callable[..., Any]
    create_react_agent: Callable[..., Any]


def _itself(stream: Any) -> Any:
    return stream


@functools.cache
def tributary_api() -> GraphApi:
    """Tributary's side."""
    import graphs
    import runtime

    return GraphApi(
        name="Tributary",
        loop="trio",
        safely=_itself,
        StateGraph=graphs.StateGraph,
        START=graphs.START,
        END=graphs.END,
        Send=graphs.Send,
        get_stream_writer=graphs.get_stream_writer,
        add_messages=graphs.add_messages,
        AIMessage=runtime.AIMessage,
        HumanMessage=runtime.HumanMessage,
        GenericFakeChatModel=runtime.GenericFakeChatModel,
        FakeMessagesListChatModel=runtime.FakeMessagesListChatModel,
        tool=runtime.tool,
        create_react_agent=graphs.create_react_agent,
    )


@functools.cache
def langgraph_api() -> GraphApi | None:
    """LangGraph's side, or ``None`` when it is not installed (``pip install -e ".[bench]"``)."""
    try:
        from langchain_core.language_models.fake_chat_models import (
            FakeMessagesListChatModel,
            GenericFakeChatModel,
        )
        from langchain_core.messages import AIMessage, HumanMessage
        from langchain_core.tools import tool
        from langgraph.config import get_stream_writer
        from langgraph.graph import END, START, StateGraph, add_messages
        from langgraph.prebuilt import create_react_agent
        from langgraph.types import Send
    except ImportError:
        return None

    class AsyncFakeMessagesListChatModel(FakeMessagesListChatModel):
        """``FakeMessagesListChatModel`` that replies without a thread hop and takes tools."""

        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            return self

        async def _agenerate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
            return self._generate(messages, stop=stop, **kwargs)

    def react_agent(model: Any, tools: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings():  # deprecated in favour of langchain's create_agent; same graph
            warnings.simplefilter("ignore")
            return create_react_agent(model, tools, **kwargs)

    return GraphApi(
        name="LangGraph",
        loop="asyncio",
        safely=contextlib.aclosing,
        StateGraph=StateGraph,
        START=START,
        END=END,
        Send=Send,
        get_stream_writer=get_stream_writer,
        add_messages=add_messages,
        AIMessage=AIMessage,
        HumanMessage=HumanMessage,
        GenericFakeChatModel=GenericFakeChatModel,
        FakeMessagesListChatModel=AsyncFakeMessagesListChatModel,
        tool=tool,
        create_react_agent=react_agent,
    )


def version_of(distribution: str) -> str | None:
    """The installed version of ``distribution``, or ``None``."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
