"""LangChain's callback interface: subclass :class:`AsyncCallbackHandler` and override
``on_chat_model_start``, ``on_llm_new_token``, ``on_llm_end``, ``on_chain_start``,
``on_tool_end``, ``on_custom_event``... with LangChain's signatures.

Attach it like any handler (``config={"callbacks": [handler]}``). It is not a
:class:`~runtime.tracing.BaseCallbackHandler` itself: :func:`resolve_callbacks`
puts an adapter in its place, which turns each run's start, tokens, end, error
and custom events into the LangChain method for the run's type (``chat_model``
→ ``on_chat_model_start`` / ``on_llm_*``, ``tool`` → ``on_tool_*``,
``retriever`` → ``on_retriever_*``, anything else → ``on_chain_*``) with
LangChain's keyword arguments (``run_id`` and ``parent_run_id`` as UUIDs,
``tags``, ``metadata``, ``name``). Methods may be coroutines or plain functions.
Tokens reach ``on_llm_new_token`` when a model streams (as in LangChain, this
handler does not make ``invoke`` stream).
"""

from __future__ import annotations

import inspect
import uuid
from typing import Any, final

from ..core.callables import is_users, on_host_loop
from ..messages import AIMessage, AIMessageChunk, BaseMessage
from ..models.outputs import ChatGeneration, ChatGenerationChunk, LLMResult
from .run import BaseCallbackHandler, RunInfo

__all__ = ["AsyncCallbackHandler"]


class AsyncCallbackHandler:
    """Base for handlers written against LangChain's callback methods; every method does nothing by default."""

    raise_error: bool = False
    run_inline: bool = False
    ignore_llm: bool = False
    ignore_chain: bool = False
    ignore_agent: bool = False
    ignore_retriever: bool = False
    ignore_chat_model: bool = False
    ignore_custom_event: bool = False

    async def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any) -> Any:
        """A chat model started on ``messages`` (one list per prompt)."""

    async def on_llm_start(self, serialized: dict[str, Any], prompts: list[str], **kwargs: Any) -> Any:
        """A completion model started (not called by Tributary's chat models)."""

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> Any:
        """A streaming model produced ``token``; ``chunk`` is the ``ChatGenerationChunk``."""

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> Any:
        """A model finished with ``response``."""

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> Any:
        """A model failed."""

    async def on_chain_start(self, serialized: dict[str, Any], inputs: Any, **kwargs: Any) -> Any:
        """A chain (any other runnable, a graph, a node) started."""

    async def on_chain_end(self, outputs: Any, **kwargs: Any) -> Any:
        """A chain ended."""

    async def on_chain_error(self, error: BaseException, **kwargs: Any) -> Any:
        """A chain failed."""

    async def on_tool_start(self, serialized: dict[str, Any], input_str: str, **kwargs: Any) -> Any:
        """A tool started; ``inputs`` is the argument dict."""

    async def on_tool_end(self, output: Any, **kwargs: Any) -> Any:
        """A tool ended."""

    async def on_tool_error(self, error: BaseException, **kwargs: Any) -> Any:
        """A tool failed."""

    async def on_retriever_start(self, serialized: dict[str, Any], query: str, **kwargs: Any) -> Any:
        """A retriever started on ``query``."""

    async def on_retriever_end(self, documents: Any, **kwargs: Any) -> Any:
        """A retriever returned ``documents``."""

    async def on_retriever_error(self, error: BaseException, **kwargs: Any) -> Any:
        """A retriever failed."""

    async def on_custom_event(self, name: str, data: Any, **kwargs: Any) -> Any:
        """``dispatch_custom_event(name, data)`` was called inside a run."""

    def _as_run_handler(self) -> BaseCallbackHandler:
        """The adapter :func:`resolve_callbacks` uses in this handler's place (one per handler)."""
        adapter = self.__dict__.get("_run_handler")
        if adapter is None:
            adapter = self.__dict__["_run_handler"] = _Adapter(self)
        return adapter


