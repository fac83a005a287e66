"""Runnable combinators: ``|`` sequences, parallel dicts, functions and passthrough."""

from .lambdas import RunnableGenerator, RunnableLambda, chain
from .parallel import AddableDict, RunnableParallel
from .passthrough import RunnableAssign, RunnablePassthrough
from .sequence import RunnableSequence, coerce_to_runnable

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
