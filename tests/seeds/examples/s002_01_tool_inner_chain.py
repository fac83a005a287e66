"""Seed 002, python blocks 1, 2 and 3: a tool whose body runs a chain, invoked and then streamed as events.

``model`` (ChatAnthropic in the document) is a scripted fake. The top-level
``await`` lines run inside ``asyncio.run(main())``; the value of block 2's
bare ``await`` is printed. Block 3's comment says its ``on_chat_model_end``
never shows on Python <= 3.10; on 3.11+ the tool's context reaches the inner
chain, so it does (as with langchain-core 1.8).
"""

import asyncio

from runtime.prompts import ChatPromptTemplate
from runtime.runnables import StrOutputParser
from runtime.tools import tool
from seed_fakes import chat_model

model = chat_model("Bee defies physics; Barry chooses outfit for graduation day.")


@tool
async def special_summarization_tool(long_text: str) -> str:
    """A tool that summarizes input text using advanced techniques."""
    prompt = ChatPromptTemplate.from_template(
        "You are an expert writer. Summarize the following text in 10 words or less:\n\n{long_text}"
    )

    def reverse(x: str):
        return x[::-1]

    chain = prompt | model | StrOutputParser() | reverse
    summary = await chain.ainvoke({"long_text": long_text})
    return summary


# block 2
LONG_TEXT = """
NARRATOR:
(Black screen with text; The sound of buzzing bees can be heard)
According to all known laws of aviation, there is no way a bee should be able to fly. Its wings are too small to get its fat little body off the ground. The bee, of course, flies anyway because bees don't care what humans think is impossible.
BARRY BENSON:
(Barry is picking out a shirt)
Yellow, black. Yellow, black. Yellow, black. Yellow, black. Ooh, black and yellow! Let's shake it up a little.
JANET BENSON:
Barry! Breakfast is ready!
BARRY:
Coming! Hang on a second.
"""


async def main() -> None:
    print(repr(await special_summarization_tool.ainvoke({"long_text": LONG_TEXT})))

    # block 3
    stream = special_summarization_tool.astream_events(
        {"long_text": LONG_TEXT}, version="v2"
    )

    async for event in stream:
        if event["event"] == "on_chat_model_end":
            # Never triggers in python<=3.10!
            print(event)


asyncio.run(main())
