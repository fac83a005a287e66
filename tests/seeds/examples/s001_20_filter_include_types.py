"""Seed 001, python block 20: ``astream_events`` filtered with ``include_types=["chat_model"]``; stop after 11 events.

``model`` (block 2) is a scripted fake.
"""

import asyncio

from runtime.runnables import JsonOutputParser
from seed_fakes import COUNTRIES_JSON_REPLY, chat_model

model = chat_model(COUNTRIES_JSON_REPLY)

chain = model.with_config({"run_name": "model"}) | JsonOutputParser().with_config(
    {"run_name": "my_parser"}
)


async def main() -> None:
    max_events = 0
    async for event in chain.astream_events(
        'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`',
        version="v1",
        include_types=["chat_model"],
    ):
        print(event)
        max_events += 1
        if max_events > 10:
            # 출력 자르기
            print("...")
            break


asyncio.run(main())
