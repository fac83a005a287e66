"""``BaseChatModel``: what a chat-model provider implements, and what it gets for free.

A provider implements one or both async hooks:

* ``_astream(messages, stop=None, **kwargs)`` — yield ``AIMessageChunk``s as
  tokens arrive (a streaming provider);
* ``_agenerate(messages, stop=None, **kwargs)`` — return the whole
  ``AIMessage`` (the default adds up ``_astream``'s chunks).

A model written LangChain's way works too: sync ``_generate(messages, stop=None,
run_manager=None, **kwargs)`` returning a ``ChatResult`` and/or ``_stream(...)``
yielding ``ChatGenerationChunk``s (both run in a worker thread), or async
``_agenerate`` / ``_astream`` returning / yielding those; ``generation_info``
and ``llm_output`` join the message's ``response_metadata`` as in LangChain.
Class attributes declared on the subclass (``temperature: float = 0.0``) are
set by keyword arguments of the constructor, as LangChain's pydantic fields are.

Everything else is shared: input coercion (a string, message-likes, or
anything with ``to_messages()``), the ``chat_model`` run and its events,
chunk ids (``lc_run--<run id>`` for a chunk without one), the closing
``chunk_position="last"`` chunk, and LangChain's rule that ``invoke`` streams
when a handler wants tokens (``astream_events``, a graph's ``messages`` mode)
so tokens show up exactly as with ``stream``. A model without ``_astream``
produces one whole message either way.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

import attrs
import trio

from ..core.callables import is_users, iterate_on_host_loop, on_host_loop, sync_iterate
from ..core.config import RunnableConfig, ambient, current_config, ensure_config, in_config
from ..messages import LC_ID_PREFIX, AIMessage, AIMessageChunk, BaseMessage, convert_to_messages, message_chunk_to_message
from ..runnables.base import Runnable, RunnableBinding
from ..tools import convert_to_openai_tool
from ..tracing.scope import RunScope, begin_run
from .outputs import ChatGenerationChunk, ChatResult

__all__ = ["BaseChatModel", "LC_ID_PREFIX"]



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
        **fields: Any,
    ) -> None:
        self.disable_streaming = disable_streaming
        self.tags = list(tags or ())
        self.metadata = dict(metadata or {})
        self.name = name
        _set_declared_fields(self, fields)

    # -- provider hooks -------------------------------------------------------------
    async def _astream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessageChunk]:
        """Yield the reply in chunks (implement in a streaming provider)."""
        raise NotImplementedError
        yield  # type: ignore[unreachable]  # pragma: no cover -- never runs; makes this an async generator, like the overrides

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> AIMessage:
        """Return the whole reply (by default, the sum of the streamed chunks)."""
        if not self._implements_astream():
            raise NotImplementedError(f"{type(self).__name__} implements neither _agenerate nor _astream")
        chunks = [_chunk_of(c) async for c in self._provider_chunks(messages, stop, kwargs, current_config() or {})]
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
        cls = type(self)
        return cls._astream is not BaseChatModel._astream or _overrides(cls, "_stream")

    async def _generate_message(self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]) -> AIMessage:
        """The whole reply, from whichever hook the model implements."""
        cls = type(self)
        if cls._agenerate is BaseChatModel._agenerate and _overrides(cls, "_generate"):
            generate = functools.partial(getattr(self, "_generate"), messages, stop=stop, run_manager=None, **kwargs)
            result: Any = await trio.to_thread.run_sync(generate)
        else:
            if _declares(self._agenerate, "run_manager"):
                kwargs = {**kwargs, "run_manager": None}
            reply = self._agenerate(messages, stop=stop, **kwargs)
            result = await (on_host_loop(reply) if is_users(cls._agenerate) else reply)
        return _reply_of(result)

    def _provider_chunks(self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any], config: RunnableConfig) -> AsyncIterator[Any]:
        cls = type(self)
        if cls._astream is BaseChatModel._astream:  # a LangChain-style sync _stream
            generator = getattr(self, "_stream")(messages, stop=stop, run_manager=None, **kwargs)
            return sync_iterate(generator, config)
        if _declares(self._astream, "run_manager"):
            kwargs = {**kwargs, "run_manager": None}
        chunks = self._astream(messages, stop=stop, **kwargs)
        if is_users(cls._astream):
            return iterate_on_host_loop(chunks, config)
        return in_config(chunks, config)

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
                    message = await self._generate_message(messages, stop, kwargs)
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
        async for item in self._provider_chunks(messages, stop, kwargs, scope.child_config()):
            chunk = _chunk_of(item)
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


def _overrides(cls: type, name: str) -> bool:
    """Whether ``cls`` defines the LangChain hook ``name`` (``BaseChatModel`` has none)."""
    return getattr(cls, name, None) is not None


def _declares(method: Any, name: str) -> bool:
    try:
        return name in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


def _reply_of(result: Any) -> AIMessage:
    """The reply in a provider's result: an ``AIMessage``, or the first generation of a ``ChatResult``."""
    if isinstance(result, AIMessage):
        return result
    if isinstance(result, ChatResult):
        if not result.generations:
            raise ValueError("the model's ChatResult has no generations")
        generation = result.generations[0]
        message = generation.message
        metadata = {**(generation.generation_info or {}), **message.response_metadata}
        if len(result.generations) == 1 and result.llm_output is not None:
            metadata = {**result.llm_output, **metadata}
        message.response_metadata = metadata
        if not isinstance(message, AIMessage):
            raise ValueError(f"a chat model must reply with an AIMessage, got {type(message).__name__}")
        return message_chunk_to_message(message)
    raise TypeError(f"a chat model's _generate/_agenerate must return an AIMessage or a ChatResult, got {type(result).__name__}")


