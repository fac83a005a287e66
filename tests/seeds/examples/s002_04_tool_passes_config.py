"""Seed 002, python blocks 4, 5 and 6 (with block 2's text): a tool that passes its ``config`` to the inner chain.

``model`` (ChatAnthropic in the document) is a scripted fake.
"""

import asyncio

from runtime.prompts import ChatPromptTemplate
from runtime.runnables import RunnableConfig, StrOutputParser
from runtime.tools import tool
from seed_fakes import chat_model

model = chat_model("Bee defies physics; Barry chooses outfit for graduation day.")

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


@tool
async def special_summarization_tool_with_config(
    long_text: str, config: RunnableConfig
) -> str:
    """A tool that summarizes input text using advanced techniques."""
    prompt = ChatPromptTemplate.from_template(
        "You are an expert writer. Summarize the following text in 10 words or less:\n\n{long_text}"
    )

    def reverse(x: str):
        return x[::-1]

    chain = prompt | model | StrOutputParser() | reverse
    # Pass the "config" object as an argument to any executed runnables
    summary = await chain.ainvoke({"long_text": long_text}, config=config)
    return summary


async def main() -> None:
    # block 5
    stream = special_summarization_tool_with_config.astream_events(
        {"long_text": LONG_TEXT}, version="v2"
    )

    async for event in stream:
        if event["event"] == "on_chat_model_end":
            print(event)

    # block 6
    stream = special_summarization_tool_with_config.astream_events(
        {"long_text": LONG_TEXT}, version="v2"
    )

    async for event in stream:
        if event["event"] == "on_chat_model_stream":
            print(event)


asyncio.run(main())
