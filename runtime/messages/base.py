"""Chat messages with LangChain's names, fields and chunk arithmetic.

Messages are mutable attrs classes compared by value. Their init fields
describe them fully, so a serializer can rebuild one as ``cls(**fields)``;
``type`` is a class attribute, not a field. Only ``content`` is positional:
``HumanMessage("hi")``, ``AIMessage(content="x", id="1")``.

Streaming: ``AIMessageChunk + AIMessageChunk`` concatenates content, merges
``additional_kwargs``/``response_metadata`` (:func:`merge_dicts`) and merges
``tool_call_chunks`` by ``index``; the sum's ``tool_calls`` are parsed from the
merged chunks' partial JSON ``args`` (unparseable ones become
``invalid_tool_calls``). Every addition reparses the accumulated args, as in
LangChain, so summing ``n`` chunks one at a time costs O(n^2) in args length.

Deliberate differences from LangChain: content merging never mutates an
operand and joins adjacent strings inside list content (which keeps addition
associative); a chunk sum keeps the first ``name`` instead of dropping it.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Literal, NotRequired, Self, TypedDict, Union, overload
from uuid import UUID

import attrs

from .merge import add_usage, merge_content, merge_dicts, merge_lists
from .partial_json import parse_partial_json

__all__ = [
    "ToolCall", "InvalidToolCall", "ToolCallChunk", "UsageMetadata", "InputTokenDetails", "OutputTokenDetails",
    "LC_ID_PREFIX",
    "tool_call", "invalid_tool_call", "tool_call_chunk",
    "merge_content", "merge_dicts", "merge_lists", "add_usage",
    "BaseMessage", "BaseMessageChunk", "HumanMessage", "HumanMessageChunk",
    "AIMessage", "AIMessageChunk", "SystemMessage", "SystemMessageChunk",
    "ToolMessage", "ToolMessageChunk", "ChatMessage", "ChatMessageChunk", "FunctionMessage",
    "FunctionMessageChunk", "RemoveMessage", "AnyMessage", "MessageLikeRepresentation", "TextAccessor",
    "convert_to_messages", "message_chunk_to_message",
]

Content = Union[str, list[Union[str, dict[str, Any]]]]


class ToolCall(TypedDict):
    """A request from the model to call the tool ``name`` with ``args``."""

    name: str
    args: dict[str, Any]
    id: str | None
    type: NotRequired[Literal["tool_call"]]


class InvalidToolCall(TypedDict):
    """A tool call whose ``args`` (raw text) could not be parsed into a dict."""

    name: str | None
    args: str | None
    id: str | None
    error: str | None
    type: NotRequired[Literal["invalid_tool_call"]]


class ToolCallChunk(TypedDict):
    """A piece of a streamed tool call; pieces with the same ``index`` join up."""

    name: str | None
    args: str | None
    id: str | None
    index: int | None
    type: NotRequired[Literal["tool_call_chunk"]]


class InputTokenDetails(TypedDict, total=False):
    """A breakdown of input tokens (LangChain's keys; providers may add others)."""

    audio: int
    cache_creation: int
    cache_read: int


class OutputTokenDetails(TypedDict, total=False):
    """A breakdown of output tokens (LangChain's keys; providers may add others)."""

    audio: int
    reasoning: int


class UsageMetadata(TypedDict):
    """Token counts of one model call (details are provider-specific counts)."""

    input_tokens: int
    output_tokens: int
    total_tokens: int
    input_token_details: NotRequired[dict[str, int]]
    output_token_details: NotRequired[dict[str, int]]


LC_ID_PREFIX = "lc_run-"
"""Message ids a model makes up start with this (LangChain's prefix)."""


def tool_call(*, name: str, args: dict[str, Any], id: str | None) -> ToolCall:
    """Build a :class:`ToolCall` with its ``type`` key set."""
    return ToolCall(name=name, args=args, id=id, type="tool_call")


def invalid_tool_call(
    *, name: str | None = None, args: str | None = None, id: str | None = None,
    error: str | None = None,
) -> InvalidToolCall:
    """Build an :class:`InvalidToolCall` with its ``type`` key set."""
    return InvalidToolCall(name=name, args=args, id=id, error=error, type="invalid_tool_call")


def tool_call_chunk(
    *, name: str | None = None, args: str | None = None, id: str | None = None,
    index: int | None = None,
) -> ToolCallChunk:
    """Build a :class:`ToolCallChunk` with its ``type`` key set."""
    return ToolCallChunk(name=name, args=args, id=id, index=index, type="tool_call_chunk")


def _pick_id(ids: Iterable[str | None]) -> str | None:
    """Prefer a provider's id, then an ``lc_run-`` id, then any other ``lc_`` id."""
    best, best_rank = None, -1
    for id_ in ids:
        rank = -1 if not id_ else 1 if id_.startswith("lc_run-") else 0 if id_.startswith("lc_") else 2
        if rank > best_rank:
            best, best_rank = id_, rank
    return best


def _concat_base_fields(parts: Sequence[BaseMessage]) -> dict[str, Any]:
    """The ``BaseMessage`` fields of the sum of ``parts``."""
    return {
        "content": merge_content(*(p.content for p in parts)),
        "additional_kwargs": merge_dicts(*(p.additional_kwargs for p in parts)),
        "response_metadata": merge_dicts(*(p.response_metadata for p in parts)),
        "name": next((p.name for p in parts if p.name is not None), None),
        "id": _pick_id(p.id for p in parts),
    }


def _field(default: Any = attrs.NOTHING, factory: Any = None) -> Any:
    return attrs.field(default=default, factory=factory, kw_only=True)


class TextAccessor(str):
    """A message's text: a ``str``, still callable as the method it was before langchain-core 1.0."""

    __slots__ = ()

    def __call__(self) -> str:
        warnings.warn(
            "Calling .text() as a method is deprecated. Use .text as a property instead (e.g., message.text).",
            DeprecationWarning,
            stacklevel=2,
        )
        return str(self)


@attrs.define(repr=False)
class BaseMessage:
    """A chat message: ``content`` (text, or a list of text and content blocks) plus metadata."""

    type: ClassVar[str] = "base"
    content: Content = ""
    additional_kwargs: dict[str, Any] = _field(factory=dict)
    response_metadata: dict[str, Any] = _field(factory=dict)
    name: str | None = _field(None)
    id: str | None = _field(None)
    # LangChain's ``type=`` keyword (serialized messages carry it): checked against the
    # class's type after init, never stored (so never serialized or compared).
    _type: str | None = attrs.field(default=None, kw_only=True, alias="type", eq=False, repr=False, metadata={"transient": True})

    def __attrs_post_init__(self) -> None:
        if type(self.content) is not str:
            self._coerce_content()
        if self._type is not None:
            self._check_type()

    def _coerce_content(self) -> None:
        """Content is a str or a list of str and dict blocks (a tuple becomes a list), as LangChain validates it."""
        content: object = self.content
        if isinstance(content, tuple):
            content = list(content)
        if isinstance(content, str) or (
            isinstance(content, list) and all(isinstance(item, (str, dict)) for item in content)
        ):
            self.content = content
            return
        # ValueError, as pydantic's ValidationError is one: ported code catches that.
        raise ValueError(
            f"{type(self).__name__} content must be a str or a list of str and dict blocks, "
            f"got {type(content).__name__}: {content!r:.80}"
        )

    def _check_type(self) -> None:
        given, self._type = self._type, None
        if type(self) is BaseMessage and given != self.type:
            # LangChain's BaseMessage(content, type="custom"): a message of a type of
            # the caller's own. The base class has none, so the message becomes one of
            # a subclass (one per type name, also named BaseMessage) that carries it.
            self.__class__ = _custom_message_class(given)
            return
        if given != self.type:
            raise ValueError(f"{type(self).__name__} has type {self.type!r}; got type={given!r}")

    @property
    def text(self) -> TextAccessor:
        """The text of ``content``: the string, or its strings and ``text`` blocks joined.

        A ``str`` (a :class:`TextAccessor`), also callable as ``message.text()`` for
        code written before langchain-core 1.0 (with a ``DeprecationWarning``).
        """
        if isinstance(self.content, str):
            return TextAccessor(self.content)
        return TextAccessor("".join(
            block if isinstance(block, str) else block["text"]
            for block in self.content
            if isinstance(block, str)
            or (block.get("type") == "text" and isinstance(block.get("text"), str))
        ))

    def __str__(self) -> str:
        # LangChain's (pydantic's) str: every field that is set or has a default factory, space-separated.
        shown = []
        for field in attrs.fields(self.__class__):
            if field.metadata:
                continue
            value = getattr(self, field.name)
            if isinstance(field.default, attrs.Factory) or value != field.default:  # type: ignore[arg-type]  # attrs' stubs type Factory as a function; it is a class at runtime
                shown.append(f"{field.name}={value!r}")
        return " ".join(shown)

    def __repr__(self) -> str:
        # Like LangChain's repr: fields still at their defaults are left out.
        shown = [f"content={self.content!r}"]
        for field in attrs.fields(self.__class__)[1:]:
            if field.metadata:
                continue
            value = getattr(self, field.name)
            default = field.default
            # attrs' stubs type Factory as a function returning the default; it is a class at runtime.
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if value != default:
                shown.append(f"{field.name}={value!r}")
        return f"{self.__class__.__name__}({', '.join(shown)})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Lets a pydantic model have message fields (a LangGraph state's
        ``messages: Annotated[list[AnyMessage], add_messages]``): the field takes
        instances of the class as they are. Only pydantic calls this, so pydantic
        is imported here and nowhere else in the package."""
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(cls)

    def pretty_repr(self, html: bool = False) -> str:
        """A banner with the message type (bold if ``html``), the name, then the content."""
        title = f" {self.type.title()} Message "
        left = "=" * ((80 - len(title)) // 2)
        right = left + "=" * (len(title) % 2)
        if html:
            title = f"\033[1m{title}\033[0m"
        name = f"\nName: {self.name}" if self.name is not None else ""
        return f"{left}{title}{right}{name}\n\n{self.content}"

    def pretty_print(self) -> None:
        """Print :meth:`pretty_repr`."""
        print(self.pretty_repr())  # noqa: T201


class BaseMessageChunk(BaseMessage):
    """A piece of a streamed message; ``+`` joins pieces, ``sum()`` works too."""

    __slots__ = ()

    def __add__(self, other: Any) -> Self:
        if isinstance(other, BaseMessageChunk):
            return self._concat([other])
        if isinstance(other, (list, tuple)) and all(isinstance(o, BaseMessageChunk) for o in other):
            return self._concat(list(other))
        return NotImplemented

    def __radd__(self, other: Any) -> Self:
        if isinstance(other, int) and other == 0:  # sum()'s start value
            return self
        return NotImplemented

    def _concat(self, others: list[BaseMessageChunk]) -> Self:
        return self.__class__(**_concat_base_fields([self, *others]))


@attrs.define(repr=False)
class HumanMessage(BaseMessage):
    """A message from the user."""

    type: ClassVar[str] = "human"


@attrs.define(repr=False)
class HumanMessageChunk(HumanMessage, BaseMessageChunk):
    """A streamed piece of a :class:`HumanMessage`."""

    type: ClassVar[str] = "HumanMessageChunk"


@attrs.define(repr=False)
class SystemMessage(BaseMessage):
    """Instructions for the model's behaviour."""

    type: ClassVar[str] = "system"


