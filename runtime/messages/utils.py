"""LangChain's helpers over lists of messages: to and from dicts, as one string,
filtering, trimming to a token budget, and merging runs of one type.

Behaviour follows ``langchain_core.messages.utils`` (1.8): the same arguments,
the same results.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import attrs

from .base import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    BaseMessageChunk,
    ChatMessage,
    ChatMessageChunk,
    FunctionMessage,
    FunctionMessageChunk,
    HumanMessage,
    HumanMessageChunk,
    MessageLikeRepresentation,
    RemoveMessage,
    SystemMessage,
    SystemMessageChunk,
    ToolMessage,
    ToolMessageChunk,
    convert_to_messages,
)

__all__ = [
    "message_to_dict",
    "messages_to_dict",
    "messages_from_dict",
    "get_buffer_string",
    "filter_messages",
    "merge_message_runs",
    "trim_messages",
    "count_tokens_approximately",
    "convert_to_openai_messages",
]

MessageTypes = str | type[BaseMessage] | Sequence[str | type[BaseMessage]]

_BY_TYPE: dict[str, type[BaseMessage]] = {
    cls.type: cls
    for cls in (
        HumanMessage, AIMessage, SystemMessage, ChatMessage, FunctionMessage, ToolMessage, RemoveMessage,
        HumanMessageChunk, AIMessageChunk, SystemMessageChunk, ChatMessageChunk, FunctionMessageChunk,
        ToolMessageChunk,
    )
}

_CHUNK_OF: dict[type[BaseMessage], type[BaseMessageChunk]] = {
    HumanMessage: HumanMessageChunk, AIMessage: AIMessageChunk, SystemMessage: SystemMessageChunk,
    ToolMessage: ToolMessageChunk, FunctionMessage: FunctionMessageChunk, ChatMessage: ChatMessageChunk,
}


def _fields(message: BaseMessage) -> dict[str, Any]:
    return {f.name: getattr(message, f.name) for f in attrs.fields(type(message)) if not f.metadata}


def message_to_dict(message: BaseMessage) -> dict[str, Any]:
    """``{"type": message.type, "data": {...every field, and "type"}}``, as LangChain stores a message."""
    fields = _fields(message)
    data: dict[str, Any] = {}
    for key in ("content", "additional_kwargs", "response_metadata"):
        data[key] = fields.pop(key)
    data["type"] = message.type
    data["name"] = fields.pop("name", None)
    data["id"] = fields.pop("id", None)
    data.update(fields)
    return {"type": message.type, "data": data}


def messages_to_dict(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """:func:`message_to_dict` of each message."""
    return [message_to_dict(m) for m in messages]


def messages_from_dict(messages: Sequence[dict[str, Any]]) -> list[BaseMessage]:
    """The messages :func:`messages_to_dict` describes.

    Raises:
        ValueError: an unknown message type.
    """
    out: list[BaseMessage] = []
    for item in messages:
        cls = _BY_TYPE.get(item["type"])
        if cls is None:
            raise ValueError(f"Got unexpected message type: {item['type']}")
        out.append(cls(**item["data"]))
    return out


def get_buffer_string(
    messages: Sequence[BaseMessage],
    human_prefix: str = "Human",
    ai_prefix: str = "AI",
    *,
    system_prefix: str = "System",
    function_prefix: str = "Function",
    tool_prefix: str = "Tool",
    message_separator: str = "\n",
) -> str:
    """The messages as ``"Role: text"`` lines (an AI message's tool calls appended as their repr).

    Raises:
        ValueError: a message of a type with no role (a ``RemoveMessage``).
    """
    lines = []
    for m in messages:
        if isinstance(m, HumanMessage):
            role = human_prefix
        elif isinstance(m, AIMessage):
            role = ai_prefix
        elif isinstance(m, SystemMessage):
            role = system_prefix
        elif isinstance(m, FunctionMessage):
            role = function_prefix
        elif isinstance(m, ToolMessage):
            role = tool_prefix
        elif isinstance(m, ChatMessage):
            role = m.role
        else:
            raise ValueError(f"Got unsupported message type: {m}")
        line = f"{role}: {m.text}"
        if isinstance(m, AIMessage):
            if m.tool_calls:
                line += str(m.tool_calls)
            elif "function_call" in m.additional_kwargs:
                line += str(m.additional_kwargs["function_call"])
        lines.append(line)
    return message_separator.join(lines)


def _is_type(message: BaseMessage, types: MessageTypes) -> bool:
    wanted = [types] if isinstance(types, (str, type)) else list(types)
    names = [t for t in wanted if isinstance(t, str)]
    classes = tuple(t for t in wanted if isinstance(t, type))
    return message.type in names or isinstance(message, classes)


def filter_messages(
    messages: Iterable[MessageLikeRepresentation],
    *,
    include_names: Sequence[str] | None = None,
    exclude_names: Sequence[str] | None = None,
    include_types: MessageTypes | None = None,
    exclude_types: MessageTypes | None = None,
    include_ids: Sequence[str] | None = None,
    exclude_ids: Sequence[str] | None = None,
    exclude_tool_calls: Sequence[str] | bool | None = None,
) -> list[BaseMessage]:
    """The messages that pass the filters: excluded by any ``exclude_*``, kept by any ``include_*`` (all when none).

    ``exclude_tool_calls=True`` drops AI messages with tool calls and tool
    messages; a list of ids drops those calls (and their ``tool_use`` blocks and
    tool messages), and an AI message left with no calls.
    """
    filtered: list[BaseMessage] = []
    for message in convert_to_messages(list(messages)):
        if (
            (exclude_names and message.name in exclude_names)
            or (exclude_types and _is_type(message, exclude_types))
            or (exclude_ids and message.id in exclude_ids)
        ):
            continue
        if exclude_tool_calls is True and (
            (isinstance(message, AIMessage) and message.tool_calls) or isinstance(message, ToolMessage)
        ):
            continue
        kept = message
        if isinstance(exclude_tool_calls, (list, tuple, set)):
            if isinstance(message, AIMessage) and message.tool_calls:
                calls = [c for c in message.tool_calls if c["id"] not in exclude_tool_calls]
                if not calls:
                    continue
                content = message.content
                if isinstance(content, list):
                    content = [
                        block for block in content
                        if not isinstance(block, dict) or block.get("type") != "tool_use"
                        or block.get("id") not in exclude_tool_calls
                    ]
                kept = attrs.evolve(message, tool_calls=calls, content=content)
            elif isinstance(message, ToolMessage) and message.tool_call_id in exclude_tool_calls:
                continue
        if (
            not (include_types or include_ids or include_names)
            or (include_names and kept.name in include_names)
            or (include_types and _is_type(kept, include_types))
            or (include_ids and kept.id in include_ids)
        ):
            filtered.append(kept)
    return filtered


def merge_message_runs(messages: Iterable[MessageLikeRepresentation], *, chunk_separator: str = "\n") -> list[BaseMessage]:
    """Consecutive messages of one class merged into one (tool messages never are); string contents
    are joined with ``chunk_separator``."""
    merged: list[BaseMessage] = []
    for message in convert_to_messages(list(messages)):
        last = merged.pop() if merged else None
        if last is None:
            merged.append(message)
        elif isinstance(message, ToolMessage) or not isinstance(message, type(last)):
            merged.extend([last, message])
        else:
            left, right = _to_chunk(last), _to_chunk(message)
            right.response_metadata = {}
            if isinstance(left.content, str) and isinstance(right.content, str) and left.content and right.content:
                left.content += chunk_separator
            merged.append(_from_chunk(left + right))
    return merged


def _to_chunk(message: BaseMessage) -> BaseMessageChunk:
    for cls in type(message).__mro__:
        chunk_cls = _CHUNK_OF.get(cls)
        if chunk_cls is not None:
            return chunk_cls(**_fields(message))
    raise ValueError(f"Unrecognized message class {type(message)}. Supported classes are {list(_CHUNK_OF)}")


def _from_chunk(chunk: BaseMessageChunk) -> BaseMessage:
    whole = next(c for c in type(chunk).__mro__ if c in _CHUNK_OF)
    fields = {k: v for k, v in _fields(chunk).items() if k not in ("tool_call_chunks", "chunk_position")}
    return whole(**fields)


def count_tokens_approximately(
    messages: Iterable[MessageLikeRepresentation],
    *,
    chars_per_token: float = 4.0,
    extra_tokens_per_message: float = 3.0,
    count_name: bool = True,
    tokens_per_image: int = 85,
) -> int:
    """LangChain's estimate: characters (text, tool calls, role, name) / ``chars_per_token``, rounded up,
    plus ``extra_tokens_per_message`` per message and ``tokens_per_image`` per image block."""
    count = 0.0
    for message in convert_to_messages(list(messages)):
        chars = 0
        if isinstance(message.content, str):
            chars += len(message.content)
        else:
            for block in message.content:
                if isinstance(block, str):
                    chars += len(block)
                elif block.get("type", "") in ("image", "image_url"):
                    count += tokens_per_image
                elif block.get("type") == "text":
                    chars += len(block.get("text", ""))
                else:
                    chars += len(repr(block))
        if isinstance(message, AIMessage) and not isinstance(message.content, list) and message.tool_calls:
            chars += len(repr(message.tool_calls))
        if isinstance(message, ToolMessage):
            chars += len(message.tool_call_id)
        chars += len(_openai_role(message))
        if message.name and count_name:
            chars += len(message.name)
        count += math.ceil(chars / chars_per_token) + extra_tokens_per_message
    return math.ceil(count)


def _openai_role(message: BaseMessage) -> str:
    if isinstance(message, HumanMessage):
        return "user"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, SystemMessage):
        return str(message.additional_kwargs.get("__openai_role__", "system"))
    if isinstance(message, FunctionMessage):
        return "function"
    if isinstance(message, ToolMessage):
        return "tool"
    if isinstance(message, ChatMessage):
        return message.role
    raise ValueError(f"Got unknown message type: {message}")


def _default_splitter(text: str) -> list[str]:
    pieces = text.split("\n")
    return [p + "\n" for p in pieces[:-1]] + pieces[-1:]


def _list_counter(token_counter: Any) -> Callable[[list[BaseMessage]], int]:
    if token_counter == "approximate":
        return count_tokens_approximately
    if isinstance(token_counter, str):
        raise ValueError(f"Invalid token_counter shortcut '{token_counter}'. Available shortcuts: 'approximate'.")
    counting = getattr(token_counter, "get_num_tokens_from_messages", None)
    if counting is not None:
        return counting  # type: ignore[no-any-return]  # a chat model's method
    if not callable(token_counter):
        raise ValueError(
            "'token_counter' expected to be a model that implements 'get_num_tokens_from_messages()' or a "
            f"function. Received object of type {type(token_counter)}."
        )
    first = next(iter(inspect.signature(token_counter).parameters.values()), None)
    if first is not None and first.annotation in (BaseMessage, "BaseMessage"):
        return lambda messages: sum(token_counter(m) for m in messages)
    return token_counter  # type: ignore[no-any-return]  # a counter of message lists


def trim_messages(
    messages: Iterable[MessageLikeRepresentation],
    *,
    max_tokens: int,
    token_counter: Any,
    strategy: Literal["first", "last"] = "last",
    allow_partial: bool = False,
    end_on: MessageTypes | None = None,
    start_on: MessageTypes | None = None,
    include_system: bool = False,
    text_splitter: Callable[[str], list[str]] | None = None,
) -> list[BaseMessage]:
    """The first or last messages that fit in ``max_tokens``, as LangChain trims.

    ``token_counter`` counts a list of messages, or one message (a function whose
    first parameter is annotated ``BaseMessage``), or is a chat model with
    ``get_num_tokens_from_messages``, or ``"approximate"``. ``allow_partial``
    keeps part of the message at the edge (its first/last content blocks, or
    lines of its text — ``text_splitter``). ``end_on`` / ``start_on`` drop
    messages at the end / start until one of those types; ``include_system``
    keeps a leading system message (``strategy="last"`` only).

    Raises:
        ValueError: ``start_on`` or ``include_system`` with ``strategy="first"``; a bad ``token_counter``.
    """
    if start_on and strategy == "first":
        raise ValueError("start_on parameter is only valid with strategy='last'")
    if include_system and strategy == "first":
        raise ValueError("include_system parameter is only valid with strategy='last'")
    items = convert_to_messages(list(messages))
    counter = _list_counter(token_counter)
    splitter = text_splitter or _default_splitter
    if strategy == "first":
        return _first_max_tokens(items, max_tokens, counter, splitter, "first" if allow_partial else None, end_on)
    if strategy != "last":
        raise ValueError(f"Unrecognized strategy={strategy!r}. Supported strategies are 'last' and 'first'.")
    if end_on:
        while items and not _is_type(items[-1], end_on):
            items.pop()
    system = items[0] if include_system and items and isinstance(items[0], SystemMessage) else None
    if system is not None:
        items = items[1:]
    budget = max(0, max_tokens - counter([system])) if system is not None else max_tokens
    kept = _first_max_tokens(items[::-1], budget, counter, splitter, "last" if allow_partial else None, start_on)[::-1]
    return [system, *kept] if system is not None else kept


def _first_max_tokens(
    messages: list[BaseMessage],
    max_tokens: int,
    counter: Callable[[list[BaseMessage]], int],
    splitter: Callable[[str], list[str]],
    partial: Literal["first", "last"] | None,
    end_on: MessageTypes | None,
) -> list[BaseMessage]:
    messages = list(messages)
    if not messages:
        return messages
    if counter(messages) <= max_tokens:
        if end_on:
            while messages and not _is_type(messages[-1], end_on):
                messages.pop()
        return messages
    left, right = 0, len(messages)
    for _ in range(len(messages).bit_length()):  # the longest prefix that fits
        if left >= right:
            break
        mid = (left + right + 1) // 2
        if counter(messages[:mid]) <= max_tokens:
            left = mid
        else:
            right = mid - 1
    idx = left
    if partial and idx < len(messages):
        messages, idx = _with_partial(messages, idx, max_tokens, counter, splitter, partial)
    if end_on:
        while idx > 0 and not _is_type(messages[idx - 1], end_on):
            idx -= 1
    return messages[:idx]


def _with_partial(
    messages: list[BaseMessage],
    idx: int,
    max_tokens: int,
    counter: Callable[[list[BaseMessage]], int],
    splitter: Callable[[str], list[str]],
    partial: Literal["first", "last"],
) -> tuple[list[BaseMessage], int]:
    """Keep as much of ``messages[idx]`` as fits: whole content blocks first, then lines of its text."""
    edge = messages[idx]
    if isinstance(edge.content, list):
        blocks = list(edge.content)
        if partial == "last":
            blocks.reverse()
        for keep in range(len(blocks) - 1, 0, -1):
            part = attrs.evolve(edge, content=blocks[:keep] if partial == "first" else blocks[:keep][::-1])
            if counter([*messages[:idx], part]) <= max_tokens:
                return [*messages[:idx], part], idx + 1
    text = None
    if isinstance(edge.content, str):
        text = edge.content
    else:
        for block in edge.content:
            if isinstance(block, str):
                text = block
                break
            if block.get("type") == "text":
                text = block.get("text")
                break
    if not text:
        return messages, idx
    pieces = splitter(text)
    if partial == "last":
        pieces.reverse()
    base = counter(messages[:idx])
    left, right = 0, len(pieces)
    for _ in range(len(pieces).bit_length()):
        if left >= right:
            break
        mid = (left + right + 1) // 2
        candidate = "".join(pieces[:mid] if partial == "first" else pieces[:mid][::-1])
        if base + counter([attrs.evolve(edge, content=candidate)]) <= max_tokens:
            left = mid
        else:
            right = mid - 1
    if left == 0:
        return messages, idx
    kept = pieces[:left] if partial == "first" else pieces[:left][::-1]
    return [*messages[:idx], attrs.evolve(edge, content="".join(kept))], idx + 1


def convert_to_openai_messages(
    messages: MessageLikeRepresentation | Sequence[MessageLikeRepresentation],
    *,
    text_format: Literal["string", "block"] = "string",
) -> dict[str, Any] | list[dict[str, Any]]:
    """Messages as OpenAI chat-completions dicts (one dict for one message), as LangChain converts them.

    ``role`` (``developer`` for a system message marked so), ``name``, the AI
    message's ``tool_calls`` (JSON ``arguments``), the tool message's
    ``tool_call_id``. ``text_format="string"`` joins text blocks with newlines;
    ``"block"`` gives text as ``{"type": "text"}`` blocks. Non-text blocks pass
    through as they are (``tool_use`` blocks are dropped: the tool calls say it).

    Raises:
        ValueError: an unknown ``text_format``.
    """
    if text_format not in ("string", "block"):
        raise ValueError(f"Unrecognized text_format={text_format!r}, expected one of 'string' or 'block'.")
    single = isinstance(messages, (BaseMessage, dict, str))
    converted = [_openai_message(m, text_format) for m in convert_to_messages(messages)]
    return converted[0] if single else converted


def _openai_message(message: BaseMessage, text_format: str) -> dict[str, Any]:
    out: dict[str, Any] = {"role": _openai_role(message)}
    if message.name:
        out["name"] = message.name
    if isinstance(message, AIMessage) and message.tool_calls:
        out["tool_calls"] = [
            {"type": "function", "id": call["id"], "function": {"name": call["name"], "arguments": json.dumps(call["args"], ensure_ascii=False)}}
            for call in message.tool_calls
        ]
    if isinstance(message, ToolMessage):
        out["tool_call_id"] = message.tool_call_id
    blocks: list[dict[str, Any]] = []
    if isinstance(message.content, str):
        if message.content or text_format == "string":
            blocks.append({"type": "text", "text": message.content})
    else:
        for block in message.content:
            if isinstance(block, str):
                blocks.append({"type": "text", "text": block})
            elif block.get("type") == "text":
                blocks.append({"type": "text", "text": block.get("text", "")})
            elif block.get("type") != "tool_use":
                blocks.append(block)
    if text_format == "string" and all(b.get("type") == "text" for b in blocks):
        out["content"] = "\n".join(b["text"] for b in blocks)
    else:
        out["content"] = blocks
    return out
