"""Seed 001, python block 27 (with block 25's ``reverse_word``): an async ``RunnableLambda`` calling another runnable.

The top-level ``await`` and ``async for`` run inside ``asyncio.run(main())``;
the value of the bare ``await`` line (a notebook cell's) is printed.
"""

import asyncio

from runtime.runnables import RunnableLambda


def reverse_word(word: str):
    return word[::-1]


reverse_word = RunnableLambda(reverse_word)  # block 25


async def reverse_and_double(word: str):
    return await reverse_word.ainvoke(word) * 2


reverse_and_double = RunnableLambda(reverse_and_double)


async def main() -> None:
    print(repr(await reverse_and_double.ainvoke("1234")))

    async for event in reverse_and_double.astream_events("1234", version="v1"):
        print(event)


asyncio.run(main())
