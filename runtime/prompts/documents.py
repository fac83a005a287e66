"""``format_document``: a document's text and metadata through a string template."""

from __future__ import annotations

from typing import Any

from ..core.errors import ErrorCode, create_message
from ..runnables import Document
from .base import BasePromptTemplate

__all__ = ["aformat_document", "format_document"]


def _document_values(doc: Document, prompt: BasePromptTemplate) -> dict[str, Any]:
    values = {"page_content": doc.page_content, **doc.metadata}
    missing = [name for name in prompt.input_variables if name not in values]
    if missing:
        required = [name for name in prompt.input_variables if name != "page_content"]
        raise ValueError(
            create_message(
                message=f"Document prompt requires documents to have metadata variables: {required}. "
                f"Received document with missing metadata: {missing}.",
                error_code=ErrorCode.INVALID_PROMPT_INPUT,
            )
        )
    return {name: values[name] for name in prompt.input_variables}


def format_document(doc: Document, prompt: BasePromptTemplate) -> str:
    """``prompt`` filled with the document's ``page_content`` and its metadata's values."""
    return str(prompt.format(**_document_values(doc, prompt)))


async def aformat_document(doc: Document, prompt: BasePromptTemplate) -> str:
    """Async twin of :func:`format_document`."""
    return str(await prompt.aformat(**_document_values(doc, prompt)))
