"""Chat models: the provider interface and deterministic fakes."""

from .chat_model import LC_ID_PREFIX, BaseChatModel
from .fakes import FakeListChatModel, FakeMessagesListChatModel, FakeToolCallingModel, GenericFakeChatModel

__all__ = [
    "LC_ID_PREFIX",
    "BaseChatModel",
    "FakeListChatModel",
    "FakeMessagesListChatModel",
    "FakeToolCallingModel",
    "GenericFakeChatModel",
]
