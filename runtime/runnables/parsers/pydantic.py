"""``PydanticOutputParser``: a model's JSON output validated into a pydantic model."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from ...core.errors import OutputParserException
from .base import text_of
from .custom import BaseOutputParser
from .json import JsonText, parse_json_markdown

__all__ = ["PydanticOutputParser"]

_INSTRUCTIONS = """The output should be formatted as a JSON instance that conforms to the JSON schema below.

As an example, for the schema {{"properties": {{"foo": {{"title": "Foo", "description": "a list of strings", "type": "array", "items": {{"type": "string"}}}}}}, "required": ["foo"]}}
the object {{"foo": ["bar", "baz"]}} is a well-formatted instance of the schema. The object {{"properties": {{"foo": ["bar", "baz"]}}}} is not well-formatted.

Here is the output schema:
```
{schema}
```"""  # noqa: E501


class PydanticOutputParser(BaseOutputParser):
    """The JSON in the model's text (bare or fenced), as an instance of ``pydantic_object``.

    Streamed into, it yields the instance each time the JSON so far validates
    to a different one.

    Raises:
        OutputParserException: no JSON, or JSON that does not validate (the message names the model).
    """

    def __init__(self, pydantic_object: type) -> None:
        self.pydantic_object = pydantic_object

    def get_format_instructions(self) -> str:
        schema = dict(self.pydantic_object.model_json_schema())  # type: ignore[attr-defined]  # a pydantic model
        schema.pop("title", None)
        schema.pop("type", None)
        return _INSTRUCTIONS.format(schema=json.dumps(schema, ensure_ascii=False))

    def _validated(self, value: Any) -> Any:
        try:
            return self.pydantic_object.model_validate(value)  # type: ignore[attr-defined]  # a pydantic model
        except Exception as error:
            completion = json.dumps(value, ensure_ascii=False)
            raise OutputParserException(
                f"Failed to parse {self.pydantic_object.__name__} from completion {completion}. Got: {error}",
                llm_output=completion,
            ) from error

    def parse(self, text: str) -> Any:
        try:
            value = parse_json_markdown(text)
        except ValueError as error:
            raise OutputParserException(f"Invalid json output: {text}", llm_output=text) from error
        return self._validated(value)

    async def _parse_stream(self, inputs: AsyncIterator[Any]) -> AsyncIterator[Any]:
        reader = JsonText()
        last: Any = None
        async for chunk in inputs:
            if not reader.feed(text_of(chunk)) or reader.value is None:
                continue
            try:
                value = self._validated(reader.value)
            except OutputParserException:
                continue  # not valid yet
            if value != last:
                last = value
                yield value