@attrs.define(repr=False)
class SystemMessageChunk(SystemMessage, BaseMessageChunk):
    """A streamed piece of a :class:`SystemMessage`."""

    type: ClassVar[str] = "SystemMessageChunk"


@attrs.define(repr=False)
class AIMessage(BaseMessage):
    """A model's reply, with the tool calls it asked for and its token usage."""

    type: ClassVar[str] = "ai"
    tool_calls: list[ToolCall] = _field(factory=list)
    invalid_tool_calls: list[InvalidToolCall] = _field(factory=list)
    usage_metadata: UsageMetadata | None = _field(None)

    def __attrs_post_init__(self) -> None:
        if type(self.content) is not str:
            self._coerce_content()
        if self._type is not None:
            self._check_type()
        # Skipped when empty: a streamed reply builds one chunk per token.
        if self.tool_calls:
            self.tool_calls = [
                tool_call(name=tc["name"], args=tc["args"], id=tc.get("id")) for tc in self.tool_calls
            ]
        if self.invalid_tool_calls:
            calls: list[InvalidToolCall] = []
            for tc in self.invalid_tool_calls:
                # Any dict may come in: a key InvalidToolCall lacks raises TypeError here.
                fields: dict[str, Any] = {k: v for k, v in tc.items() if k != "type"}
                calls.append(invalid_tool_call(**fields))
            self.invalid_tool_calls = calls

    def pretty_repr(self, html: bool = False) -> str:
        """The base banner and content, then the tool calls and their args."""
        lines = [super().pretty_repr(html=html).strip()]
        for title, calls in (
            ("Tool Calls:", self.tool_calls),
            ("Invalid Tool Calls:", self.invalid_tool_calls),
        ):
            if calls:
                lines.append(title)
            for call in calls:
                lines += [f"  {call.get('name', 'Tool')} ({call['id']})", f" Call ID: {call['id']}"]
                if call.get("error"):
                    lines.append(f"  Error: {call.get('error')}")
                lines.append("  Args:")
                args = call["args"]
                if isinstance(args, dict):
                    lines += [f"    {key}: {value}" for key, value in args.items()]
                elif isinstance(args, str):
                    lines.append(f"    {args}")
        return "\n".join(lines).strip()


