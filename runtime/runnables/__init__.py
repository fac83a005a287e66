"""Runnable combinators: ``|`` sequences, parallel dicts, functions and passthrough."""

from .lambdas import RunnableGenerator, RunnableLambda, chain
from .parallel import AddableDict, RunnableParallel, coerce_to_runnable
from .passthrough import RunnableAssign, RunnablePassthrough
from .sequence import RunnableSequence

__all__ = [
    "AddableDict",
    "RunnableAssign",
    "RunnableGenerator",
    "RunnableLambda",
    "RunnableParallel",
    "RunnablePassthrough",
    "RunnableSequence",
    "chain",
    "coerce_to_runnable",
]
