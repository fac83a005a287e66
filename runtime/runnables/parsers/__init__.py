"""Output parsers: ``StrOutputParser`` and the streaming ``JsonOutputParser``."""

from .base import BaseTransformOutputParser, OutputParserException
from .json import JsonOutputParser
from .string import StrOutputParser

__all__ = ["BaseTransformOutputParser", "JsonOutputParser", "OutputParserException", "StrOutputParser"]