@attrs.define(repr=False)
class AIMessageChunk(AIMessage, BaseMessageChunk):
    """A streamed piece of an :class:`AIMessage`.

    ``tool_calls``/``invalid_tool_calls`` are derived from ``tool_call_chunks``
    when there are any (otherwise the chunks are derived from the calls).
    ``chunk_position="last"`` marks the final piece of a stream and survives
    addition.
    """

    type: ClassVar[str] = "AIMessageChunk"
    tool_call_chunks: list[ToolCallChunk] = _field(factory=list)
    chunk_position: Literal["last"] | None = _field(None)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not (self.tool_call_chunks or self.tool_calls or self.invalid_tool_calls):
            return
        if not self.tool_call_chunks:
            self.tool_call_chunks = [
                tool_call_chunk(name=tc["name"], args=json.dumps(tc["args"]), id=tc["id"])
                for tc in self.tool_calls
            ] + [
                tool_call_chunk(name=tc["name"], args=tc["args"], id=tc["id"])
                for tc in self.invalid_tool_calls
            ]
            return
        self.tool_call_chunks = [
            tool_call_chunk(name=c.get("name"), args=c.get("args"), id=c.get("id"), index=c.get("index"))
            for c in self.tool_call_chunks
        ]
        self.tool_calls, self.invalid_tool_calls = [], []
        for chunk in self.tool_call_chunks:
            try:
                args = parse_partial_json(chunk["args"]) if chunk["args"] else {}
            except ValueError:
                args = None
            if isinstance(args, dict):
                self.tool_calls.append(tool_call(name=chunk["name"] or "", args=args, id=chunk["id"]))
            else:
                self.invalid_tool_calls.append(
                    invalid_tool_call(name=chunk["name"], args=chunk["args"], id=chunk["id"])
                )

    def _concat(self, others: list[BaseMessageChunk]) -> Self:
        parts: list[AIMessageChunk] = [self]
        for other in others:
            if not isinstance(other, AIMessageChunk):
                return super()._concat(others)
            parts.append(other)
        usage = None
        for part in parts:
            usage = add_usage(usage, part.usage_metadata)
        return self.__class__(
            **_concat_base_fields(parts),
            tool_call_chunks=merge_lists(*(p.tool_call_chunks for p in parts)) or [],
            usage_metadata=usage,
            chunk_position="last" if any(p.chunk_position == "last" for p in parts) else None,
        )