async def _call(method: Any, *args: Any, **kwargs: Any) -> None:
    result = method(*args, **kwargs)
    if inspect.isawaitable(result):
        # An AsyncCallbackHandler written for asyncio runs on the host loop, if any.
        await (on_host_loop(result) if is_users(method) else result)


def _ids(run: RunInfo) -> dict[str, Any]:
    return {
        "run_id": uuid.UUID(run.run_id),
        "parent_run_id": uuid.UUID(run.parent.run_id) if run.parent is not None else None,
        "tags": list(run.tags),
    }


def _kind(run: RunInfo) -> str:
    return run.run_type if run.run_type in ("chat_model", "tool", "retriever") else "chain"


@final
class _Adapter(BaseCallbackHandler):
    """Turns Tributary's run lifecycle into an :class:`AsyncCallbackHandler`'s LangChain calls."""

    def __init__(self, handler: AsyncCallbackHandler) -> None:
        self.handler = handler

    def _ignored(self, kind: str) -> bool:
        handler = self.handler
        return bool(
            (kind == "chat_model" and (handler.ignore_chat_model or handler.ignore_llm))
            or (kind == "chain" and handler.ignore_chain)
            or (kind == "retriever" and handler.ignore_retriever)
        )

    async def on_run_start(self, run: RunInfo, input: Any) -> None:
        kind = _kind(run)
        if self._ignored(kind):
            return
        handler = self.handler
        common = {**_ids(run), "metadata": dict(run.metadata), "name": run.name}
        serialized = {"name": run.name}
        if kind == "chat_model":
            messages = input.get("messages") if isinstance(input, dict) else input
            await _call(handler.on_chat_model_start, serialized, messages, **common)
        elif kind == "tool":
            inputs = input if isinstance(input, dict) else None
            await _call(handler.on_tool_start, serialized, str(input), inputs=inputs, **common)
        elif kind == "retriever":
            await _call(handler.on_retriever_start, serialized, input, **common)
        else:
            await _call(handler.on_chain_start, serialized, input, **common)

    async def on_llm_new_token(self, run: RunInfo, chunk: Any) -> None:
        if self._ignored("chat_model") or not isinstance(chunk, AIMessageChunk):
            return
        generation = ChatGenerationChunk(message=chunk)
        await _call(self.handler.on_llm_new_token, generation.text, chunk=generation, **_ids(run))

    async def on_run_end(self, run: RunInfo, output: Any, input: Any) -> None:
        kind = _kind(run)
        if self._ignored(kind):
            return
        handler = self.handler
        if kind == "chat_model":
            generations = [[ChatGeneration(message=output)]] if isinstance(output, AIMessage) else [[]]
            await _call(handler.on_llm_end, LLMResult(generations=generations), **_ids(run))  # type: ignore[arg-type]  # a ChatGeneration is a Generation
        elif kind == "tool":
            await _call(handler.on_tool_end, output, **_ids(run))
        elif kind == "retriever":
            await _call(handler.on_retriever_end, output, **_ids(run))
        else:
            await _call(handler.on_chain_end, output, **_ids(run))

    async def on_run_error(self, run: RunInfo, error: BaseException, input: Any, extra: dict[str, Any]) -> None:
        kind = _kind(run)
        if self._ignored(kind):
            return
        method = {
            "chat_model": self.handler.on_llm_error, "tool": self.handler.on_tool_error,
            "retriever": self.handler.on_retriever_error, "chain": self.handler.on_chain_error,
        }[kind]
        await _call(method, error, **_ids(run), **extra)

    async def on_custom_event(
        self, run: RunInfo, name: str, data: Any, tags: list[str], metadata: dict[str, Any]
    ) -> None:
        if self.handler.ignore_custom_event:
            return
        await _call(self.handler.on_custom_event, name, data, run_id=uuid.UUID(run.run_id), tags=tags, metadata=metadata)
