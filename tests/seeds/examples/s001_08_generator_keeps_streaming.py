"""Seed 001, python block 8: an async generator over the input stream keeps the chain streaming.

``model`` comes from block 2 (a scripted fake here).
"""

import asyncio

from runtime.runnables import JsonOutputParser
from seed_fakes import COUNTRIES_JSON_REPLY, chat_model

model = chat_model(COUNTRIES_JSON_REPLY)


async def _extract_country_names_streaming(input_stream):
    """입력 스트림에서 작동하는 함수입니다."""
    country_names_so_far = set()

    async for input in input_stream:
        if not isinstance(input, dict):
            continue

        if "countries" not in input:
            continue

        countries = input["countries"]

        if not isinstance(countries, list):
            continue

        for country in countries:
            name = country.get("name")
            if not name:
                continue
            if name not in country_names_so_far:
                yield name
                country_names_so_far.add(name)


chain = model | JsonOutputParser() | _extract_country_names_streaming


async def main() -> None:
    async for text in chain.astream(
        'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`'
    ):
        print(text, end="|", flush=True)


asyncio.run(main())
