"""Runnables: the ``Runnable`` protocol (``base``), the base of runnables that are one
run however they are called (``transform``), the combinators (``|`` sequences,
parallel dicts, functions, passthrough), output parsers and retrievers."""

from .base import Runnable, RunnableBinding
from .lambdas import RunnableGenerator, RunnableLambda, chain
from .parallel import AddableDict, RunnableParallel, coerce_to_runnable
from .parsers import BaseTransformOutputParser, JsonOutputParser, StrOutputParser
from .passthrough import RunnableAssign, RunnablePassthrough
from .retrievers import BaseRetriever, Document, InMemoryRetriever
from .sequence import RunnableSequence
from .transform import TransformRunnable

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
    "RunnableGenerator",
    "RunnableLambda",
    "RunnableParallel",
    "RunnablePassthrough",
    "RunnableSequence",
    "StrOutputParser",
    "TransformRunnable",
    "chain",
    "coerce_to_runnable",
]
