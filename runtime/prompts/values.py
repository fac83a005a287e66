"""Prompt values: what a prompt template produces and a chat model accepts.

A ``StringPromptValue`` holds text, a ``ChatPromptValue`` a list of messages;
both convert to the other form with ``to_string()`` / ``to_messages()``, as in
langchain-core.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import attrs

from ..messages import BaseMessage, HumanMessage, get_buffer_string

__all__ = ["ChatPromptValue", "PromptValue", "StringPromptValue"]


class PromptValue(ABC):
    """A formatted prompt, readable as text or as chat messages."""

    @abstractmethod
    def to_string(self) -> str:
        """The prompt as one string."""

    @abstractmethod
    def to_messages(self) -> list[BaseMessage]:
        """The prompt as chat messages."""


@attrs.define(eq=True, repr=False)
class StringPromptValue(PromptValue):
    """A text prompt; as messages it is one ``HumanMessage``."""

    text: str

    def to_string(self) -> str:
        return self.text

    def to_messages(self) -> list[BaseMessage]:
        return [HumanMessage(self.text)]

    def __repr__(self) -> str:
        return f"StringPromptValue(text={self.text!r})"


@attrs.define(eq=True, repr=False)
class ChatPromptValue(PromptValue):
    """A chat prompt; as text it is the messages' buffer string (``Human: ...``)."""

    messages: list[BaseMessage]

    def to_string(self) -> str:
        return get_buffer_string(self.messages)

    def to_messages(self) -> list[BaseMessage]:
        return list(self.messages)

    def __repr__(self) -> str:
        return f"ChatPromptValue(messages={self.messages!r})"


def _is_prompt_value(value: Any) -> bool:
    return isinstance(value, PromptValue)