@attrs.define(repr=False)
class ToolMessage(BaseMessage):
    """The result of running a tool, answering the tool call ``tool_call_id``.

    Content that is neither a string nor a list is stored as ``str(content)``;
    ``artifact`` holds output meant for the program rather than the model.
    """

    type: ClassVar[str] = "tool"
    tool_call_id: str = _field()
    artifact: Any = _field(None)
    status: Literal["success", "error"] = _field("success")

    def __attrs_post_init__(self) -> None:
        if self._type is not None:
            self._check_type()
        # The fields' types are what this stores; callers may pass any content and id.
        content: object = self.content
        if isinstance(content, tuple):
            content = list(content)
        if isinstance(content, list):
            self.content = [x if isinstance(x, (str, dict)) else str(x) for x in content]
        elif not isinstance(content, str):
            self.content = str(content)
        tool_call_id: object = self.tool_call_id
        if isinstance(tool_call_id, (UUID, int, float)):
            self.tool_call_id = str(tool_call_id)


@attrs.define(repr=False)
class ToolMessageChunk(ToolMessage, BaseMessageChunk):
    """A streamed piece of a :class:`ToolMessage`; pieces of one call add up."""

    type: ClassVar[str] = "ToolMessageChunk"

    def _concat(self, others: list[BaseMessageChunk]) -> Self:
        parts: list[ToolMessageChunk] = [self]
        for other in others:
            if not isinstance(other, ToolMessageChunk):
                return super()._concat(others)
            if other.tool_call_id != self.tool_call_id:
                raise ValueError("Cannot concatenate ToolMessageChunks with different names.")
            parts.append(other)
        artifacts = [p.artifact for p in parts if p.artifact is not None]
        return self.__class__(
            **_concat_base_fields(parts),
            tool_call_id=self.tool_call_id,
            artifact=artifacts[0] if len(artifacts) == 1 else (artifacts or None),
            status="error" if any(p.status == "error" for p in parts) else "success",
        )


