"""What the seed walk-throughs need in place of real providers.

:class:`ScriptedModel` streams a fixed token list (a stand-in for Anthropic's
tokenizer, so the JSON parser's partial outputs are the seed's exactly);
:data:`COUNTRY_TOKENS` spells the seed's countries answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from runtime.messages import AIMessageChunk, BaseMessage
from runtime.models import BaseChatModel

PROMPT = (
    "output a list of the countries france, spain and japan and their populations in JSON format. "
    'Use a dict with an outer key of "countries" which contains a list of countries. '
    "Each country should have the key `name` and `population`"
)

COUNTRY_TOKENS = [
    " Here", " is", " the", " JSON", " with", " the", " requested", " countries", " and", " their",
    " populations", ":", "\n\n```", "json", "\n{", "\n ", ' "', "countries", '":', " [", "\n   ", " {",
    "\n     ", ' "', "name", '":', ' "', "France", '",', "\n     ", ' "', "population", '":', " 67", "39",
    "15", "82", "\n   ", " },", "\n   ", " {", "\n     ", ' "', "name", '":', ' "', "Sp", "ain", '",',
    "\n     ", ' "', "population", '":', " 46", "75", "47", "78", "\n   ", " },", "\n   ", " {", "\n     ",
    ' "', "name", '":', ' "', "Japan", '",', "\n     ", ' "', "population", '":', " 12", "647", "64", "61",
    "\n   ", " }", "\n  ", "]", "\n}", "\n```",
]

SEED_JSON_OUTPUTS = [
    {},
    {"countries": []},
    {"countries": [{}]},
    {"countries": [{"name": ""}]},
    {"countries": [{"name": "France"}]},
    {"countries": [{"name": "France", "population": 67}]},
    {"countries": [{"name": "France", "population": 6739}]},
    {"countries": [{"name": "France", "population": 673915}]},
    {"countries": [{"name": "France", "population": 67391582}]},
    {"countries": [{"name": "France", "population": 67391582}, {}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": ""}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Sp"}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain"}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 4675}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 467547}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778}, {}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778},
                   {"name": ""}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778},
                   {"name": "Japan"}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778},
                   {"name": "Japan", "population": 12}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778},
                   {"name": "Japan", "population": 12647}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778},
                   {"name": "Japan", "population": 1264764}]},
    {"countries": [{"name": "France", "population": 67391582}, {"name": "Spain", "population": 46754778},
                   {"name": "Japan", "population": 126476461}]},
]


class ScriptedModel(BaseChatModel):
    """A chat model that streams exactly ``tokens``."""

    def __init__(self, tokens: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tokens = tokens

    async def _astream(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
        for token in self.tokens:
            yield AIMessageChunk(token)


def strip_ids(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events without ``run_id``/``parent_ids`` (they differ per run), for comparing shapes."""
    return [{k: v for k, v in e.items() if k not in ("run_id", "parent_ids")} for e in events]


async def collect_events(stream: Any) -> list[dict[str, Any]]:
    async with stream as events:
        return [event async for event in events]