def _chunk_of(item: Any) -> AIMessageChunk:
    """A streamed piece: an ``AIMessageChunk``, or a ``ChatGenerationChunk``'s message (with its ``generation_info``)."""
    if isinstance(item, AIMessageChunk):
        return item
    if isinstance(item, ChatGenerationChunk) and isinstance(item.message, AIMessageChunk):
        if item.generation_info:
            item.message.response_metadata = {**item.generation_info, **item.message.response_metadata}
        return item.message
    raise TypeError(f"a chat model's _stream/_astream must yield AIMessageChunk or ChatGenerationChunk, got {type(item).__name__}")


def _set_declared_fields(model: BaseChatModel, fields: dict[str, Any]) -> None:
    """Set the keyword arguments a subclass declares as class attributes (LangChain's pydantic fields)."""
    declared: dict[str, bool] = {}  # name -> has a default
    for klass in reversed(type(model).__mro__):
        if klass in (BaseChatModel, Runnable, object) or not issubclass(klass, BaseChatModel):
            continue
        for name in getattr(klass, "__annotations__", {}):
            if not name.startswith("_"):
                declared[name] = name in vars(klass) or declared.get(name, False)
        for name, value in vars(klass).items():
            if name in declared and type(value).__name__ == "FieldInfo":  # a pydantic Field(...): use its default
                default = getattr(value, "default", None)
                if type(default).__name__ != "PydanticUndefinedType":
                    setattr(model, name, default)
                else:
                    declared[name] = False
    for name, value in fields.items():
        if name not in declared:
            raise TypeError(f"{type(model).__name__} got an unexpected keyword argument {name!r}")
        setattr(model, name, value)
    missing = [name for name, has_default in declared.items() if not has_default and name not in fields]
    if missing:
        raise TypeError(f"{type(model).__name__} is missing required field(s): {', '.join(missing)}")


def _run_id(scope: RunScope) -> str:
    return scope.run.run_id if scope.run is not None else str(uuid.uuid4())


def bind_tools_loosely(model: BaseChatModel, tools: Sequence[Any], **kwargs: Any) -> RunnableBinding[Any, AIMessage]:
    """``model`` bound to the tools' OpenAI-style schemas (what the fakes' ``bind_tools`` does)."""
    return model.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)
