"""Seed 001, python block 5: ``prompt | model | StrOutputParser()`` streamed.

``model`` comes from block 2 (a scripted fake here, replacing ChatAnthropic).
"""

import asyncio

from runtime.prompts import ChatPromptTemplate
from runtime.runnables import StrOutputParser
from seed_fakes import chat_model

model = chat_model("Here's a silly joke about a parrot: What kind of teacher gives good advice? An ap-parent one!")

prompt = ChatPromptTemplate.from_template("tell me a joke about {topic}")
parser = StrOutputParser()
chain = prompt | model | parser


async def main() -> None:
    async for chunk in chain.astream({"topic": "parrot"}):
        print(chunk, end="|", flush=True)


asyncio.run(main())
