"""Runnables: the ``Runnable`` protocol (``base``), the base of runnables that are one
run however they are called (``transform``), the combinators (``|`` sequences,
parallel dicts, functions, passthrough, branches, retries, fallbacks), output
parsers, retrievers, and ``astream_log``'s patches (``log``)."""

from .base import Runnable, RunnableBinding
from .branch import RunnableBranch
from .fallbacks import RunnableWithFallbacks
from .lambdas import RunnableGenerator, RunnableLambda, chain
from .parallel import AddableDict, RunnableParallel, coerce_to_runnable
from .parsers import BaseTransformOutputParser, JsonOutputParser, StrOutputParser
from .passthrough import RunnableAssign, RunnablePassthrough, RunnablePick
from .retrievers import BaseRetriever, Document, InMemoryRetriever
from .retry import RunnableRetry
from .sequence import RunnableSequence
from .transform import TransformRunnable

RunnableMap = RunnableParallel
"""langchain-core's other name for :class:`RunnableParallel`."""

__all__ = [
    "AddableDict",
    "BaseRetriever",
    "BaseTransformOutputParser",
    "Document",
    "InMemoryRetriever",
    "JsonOutputParser",
    "Runnable",
    "RunnableAssign",
    "RunnableBinding",
    "RunnableBranch",
    "RunnableGenerator",
    "RunnableLambda",
    "RunnableMap",
    "RunnableParallel",
    "RunnablePassthrough",
    "RunnablePick",
    "RunnableRetry",
    "RunnableSequence",
    "RunnableWithFallbacks",
    "StrOutputParser",
    "TransformRunnable",
    "chain",
    "coerce_to_runnable",
]
