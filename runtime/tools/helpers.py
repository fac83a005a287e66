"""LangChain's small tool helpers: text descriptions of tools for a prompt, a tool
over a retriever, and the toolkit base class."""

from __future__ import annotations

import abc
import inspect
from collections.abc import Sequence
from typing import Any, Literal

from ..runnables.retrievers import BaseRetriever, Document
from .base import BaseTool, StructuredTool

__all__ = [
    "BaseToolkit",
    "RetrieverInput",
    "SchemaAnnotationError",
    "create_retriever_tool",
    "render_text_description",
    "render_text_description_and_args",
]


class SchemaAnnotationError(TypeError):
    """An ``args_schema`` is missing or has an unusable type annotation."""


class BaseToolkit(abc.ABC):
    """A set of related tools (LangChain's base class)."""

    @abc.abstractmethod
    def get_tools(self) -> list[BaseTool]:
        """The toolkit's tools."""


def _heading(tool: BaseTool) -> str:
    func = getattr(tool, "func", None)
    if func:
        return f"{tool.name}{inspect.signature(func)} - {tool.description}"
    return f"{tool.name} - {tool.description}"


def render_text_description(tools: Sequence[BaseTool]) -> str:
    """One line per tool: ``name(signature) - description`` (the signature when it wraps a function)."""
    return "\n".join(_heading(tool) for tool in tools)


def render_text_description_and_args(tools: Sequence[BaseTool]) -> str:
    """As :func:`render_text_description`, each line followed by ``, args: <tool.args>``."""
    return "\n".join(f"{_heading(tool)}, args: {tool.args}" for tool in tools)


RetrieverInput: dict[str, Any] = {
    "description": "Input to the retriever.",
    "properties": {"query": {"description": "query to look up in retriever", "title": "Query", "type": "string"}},
    "required": ["query"],
    "title": "RetrieverInput",
    "type": "object",
}
"""The argument schema of a retriever tool (LangChain's, as JSON Schema)."""


def create_retriever_tool(
    retriever: BaseRetriever,
    name: str,
    description: str,
    *,
    document_separator: str = "\n\n",
    response_format: Literal["content", "content_and_artifact"] = "content",
) -> StructuredTool:
    """A tool that looks ``query`` up in ``retriever`` and returns the documents' texts joined by
    ``document_separator`` (and, with ``content_and_artifact``, the documents as the artifact)."""

    async def lookup(query: str) -> str | tuple[str, list[Document]]:
        documents = await retriever.ainvoke(query)
        content = document_separator.join(doc.page_content for doc in documents)
        return (content, documents) if response_format == "content_and_artifact" else content

    return StructuredTool(
        coroutine=lookup, name=name, description=description, args_schema=RetrieverInput, response_format=response_format,
    )
