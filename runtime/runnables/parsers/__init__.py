"""Output parsers: ``StrOutputParser`` and the streaming ``JsonOutputParser``, with LangChain's JSON helpers."""

from ...messages.partial_json import parse_partial_json
from .base import BaseTransformOutputParser, OutputParserException
from .json import JsonOutputParser, SimpleJsonOutputParser, parse_json_markdown
from .string import StrOutputParser

__all__ = [
    "BaseTransformOutputParser",
    "JsonOutputParser",
    "OutputParserException",
    "SimpleJsonOutputParser",
    "StrOutputParser",
    "parse_json_markdown",
    "parse_partial_json",
]
