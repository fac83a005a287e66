"""What a chat model produces, in LangChain's classes: ``ChatGeneration`` (one
message), ``ChatGenerationChunk`` (one streamed piece), ``ChatResult`` (what a
LangChain-style ``_generate`` returns) and ``LLMResult`` (what ``on_llm_end``
callbacks receive).

``text`` is the message's text, as in LangChain; ``generation_info`` is
provider data that :class:`~runtime.models.BaseChatModel` folds into the
message's ``response_metadata``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ..messages import BaseMessage, BaseMessageChunk, merge_dicts

__all__ = ["Generation", "GenerationChunk", "ChatGeneration", "ChatGenerationChunk", "ChatResult", "LLMResult"]


@attrs.define(kw_only=True)
class Generation:
    """One generated text (LangChain's completion-model output)."""

    text: str = ""
    generation_info: dict[str, Any] | None = None
    type: str = attrs.field(default="Generation", init=False)


@attrs.define(kw_only=True)
class GenerationChunk(Generation):
    """A streamed piece of a generated text; ``+`` joins pieces."""

    type: str = attrs.field(default="GenerationChunk", init=False)

    def __add__(self, other: GenerationChunk) -> GenerationChunk:
        if not isinstance(other, GenerationChunk):
            raise TypeError(f"unsupported operand type(s) for +: '{type(self)}' and '{type(other)}'")
        info = merge_dicts(self.generation_info or {}, other.generation_info or {})
        return GenerationChunk(text=self.text + other.text, generation_info=info or None)


@attrs.define(kw_only=True)
class ChatGeneration(Generation):
    """One generated message; ``text`` is the message's text."""

    message: BaseMessage
    type: str = attrs.field(default="ChatGeneration", init=False)

    def __attrs_post_init__(self) -> None:
        self.text = str(self.message.text)


@attrs.define(kw_only=True)
class ChatGenerationChunk(ChatGeneration):
    """One streamed piece of a generated message; ``+`` joins pieces."""

    message: BaseMessageChunk
    type: str = attrs.field(default="ChatGenerationChunk", init=False)

    def __add__(self, other: ChatGenerationChunk | Sequence[ChatGenerationChunk]) -> ChatGenerationChunk:
        others = [other] if isinstance(other, ChatGenerationChunk) else list(other)
        if not all(isinstance(o, ChatGenerationChunk) for o in others):
            raise TypeError(f"unsupported operand type(s) for +: '{type(self)}' and '{type(other)}'")
        info = merge_dicts(self.generation_info or {}, *(o.generation_info for o in others if o.generation_info))
        return ChatGenerationChunk(message=self.message + [o.message for o in others], generation_info=info or None)


@attrs.define(kw_only=True)
class ChatResult:
    """What a LangChain-style ``_generate`` returns: the generations (the first is the reply)."""

    generations: list[ChatGeneration]
    llm_output: dict[str, Any] | None = None


@attrs.define(kw_only=True)
class LLMResult:
    """A model call's result as callbacks see it: a list of generations per input."""

    generations: list[list[Generation]]
    llm_output: dict[str, Any] | None = None
    type: str = attrs.field(default="LLMResult", init=False)
