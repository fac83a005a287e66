"""Seed 001, python blocks 25 and 26: a tool calling a runnable, without and with passing ``callbacks`` on.

The document (written for Python < 3.11) shows no ``reverse_word`` events for
``bad_tool``. With langchain-core 1.8 on Python 3.11+ the run's context reaches
the inner runnable either way, so both tools show them; Tributary does the same.
"""

import asyncio

from runtime.runnables import RunnableLambda
from runtime.tools import tool


def reverse_word(word: str):
    return word[::-1]


reverse_word = RunnableLambda(reverse_word)


@tool
def bad_tool(word: str):
    """콜백을 전파하지 않는 커스텀 도구입니다."""
    return reverse_word.invoke(word)


# block 26
@tool
def correct_tool(word: str, callbacks):
    """콜백을 올바르게 전파하는 도구입니다."""
    return reverse_word.invoke(word, {"callbacks": callbacks})


async def main() -> None:
    async for event in bad_tool.astream_events("hello", version="v1"):
        print(event)

    # block 26
    async for event in correct_tool.astream_events("hello", version="v1"):
        print(event)


asyncio.run(main())
