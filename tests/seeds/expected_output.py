"""What each seed example must print: the documented output's shape, example by example.

The documents show output of hosted models; the ported examples answer with
scripted fakes (``seed_fakes``), so the checks hold the shape the documents
show — which events and in which order, which modes, how many chunks, what the
chunks add up to — with the scripted texts in place of the models' words.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from seed_apps import ANALYSIS, SUMMARY
from seed_fakes import COUNTRIES_JSON_REPLY

Check = Callable[[str], None]
CHECKS: dict[str, Check] = {}

COUNTRIES = {
    "countries": [
        {"name": "France", "population": 67391582},
        {"name": "Spain", "population": 47351567},
        {"name": "Japan", "population": 125584838},
    ]
}
_EVENT = re.compile(r"'event': '(\w+)'")
_NAME = re.compile(r"'name': '([^']*)'")


def check(name: str) -> Callable[[Check], Check]:
    """Register the check of the example ``name``."""

    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


def lines(out: str) -> list[str]:
    return out.splitlines()


def pipes(out: str) -> list[str]:
    """The pieces of ``print(x, end="|")`` output (the empty tail dropped)."""
    text = out.rstrip("\n")
    return text[:-1].split("|") if text.endswith("|") else text.split("|")


def literals(out: str) -> list[object]:
    """Every printed line that is a Python literal (dicts, lists, tuples, strings)."""
    return [ast.literal_eval(line) for line in lines(out) if line[:1] in "{[('\""]


def events(out: str) -> list[tuple[str, str]]:
    """``(event, name)`` of every printed event dict."""
    found = []
    for line in lines(out):
        kind, name = _EVENT.search(line), _NAME.search(line)
        if kind and name:
            found.append((kind.group(1), name.group(1)))
    return found


def growing(values: list[str], final: str) -> None:
    """Each value a prefix of the next, ending at ``final``."""
    assert values and values[-1] == final, values[-3:]
    assert all(final.startswith(v) for v in values), values


# -- seed 000 ---------------------------------------------------------------------------------


@check("s000_03_print_model_tokens")
def _(out: str) -> None:
    text, *ends = out.split("\n[Graph execution completed]")
    assert text == "Hello, how can I help you today?"
    assert len(ends) >= 2 and out.rstrip().endswith("[Graph execution completed]")  # the node's end, then the graph's


# -- seed 001 ---------------------------------------------------------------------------------


@check("s001_02_model_astream")
def _(out: str) -> None:
    streamed, first, five = lines(out)
    tokens = pipes(streamed)
    assert "".join(tokens).startswith("Hello! My name is Claude.") and len(tokens) > 5
    assert first.startswith("AIMessageChunk(content='Hello!'")
    assert five.startswith("AIMessageChunk(content='Hello! My name'")  # five chunks added up


@check("s001_05_prompt_model_parser")
def _(out: str) -> None:
    tokens = pipes(out)
    assert len(tokens) > 10 and all(isinstance(t, str) for t in tokens)
    assert "".join(tokens).startswith("Here's a silly joke about a parrot")


@check("s001_06_json_parser_stream")
def _(out: str) -> None:
    values = literals(out)
    assert values[0] == {} and values[-1] == COUNTRIES
    assert len(values) >= 7 and len({repr(v) for v in values}) == len(values)  # each chunk a new, larger parse
    assert {"countries": [{"name": "France"}]} in values


@check("s001_07_non_streaming_step")
def _(out: str) -> None:
    assert pipes(out) == ["['France', 'Spain', 'Japan']"]  # one chunk: the function ran on the final input


@check("s001_08_generator_keeps_streaming")
def _(out: str) -> None:
    assert pipes(out) == ["France", "Spain", "Japan"]  # names as soon as they parse


@check("s001_09_retrieval_chain")
def _(out: str) -> None:
    documents, answer = lines(out)
    assert documents.startswith("[[Document(") and documents.endswith(")]]")  # one chunk: the list of documents
    assert re.findall(r"page_content='([^']*)'", documents) == ["harrison worked at kensho", "harrison likes spicy food"]
    tokens = pipes(answer)
    assert len(tokens) > 10 and "".join(tokens).endswith("he worked at Kensho.")


@check("s001_12_version")
def _(out: str) -> None:
    assert re.fullmatch(r"'\d+\.\d+\.\d+'\n", out)


@check("s001_13_model_events_v1")
def _(out: str) -> None:
    shown = lines(out)
    assert len(shown) == 5
    assert shown[0] == "on_chat_model_start GenericFakeChatModel {'input': 'hello'}"
    assert all(line.startswith("on_chat_model_stream GenericFakeChatModel {'chunk': AIMessageChunk(") for line in shown[1:4])
    assert shown[4].startswith(
        "on_chat_model_end GenericFakeChatModel {'output': AIMessageChunk(content='Hello! How can I help?'"
    )


@check("s001_16_chain_events_v1")
def _(out: str) -> None:
    assert lines(out) == [
        "on_chain_start RunnableSequence []",
        "on_chat_model_start GenericFakeChatModel ['seq:step:1']",
        "on_chat_model_stream GenericFakeChatModel ['seq:step:1']",
    ]


def _model_and_parser_chunks(out: str) -> None:
    shown = lines(out)
    assert shown[-1] == "..."  # cut after 30 events
    model = [ast.literal_eval(line.removeprefix("Chat model chunk: ")) for line in shown if line.startswith("Chat model")]
    parsed = [ast.literal_eval(line.removeprefix("Parser chunk: ")) for line in shown if line.startswith("Parser")]
    assert COUNTRIES_JSON_REPLY.startswith("".join(model)) and len(model) > 20
    assert parsed and parsed[0] == {}
    first_parse = shown.index("Parser chunk: {}")
    assert "```json" in "".join(model[: first_parse])  # the parser's first chunk follows the opening of the JSON


check("s001_18_model_and_parser_chunks")(_model_and_parser_chunks)


@check("s001_19_filter_include_names")
def _(out: str) -> None:
    shown = events(out)
    assert len(shown) == 11 and lines(out)[-1] == "..."
    assert shown[0] == ("on_parser_start", "my_parser")
    assert all(event == ("on_parser_stream", "my_parser") for event in shown[1:])


@check("s001_20_filter_include_types")
def _(out: str) -> None:
    shown = events(out)
    assert len(shown) == 11 and lines(out)[-1] == "..."
    assert shown[0] == ("on_chat_model_start", "model")
    assert all(event == ("on_chat_model_stream", "model") for event in shown[1:])
    assert "'tags': ['seq:step:1']" in lines(out)[0]


@check("s001_21_filter_include_tags")
def _(out: str) -> None:
    shown = events(out)
    assert len(shown) == 11 and lines(out)[-1] == "..."
    assert shown[0] == ("on_chain_start", "RunnableSequence") and "'tags': ['my_chain']" in lines(out)[0]
    assert shown[1] == ("on_chat_model_start", "GenericFakeChatModel")
    assert "'tags': ['seq:step:1', 'my_chain']" in lines(out)[1]
    assert ("on_parser_start", "JsonOutputParser") in shown


@check("s001_22_non_streaming_events")
def _(out: str) -> None:
    shown = lines(out)
    assert shown[0] == "['France', 'Spain', 'Japan']"  # astream: one chunk
    _model_and_parser_chunks("\n".join(shown[1:]))  # astream_events: the model and the parser still stream


def _tool_events(out: str, tool: str) -> None:
    assert events(out) == [
        ("on_tool_start", tool), ("on_chain_start", "reverse_word"), ("on_chain_end", "reverse_word"),
        ("on_tool_stream", tool), ("on_tool_end", tool),
    ]
    assert "'data': {'input': 'hello'}" in lines(out)[0]
    assert "'data': {'chunk': 'olleh'}" in lines(out)[3] and "'data': {'output': 'olleh'}" in lines(out)[4]


@check("s001_25_tool_callbacks")
def _(out: str) -> None:
    shown = lines(out)
    assert len(shown) == 10
    _tool_events("\n".join(shown[:5]), "bad_tool")
    _tool_events("\n".join(shown[5:]), "correct_tool")


def _reverse_and_double(out: str) -> None:
    first, *rest = lines(out)
    assert first == "'43214321'"
    assert events("\n".join(rest)) == [
        ("on_chain_start", "reverse_and_double"), ("on_chain_start", "reverse_word"), ("on_chain_end", "reverse_word"),
        ("on_chain_stream", "reverse_and_double"), ("on_chain_end", "reverse_and_double"),
    ]
    assert "'data': {'input': '1234', 'output': '4321'}" in rest[2]
    assert "'data': {'chunk': '43214321'}" in rest[3]


check("s001_27_async_lambda_events")(_reverse_and_double)
check("s001_28_chain_decorator_events")(_reverse_and_double)

# -- seed 002 ---------------------------------------------------------------------------------

_SUMMARY = "Bee defies physics; Barry chooses outfit for graduation day."


@check("s002_01_tool_inner_chain")
def _(out: str) -> None:
    shown = lines(out)
    assert shown[0] == repr(_SUMMARY[::-1])
    assert events("\n".join(shown[1:])) == [("on_chat_model_end", "GenericFakeChatModel")]
    assert f"AIMessage(content='{_SUMMARY}'" in shown[1] and "'tags': ['seq:step:2']" in shown[1]


@check("s002_04_tool_passes_config")
def _(out: str) -> None:
    shown = lines(out)
    assert events(shown[0]) == [("on_chat_model_end", "GenericFakeChatModel")]
    streamed = events("\n".join(shown[1:]))
    assert len(streamed) > 5 and set(streamed) == {("on_chat_model_stream", "GenericFakeChatModel")}
    contents = [re.search(r"AIMessageChunk\(content='([^']*)'", line).group(1) for line in shown[1:]]  # type: ignore[union-attr]
    assert "".join(contents) == _SUMMARY


# -- seed 003 ---------------------------------------------------------------------------------


@check("s003_01_basic_and_resume")
def _(out: str) -> None:
    shown = lines(out)
    assert shown[:3] == ["on_chain_start: LangGraph", "on_chain_stream: LangGraph", "on_chain_end: LangGraph"]
    assert shown[3:-1] == [
        "resumed on_chain_start: LangGraph", "resumed on_chain_start: process_node",
        "resumed on_chain_stream: process_node", "resumed on_chain_end: process_node",
        "resumed on_chain_stream: LangGraph", "resumed on_chain_end: LangGraph",
    ]
    assert shown[-1] == "{'input': 'data', 'output': 'DATA'}"


@check("s003_02_event_shape")
def _(out: str) -> None:
    assert lines(out) == [
        "documented keys: ['data', 'event', 'metadata', 'name', 'run_id', 'tags']",
        "event keys: ['data', 'event', 'metadata', 'name', 'parent_ids', 'run_id', 'tags']",
        "missing: []",
        "data keys: ['input']",
    ]


@check("s003_03_v2_loop")
def _(out: str) -> None:
    counts = {kind: int(n) for kind, n in (line.split() for line in lines(out))}
    assert counts["on_chain_start"] == counts["on_chain_end"] == 3  # the graph and its two nodes
    assert counts["on_chat_model_start"] == counts["on_chat_model_end"] == 2
    assert counts["on_chat_model_stream"] > 10


@check("s003_04_match_events")
def _(out: str) -> None:
    shown = lines(out)
    assert shown[0] == "Starting LangGraph"
    assert "Calling tool get_weather with {'city': 'sf'}" in shown
    assert shown.index("Starting tools") < shown.index("Calling tool get_weather with {'city': 'sf'}")
    assert any(line.startswith("Finished tools: {'messages': [ToolMessage(content=\"It's always sunny in sf!\"") for line in shown)
    assert "The weather in sf is sunny!" in out  # the model's tokens, printed as they stream
    assert shown[-1].startswith("Finished LangGraph: {'messages': [HumanMessage(")
    assert not any(line.startswith("Error in") for line in shown)


@check("s003_05_model_tokens")
def _(out: str) -> None:
    assert out == SUMMARY + ANALYSIS


@check("s003_06_one_node")
def _(out: str) -> None:
    kinds = [line.split(":")[0] for line in lines(out)]
    assert kinds == ["on_chain_start", "on_chain_stream", "on_chain_end"]
    assert SUMMARY in lines(out)[1] and ANALYSIS not in out


@check("s003_07_tags")
def _(out: str) -> None:
    # As LangGraph under astream_events: the node's runnable streams, so its chunk is an event too.
    assert lines(out) == [
        "critical on_chain_start: process_fn", "critical on_chain_stream: process_fn", "critical on_chain_end: process_fn",
    ]


@check("s003_08_combined_filters")
def _(out: str) -> None:
    assert "".join(pipes(out)) == ANALYSIS and len(pipes(out)) > 5


@check("s003_09_llm_in_node")
def _(out: str) -> None:
    assert lines(out) == ["Streaming happens automatically, token by token.", "2"]  # the user's message and the reply


@check("s003_10_accumulate")
def _(out: str) -> None:
    assert out.endswith(f"\n\nFull response: {SUMMARY}{ANALYSIS}\n")
    assert out.startswith(SUMMARY + ANALYSIS)


@check("s003_11_per_model_outputs")
def _(out: str) -> None:
    assert literals(out) == [{"summarizer": SUMMARY, "analyzer": ANALYSIS}]


@check("s003_12_stream_modes")
def _(out: str) -> None:
    shapes = [line for line in lines(out) if " -> " in line]
    assert [s for s in shapes if s.startswith("values")] == ["values -> dict ['messages']"] * 3
    assert [s for s in shapes if s.startswith("updates")] == [
        "updates -> dict ['summarize_node']", "updates -> dict ['analyze_node']",
    ]
    messages = [s for s in shapes if s.startswith("messages")]
    assert len(messages) > 10 and all(s.startswith("messages -> tuple AIMessageChunk ") for s in messages)
    assert {s.split()[-1] for s in messages} == {"summarize_node", "analyze_node"}
    debug = [s.split()[-1] for s in shapes if s.startswith("debug")]
    assert {"checkpoint", "task", "task_result"} == set(debug) and debug.count("task") == 2
    combined = [s.split()[-1] for s in shapes if s.startswith("combined")]
    assert combined.count("updates") == 2 and combined.count("messages") > 10


@check("s003_13_custom_events")
def _(out: str) -> None:
    shown = lines(out)
    assert literals("\n".join(shown[:2])) == [
        {"progress": 0.5, "status": "Processing...", "metadata": {"items": 10}},
        {"progress": 1.0, "status": "Complete"},
    ]
    assert shown[2:] == ["Progress: 0.5", "Progress: 1.0"]


_JOKE_EVENTS = ["on_chain_start", "on_chain_start", "on_chain_stream", "on_chain_end", "on_chain_stream", "on_chain_end"]


@check("s003_14_fastapi_websocket")
def _(out: str) -> None:
    received = [line.split(" ", 2) for line in lines(out)]
    assert [kind for kind, _, _ in received] == _JOKE_EVENTS
    assert [name for _, name, _ in received] == [
        "LangGraph", "generate_joke", "generate_joke", "generate_joke", "LangGraph", "LangGraph",
    ]
    assert received[-1][2] == '{"output": {"joke": "This is a joke about cats", "topic": "cats"}}'


@check("s003_15_fastapi_sse")
def _(out: str) -> None:
    shown = lines(out)
    assert shown[0].startswith("text/event-stream")
    assert [line.removeprefix("event: ") for line in shown[1::2]] == _JOKE_EVENTS
    assert all(line.startswith("data: {") for line in shown[2::2])
    assert shown[-1] == 'data: {"output": {"topic": "cats", "joke": "This is a joke about cats"}}'


@check("s003_16_filter_early")
def _(out: str) -> None:
    (calls,) = literals(out)
    assert isinstance(calls, dict)
    assert calls["expensive_operation"] > calls["process_event"] > 10


@check("s003_17_batches")
def _(out: str) -> None:
    sizes = [int(line.removeprefix("batch of ")) for line in lines(out)]
    assert len(sizes) >= 3 and all(size == 10 for size in sizes[:-1]) and 0 < sizes[-1] <= 10


@check("s003_18_queue")
def _(out: str) -> None:
    (line,) = lines(out)
    _, direct, _, queued, _, rows = line.split()
    assert int(direct) == int(queued) > 10 and int(rows) == 2 * int(direct)


@check("s003_19_stream_nodes")
def _(out: str) -> None:
    assert lines(out) == [
        "on_chain_start summarize_node", "on_chain_stream summarize_node", "on_chain_end summarize_node",
    ]


# -- seed 004 ---------------------------------------------------------------------------------


def _agent_updates(out: str) -> None:
    updates = [line for line in lines(out) if line]
    assert [line.split("'")[1] for line in updates] == ["agent", "tools", "agent"]
    assert "tool_calls=[{'name': 'get_weather', 'args': {'city': 'sf'}" in updates[0]
    assert "ToolMessage(content=\"It's always sunny in sf!\"" in updates[1]
    assert "AIMessage(content='The weather in sf is sunny!'" in updates[2]
    assert out.count("\n\n\n") == 3  # print(chunk) then print("\n") after each


check("s004_01_agent_updates")(_agent_updates)
check("s004_02_agent_updates_async")(_agent_updates)


def _agent_messages(out: str) -> None:
    tokens = [line for line in lines(out) if line.startswith("Token ")]
    metadata = [line for line in lines(out) if line.startswith("Metadata ")]
    assert len(tokens) == len(metadata) > 5
    nodes = [re.search(r"'langgraph_node': '(\w+)'", line).group(1) for line in metadata]  # type: ignore[union-attr]
    assert nodes[0] == "agent" and "tools" in nodes and nodes[-1] == "agent"
    assert "tool_call_chunks=[{'name': 'get_weather'" in tokens[0]  # the call streams as chunks
    assert any("It's always sunny in sf!" in token for token in tokens)  # the tool's message
    text = "".join(re.match(r"Token content='([^']*)'", t).group(1) for t in tokens if t.startswith("Token content='"))  # type: ignore[union-attr]
    assert text == "The weather in sf is sunny!"


check("s004_03_agent_messages")(_agent_messages)
check("s004_04_agent_messages_async")(_agent_messages)


def _agent_custom(out: str) -> None:
    assert [line for line in lines(out) if line] == ["Looking up data for city: sf"]


check("s004_05_agent_custom")(_agent_custom)
check("s004_06_agent_custom_async")(_agent_custom)


def _agent_modes(out: str) -> None:
    shown = [line for line in lines(out) if line]
    assert "Looking up data for city: sf" in shown  # custom
    updates = [line for line in shown if line.startswith(("{'agent'", "{'tools'"))]
    assert [line.split("'")[1] for line in updates] == ["agent", "tools", "agent"]
    chunks = [line for line in shown if line.startswith("(")]  # messages: (chunk, metadata)
    assert len(chunks) > 5 and all("'langgraph_node': " in line for line in chunks)
    assert shown.index("Looking up data for city: sf") < shown.index(updates[1])


check("s004_07_agent_modes")(_agent_modes)
check("s004_08_agent_modes_async")(_agent_modes)

_JOKE_UPDATES = [
    {"refine_topic": {"topic": "ice cream and cats"}},
    {"generate_joke": {"joke": "This is a joke about ice cream and cats"}},
]


def _joke_updates(out: str) -> None:
    assert literals(out) == _JOKE_UPDATES


for _name in ("s004_09_graph_updates", "s004_10_graph_updates_async", "s004_11_joke_updates",
              "s004_14_define_and_stream_updates"):
    check(_name)(_joke_updates)


def _updates_and_custom(out: str) -> None:
    assert literals(out) == [
        {"status": "writing a joke about ice cream"},
        {"generate_joke": {"joke": "This is a joke about ice cream"}},
    ]


check("s004_12_updates_and_custom")(_updates_and_custom)
check("s004_13_updates_and_custom_async")(_updates_and_custom)


@check("s004_16_stream_values")
def _(out: str) -> None:
    assert literals(out) == [
        {"topic": "ice cream"},
        {"topic": "ice cream and cats"},
        {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"},
    ]


def _subgraph_updates(out: str) -> None:
    chunks = literals(out)
    assert [chunk[1] for chunk in chunks] == [  # type: ignore[index]
        {"node_1": {"foo": "hi! foo"}},
        {"subgraph_node_1": {"bar": "bar"}},
        {"subgraph_node_2": {"foo": "hi! foobar"}},
        {"node_2": {"foo": "hi! foobar"}},
    ]
    namespaces = [chunk[0] for chunk in chunks]  # type: ignore[index]
    assert namespaces[0] == namespaces[3] == ()
    assert namespaces[1] == namespaces[2] and re.fullmatch(r"node_2:[0-9a-f-]{36}", namespaces[1][0])


check("s004_17_subgraphs_updates")(_subgraph_updates)
check("s004_18_subgraph_example")(_subgraph_updates)


@check("s004_19_stream_debug")
def _(out: str) -> None:
    shown = lines(out)
    kinds = [re.search(r"'type': '(\w+)'", line).group(1) for line in shown]  # type: ignore[union-attr]
    steps = [int(re.match(r"\{'step': (\d+)", line).group(1)) for line in shown]  # type: ignore[union-attr]
    assert kinds == ["task", "task_result", "task", "task_result"] and steps == [1, 1, 2, 2]
    assert "'name': 'refine_topic'" in shown[0] and "'name': 'generate_joke'" in shown[2]
    assert "'result': {'joke': 'This is a joke about ice cream and cats'}" in shown[3]


def _tokens(out: str, text: str) -> None:
    tokens = pipes(out)
    assert "".join(tokens) == text and len(tokens) > 3


@check("s004_20_messages_dataclass_state")
def _(out: str) -> None:
    _tokens(out, "Why did the ice cream truck break down? It had a rocky road.")


_JOKE = "Cats sit on keyboards to keep an eye on the mouse."


@check("s004_21_filter_by_tags")
def _(out: str) -> None:
    _tokens(out, _JOKE)  # the poem model's tokens are filtered out


@check("s004_22_async_node_config")
def _(out: str) -> None:
    assert "Writing joke...\n" in out and "\n\nWriting poem...\n" in out
    assert out.index("Writing joke...") < out.index("Writing poem...")
    streamed = out.replace("Writing joke...\n", "").replace("\n\nWriting poem...\n", "")
    _tokens(streamed, _JOKE)


@check("s004_23_filter_by_node")
def _(out: str) -> None:
    assert lines(out) == ["Tokens from the chosen node."]


@check("s004_24_concurrent_nodes")
def _(out: str) -> None:
    _tokens(out, "Whiskers in moonlight, soft paws on the sill.")


@check("s004_25_custom_from_node")
def _(out: str) -> None:
    assert literals(out) == [{"custom_key": "Generating custom data inside node"}]


@check("s004_26_custom_from_tool")
def _(out: str) -> None:
    assert literals(out) == [
        {"data": "Retrieved 0/100 records", "type": "progress"},
        {"data": "Retrieved 100/100 records", "type": "progress"},
    ]


@check("s004_27_any_llm_custom")
def _(out: str) -> None:
    assert literals(out) == [
        {"custom_llm_chunk": "Cats "}, {"custom_llm_chunk": "are "}, {"custom_llm_chunk": "great (cats)."},
    ]


@check("s004_28_openai_client_tool")
def _(out: str) -> None:
    _tokens(out, "Pillow: soft support for sleep, Lamp: light for reading, Wardrobe: holds clothes.")


@check("s004_30_disable_streaming")
def _(out: str) -> None:
    assert literals(out) == [["One whole reply, never streamed."]]


@check("s004_31_disable_streaming_openai")
def _(out: str) -> None:
    assert literals(out) == [["A considered answer, all at once."]]


@check("s004_32_async_messages_config")
def _(out: str) -> None:
    assert out.startswith("Generating joke...\n")
    _tokens(out.removeprefix("Generating joke...\n"), "Why did the ice cream go to school? To get a sundae education.")


@check("s004_33_writer_parameter")
def _(out: str) -> None:
    assert literals(out) == [{"custom_key": "Streaming custom data while generating a joke"}]
