"""Deterministic chat models for tests and demos, with LangChain's names and behaviour.

* :class:`GenericFakeChatModel` — replies with the next item of ``messages``,
  streamed as the content split on whitespace with the separators kept
  (``"hi there"`` → ``"hi"``, ``" "``, ``"there"``), each chunk with the
  message's id; the final content chunk is ``chunk_position="last"``.
  ``additional_kwargs`` stream after the content, and (beyond LangChain)
  ``tool_calls`` stream as ``tool_call_chunks``.
* :class:`FakeListChatModel` — cycles through ``responses`` (strings),
  streaming one character per chunk.
* :class:`FakeMessagesListChatModel` — cycles through ``responses``
  (messages); it cannot stream, so every call yields one whole message.
* :class:`FakeToolCallingModel` — LangGraph's test model: replies with the
  inputs' contents joined by ``-`` and the next list of ``tool_calls``,
  streaming the calls as ``tool_call_chunks`` whose JSON ``args`` arrive in pieces.

All of them accept ``bind_tools`` (the tools are ignored) so they can drive
``create_react_agent``.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import Any

import attrs
import trio

from ..messages import AIMessage, AIMessageChunk, BaseMessage, ToolCall, tool_call_chunk
from ..runnables.base import Runnable
from .chat_model import BaseChatModel, bind_tools_loosely

__all__ = ["GenericFakeChatModel", "FakeListChatModel", "FakeMessagesListChatModel", "FakeToolCallingModel"]

_WHITESPACE = re.compile(r"(\s)")


class _LooseTools:
    def bind_tools(self: Any, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        """Accept any tools; the fake's replies do not depend on them."""
        return bind_tools_loosely(self, tools, **kwargs)


def _copy(message: BaseMessage) -> AIMessage:
    if not isinstance(message, AIMessage):
        raise ValueError(f"Expected the fake to reply with an AIMessage, got {type(message).__name__}")
    return attrs.evolve(message)


def _tool_call_pieces(calls: Sequence[ToolCall], message_id: str | None, piece: int) -> Iterator[AIMessageChunk]:
    for index, call in enumerate(calls):
        args = json.dumps(call.get("args") or {}, ensure_ascii=False)
        yield AIMessageChunk(
            "", id=message_id,
            tool_call_chunks=[tool_call_chunk(name=call["name"], args="", id=call.get("id"), index=index)],
        )
        for start in range(0, len(args), piece):
            yield AIMessageChunk(
                "", id=message_id,
                tool_call_chunks=[tool_call_chunk(args=args[start : start + piece], index=index)],
            )


class GenericFakeChatModel(_LooseTools, BaseChatModel):
    """Replies with ``next(messages)`` (an ``AIMessage`` or a string).

    Args:
        messages: an iterator of replies (use ``iter([...])`` or ``itertools.cycle``).
    """

    def __init__(self, messages: Iterator[AIMessage | str] | Iterable[AIMessage | str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.messages = messages if isinstance(messages, Iterator) else iter(messages)

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> AIMessage:
        reply = next(self.messages)
        return AIMessage(reply) if isinstance(reply, str) else _copy(reply)

    async def _astream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessageChunk]:
        message = await self._agenerate(messages, stop=stop, **kwargs)
        content = message.content
        if content:
            if not isinstance(content, str):
                raise ValueError("GenericFakeChatModel streams string content only")
            tokens = _WHITESPACE.split(content)
            closes = not message.additional_kwargs and not message.tool_calls
            for index, token in enumerate(tokens):
                last = closes and index == len(tokens) - 1
                yield AIMessageChunk(token, id=message.id, chunk_position="last" if last else None)
        for key, value in message.additional_kwargs.items():
            if key == "function_call" and isinstance(value, dict):
                for fkey, fvalue in value.items():
                    pieces = re.split(r"(,)", fvalue) if isinstance(fvalue, str) else [fvalue]
                    for piece in pieces:
                        yield AIMessageChunk("", id=message.id, additional_kwargs={"function_call": {fkey: piece}})
            else:
                yield AIMessageChunk("", id=message.id, additional_kwargs={key: value})
        for chunk in _tool_call_pieces(message.tool_calls, message.id, 8):
            yield chunk


class FakeListChatModel(_LooseTools, BaseChatModel):
    """Cycles through ``responses``; streams them one character at a time.

    Args:
        responses: the replies, in order (then from the start again).
        sleep: seconds to wait before each streamed character.
        error_on_chunk_number: raise ``Exception("Fake error")`` at that character.
    """

    def __init__(
        self, responses: Sequence[str], *, sleep: float | None = None, error_on_chunk_number: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.responses = list(responses)
        self.sleep = sleep
        self.error_on_chunk_number = error_on_chunk_number
        self.i = 0

    def _next(self) -> str:
        response = self.responses[self.i]
        self.i = self.i + 1 if self.i < len(self.responses) - 1 else 0
        return response

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> AIMessage:
        return AIMessage(self._next())

    async def _astream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessageChunk]:
        response = self._next()
        for index, char in enumerate(response):
            if self.sleep is not None:
                await trio.sleep(self.sleep)
            if self.error_on_chunk_number is not None and index == self.error_on_chunk_number:
                raise Exception("Fake error")
            yield AIMessageChunk(char, chunk_position="last" if index == len(response) - 1 else None)


class FakeMessagesListChatModel(_LooseTools, BaseChatModel):
    """Cycles through ``responses`` (messages); does not stream.

    Args:
        responses: the replies, in order (then from the start again).
        sleep: seconds to wait before replying.
    """

    def __init__(self, responses: Sequence[BaseMessage], *, sleep: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.responses = list(responses)
        self.sleep = sleep
        self.i = 0

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> AIMessage:
        if self.sleep is not None:
            await trio.sleep(self.sleep)
        response = self.responses[self.i]
        self.i = self.i + 1 if self.i < len(self.responses) - 1 else 0
        return _copy(response)


class FakeToolCallingModel(_LooseTools, BaseChatModel):
    """Replies ``"-".join(contents)`` with the next list of ``tool_calls`` (cycling).

    Args:
        tool_calls: one list of calls per reply; an empty list ends an agent loop.
        piece: how many characters of a call's JSON ``args`` each streamed chunk carries.
    """

    def __init__(self, tool_calls: Sequence[Sequence[ToolCall]] | None = None, *, piece: int = 8, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tool_calls = [list(calls) for calls in tool_calls or ()]
        self.piece = piece
        self.index = 0

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> AIMessage:
        calls = self.tool_calls[self.index % len(self.tool_calls)] if self.tool_calls else []
        message = AIMessage(
            "-".join(m.text for m in messages), id=str(self.index), tool_calls=[c.copy() for c in calls]
        )
        self.index += 1
        return message

    async def _astream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessageChunk]:
        message = await self._agenerate(messages, stop=stop, **kwargs)
        if isinstance(message.content, str) and message.content:
            for token in _WHITESPACE.split(message.content):
                yield AIMessageChunk(token, id=message.id)
        for chunk in _tool_call_pieces(message.tool_calls, message.id, self.piece):
            yield chunk
