"""Runs, the handlers that watch them, and how a child finds its parent.

A *run* is one execution of a runnable (a chain, chat model, tool, parser,
retriever, graph or graph node). When at least one callback handler is
attached, every run gets a :class:`RunInfo` record — id, name, type, tags,
metadata and its parent run — and each handler hears about its start, the
chunks it streams, the tokens a chat model produces, its end or error, and the
custom events dispatched inside it.

How a child finds its parent: a run hands its children a config whose
``callbacks`` entry is a :class:`CallbackManager` naming the handlers, the run
itself as ``parent``, and optionally a one-generation ``tag`` (``seq:step:2``,
``graph:step:1``) that the direct child puts first in its tags and does not pass
on. That config travels the usual way — explicitly, or as the ambient config in
the ``ContextVar`` of :mod:`runtime.core.config`, which trio copies into child tasks
and worker threads — so nested runs attach to the right parent without anyone
passing ``config`` by hand.

``config["callbacks"]`` may also be a handler, a list of handlers (LangChain-style
``AsyncCallbackHandler``s stand in through their adapter), or a list mixing
handlers and managers (what merging a caller's config over the ambient
one produces). :func:`resolve_callbacks` flattens it: handlers are de-duplicated
by identity, and the *last* manager names the parent and the tag.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Final

import attrs

__all__ = [
    "BaseCallbackHandler",
    "CallbackManager",
    "NO_INPUT",
    "RunInfo",
    "resolve_callbacks",
]


class _NoInput:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_INPUT"


NO_INPUT: Final[Any] = _NoInput()
"""Marks a start event whose input is not known yet (a run that transforms a stream)."""


@attrs.define(slots=True, eq=False, repr=False)
class RunInfo:
    """One traced run.

    Attributes:
        run_id: a UUID string, unique per run.
        name: what events call the run (``run_name`` from the config, else the runnable's name).
        run_type: ``chain``, ``chat_model``, ``tool``, ``parser``, ``retriever``, ``prompt``…
        tags: the run's tags, its own one-generation tag first.
        metadata: inherited config metadata plus what the runnable adds.
        parent: the run this one was started in, ``None`` for a root run.
        handlers: who hears about this run.
        kind: ``"node"`` for a graph node's run, ``"graph"`` for a graph's run, else ``""``.
        inputs: the input the run started with (``NO_INPUT`` while a streamed input is incomplete).
        streamed_own_events: the run has emitted its own stream events.
        finished: the run has ended or failed.
    """

    run_id: str
    name: str
    run_type: str
    tags: list[str]
    metadata: dict[str, Any]
    parent: RunInfo | None
    handlers: tuple[BaseCallbackHandler, ...]
    kind: str = ""
    inputs: Any = NO_INPUT
    streamed_own_events: bool = False
    finished: bool = False
    _parent_ids: list[str] | None = None

    @property
    def parent_ids(self) -> list[str]:
        """The ids of the run's ancestors, root first (computed once)."""
        ids = self._parent_ids
        if ids is None:
            ids = []
            parent = self.parent
            while parent is not None:
                ids.append(parent.run_id)
                parent = parent.parent
            ids.reverse()
            self._parent_ids = ids
        return ids

    def __repr__(self) -> str:
        return f"<RunInfo {self.run_type} {self.name!r} {self.run_id}>"


@attrs.frozen(slots=True)
class CallbackManager:
    """What a run hands its children in ``config["callbacks"]``.

    Attributes:
        handlers: every handler watching the run tree.
        parent: the run the children belong to.
        tag: put first in the tags of a direct child only (``seq:step:N``).
    """

    handlers: tuple[BaseCallbackHandler, ...]
    parent: RunInfo | None = None
    tag: str | None = None


class BaseCallbackHandler:
    """Receives the lifecycle of every run in the tree it is attached to.

    Handlers are attached with ``config={"callbacks": [handler]}`` and inherited
    by every nested run. All methods run on the trio thread and may await (that
    is how a slow consumer holds producers back); the defaults do nothing.
    """

    streaming: ClassVar[bool] = False
    """``True`` makes a chat model's ``invoke`` stream its tokens (as LangChain does
    for its event-stream and ``messages``-mode handlers)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A handler ported from LangChain defines LangChain's methods, which this class
        # would never call: say so when the class is defined, not by silence at run time.
        super().__init_subclass__(**kwargs)
        langchain_only = sorted(name for name in _LANGCHAIN_METHODS if name in vars(cls))
        new_token = vars(cls).get("on_llm_new_token")
        if new_token is not None and "token" in getattr(new_token, "__code__", _NO_CODE).co_varnames[:2]:
            langchain_only.append("on_llm_new_token(token, ...)")
        if langchain_only:
            raise TypeError(
                f"{cls.__name__} defines LangChain callback methods ({', '.join(langchain_only)}) that a "
                "Tributary BaseCallbackHandler never calls; subclass runtime.tracing.AsyncCallbackHandler "
                "(LangChain's methods, sync or async), or implement on_run_start / on_run_end / ..."
            )

    async def on_run_start(self, run: RunInfo, input: Any) -> None:
        """``run`` started; ``input`` is ``NO_INPUT`` for a run that consumes a stream."""

    async def on_run_stream(self, run: RunInfo, chunk: Any) -> None:
        """``run`` produced an output chunk."""

    async def on_llm_new_token(self, run: RunInfo, chunk: Any) -> None:
        """Chat model ``run`` produced a message chunk."""

    async def on_run_end(self, run: RunInfo, output: Any, input: Any) -> None:
        """``run`` ended with ``output``; ``input`` is the whole input it consumed."""

    async def on_run_error(self, run: RunInfo, error: BaseException, input: Any, extra: dict[str, Any]) -> None:
        """``run`` failed with ``error``; ``extra`` carries type-specific data (``tool_call_id``)."""

    async def on_custom_event(
        self, run: RunInfo, name: str, data: Any, tags: list[str], metadata: dict[str, Any]
    ) -> None:
        """``dispatch_custom_event(name, data)`` was called inside ``run``."""


_LANGCHAIN_METHODS = frozenset((
    "on_chat_model_start", "on_llm_start", "on_llm_end", "on_llm_error", "on_chain_start", "on_chain_end",
    "on_chain_error", "on_tool_start", "on_tool_end", "on_tool_error", "on_retriever_start", "on_retriever_end",
    "on_retriever_error", "on_text", "on_retry", "on_agent_action", "on_agent_finish",
))
_NO_CODE = (lambda: None).__code__


def resolve_callbacks(callbacks: Any) -> CallbackManager | None:
    """Flatten ``config["callbacks"]`` into one manager; ``None`` when no handler is attached."""
    if callbacks is None:
        return None
    if type(callbacks) is CallbackManager:
        return callbacks if callbacks.handlers else None
    if isinstance(callbacks, BaseCallbackHandler):
        return CallbackManager((callbacks,))
    adapt = getattr(callbacks, "_as_run_handler", None)
    if adapt is not None:  # a LangChain-style handler (tracing.langchain_handlers)
        return CallbackManager((adapt(),))
    if not isinstance(callbacks, Sequence) or isinstance(callbacks, str):
        raise TypeError(
            f"config['callbacks'] must be a callback handler or a list of them, got {type(callbacks).__name__}"
        )
    handlers: list[BaseCallbackHandler] = []
    parent: RunInfo | None = None
    tag: str | None = None
    for item in callbacks:
        if type(item) is CallbackManager:
            parent, tag = item.parent, item.tag
            candidates: Sequence[BaseCallbackHandler] = item.handlers
        elif isinstance(item, BaseCallbackHandler):
            candidates = (item,)
        elif hasattr(item, "_as_run_handler"):
            candidates = (item._as_run_handler(),)
        elif item is None:
            continue
        else:
            raise TypeError(f"config['callbacks'] holds {item!r}, which is not a callback handler")
        for handler in candidates:
            if not any(handler is seen for seen in handlers):
                handlers.append(handler)
    if not handlers:
        return None
    return CallbackManager(tuple(handlers), parent, tag)
