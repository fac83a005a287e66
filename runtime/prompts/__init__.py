"""Prompt templates (langchain-core's ``prompts`` and ``prompt_values``).

``ChatPromptTemplate`` / ``PromptTemplate`` are runnables: a dict of variables
in, a ``ChatPromptValue`` / ``StringPromptValue`` out, which chat models take as
input, so ``prompt | model | parser`` works as in LangChain.
"""

from .base import BasePromptTemplate
from .chat import (
    AIMessagePromptTemplate,
    BaseMessagePromptTemplate,
    ChatPromptTemplate,
    HumanMessagePromptTemplate,
    MessagesPlaceholder,
    SystemMessagePromptTemplate,
)
from .formatting import template_variables as get_template_variables
from .string import PromptTemplate, StringPromptTemplate
from .values import ChatPromptValue, PromptValue, StringPromptValue

__all__ = [
    "AIMessagePromptTemplate",
    "BaseMessagePromptTemplate",
    "BasePromptTemplate",
    "ChatPromptTemplate",
    "ChatPromptValue",
    "HumanMessagePromptTemplate",
    "MessagesPlaceholder",
    "PromptTemplate",
    "PromptValue",
    "StringPromptTemplate",
    "StringPromptValue",
    "SystemMessagePromptTemplate",
    "get_template_variables",
]
