"""Seed 001, python blocks 2, 3 and 4: a chat model's ``astream``; the first chunk; five chunks added up.

ChatAnthropic is replaced by a scripted fake model. Blocks 3 and 4 are notebook
cells showing an expression's value; here the values are printed (one line each).
"""

import asyncio

from seed_fakes import chat_model

# anthropic을 사용하여 예제를 보여주지만,

# 좋아하는 채팅 모델을 사용할 수 있습니다!

model = chat_model("Hello! My name is Claude. I'm an AI assistant created by Anthropic to be helpful, harmless, and honest.")


async def main() -> None:
    chunks = []
    async for chunk in model.astream("hello. tell me something about yourself"):
        chunks.append(chunk)
        print(chunk.content, end="|", flush=True)
    print()

    # block 3
    print(repr(chunks[0]))

    # block 4
    print(repr(chunks[0] + chunks[1] + chunks[2] + chunks[3] + chunks[4]))


asyncio.run(main())
