"""Prompt templates (langchain-core's ``prompts`` and ``prompt_values``).

``ChatPromptTemplate`` / ``PromptTemplate`` are runnables: a dict of variables
in, a ``ChatPromptValue`` / ``StringPromptValue`` out, which chat models take as
input, so ``prompt | model | parser`` works as in LangChain.
"""

from .base import BasePromptTemplate
from .chat import (
    AIMessagePromptTemplate,
    BaseChatPromptTemplate,
    BaseMessagePromptTemplate,
    ChatMessagePromptTemplate,
    ChatPromptTemplate,
    HumanMessagePromptTemplate,
    MessagesPlaceholder,
    SystemMessagePromptTemplate,
)
from .documents import aformat_document, format_document
from .formatting import template_variables as get_template_variables
from .string import PromptTemplate, StringPromptTemplate
from .values import ChatPromptValue, PromptValue, StringPromptValue

__all__ = [
    "AIMessagePromptTemplate",
    "BaseChatPromptTemplate",
    "BaseMessagePromptTemplate",
    "BasePromptTemplate",
    "ChatMessagePromptTemplate",
    "ChatPromptTemplate",
    "ChatPromptValue",
    "HumanMessagePromptTemplate",
    "MessagesPlaceholder",
    "PromptTemplate",
    "PromptValue",
    "StringPromptTemplate",
    "StringPromptValue",
    "SystemMessagePromptTemplate",
    "aformat_document",
    "format_document",
    "get_template_variables",
]
