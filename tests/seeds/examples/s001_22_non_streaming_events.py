"""Seed 001, python blocks 22, 23 and 24: a non-streaming step ends the chain's stream, yet its events still stream.

``model`` (block 2) is a scripted fake.
"""

import asyncio

from runtime.runnables import JsonOutputParser
from seed_fakes import COUNTRIES_JSON_REPLY, chat_model

model = chat_model(COUNTRIES_JSON_REPLY)

# 스트리밍을 지원하지 않는 함수.

# 입력 스트림이 아닌 최종 입력에서 작동합니다.


def _extract_country_names(inputs):
    """입력 스트림에서 작동하지 않고 스트리밍을 중단시키는 함수입니다."""
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


chain = (
    model | JsonOutputParser() | _extract_country_names
)  # 이 파서는 현재 OpenAI에서만 작동합니다.


async def main() -> None:
    # block 23
    async for chunk in chain.astream(
        'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`',
    ):
        print(chunk, flush=True)

    # block 24
    num_events = 0

    async for event in chain.astream_events(
        'output a list of the countries france, spain and japan and their populations in JSON format. Use a dict with an outer key of "countries" which contains a list of countries. Each country should have the key `name` and `population`',
        version="v1",
    ):
        kind = event["event"]
        if kind == "on_chat_model_stream":
            print(
                f"Chat model chunk: {repr(event['data']['chunk'].content)}",
                flush=True,
            )
        if kind == "on_parser_stream":
            print(f"Parser chunk: {event['data']['chunk']}", flush=True)
        num_events += 1
        if num_events > 30:
            # 출력 자르기
            print("...")
            break


asyncio.run(main())
