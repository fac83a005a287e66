"""``ChatPromptTemplate`` and its parts: message templates and ``MessagesPlaceholder``.

``ChatPromptTemplate.from_messages`` takes what langchain-core takes: a
``(role, template)`` pair (``human``/``user``, ``ai``/``assistant``,
``system``, ``placeholder``), a ``{"role": ..., "content": ...}`` dict, a
message class and a template, a bare string (a human template), a message
(kept as is) or a template / placeholder object.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Self, Union

from ..messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    convert_to_messages,
    get_buffer_string,
)
from .base import BasePromptTemplate
from .string import PromptTemplate
from .values import ChatPromptValue

__all__ = [
    "AIMessagePromptTemplate",
    "BaseChatPromptTemplate",
    "BaseMessagePromptTemplate",
    "ChatMessagePromptTemplate",
    "ChatPromptTemplate",
    "HumanMessagePromptTemplate",
    "MessagesPlaceholder",
    "SystemMessagePromptTemplate",
]


class BaseMessagePromptTemplate(ABC):
    """A template of one or more messages inside a chat prompt (subclasses say which)."""

    @property
    @abstractmethod
    def input_variables(self) -> list[str]:
        """The variables the template needs."""

    @abstractmethod
    def format_messages(self, **kwargs: Any) -> list[BaseMessage]:
        """The messages for these variables."""


class _StringMessagePromptTemplate(BaseMessagePromptTemplate):
    message_class: type[BaseMessage]

    def __init__(self, prompt: PromptTemplate) -> None:
        if not isinstance(prompt, PromptTemplate):
            raise TypeError(f"{type(self).__name__} wraps a PromptTemplate, got {type(prompt).__name__}")
        self.prompt = prompt

    @classmethod
    def from_template(
        cls, template: str, *, template_format: str = "f-string", partial_variables: Mapping[str, Any] | None = None
    ) -> Self:
        """A message template from template text."""
        if not isinstance(template, str):
            raise TypeError(
                f"{cls.__name__}: a message template must be a string, got {type(template).__name__} "
                "(list-content templates are not implemented)"
            )
        return cls(PromptTemplate.from_template(template, template_format=template_format,
                                                partial_variables=partial_variables))

    @property
    def input_variables(self) -> list[str]:
        return self.prompt.input_variables

    def format(self, **kwargs: Any) -> BaseMessage:
        """The one message for these variables."""
        return self.message_class(self.prompt.format(**kwargs))

    def format_messages(self, **kwargs: Any) -> list[BaseMessage]:
        return [self.format(**kwargs)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prompt={self.prompt!r})"


class HumanMessagePromptTemplate(_StringMessagePromptTemplate):
    """A ``HumanMessage`` from a template."""

    message_class = HumanMessage


class AIMessagePromptTemplate(_StringMessagePromptTemplate):
    """An ``AIMessage`` from a template."""

    message_class = AIMessage


class SystemMessagePromptTemplate(_StringMessagePromptTemplate):
    """A ``SystemMessage`` from a template."""

    message_class = SystemMessage


class ChatMessagePromptTemplate(_StringMessagePromptTemplate):
    """A ``ChatMessage`` with an arbitrary ``role`` from a template."""

    message_class = ChatMessage

    def __init__(self, prompt: PromptTemplate, role: str) -> None:
        super().__init__(prompt)
        self.role = role

    @classmethod
    def from_template(  # type: ignore[override]
        cls, template: str, role: str, *, template_format: str = "f-string",
        partial_variables: Mapping[str, Any] | None = None,
    ) -> Self:
        """A ``role`` message template from template text."""
        if not isinstance(template, str):
            raise TypeError(f"{cls.__name__}: a message template must be a string, got {type(template).__name__}")
        return cls(PromptTemplate.from_template(template, template_format=template_format,
                                                partial_variables=partial_variables), role)

    def format(self, **kwargs: Any) -> BaseMessage:
        return ChatMessage(self.prompt.format(**kwargs), role=self.role)


class MessagesPlaceholder(BaseMessagePromptTemplate):
    """A list of messages given as a variable (a conversation's history, say).

    Args:
        variable_name: the variable holding the messages (a list of messages or
            message-likes: ``("human", "hi")``, dicts, strings).
        optional: when ``True`` the variable may be left out (no messages).
        n_messages: keep only the last ``n_messages``.
    """

    def __init__(self, variable_name: str, *, optional: bool = False, n_messages: int | None = None) -> None:
        if n_messages is not None and n_messages <= 0:
            raise ValueError(f"n_messages must be positive, got {n_messages}")
        self.variable_name = variable_name
        self.optional = optional
        self.n_messages = n_messages

    @property
    def input_variables(self) -> list[str]:
        return [] if self.optional else [self.variable_name]

    def format_messages(self, **kwargs: Any) -> list[BaseMessage]:
        value = kwargs.get(self.variable_name, []) if self.optional else kwargs[self.variable_name]
        if not isinstance(value, list):  # a ValueError, as langchain-core raises
            raise ValueError(  # noqa: TRY004
                f"variable {self.variable_name} should be a list of base messages, got {value!r} of type {type(value)}"
            )
        messages = convert_to_messages(value)
        return messages[-self.n_messages :] if self.n_messages else messages

    def __repr__(self) -> str:
        return f"MessagesPlaceholder(variable_name={self.variable_name!r}, optional={self.optional!r})"


_ROLES: dict[str, type[_StringMessagePromptTemplate]] = {
    "human": HumanMessagePromptTemplate,
    "user": HumanMessagePromptTemplate,
    "ai": AIMessagePromptTemplate,
    "assistant": AIMessagePromptTemplate,
    "system": SystemMessagePromptTemplate,
}

_Part = Union[BaseMessage, BaseMessagePromptTemplate, "BaseChatPromptTemplate"]


def _placeholder(template: Any) -> MessagesPlaceholder:
    if isinstance(template, str):
        if len(template) < 3 or template[0] != "{" or template[-1] != "}":
            raise ValueError(f"Invalid placeholder template: {template}. Expected a variable name surrounded by curly braces.")
        return MessagesPlaceholder(template[1:-1], optional=True)
    try:
        wrapped, optional = template
    except (TypeError, ValueError) as error:
        raise ValueError(
            "Unexpected arguments for placeholder message type. Expected either a single string variable name "
            f"or a list of [variable_name: str, is_optional: bool]. Got: {template!r}"
        ) from error
    if not isinstance(optional, bool):
        raise ValueError(f"Expected is_optional to be a boolean. Got: {optional!r}")  # noqa: TRY004 -- as langchain-core
    named = _placeholder(wrapped)
    return named if optional else MessagesPlaceholder(named.variable_name)


def _from_role(role: str, template: Any, template_format: str) -> BaseMessagePromptTemplate:
    if role == "placeholder":
        return _placeholder(template)
    try:
        kind = _ROLES[role]
    except KeyError:
        raise ValueError(
            f"Unexpected message type: {role!r}. Use one of 'human', 'user', 'ai', 'assistant', 'system', or 'placeholder'."
        ) from None
    return kind.from_template(template, template_format=template_format)


def _to_part(message: Any, template_format: str) -> _Part:
    if isinstance(message, (BaseMessagePromptTemplate, BaseChatPromptTemplate, BaseMessage)):
        return message
    if isinstance(message, str):
        return HumanMessagePromptTemplate.from_template(message, template_format=template_format)
    if isinstance(message, dict):
        if set(message) != {"role", "content"}:
            raise ValueError(f"Expected dict to have exact keys 'role' and 'content'. Got: {message}")
        return _from_role(message["role"], message["content"], template_format)
    if isinstance(message, tuple):
        if len(message) != 2:
            raise ValueError(f"Expected 2-tuple of (role, template), got {message}")
        role, template = message
        if isinstance(role, str):
            return _from_role(role, template, template_format)
        if isinstance(role, type) and issubclass(role, BaseMessage):
            return _from_role(role.type, template, template_format)
        if isinstance(role, type) and issubclass(role, _StringMessagePromptTemplate):
            return role.from_template(template, template_format=template_format)
        raise ValueError(f"Unexpected message role {role!r} in {message!r}")
    raise NotImplementedError(f"Unsupported message type: {type(message)}")


class BaseChatPromptTemplate(BasePromptTemplate):
    """A template whose value is a list of messages (a ``ChatPromptValue``): implement ``format_messages``."""

    def format_messages(self, **kwargs: Any) -> list[BaseMessage]:
        """The messages, with the variables filled in."""
        raise NotImplementedError(f"{type(self).__name__} does not implement format_messages")

    async def aformat_messages(self, **kwargs: Any) -> list[BaseMessage]:
        """Async twin of :meth:`format_messages`."""
        return self.format_messages(**kwargs)

    def format_prompt(self, **kwargs: Any) -> ChatPromptValue:
        return ChatPromptValue(self.format_messages(**kwargs))

    def format(self, **kwargs: Any) -> str:
        """The messages as one string (``Human: ...`` lines)."""
        return get_buffer_string(self.format_messages(**kwargs))


class ChatPromptTemplate(BaseChatPromptTemplate):
    """A list of message templates; its value is a ``ChatPromptValue``.

    Args:
        messages: the messages, in any form ``from_messages`` takes.
        template_format: ``"f-string"``.
    """

    def __init__(
        self,
        messages: Sequence[Any] = (),
        *,
        template_format: str = "f-string",
        partial_variables: Mapping[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.messages: list[_Part] = [_to_part(m, template_format) for m in messages]
        self.template_format = template_format
        required: set[str] = set()
        optional: set[str] = set()
        partials = dict(partial_variables or {})
        for part in self.messages:
            if isinstance(part, MessagesPlaceholder) and part.optional:
                optional.add(part.variable_name)
                partials.setdefault(part.variable_name, [])
            elif isinstance(part, BaseChatPromptTemplate):
                required.update(part.input_variables)
                optional.update(part.optional_variables)
            elif isinstance(part, BaseMessagePromptTemplate):
                required.update(part.input_variables)
        super().__init__(
            input_variables=sorted(required), optional_variables=sorted(optional),
            partial_variables=partials, name=name,
        )

    @classmethod
    def from_messages(cls, messages: Sequence[Any], template_format: str = "f-string") -> ChatPromptTemplate:
        """A chat prompt from message-likes (see the module docstring)."""
        return cls(messages, template_format=template_format)

    @classmethod
    def from_template(cls, template: str, **kwargs: Any) -> ChatPromptTemplate:
        """A chat prompt of one human message from ``template``."""
        return cls([HumanMessagePromptTemplate.from_template(template, **kwargs)])

    def format_messages(self, **kwargs: Any) -> list[BaseMessage]:
        """The messages, with the variables filled in."""
        values = self._merge_partial_and_user_variables(**kwargs)
        out: list[BaseMessage] = []
        for part in self.messages:
            if isinstance(part, BaseMessage):
                out.append(part)
            else:
                out.extend(part.format_messages(**values))
        return out

    def __add__(self, other: Any) -> ChatPromptTemplate:
        """This prompt's messages followed by ``other`` (a chat prompt, a message-like, or a list / tuple of them)."""
        # A list or tuple is a list of message-likes, as in langchain-core (so a
        # ("role", "text") tuple adds two human messages, not one of that role).
        extra = other.messages if isinstance(other, ChatPromptTemplate) else (
            list(other) if isinstance(other, (list, tuple)) else [other]
        )
        partials = {**self.partial_variables}
        if isinstance(other, ChatPromptTemplate):
            partials.update(other.partial_variables)
        return ChatPromptTemplate([*self.messages, *extra], template_format=self.template_format, partial_variables=partials)

    def __len__(self) -> int:
        return len(self.messages)

    def __getitem__(self, index: int) -> Any:
        return self.messages[index]

    def __repr__(self) -> str:
        return f"ChatPromptTemplate(input_variables={self.input_variables!r}, messages={self.messages!r})"
