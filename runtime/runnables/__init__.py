"""Runnables: the ``Runnable`` protocol (``base``), the base of runnables that are one
run however they are called (``transform``), the combinators (``|`` sequences,
parallel dicts, functions, passthrough, branches, retries, fallbacks), output
parsers, retrievers, and ``astream_log``'s patches (``log``)."""

from ..core.config import RunnableConfig, ensure_config, merge_configs
from ..messages.partial_json import parse_partial_json
from .base import Runnable, RunnableBinding
from .branch import RunnableBranch
from .fallbacks import RunnableWithFallbacks
from .lambdas import RunnableGenerator, RunnableLambda, chain
from .parallel import AddableDict, RunnableParallel, coerce_to_runnable
from .parsers import (
    BaseOutputParser,
    BaseTransformOutputParser,
    CommaSeparatedListOutputParser,
    JsonOutputKeyToolsParser,
    JsonOutputParser,
    JsonOutputToolsParser,
    OutputParserException,
    PydanticOutputParser,
    PydanticToolsParser,
    SimpleJsonOutputParser,
    StrOutputParser,
    parse_json_markdown,
)
from .passthrough import RunnableAssign, RunnablePassthrough, RunnablePick
from .retrievers import BaseRetriever, Document, InMemoryRetriever
from .retry import RunnableRetry
from .sequence import RunnableSequence
from .transform import TransformRunnable

RunnableMap = RunnableParallel
"""langchain-core's other name for :class:`RunnableParallel`."""

__all__ = [
    "AddableDict",
    "BaseOutputParser",
    "BaseRetriever",
    "BaseTransformOutputParser",
    "CommaSeparatedListOutputParser",
    "Document",
    "InMemoryRetriever",
    "JsonOutputKeyToolsParser",
    "JsonOutputParser",
    "JsonOutputToolsParser",
    "OutputParserException",
    "PydanticOutputParser",
    "PydanticToolsParser",
    "Runnable",
    "RunnableAssign",
    "RunnableBinding",
    "RunnableConfig",
    "RunnableBranch",
    "RunnableGenerator",
    "RunnableLambda",
    "RunnableMap",
    "RunnableParallel",
    "RunnablePassthrough",
    "RunnablePick",
    "RunnableRetry",
    "RunnableSequence",
    "SimpleJsonOutputParser",
    "RunnableWithFallbacks",
    "StrOutputParser",
    "TransformRunnable",
    "chain",
    "coerce_to_runnable",
    "ensure_config",
    "merge_configs",
    "parse_json_markdown",
    "parse_partial_json",
]
