"""Where each seed example comes from, so the count can be audited.

The seed documents (the project's ``shared/seeds/*.txt``, not part of this
repository) hold 89 fenced ``python`` blocks. Each is either ported into
``examples/`` (``EXAMPLES``: the file, its seed document and the blocks it
carries; a fragment that continues an earlier block shares its file) or is not
code to run (``NOT_RUN``, with the reason). Set-up that a block needs but does
not contain (a graph it calls ``app``, a tool defined further down the page) is
written into the example and marked there; it is not listed here.
"""

from __future__ import annotations

SEEDS = {
    "000": "000_ca59ccfc59c70186.txt",
    "001": "001_71b8d8ea32dcd63d.txt",
    "002": "002_e56bef31cd70f05b.txt",
    "003": "003_0d156399ef0c4c81.txt",
    "004": "004_1d58dcf40080a33e.txt",
}

# Fenced ``python`` blocks per seed document, counted in document order.
PYTHON_BLOCKS = {"000": 3, "001": 28, "002": 6, "003": 19, "004": 33}

NOT_RUN: dict[tuple[str, int], str] = {
    ("000", 1): "a signature listing (`input_data: dict, *, version: str = ...` as call arguments), not executable Python",
    ("000", 2): "an outline: `async for ... in graph.astream_events(...):` with no body; block 3 is its complete form",
    ("001", 1): "a shell command (`pip install -qU langchain-anthropic`) in a python fence",
}

# example file stem -> (seed document, the blocks it carries)
EXAMPLES: dict[str, tuple[str, tuple[int, ...]]] = {
    "s000_03_print_model_tokens": ("000", (3,)),
    "s001_02_model_astream": ("001", (2, 3, 4)),
    "s001_05_prompt_model_parser": ("001", (5,)),
    "s001_06_json_parser_stream": ("001", (6,)),
    "s001_07_non_streaming_step": ("001", (7,)),
    "s001_08_generator_keeps_streaming": ("001", (8,)),
    "s001_09_retrieval_chain": ("001", (9, 10, 11)),
    "s001_12_version": ("001", (12,)),
    "s001_13_model_events_v1": ("001", (13, 14, 15)),
    "s001_16_chain_events_v1": ("001", (16, 17)),
    "s001_18_model_and_parser_chunks": ("001", (18,)),
    "s001_19_filter_include_names": ("001", (19,)),
    "s001_20_filter_include_types": ("001", (20,)),
    "s001_21_filter_include_tags": ("001", (21,)),
    "s001_22_non_streaming_events": ("001", (22, 23, 24)),
    "s001_25_tool_callbacks": ("001", (25, 26)),
    "s001_27_async_lambda_events": ("001", (27,)),
    "s001_28_chain_decorator_events": ("001", (28,)),
    "s002_01_tool_inner_chain": ("002", (1, 2, 3)),
    "s002_04_tool_passes_config": ("002", (4, 5, 6)),
    "s003_01_basic_and_resume": ("003", (1,)),
    "s003_02_event_shape": ("003", (2,)),
    "s003_03_v2_loop": ("003", (3,)),
    "s003_04_match_events": ("003", (4,)),
    "s003_05_model_tokens": ("003", (5,)),
    "s003_06_one_node": ("003", (6,)),
    "s003_07_tags": ("003", (7,)),
    "s003_08_combined_filters": ("003", (8,)),
    "s003_09_llm_in_node": ("003", (9,)),
    "s003_10_accumulate": ("003", (10,)),
    "s003_11_per_model_outputs": ("003", (11,)),
    "s003_12_stream_modes": ("003", (12,)),
    "s003_13_custom_events": ("003", (13,)),
    "s003_14_fastapi_websocket": ("003", (14,)),
    "s003_15_fastapi_sse": ("003", (15,)),
    "s003_16_filter_early": ("003", (16,)),
    "s003_17_batches": ("003", (17,)),
    "s003_18_queue": ("003", (18,)),
    "s003_19_stream_nodes": ("003", (19,)),
    "s004_01_agent_updates": ("004", (1,)),
    "s004_02_agent_updates_async": ("004", (2,)),
    "s004_03_agent_messages": ("004", (3,)),
    "s004_04_agent_messages_async": ("004", (4,)),
    "s004_05_agent_custom": ("004", (5,)),
    "s004_06_agent_custom_async": ("004", (6,)),
    "s004_07_agent_modes": ("004", (7,)),
    "s004_08_agent_modes_async": ("004", (8,)),
    "s004_09_graph_updates": ("004", (9,)),
    "s004_10_graph_updates_async": ("004", (10,)),
    "s004_11_joke_updates": ("004", (11,)),
    "s004_12_updates_and_custom": ("004", (12,)),
    "s004_13_updates_and_custom_async": ("004", (13,)),
    "s004_14_define_and_stream_updates": ("004", (14, 15)),
    "s004_16_stream_values": ("004", (16,)),
    "s004_17_subgraphs_updates": ("004", (17,)),
    "s004_18_subgraph_example": ("004", (18,)),
    "s004_19_stream_debug": ("004", (19,)),
    "s004_20_messages_dataclass_state": ("004", (20,)),
    "s004_21_filter_by_tags": ("004", (21,)),
    "s004_22_async_node_config": ("004", (22,)),
    "s004_23_filter_by_node": ("004", (23,)),
    "s004_24_concurrent_nodes": ("004", (24,)),
    "s004_25_custom_from_node": ("004", (25,)),
    "s004_26_custom_from_tool": ("004", (26,)),
    "s004_27_any_llm_custom": ("004", (27,)),
    "s004_28_openai_client_tool": ("004", (28, 29)),
    "s004_30_disable_streaming": ("004", (30,)),
    "s004_31_disable_streaming_openai": ("004", (31,)),
    "s004_32_async_messages_config": ("004", (32,)),
    "s004_33_writer_parameter": ("004", (33,)),
}

# Examples that only make sense on asyncio (asyncio.Queue; an ASGI app under
# Starlette's TestClient, which runs it on an asyncio loop of its own): they are not also run with trio as the host.
ASYNCIO_ONLY = frozenset({"s003_14_fastapi_websocket", "s003_18_queue"})
