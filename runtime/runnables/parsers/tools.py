"""Parsers of a model's tool calls, as LangChain's ``openai_tools`` parsers:
``JsonOutputToolsParser`` (``[{"type": name, "args": {...}}]``),
``JsonOutputKeyToolsParser`` (the args of the calls to one tool) and
``PydanticToolsParser`` (each call as an instance of the pydantic model named
like the tool). Streamed into, they yield the value so far each time it changes,
the calls' arguments parsed as partial JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from ...core.errors import OutputParserException
from ...messages import AIMessage, BaseMessage
from .base import BaseTransformOutputParser

__all__ = ["JsonOutputToolsParser", "JsonOutputKeyToolsParser", "PydanticToolsParser"]


class JsonOutputToolsParser(BaseTransformOutputParser[Any]):
    """The tool calls of an ``AIMessage`` as ``{"type": name, "args": args}`` dicts (``"id"`` too with ``return_id``).

    Args:
        first_tool_only: the first call only (``None`` when there is none).
        return_id: include each call's id.
    """

    def __init__(self, *, first_tool_only: bool = False, return_id: bool = False, strict: bool = False) -> None:
        self.first_tool_only = first_tool_only
        self.return_id = return_id
        self.strict = strict

    def parse(self, text: str) -> Any:
        raise OutputParserException(f"{type(self).__name__} parses a message's tool calls, not text: {text!r}")

    def _calls(self, message: Any) -> list[dict[str, Any]]:
        if not isinstance(message, AIMessage):
            raise OutputParserException(f"{type(self).__name__} takes an AIMessage, got {type(message).__name__}")
        calls = []
        for call in message.tool_calls:
            parsed: dict[str, Any] = {"args": call["args"]}
            if self.return_id:
                parsed["id"] = call["id"]
            parsed["type"] = call["name"]
            calls.append(parsed)
        return calls

    def _result(self, calls: list[dict[str, Any]], partial: bool) -> Any:
        if self.first_tool_only:
            return calls[0] if calls else None
        return calls

    async def _invoke(self, input: Any, scope: Any, **kwargs: Any) -> Any:
        return self._result(self._calls(input), partial=False)

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[Any]:
        total: BaseMessage | None = None
        last: Any = None
        async for chunk in inputs:
            total = chunk if total is None else total + chunk
            try:
                value = self._result(self._calls(total), partial=True)
            except OutputParserException:
                continue
            if value is not None and value != last:
                last = value
                yield value


class JsonOutputKeyToolsParser(JsonOutputToolsParser):
    """The args of the calls to the tool ``key_name`` (the first one's with ``first_tool_only``)."""

    def __init__(self, *, key_name: str, first_tool_only: bool = False, return_id: bool = False, strict: bool = False) -> None:
        super().__init__(first_tool_only=first_tool_only, return_id=return_id, strict=strict)
        self.key_name = key_name

    def _result(self, calls: list[dict[str, Any]], partial: bool) -> Any:
        mine = [c for c in calls if c["type"] == self.key_name]
        values = mine if self.return_id else [c["args"] for c in mine]
        if self.first_tool_only:
            return values[0] if values else None
        return values


class PydanticToolsParser(JsonOutputToolsParser):
    """Each tool call as an instance of the pydantic model in ``tools`` whose name it calls."""

    def __init__(self, *, tools: Sequence[type], first_tool_only: bool = False, return_id: bool = False, strict: bool = False) -> None:
        super().__init__(first_tool_only=first_tool_only, return_id=return_id, strict=strict)
        self.tools = list(tools)

    def _result(self, calls: list[dict[str, Any]], partial: bool) -> Any:
        by_name = {tool.__name__: tool for tool in self.tools}
        models = []
        for call in calls:
            model = by_name.get(call["type"])
            if model is None:
                raise OutputParserException(f"Tool {call['type']!r} is not one of {sorted(by_name)}")
            try:
                models.append(model.model_validate(call["args"]))  # type: ignore[attr-defined]  # a pydantic model
            except Exception as error:
                if partial:
                    continue  # arguments still arriving
                raise OutputParserException(f"Failed to parse the call to {call['type']}: {error}") from error
        if self.first_tool_only:
            return models[0] if models else None
        return models
