"""Seed 001, python block 6: ``model | JsonOutputParser()`` streams ever more complete JSON.

``model`` comes from block 2 (a scripted fake here, whose reply is the JSON the document asks for).
"""

import asyncio

from runtime.runnables import JsonOutputParser
from seed_fakes import COUNTRIES_JSON_REPLY, chat_model

model = chat_model(COUNTRIES_JSON_REPLY)

chain = (
    model | JsonOutputParser()
)  # 이전 버전의 Langchain에서 JsonOutputParser가 일부 모델의 결과를 스트리밍하지 않는 버그로 인해 이 줄이 필요합니다.


async def main() -> None:
    async for text in chain.astream(
        'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`'
    ):
        print(text, flush=True)


asyncio.run(main())
