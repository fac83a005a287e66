"""Local stand-ins for the external providers the seed documents call.

The documents use hosted models (ChatAnthropic, ChatOpenAI, ``init_chat_model``),
OpenAI embeddings with a FAISS vector store, and the OpenAI SDK's streaming client.
The ported examples use these instead: Tributary's own fake chat models with
scripted replies, a bag-of-words embedding, an in-memory vector store whose
retriever ranks by cosine similarity, and an async client streaming
OpenAI-shaped deltas. The replies are what the documents' outputs show, shortened.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from types import SimpleNamespace
from typing import Any

from runtime.messages import AIMessage
from runtime.models import GenericFakeChatModel
from runtime.runnables import BaseRetriever, Document

__all__ = [
    "COUNTRIES_JSON_REPLY",
    "FakeAsyncOpenAI",
    "FakeEmbeddings",
    "InMemoryVectorStore",
    "chat_model",
    "weather_agent_model",
]

COUNTRIES_JSON_REPLY = (
    "Here is the JSON with the requested countries and their populations:\n\n```json\n"
    '{"countries": [{"name": "France", "population": 67391582}, '
    '{"name": "Spain", "population": 47351567}, '
    '{"name": "Japan", "population": 125584838}]}\n```'
)


def chat_model(*replies: str | AIMessage, **kwargs: Any) -> GenericFakeChatModel:
    """A chat model answering with ``replies`` in turn (then from the first again), streamed word by word."""
    if not replies:
        raise ValueError("chat_model needs at least one reply")
    return GenericFakeChatModel(messages=itertools.cycle(replies), **kwargs)


def weather_agent_model(city: str = "sf", **kwargs: Any) -> GenericFakeChatModel:
    """A model that first calls ``get_weather(city)``, then answers from the tool's result."""
    call = AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": city}, "id": "call_weather_1"}])
    return chat_model(call, f"The weather in {city} is sunny!", **kwargs)


_WORD = re.compile(r"\w+")


class FakeEmbeddings:
    """Bag-of-words vectors of ``size`` dimensions (each word's first four letters hashed to one), normalised.

    Deterministic, and texts that share words are close, which is all a
    retriever over a handful of texts needs.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.size
        for word in _WORD.findall(text.lower()):
            word = word[:4]  # a crude stem: "work" and "worked" count as one word
            vector[int(hashlib.sha256(word.encode()).hexdigest(), 16) % self.size] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text."""
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """The vector of a query."""
        return self._vector(text)


class InMemoryVectorStore:
    """Texts and their vectors; similarity search by cosine (ties keep insertion order)."""

    def __init__(self, embedding: FakeEmbeddings) -> None:
        self.embedding = embedding
        self.documents: list[Document] = []
        self.vectors: list[list[float]] = []

    @classmethod
    def from_texts(cls, texts: Sequence[str], embedding: FakeEmbeddings) -> InMemoryVectorStore:
        """A store holding ``texts``."""
        store = cls(embedding)
        store.documents = [Document(text) for text in texts]
        store.vectors = embedding.embed_documents(texts)
        return store

    def similarity_search(self, query: str, k: int = 4) -> list[Document]:
        """The ``k`` documents closest to ``query``."""
        wanted = self.embedding.embed_query(query)
        scores = [sum(a * b for a, b in zip(wanted, vector, strict=True)) for vector in self.vectors]
        ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [self.documents[i] for i in ranked[:k]]

    def as_retriever(self, k: int = 4) -> VectorStoreRetriever:
        """A retriever over this store."""
        return VectorStoreRetriever(self, k)


class VectorStoreRetriever(BaseRetriever):
    """The ``k`` nearest documents of a store."""

    def __init__(self, store: InMemoryVectorStore, k: int) -> None:
        self.store = store
        self.k = k

    def _get_relevant_documents(self, query: str) -> list[Document]:
        return self.store.similarity_search(query, self.k)


class FakeAsyncOpenAI:
    """The part of ``openai.AsyncOpenAI`` the documents use: ``chat.completions.create(stream=True)``.

    It streams ``reply`` in word-sized deltas shaped like the SDK's chunks
    (``chunk.choices[0].delta.role`` on the first, ``.content`` on each).
    """

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.chat = SimpleNamespace(completions=SimpleNamespace(create=self._create))

    async def _create(self, *, messages: list[dict[str, Any]], model: str, stream: bool = False) -> AsyncIterator[Any]:
        if not stream:
            raise ValueError("FakeAsyncOpenAI only streams (stream=True)")
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[Any]:
        for index, piece in enumerate(_pieces(self.reply)):
            delta = SimpleNamespace(role="assistant" if index == 0 else None, content=piece)
            yield SimpleNamespace(choices=[SimpleNamespace(delta=delta)])


def _pieces(text: str) -> Iterator[str]:
    return (piece for piece in re.split(r"(\s+)", text) if piece)
