"""``add_messages``, the reducer of a message-list channel, and ``MessagesState``.

Messages are matched by ``id``: a message on the right whose id is already on
the left replaces it in place, a new one is appended, and a
``RemoveMessage(id=...)`` deletes its match. Messages without an id get a fresh
uuid4 string, assigned on the message object itself as LangGraph does, so a
caller holding the message sees the id the state stored.
"""

import uuid
from typing import Annotated, TypedDict

from runtime.messages import (
    AnyMessage,
    BaseMessage,
    BaseMessageChunk,
    MessageLikeRepresentation,
    RemoveMessage,
    convert_to_messages,
    message_chunk_to_message,
)

__all__ = ["add_messages", "MessagesState", "REMOVE_ALL_MESSAGES", "Messages"]

REMOVE_ALL_MESSAGES = "__remove_all__"
"""``RemoveMessage(id=REMOVE_ALL_MESSAGES)`` clears every message before it."""

Messages = list[MessageLikeRepresentation] | MessageLikeRepresentation
"""One message-like value or a list of them."""


def _coerce(messages: Messages) -> list[BaseMessage]:
    if not isinstance(messages, list):
        messages = [messages]
    coerced = [message_chunk_to_message(m) for m in convert_to_messages(messages)]
    for message in coerced:
        if message.id is None:
            message.id = str(uuid.uuid4())
    return coerced


def _coerce_existing(messages: Messages) -> list[BaseMessage]:
    # ``left`` is usually the state's own list, already whole messages with ids:
    # checking that is far cheaper than converting it again on every step.
    if isinstance(messages, list) and all(
        isinstance(m, BaseMessage) and not isinstance(m, BaseMessageChunk) and m.id is not None for m in messages
    ):
        return list(messages)
    return _coerce(messages)


def add_messages(left: Messages, right: Messages) -> list[BaseMessage]:
    """Merge ``right`` into ``left`` by message id and return a new list.

    Either side may be one message or a list; items are coerced with
    :func:`~runtime.messages.convert_to_messages` and chunks become whole
    messages. ``left`` itself is not modified (its messages may gain ids).

    * A message whose id is already present replaces it at the same position.
    * ``RemoveMessage(id=...)`` deletes the message with that id.
    * ``RemoveMessage(id=REMOVE_ALL_MESSAGES)`` drops everything before it:
      the result is the rest of ``right``.
    * Anything else is appended.

    Raises:
        ValueError: a ``RemoveMessage`` names an id that is not present.
    """
    left_messages, right_messages = _coerce_existing(left), _coerce(right)
    for index in range(len(right_messages) - 1, -1, -1):
        message = right_messages[index]
        if isinstance(message, RemoveMessage) and message.id == REMOVE_ALL_MESSAGES:
            return right_messages[index + 1 :]

    merged = left_messages  # _coerce built a new list; the caller's is untouched
    position = {m.id: i for i, m in enumerate(merged)}
    removed: set[str] = set()
    for message in right_messages:
        assert message.id is not None  # _coerce assigned one
        existing = position.get(message.id)
        if isinstance(message, RemoveMessage):
            if existing is None:
                raise ValueError(
                    f"cannot remove message {message.id!r}: no message with that id exists"
                )
            removed.add(message.id)
        elif existing is not None:
            # A message re-added after a RemoveMessage in the same update is kept.
            removed.discard(message.id)
            merged[existing] = message
        else:
            position[message.id] = len(merged)
            merged.append(message)
    if not removed:
        return merged
    return [m for m in merged if m.id not in removed]


class MessagesState(TypedDict):
    """A graph state holding one ``messages`` list merged with :func:`add_messages`."""

    messages: Annotated[list[AnyMessage], add_messages]
