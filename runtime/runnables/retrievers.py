"""Retrievers: a query in, relevant ``Document``s out (``retriever`` runs).

A retriever implements ``_aget_relevant_documents(query)`` (or a sync
``_get_relevant_documents``, run in a worker thread). It does not stream: its
only chunk is the whole list, and its events are ``on_retriever_start``
(``data.input = {"query": ...}``) and ``on_retriever_end``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import trio

from ..core.config import RunnableConfig
from ..tracing.scope import RunScope
from .base import Runnable
from .transform import traced_invoke

__all__ = ["Document", "BaseRetriever", "InMemoryRetriever"]


@attrs.define(repr=False)
class Document:
    """A piece of text and its metadata."""

    page_content: str
    metadata: dict[str, Any] = attrs.field(factory=dict, kw_only=True)
    id: str | None = attrs.field(default=None, kw_only=True)

    def __repr__(self) -> str:
        extra = f", metadata={self.metadata!r}" if self.metadata else ""
        extra += f", id={self.id!r}" if self.id is not None else ""
        return f"Document(page_content={self.page_content!r}{extra})"


class BaseRetriever(Runnable[str, list[Document]]):
    """Find the documents relevant to a query string."""

    async def _aget_relevant_documents(self, query: str) -> list[Document]:
        """The documents for ``query`` (default: the sync hook in a worker thread)."""
        return await trio.to_thread.run_sync(self._get_relevant_documents, query)

    def _get_relevant_documents(self, query: str) -> list[Document]:
        raise NotImplementedError(f"{type(self).__name__} implements neither retrieval hook")

    async def ainvoke(self, input: str, config: RunnableConfig | None = None, **kwargs: Any) -> list[Document]:
        if not isinstance(input, str):
            raise TypeError(f"a retriever takes a query string, got {type(input).__name__}")

        return await traced_invoke(config, self.get_name(), "retriever", input, self._documents, start_input={"query": input})

    async def _documents(self, query: str, scope: RunScope) -> list[Document]:
        return list(await self._aget_relevant_documents(query))


_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


class InMemoryRetriever(BaseRetriever):
    """The ``k`` documents sharing the most words with the query (ties keep insertion order).

    A stand-in for a vector store's retriever: like similarity search, it always
    returns ``k`` documents when it holds that many.
    """

    def __init__(self, documents: Iterable[Document | str] = (), *, k: int = 4) -> None:
        self.documents: list[Document] = [d if isinstance(d, Document) else Document(d) for d in documents]
        self.k = k

    def add_documents(self, documents: Sequence[Document | str]) -> None:
        self.documents.extend(d if isinstance(d, Document) else Document(d) for d in documents)

    async def _aget_relevant_documents(self, query: str) -> list[Document]:
        wanted = _words(query)
        scored = sorted(
            enumerate(self.documents), key=lambda item: (-len(wanted & _words(item[1].page_content)), item[0])
        )
        return [document for _, document in scored[: self.k]]