@attrs.define(repr=False)
class ChatMessage(BaseMessage):
    """A message from a speaker with any ``role`` (neither human, AI, system nor tool)."""

    type: ClassVar[str] = "chat"
    role: str = _field()


@attrs.define(repr=False)
class ChatMessageChunk(ChatMessage, BaseMessageChunk):
    """A streamed piece of a :class:`ChatMessage`; pieces of one role add up."""

    type: ClassVar[str] = "ChatMessageChunk"

    def _concat(self, others: list[BaseMessageChunk]) -> Self:
        for other in others:
            if isinstance(other, ChatMessageChunk) and other.role != self.role:
                raise ValueError("Cannot concatenate ChatMessageChunks with different roles.")
        return self.__class__(**_concat_base_fields([self, *others]), role=self.role)


@attrs.define(repr=False)
class FunctionMessage(BaseMessage):
    """The result of an OpenAI legacy function call, named ``name``."""

    type: ClassVar[str] = "function"
    name: str = _field()  # required here, optional on other messages


@attrs.define(repr=False)
class FunctionMessageChunk(FunctionMessage, BaseMessageChunk):
    """A streamed piece of a :class:`FunctionMessage`."""

    type: ClassVar[str] = "FunctionMessageChunk"

    def _concat(self, others: list[BaseMessageChunk]) -> Self:
        fields = _concat_base_fields([self, *others])
        fields["name"] = self.name
        return self.__class__(**fields)


@attrs.define(repr=False, init=False)
class RemoveMessage(BaseMessage):
    """Tells ``add_messages`` to delete the message with this ``id``."""

    type: ClassVar[str] = "remove"

    def __init__(self, id: str, content: Content = "", **kwargs: Any) -> None:
        if content:
            raise ValueError("RemoveMessage takes no content: it only names the id to remove")
        self.__attrs_init__(content, id=id, **kwargs)


AnyMessage = Union[
    AIMessage, HumanMessage, ChatMessage, SystemMessage, FunctionMessage, ToolMessage, RemoveMessage,
    AIMessageChunk, HumanMessageChunk, ChatMessageChunk, SystemMessageChunk, FunctionMessageChunk,
    ToolMessageChunk,
]
"""Any concrete message type."""

MessageLikeRepresentation = Union[BaseMessage, str, tuple[str, Any], list[Any], dict[str, Any]]
"""What :func:`convert_to_messages` accepts for one message."""

_ROLES = "'human', 'user', 'ai', 'assistant', 'system', 'developer', 'tool', 'function', 'chat' or 'remove'"


