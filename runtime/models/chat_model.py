"""``BaseChatModel``: what a chat-model provider implements, and what it gets for free.

A provider implements one or both async hooks:

* ``_astream(messages, stop=None, **kwargs)`` — yield ``AIMessageChunk``s as
  tokens arrive (a streaming provider);
* ``_agenerate(messages, stop=None, **kwargs)`` — return the whole
  ``AIMessage`` (the default adds up ``_astream``'s chunks).

Everything else is shared: input coercion (a string, message-likes, or
anything with ``to_messages()``), the ``chat_model`` run and its events,
chunk ids (``lc_run--<run id>`` for a chunk without one), the closing
``chunk_position="last"`` chunk, and LangChain's rule that ``invoke`` streams
when a handler wants tokens (``astream_events``, a graph's ``messages`` mode)
so tokens show up exactly as with ``stream``. A model without ``_astream``
produces one whole message either way.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

import attrs

from ..core.config import RunnableConfig, ambient, ensure_config, in_config
from ..messages import AIMessage, AIMessageChunk, BaseMessage, convert_to_messages, message_chunk_to_message
from ..runnables.base import Runnable, RunnableBinding
from ..tools import convert_to_openai_tool
from ..tracing.scope import RunScope, begin_run

__all__ = ["BaseChatModel", "LC_ID_PREFIX"]

LC_ID_PREFIX = "lc_run-"
"""Message ids a model makes up start with this (LangChain's prefix)."""


class BaseChatModel(Runnable[Any, AIMessage]):
    """A chat model: messages in, an ``AIMessage`` out (streamed as ``AIMessageChunk``s).

    Args:
        disable_streaming: ``True`` never streams; ``"tool_calling"`` does not stream
            calls that pass ``tools``.
        tags: added to every run of this model.
        metadata: added to every run's metadata.
        name: the run name (default: the class name).
    """

    model_name: str | None = None
    """Reported as ``ls_model_name`` when set."""

    def __init__(
        self,
        *,
        disable_streaming: bool | Literal["tool_calling"] = False,
        tags: Sequence[str] | None = None,
        metadata: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.disable_streaming = disable_streaming
        self.tags = list(tags or ())
        self.metadata = dict(metadata or {})
        self.name = name

    # -- provider hooks -------------------------------------------------------------
    async def _astream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessageChunk]:
        """Yield the reply in chunks (implement in a streaming provider)."""
        raise NotImplementedError
        yield  # type: ignore[unreachable]  # pragma: no cover -- never runs; makes this an async generator, like the overrides

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> AIMessage:
        """Return the whole reply (by default, the sum of :meth:`_astream`'s chunks)."""
        if not self._implements_astream():
            raise NotImplementedError(f"{type(self).__name__} implements neither _agenerate nor _astream")
        chunks = [chunk async for chunk in self._astream(messages, stop=stop, **kwargs)]
        if not chunks:
            raise ValueError("No generation chunks were returned")
        return message_chunk_to_message(chunks[0] + chunks[1:] if len(chunks) > 1 else chunks[0])

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The ``ls_*`` metadata of a run (provider from the class name, as LangChain)."""
        provider = type(self).__name__
        if provider.startswith("Chat"):
            provider = provider[4:]
        elif provider.endswith("Chat"):
            provider = provider[:-4]
        params: dict[str, Any] = {"ls_provider": provider.lower(), "ls_model_type": "chat"}
        model = kwargs.get("model") or self.model_name
        if isinstance(model, str):
            params["ls_model_name"] = model
        if stop:
            params["ls_stop"] = stop
        return params

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        """This model with ``tools`` offered to it (providers that call tools implement it)."""
        raise NotImplementedError(f"{type(self).__name__} does not support tool calling")

    # -- the runnable -----------------------------------------------------------------
    def _implements_astream(self) -> bool:
        return type(self)._astream is not BaseChatModel._astream

    def _should_stream(self, kwargs: dict[str, Any]) -> bool:
        if not self._implements_astream() or self.disable_streaming is True:
            return False
        if self.disable_streaming == "tool_calling" and kwargs.get("tools"):
            return False
        return bool(kwargs.get("stream", True))

    def _convert_input(self, input: Any) -> list[BaseMessage]:
        if isinstance(input, (str, BaseMessage)):
            return convert_to_messages(input)
        to_messages = getattr(input, "to_messages", None)
        if callable(to_messages):
            return list(to_messages())
        if isinstance(input, Sequence):
            return convert_to_messages(list(input))
        raise ValueError(
            f"Invalid input type {type(input).__name__} for a chat model; "
            "give a str, a list of messages (or message-likes), or a prompt value"
        )

    def _begin(self, config: RunnableConfig | None, stop: list[str] | None, kwargs: dict[str, Any]) -> RunScope:
        config = ensure_config(config)
        if self.tags:
            tags = config.get("tags") or []
            config["tags"] = [*tags, *(t for t in self.tags if t not in tags)]
        metadata = {**self.metadata, "ls_integration": "langchain_chat_model", **self._get_ls_params(stop, **kwargs)}
        return begin_run(config, self.get_name(), "chat_model", metadata=metadata)

    async def ainvoke(
        self, input: Any, config: RunnableConfig | None = None, *, stop: list[str] | None = None, **kwargs: Any
    ) -> AIMessage:
        """The model's reply to ``input``."""
        messages = self._convert_input(input)
        scope = self._begin(config, stop, kwargs)
        async with scope.reporting({"messages": [messages]}) as report:
            if scope.streaming and self._should_stream(kwargs):
                chunks = [c async for c in self._chunks(messages, stop, scope, kwargs)]
                message = message_chunk_to_message(chunks[0] + chunks[1:] if len(chunks) > 1 else chunks[0])
            else:
                with ambient(scope.child_config()):
                    message = await self._agenerate(messages, stop=stop, **kwargs)
                if message.id is None:
                    message = attrs.evolve(message, id=f"{LC_ID_PREFIX}-{_run_id(scope)}-0")
            report.output = message
        return message

    async def _stream_chunks(
        self, input: Any, config: RunnableConfig | None, *, stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        if not self._should_stream(kwargs):
            yield await self.ainvoke(input, config, stop=stop, **kwargs)
            return
        messages = self._convert_input(input)
        scope = self._begin(config, stop, kwargs)
        chunks: list[AIMessageChunk] | None = [] if scope.traced else None
        async with scope.reporting({"messages": [messages]}) as report:
            async for chunk in self._chunks(messages, stop, scope, kwargs):
                if chunks is not None:
                    chunks.append(chunk)
                yield chunk
            if chunks:
                report.output = chunks[0] + chunks[1:] if len(chunks) > 1 else chunks[0]

    async def _chunks(
        self, messages: list[BaseMessage], stop: list[str] | None, scope: RunScope, kwargs: dict[str, Any]
    ) -> AsyncIterator[AIMessageChunk]:
        default_id = f"{LC_ID_PREFIX}-{_run_id(scope)}"
        last: AIMessageChunk | None = None
        async for chunk in in_config(self._astream(messages, stop=stop, **kwargs), scope.child_config()):
            if chunk.id is None:
                chunk.id = default_id
            await scope.token(chunk)
            last = chunk
            yield chunk
        if last is None:
            raise ValueError("No generation chunks were returned")
        if not last.chunk_position:
            end = AIMessageChunk("" if isinstance(last.content, str) else [], chunk_position="last", id=default_id)
            await scope.token(end)
            yield end


def _run_id(scope: RunScope) -> str:
    return scope.run.run_id if scope.run is not None else str(uuid.uuid4())


def bind_tools_loosely(model: BaseChatModel, tools: Sequence[Any], **kwargs: Any) -> RunnableBinding[Any, AIMessage]:
    """``model`` bound to the tools' OpenAI-style schemas (what the fakes' ``bind_tools`` does)."""
    return model.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)
