"""Output parsers: ``StrOutputParser``, the streaming ``JsonOutputParser``, LangChain's JSON
helpers, list, tool-call and pydantic parsers, and ``BaseOutputParser`` for your own."""

from ...messages.partial_json import parse_partial_json
from .base import BaseTransformOutputParser, OutputParserException
from .custom import BaseOutputParser
from .json import JsonOutputParser, SimpleJsonOutputParser, parse_json_markdown
from .list import (
    CommaSeparatedListOutputParser,
    ListOutputParser,
    MarkdownListOutputParser,
    NumberedListOutputParser,
)
from .pydantic import PydanticOutputParser
from .string import StrOutputParser
from .tools import JsonOutputKeyToolsParser, JsonOutputToolsParser, PydanticToolsParser

__all__ = [
    "BaseOutputParser",
    "BaseTransformOutputParser",
    "CommaSeparatedListOutputParser",
    "JsonOutputKeyToolsParser",
    "JsonOutputParser",
    "JsonOutputToolsParser",
    "ListOutputParser",
    "MarkdownListOutputParser",
    "NumberedListOutputParser",
    "OutputParserException",
    "PydanticOutputParser",
    "PydanticToolsParser",
    "SimpleJsonOutputParser",
    "StrOutputParser",
    "parse_json_markdown",
    "parse_partial_json",
]