def _from_role(role: str, content: Any, fields: dict[str, Any]) -> BaseMessage:
    kwargs: dict[str, Any] = {k: fields.pop(k) for k in ("name", "id", "response_metadata") if k in fields}
    if role in ("ai", "assistant"):
        for key in ("invalid_tool_calls", "usage_metadata"):
            if key in fields:
                kwargs[key] = fields.pop(key)
        if fields.get("tool_calls") is not None:
            kwargs["tool_calls"] = [_from_openai_tool_call(tc) for tc in fields.pop("tool_calls")]
        return AIMessage(content, additional_kwargs=fields, **kwargs)
    if role in ("human", "user"):
        return HumanMessage(content, additional_kwargs=fields, **kwargs)
    if role in ("system", "developer"):
        if role == "developer":
            fields["__openai_role__"] = "developer"
        return SystemMessage(content, additional_kwargs=fields, **kwargs)
    if role == "tool":
        if fields.get("tool_call_id") is None:
            raise ValueError(
                "a 'tool' message needs a tool_call_id; pass a dict with 'tool_call_id' "
                "or a ToolMessage instead of a (role, content) pair"
            )
        for key in ("tool_call_id", "artifact", "status"):
            if key in fields:
                kwargs[key] = fields.pop(key)
        return ToolMessage(content, additional_kwargs=fields, **kwargs)
    if role == "function":
        return FunctionMessage(content, additional_kwargs=fields, **kwargs)
    if role == "chat":
        return ChatMessage(content, role=fields.pop("role", "chat"), additional_kwargs=fields, **kwargs)
    if role == "remove":
        return RemoveMessage(additional_kwargs=fields, **kwargs)
    raise ValueError(f"unknown message role {role!r}; expected one of {_ROLES}")


def _from_openai_tool_call(call: dict[str, Any]) -> ToolCall | dict[str, Any]:
    if "function" not in call:
        return call  # taken as a ToolCall as it is; AIMessage rebuilds it
    args = call["function"]["arguments"]
    if isinstance(args, str):
        args = json.loads(args, strict=False) if args else {}
    return tool_call(name=call["function"]["name"], args=args, id=call.get("id"))


def _to_message(item: Any) -> BaseMessage:
    if isinstance(item, BaseMessage):
        return item
    if isinstance(item, str):
        return HumanMessage(item)
    if isinstance(item, dict):
        fields = dict(item)
        if "role" not in fields and "type" not in fields:
            raise ValueError(f"a message dict needs a 'role' or 'type' key; got keys {sorted(fields)}")
        role = fields.pop("role") if "role" in fields else fields.pop("type")
        return _from_role(role, fields.pop("content", "") or "", fields)
    if isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str):
        return _from_role(item[0], item[1], {})
    raise TypeError(
        f"cannot make a message from {type(item).__name__} {item!r}; expected a message, "
        "a str, a (role, content) pair or a dict with 'role' and 'content'"
    )


def convert_to_messages(
    messages: MessageLikeRepresentation | Sequence[MessageLikeRepresentation],
) -> list[BaseMessage]:
    """Coerce message-like values to messages, as LangChain does.

    Each item may be a message (kept as is), a ``str`` (a human message), a
    ``(role, content)`` pair or a dict with ``role`` (or ``type``) and
    ``content``; other dict keys become fields or ``additional_kwargs``. A lone
    str, message or dict is taken as one message, not as a sequence.

    Raises:
        ValueError: an unknown role, or a tool message without ``tool_call_id``.
        TypeError: an item that is none of the above.
    """
    if isinstance(messages, (str, BaseMessage, dict)):
        return [_to_message(messages)]
    if isinstance(messages, list) and all(isinstance(m, BaseMessage) for m in messages):
        return list(messages)  # a state's history, already messages: one C-level copy
    return [_to_message(m) for m in messages]


@overload
def message_chunk_to_message(chunk: AIMessage) -> AIMessage: ...
@overload
def message_chunk_to_message(chunk: BaseMessage) -> BaseMessage: ...


def message_chunk_to_message(chunk: BaseMessage) -> BaseMessage:
    """Turn a chunk into its whole-message class (keeping id, content and tool calls).

    Messages that are not chunks are returned unchanged.
    """
    if not isinstance(chunk, BaseMessageChunk):
        return chunk
    whole = next(c for c in type(chunk).__mro__ if not issubclass(c, BaseMessageChunk) and issubclass(c, BaseMessage))
    return whole(**{f.name: getattr(chunk, f.name) for f in attrs.fields(whole) if not f.metadata})


@functools.lru_cache(maxsize=None)
def _custom_message_class(message_type: str) -> type[BaseMessage]:
    """The class of ``BaseMessage(..., type=message_type)`` (see ``BaseMessage.__new__``)."""
    return type("BaseMessage", (BaseMessage,), {"type": message_type, "__slots__": (), "__module__": __name__})
