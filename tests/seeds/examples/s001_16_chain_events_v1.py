"""Seed 001, python blocks 16 and 17: a chain's astream_events(version="v1"); the first three events.

``model`` (block 2) is a scripted fake. Block 17 is a notebook cell showing
``events[:3]``; here each event's kind, name and tags are printed.
"""

import asyncio

from runtime.runnables import JsonOutputParser
from seed_fakes import COUNTRIES_JSON_REPLY, chat_model

model = chat_model(COUNTRIES_JSON_REPLY)


async def main() -> None:
    chain = (
        model | JsonOutputParser()
    )  # 이전 버전의 Langchain에서 JsonOutputParser가 일부 모델의 결과를 스트리밍하지 않는 버그가 있었습니다.

    events = [
        event
        async for event in chain.astream_events(
            'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`',
            version="v1",
        )
    ]

    # block 17
    for event in events[:3]:
        print(event["event"], event["name"], event["tags"])


asyncio.run(main())
