"""``AsyncCallbackHandler``: a handler written against LangChain's callback methods.
The expected calls were observed with langchain-core 1.8 running the same code
(which also puts ``lc_versions`` in the metadata: docs/differences.md, difference 7)."""

from __future__ import annotations

from typing import Any

import pytest

from runtime import AIMessage, GenericFakeChatModel, RunnableLambda, tool
from runtime.tracing import AsyncCallbackHandler, adispatch_custom_event


class Recorder(AsyncCallbackHandler):
    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []

    async def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: Any, parent_run_id: Any = None,
                                  tags: Any = None, metadata: Any = None, **kwargs: Any) -> None:
        user_keys = sorted(k for k in (metadata or {}) if not k.startswith("ls_"))
        self.log.append(("chat_start", [[m.content for m in ms] for ms in messages], parent_run_id is not None, tags, user_keys))

    async def on_llm_new_token(self, token: str, *, chunk: Any = None, run_id: Any, **kwargs: Any) -> None:
        self.log.append(("token", token, type(chunk).__name__))

    async def on_llm_end(self, response: Any, *, run_id: Any, **kwargs: Any) -> None:
        self.log.append(("llm_end", response.generations[0][0].message.content, type(response).__name__))

    async def on_chain_start(self, serialized: Any, inputs: Any, *, run_id: Any, name: str | None = None, **kwargs: Any) -> None:
        self.log.append(("chain_start", inputs, name))

    async def on_chain_end(self, outputs: Any, *, run_id: Any, **kwargs: Any) -> None:
        self.log.append(("chain_end", outputs))

    def on_tool_start(self, serialized: Any, input_str: str, *, run_id: Any, inputs: Any = None, **kwargs: Any) -> None:
        self.log.append(("tool_start", input_str, inputs))  # a plain method works too

    async def on_tool_end(self, output: Any, *, run_id: Any, **kwargs: Any) -> None:
        self.log.append(("tool_end", output))

    async def on_custom_event(self, name: str, data: Any, *, run_id: Any, **kwargs: Any) -> None:
        self.log.append(("custom", name, data))

    async def on_chain_error(self, error: BaseException, *, run_id: Any, **kwargs: Any) -> None:
        self.log.append(("chain_error", repr(error)))


@tool
def up(s: str) -> str:
    """Up."""
    return s.upper()


async def test_langchain_methods_hear_the_run_tree() -> None:
    model = GenericFakeChatModel(iter([AIMessage("a b")]))

    async def body(x: str) -> str:
        await adispatch_custom_event("ev", {"x": x})
        _ = [c async for c in model.astream(x)]
        return await up.ainvoke({"s": x})

    handler = Recorder()
    result = await RunnableLambda(body, name="body").ainvoke("hi", {"callbacks": [handler], "tags": ["t"], "metadata": {"m": 1}})
    assert result == "HI"
    assert handler.log == [
        ("chain_start", "hi", "body"),
        ("custom", "ev", {"x": "hi"}),
        ("chat_start", [["hi"]], True, ["t"], ["m"]),
        ("token", "a", "ChatGenerationChunk"), ("token", " ", "ChatGenerationChunk"), ("token", "b", "ChatGenerationChunk"),
        ("llm_end", "a b", "LLMResult"),
        ("tool_start", "{'s': 'hi'}", {"s": "hi"}),
        ("tool_end", "HI"),
        ("chain_end", "HI"),
    ]


async def test_errors_reach_the_error_method() -> None:
    def boom(x: int) -> int:
        raise ValueError("no")

    handler = Recorder()
    with pytest.raises(ValueError, match="no"):
        await RunnableLambda(boom).ainvoke(1, {"callbacks": handler})  # type: ignore[typeddict-item]
    assert handler.log == [("chain_start", 1, "boom"), ("chain_error", "ValueError('no')")]


def test_a_langchain_handler_on_tributarys_base_class_is_refused_when_defined() -> None:
    from runtime.tracing import BaseCallbackHandler

    with pytest.raises(TypeError, match=r"Ported defines LangChain callback methods \(on_chain_start, on_llm_new_token\(token, \.\.\.\)\)"):
        class Ported(BaseCallbackHandler):
            def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None: ...

            def on_llm_new_token(self, token: str, **kwargs: Any) -> None:  # type: ignore[override]
                ...
