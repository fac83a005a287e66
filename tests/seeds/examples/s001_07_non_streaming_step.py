"""Seed 001, python block 7: a plain function after the parser works on the final input only.

``model`` comes from block 2 (a scripted fake here).
"""

import asyncio

from runtime.runnables import JsonOutputParser
from seed_fakes import COUNTRIES_JSON_REPLY, chat_model

model = chat_model(COUNTRIES_JSON_REPLY)

# 최종 입력에서 작업하는 함수


def _extract_country_names(inputs):
    """최종 입력에서 작업하여 스트리밍을 깨뜨리는 함수입니다."""
    if not isinstance(inputs, dict):
        return ""

    if "countries" not in inputs:
        return ""

    countries = inputs["countries"]

    if not isinstance(countries, list):
        return ""

    country_names = [
        country.get("name") for country in countries if isinstance(country, dict)
    ]
    return country_names


chain = model | JsonOutputParser() | _extract_country_names


async def main() -> None:
    async for text in chain.astream(
        'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`'
    ):
        print(text, end="|", flush=True)


asyncio.run(main())
