"""Chat models: the provider interface, LangChain's output classes, and deterministic fakes."""

from .chat_model import LC_ID_PREFIX, BaseChatModel
from .fakes import FakeListChatModel, FakeMessagesListChatModel, FakeToolCallingModel, GenericFakeChatModel
from .outputs import ChatGeneration, ChatGenerationChunk, ChatResult, Generation, GenerationChunk, LLMResult

__all__ = [
    "LC_ID_PREFIX",
    "BaseChatModel",
    "ChatGeneration",
    "ChatGenerationChunk",
    "ChatResult",
    "FakeListChatModel",
    "FakeMessagesListChatModel",
    "FakeToolCallingModel",
    "Generation",
    "GenerationChunk",
    "GenericFakeChatModel",
    "LLMResult",
]
