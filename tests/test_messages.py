"""Tests for runtime.messages: construction, chunk addition and conversion."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    ChatMessageChunk,
    FunctionMessage,
    ToolMessageChunk,
    count_tokens_approximately,
    filter_messages,
    get_buffer_string,
    merge_message_runs,
    message_to_dict,
    messages_from_dict,
    messages_to_dict,
    trim_messages,
    HumanMessage,
    HumanMessageChunk,
    RemoveMessage,
    SystemMessage,
    SystemMessageChunk,
    ToolMessage,
    convert_to_messages,
    merge_content,
    merge_dicts,
    message_chunk_to_message,
    tool_call_chunk,
)

ALL_MESSAGES: list[BaseMessage] = [
    HumanMessage("hi", id="1", name="bob"),
    SystemMessage(content="be brief"),
    AIMessage("x", id="2", tool_calls=[{"name": "f", "args": {"a": 1}, "id": "c"}],
              usage_metadata={"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}),
    AIMessageChunk("y", tool_call_chunks=[tool_call_chunk(name="f", args='{"a": 1', index=0)],
                   chunk_position="last"),
    ToolMessage("out", tool_call_id="c", artifact={"raw": 1}, status="error"),
    RemoveMessage(id="9"),
    HumanMessageChunk("h"),
    SystemMessageChunk("s"),
    ChatMessage("c", role="moderator"),
    ToolMessageChunk("t", tool_call_id="c"),
    FunctionMessage("f", name="fn"),
]


@pytest.mark.parametrize(
    ("message", "type_"),
    [(HumanMessage("a"), "human"), (AIMessage("a"), "ai"), (AIMessageChunk("a"), "AIMessageChunk"),
     (SystemMessage("a"), "system"), (ToolMessage("a", tool_call_id="t"), "tool"),
     (RemoveMessage(id="a"), "remove")],
)
def test_types(message: BaseMessage, type_: str) -> None:
    assert message.type == type_


def test_content_positional_or_keyword_and_value_equality() -> None:
    assert HumanMessage("hi") == HumanMessage(content="hi")
    assert AIMessage(content="x", id="1") == AIMessage("x", id="1")
    assert AIMessage("x", id="1") != AIMessage("x", id="2")
    assert AIMessage("x") != AIMessageChunk("x")  # the class is part of the value
    with pytest.raises(TypeError):
        HumanMessage("hi", {})  # type: ignore[misc]  # only content is positional


def test_messages_are_mutable() -> None:
    message = HumanMessage("hi")
    message.id = "new"
    assert message.id == "new"


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=lambda m: type(m).__name__)
def test_init_fields_rebuild_the_message(message: BaseMessage) -> None:
    # Init arguments are named by the fields' aliases (``type`` is LangChain's checked keyword).
    fields = {f.alias: getattr(message, f.name) for f in attrs.fields(type(message)) if f.init}
    assert type(message)(**fields) == message


def test_text_of_string_and_block_content() -> None:
    assert AIMessage("plain").text == "plain"
    blocks = ["a", {"type": "text", "text": "b"}, {"type": "image", "url": "u"}, {"type": "text"}]
    assert AIMessage(blocks).text == "ab"


def test_tool_calls_get_their_type_key() -> None:
    message = AIMessage("", tool_calls=[{"name": "f", "args": {}, "id": "1"}],
                        invalid_tool_calls=[{"name": "g", "args": "{", "id": "2", "error": None}])
    assert message.tool_calls == [{"name": "f", "args": {}, "id": "1", "type": "tool_call"}]
    assert message.invalid_tool_calls[0]["type"] == "invalid_tool_call"


def test_tool_message_coerces_content_and_call_id() -> None:
    message = ToolMessage(42, tool_call_id=7)  # type: ignore[arg-type]
    assert (message.content, message.tool_call_id, message.status) == ("42", "7", "success")
    assert ToolMessage([1, "a", {"k": 1}], tool_call_id="t").content == ["1", "a", {"k": 1}]
    with pytest.raises(TypeError):
        ToolMessage("x")  # type: ignore[call-arg]  # tool_call_id is required


def test_remove_message_takes_no_content() -> None:
    assert RemoveMessage("x") == RemoveMessage(id="x")
    with pytest.raises(ValueError, match="no content"):
        RemoveMessage(id="x", content="oops")


def test_repr_leaves_out_defaults() -> None:
    assert repr(AIMessageChunk(content=" Hello")) == "AIMessageChunk(content=' Hello')"
    assert repr(HumanMessage("a", id="1")) == "HumanMessage(content='a', id='1')"


def test_pretty_repr_banner() -> None:
    text = AIMessage("hello", name="bot", tool_calls=[{"name": "f", "args": {"q": 1}, "id": "c"}]
                     ).pretty_repr()
    banner = "=" * 34 + " Ai Message " + "=" * 34
    assert text.splitlines() == [
        banner, "Name: bot", "", "hello", "Tool Calls:", "  f (c)", " Call ID: c", "  Args:", "    q: 1",
    ]
    assert len(banner) == 80
    assert HumanMessage("x").pretty_repr().splitlines()[0] == "=" * 32 + " Human Message " + "=" * 33


# --- chunk addition ----------------------------------------------------------------------


def test_chunk_addition_merges_everything() -> None:
    left = AIMessageChunk(
        "Hel", id="lc_run--1", additional_kwargs={"function_call": {"arguments": None}},
        response_metadata={"model_name": "m", "ids": [1]},
        tool_call_chunks=[tool_call_chunk(name="search", args='{"q": "fr', id="c1", index=0)],
        usage_metadata={"input_tokens": 3, "output_tokens": 1, "total_tokens": 4},
    )
    right = AIMessageChunk(
        "lo", id="provider-id", additional_kwargs={"function_call": {"arguments": "{\n"}},
        response_metadata={"finish_reason": "stop", "ids": [2]},
        tool_call_chunks=[tool_call_chunk(args='ance"}', index=0),
                          tool_call_chunk(name="calc", args="{", id="c2", index=1)],
        usage_metadata={"input_tokens": 0, "output_tokens": 2, "total_tokens": 2},
        chunk_position="last",
    )
    total = left + right
    assert isinstance(total, AIMessageChunk)
    assert total.content == "Hello"
    assert total.id == "provider-id"  # a provider's id beats a generated one
    assert total.additional_kwargs == {"function_call": {"arguments": "{\n"}}
    assert total.response_metadata == {"model_name": "m", "ids": [1, 2], "finish_reason": "stop"}
    assert total.tool_call_chunks == [
        {"name": "search", "args": '{"q": "france"}', "id": "c1", "index": 0, "type": "tool_call_chunk"},
        {"name": "calc", "args": "{", "id": "c2", "index": 1, "type": "tool_call_chunk"},
    ]
    assert total.tool_calls == [
        {"name": "search", "args": {"q": "france"}, "id": "c1", "type": "tool_call"},
        {"name": "calc", "args": {}, "id": "c2", "type": "tool_call"},
    ]
    assert total.usage_metadata == {"input_tokens": 3, "output_tokens": 3, "total_tokens": 6}
    assert total.chunk_position == "last"
    assert (right + left).chunk_position == "last"
    assert left.content == "Hel" and left.tool_call_chunks[0]["args"] == '{"q": "fr'  # untouched


def test_first_id_wins_among_equals_and_none_is_skipped() -> None:
    assert (AIMessageChunk("a") + AIMessageChunk("b", id="x") + AIMessageChunk("c", id="y")).id == "x"
    assert (AIMessageChunk("a", id="lc_1") + AIMessageChunk("b", id="lc_run-2")).id == "lc_run-2"


def test_unparseable_tool_args_become_invalid_tool_calls() -> None:
    chunk = AIMessageChunk("", tool_call_chunks=[
        tool_call_chunk(name="f", args="[1, 2]", id="a", index=0),  # not a dict
        tool_call_chunk(name="g", args="{]", id="b", index=1),  # never JSON
        tool_call_chunk(name="h", args=None, id="c", index=2),  # no args yet
    ])
    assert chunk.tool_calls == [{"name": "h", "args": {}, "id": "c", "type": "tool_call"}]
    assert [(c["name"], c["args"]) for c in chunk.invalid_tool_calls] == [("f", "[1, 2]"), ("g", "{]")]


def test_chunks_with_different_ids_at_one_index_stay_apart() -> None:
    total = (AIMessageChunk("", tool_call_chunks=[tool_call_chunk(args="{}", id="a", index=0)])
             + AIMessageChunk("", tool_call_chunks=[tool_call_chunk(args="{}", id="b", index=0)]))
    assert [c["id"] for c in total.tool_call_chunks] == ["a", "b"]


def test_sum_list_and_bad_operands() -> None:
    chunks = [AIMessageChunk("a"), AIMessageChunk("b"), AIMessageChunk("c")]
    assert sum(chunks).content == "abc"  # type: ignore[attr-defined]
    assert (chunks[0] + chunks[1:]).content == "abc"
    assert (HumanMessageChunk("a") + HumanMessageChunk("b", id="1")) == HumanMessageChunk("ab", id="1")
    with pytest.raises(TypeError):
        chunks[0] + "d"  # type: ignore[operator]
    with pytest.raises(TypeError):
        AIMessage("a") + AIMessage("b")  # type: ignore[operator]


def test_merge_dicts_rejects_mismatched_types() -> None:
    with pytest.raises(TypeError, match="'k'"):
        merge_dicts({"k": "a"}, {"k": 1})
    assert merge_dicts({"index": 1, "n": 1, "id": "x"}, {"index": 2, "n": 2, "id": "x"}) == {
        "index": 2, "n": 3, "id": "x"}


def test_list_content_merging() -> None:
    # langchain-core 1.8's merge_content, observed: lists append their items (dict blocks
    # with the same index merge), a string before a list becomes its first item.
    assert merge_content("a", ["b", {"type": "image"}]) == ["a", "b", {"type": "image"}]
    assert merge_content(["x"], ["y"]) == ["x", "y"]
    assert merge_content(["a"], "b") == ["ab"]
    assert merge_content([{"type": "image"}], "b") == [{"type": "image"}, "b"]
    assert merge_content([{"type": "image"}], "") == [{"type": "image"}]
    assert merge_content("", [{"type": "image"}]) == ["", {"type": "image"}]
    assert merge_content([], "y") == [] and merge_content("", []) == [""]
    chunks = [AIMessageChunk(["a"]), AIMessageChunk(["b"]), AIMessageChunk("c")]
    assert sum(chunks, AIMessageChunk("")).content == ["", "a", "bc"]
    left = [{"type": "text", "text": "he", "index": 0}]
    assert merge_content(left, [{"type": "text", "text": "y", "index": 0}]) == [
        {"type": "text", "text": "hey", "index": 0}]
    assert left == [{"type": "text", "text": "he", "index": 0}]  # operands are not mutated


def test_message_chunk_to_message() -> None:
    chunk = AIMessageChunk("hi", id="1", tool_call_chunks=[tool_call_chunk(name="f", args='{"a": 1}', id="c",
                                                                           index=0)])
    message = message_chunk_to_message(chunk)
    assert message == AIMessage("hi", id="1", tool_calls=[{"name": "f", "args": {"a": 1}, "id": "c"}])
    assert type(message_chunk_to_message(HumanMessageChunk("x"))) is HumanMessage
    plain = HumanMessage("x")
    assert message_chunk_to_message(plain) is plain


def _split(text: str, cuts: list[int]) -> list[str]:
    points = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in zip(points, points[1:])] or [""]


def _sum_in_random_order(chunks: list[AIMessageChunk], data: st.DataObject) -> AIMessageChunk:
    """Add neighbours in an arbitrary order, i.e. under an arbitrary bracketing."""
    chunks = list(chunks)
    while len(chunks) > 1:
        i = data.draw(st.integers(0, len(chunks) - 2))
        chunks[i : i + 2] = [chunks[i] + chunks[i + 1]]  # type: ignore[list-item]
    return chunks[0]


@given(st.text(), st.dictionaries(st.text(max_size=4), st.integers() | st.text(), max_size=3),
       st.lists(st.integers(0, 10_000), max_size=6), st.data())
def test_chunk_addition_is_associative(
    text: str, args: dict[str, Any], cuts: list[int], data: st.DataObject
) -> None:
    """Split content and tool-call args into chunks anywhere; any bracketing of the sum
    gives the whole message back."""
    args_text = json.dumps(args)
    pieces = _split(text, cuts)
    arg_pieces = _split(args_text, data.draw(st.lists(st.integers(0, 10_000), max_size=6)))
    count = max(len(pieces), len(arg_pieces))
    pieces += [""] * (count - len(pieces))
    arg_pieces += [""] * (count - len(arg_pieces))
    chunks = [
        AIMessageChunk(p, tool_call_chunks=[tool_call_chunk(
            name="tool" if i == 0 else None, id="call" if i == 0 else None, args=a, index=0)])
        for i, (p, a) in enumerate(zip(pieces, arg_pieces))
    ]
    total = _sum_in_random_order(chunks, data)
    assert total == sum(chunks[1:], chunks[0])  # left fold
    assert total.content == text
    assert total.tool_call_chunks[0]["args"] == args_text
    assert total.tool_calls == [{"name": "tool", "args": args, "id": "call", "type": "tool_call"}]


@given(st.lists(st.text(max_size=6), min_size=1, max_size=6), st.data())
def test_indexed_block_content_is_associative(texts: list[str], data: st.DataObject) -> None:
    chunks = [AIMessageChunk([{"type": "text", "text": t, "index": 0}]) for t in texts]
    total = _sum_in_random_order(chunks, data)
    assert total.content == [{"type": "text", "text": "".join(texts), "index": 0}]


# --- conversion --------------------------------------------------------------------------


def test_convert_to_messages_accepts_all_forms() -> None:
    ai = AIMessage("kept")
    converted = convert_to_messages([
        ai, "hello", ("user", "u"), ("assistant", "a"), ("ai", "a2"), ("human", "h"), ("system", "s"),
        {"role": "tool", "content": "r", "tool_call_id": "t1"},
        {"type": "ai", "content": "x", "id": "7", "extra": 1},
        {"role": "developer", "content": "d"},
    ])
    assert converted[0] is ai
    assert converted[1:7] == [HumanMessage("hello"), HumanMessage("u"), AIMessage("a"), AIMessage("a2"),
                              HumanMessage("h"), SystemMessage("s")]
    assert converted[7] == ToolMessage("r", tool_call_id="t1")
    assert converted[8] == AIMessage("x", id="7", additional_kwargs={"extra": 1})
    assert converted[9] == SystemMessage("d", additional_kwargs={"__openai_role__": "developer"})
    assert convert_to_messages("one") == [HumanMessage("one")]  # a lone str is one message


def test_convert_openai_tool_calls() -> None:
    [message] = convert_to_messages([{"role": "assistant", "content": None, "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}]}])
    assert message == AIMessage("", tool_calls=[{"name": "f", "args": {"x": 1}, "id": "c"}])


@pytest.mark.parametrize(
    ("item", "error", "match"),
    [
        (("wizard", "x"), ValueError, "'wizard'"),
        ({"role": "robot", "content": "x"}, ValueError, "'robot'"),
        ({"content": "x"}, ValueError, "'role' or 'type'"),
        (("tool", "x"), ValueError, "tool_call_id"),
        (42, TypeError, "int"),
        (("a", "b", "c"), TypeError, "tuple"),
    ],
)
def test_convert_errors_name_the_culprit(item: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        convert_to_messages([item])


# --- LangChain's details, observed with langchain-core 1.8 -------------------------------


def test_type_keyword_is_accepted_when_it_names_the_class() -> None:
    assert HumanMessage(content="x", type="human") == HumanMessage("x")
    assert ToolMessage("r", tool_call_id="1", type="tool").type == "tool"
    with pytest.raises(ValueError, match="HumanMessage has type 'human'; got type='ai'"):
        HumanMessage(content="x", type="ai")


def test_text_is_a_string_still_callable() -> None:
    text = AIMessage(["hi ", {"type": "text", "text": "there"}, {"type": "image_url", "image_url": {"url": "u"}}]).text
    assert text == "hi there" and isinstance(text, str)
    with pytest.warns(DeprecationWarning, match="Calling .text\\(\\) as a method is deprecated"):
        assert text() == "hi there"


def test_str_is_langchains() -> None:
    assert str(HumanMessage("hello")) == "content='hello' additional_kwargs={} response_metadata={}"
    assert str(AIMessage("hi", tool_calls=[{"name": "f", "args": {"a": 1}, "id": "1"}])) == (
        "content='hi' additional_kwargs={} response_metadata={} "
        "tool_calls=[{'name': 'f', 'args': {'a': 1}, 'id': '1', 'type': 'tool_call'}] invalid_tool_calls=[]"
    )
    assert HumanMessage(content=["a", "b"]).content == ["a", "b"]


def test_chat_tool_and_function_chunks_add_up() -> None:
    assert (ChatMessageChunk("a", role="r") + ChatMessageChunk("b", role="r")).content == "ab"
    with pytest.raises(ValueError, match="different roles"):
        ChatMessageChunk("a", role="r") + ChatMessageChunk("b", role="s")
    total = ToolMessageChunk("a", tool_call_id="1") + ToolMessageChunk("b", tool_call_id="1", status="error")
    assert (total.content, total.tool_call_id, total.status) == ("ab", "1", "error")
    with pytest.raises(ValueError, match="Cannot concatenate ToolMessageChunks"):
        ToolMessageChunk("a", tool_call_id="1") + ToolMessageChunk("b", tool_call_id="2")
    assert ChatMessage(content="hi", role="moderator").type == "chat"


CONVERSATION: list[BaseMessage] = [
    SystemMessage("sys"), HumanMessage("hi", id="1", name="bob"),
    AIMessage("yo", tool_calls=[{"name": "f", "args": {}, "id": "t"}]), ToolMessage("r", tool_call_id="t"),
    ChatMessage("c", role="mod"),
]


def test_messages_to_and_from_dict() -> None:
    assert messages_to_dict(CONVERSATION[:2]) == [
        {"type": "system", "data": {"content": "sys", "additional_kwargs": {}, "response_metadata": {}, "type": "system", "name": None, "id": None}},
        {"type": "human", "data": {"content": "hi", "additional_kwargs": {}, "response_metadata": {}, "type": "human", "name": "bob", "id": "1"}},
    ]
    assert message_to_dict(CONVERSATION[2]) == {"type": "ai", "data": {
        "content": "yo", "additional_kwargs": {}, "response_metadata": {}, "type": "ai", "name": None, "id": None,
        "tool_calls": [{"name": "f", "args": {}, "id": "t", "type": "tool_call"}], "invalid_tool_calls": [], "usage_metadata": None,
    }}
    assert message_to_dict(CONVERSATION[3])["data"] == {
        "content": "r", "additional_kwargs": {}, "response_metadata": {}, "type": "tool", "name": None, "id": None,
        "tool_call_id": "t", "artifact": None, "status": "success",
    }
    assert messages_from_dict(messages_to_dict(CONVERSATION)) == CONVERSATION
    with pytest.raises(ValueError, match="unexpected message type: nope"):
        messages_from_dict([{"type": "nope", "data": {}}])


def test_get_buffer_string_and_token_estimate() -> None:
    calls = "[{'name': 'f', 'args': {}, 'id': 't', 'type': 'tool_call'}]"
    assert get_buffer_string(CONVERSATION) == f"System: sys\nHuman: hi\nAI: yo{calls}\nTool: r\nmod: c"
    assert get_buffer_string(CONVERSATION, human_prefix="U", ai_prefix="A") == f"System: sys\nU: hi\nA: yo{calls}\nTool: r\nmod: c"
    assert count_tokens_approximately(CONVERSATION) == 42


def show(messages: list[BaseMessage]) -> list[tuple[str, Any, str | None]]:
    return [(type(m).__name__, m.content, m.id) for m in messages]


def test_filter_messages() -> None:
    chat = [
        SystemMessage("you are good"), HumanMessage("what's your name", id="foo", name="example_user"),
        AIMessage("steve-o", id="bar", name="example_assistant"), HumanMessage("what's your favorite color", id="baz"),
        AIMessage("silicon blue", id="blah"),
    ]
    assert show(filter_messages(chat, include_names=("example_user", "example_assistant"), include_types=("system",), exclude_ids=("bar",))) == [
        ("SystemMessage", "you are good", None), ("HumanMessage", "what's your name", "foo"),
    ]
    assert [m.id for m in filter_messages(chat, exclude_types=[AIMessage])] == [None, "foo", "baz"]
    calls = [
        HumanMessage("q"),
        AIMessage([{"type": "text", "text": "x"}, {"type": "tool_use", "id": "a"}],
                  tool_calls=[{"name": "f", "args": {}, "id": "a"}, {"name": "g", "args": {}, "id": "b"}]),
        ToolMessage("ra", tool_call_id="a"), ToolMessage("rb", tool_call_id="b"),
    ]
    assert show(filter_messages(calls, exclude_tool_calls=True)) == [("HumanMessage", "q", None)]
    kept = filter_messages(calls, exclude_tool_calls=["a"])
    assert show(kept) == [("HumanMessage", "q", None), ("AIMessage", [{"type": "text", "text": "x"}], None), ("ToolMessage", "rb", None)]
    assert [c["id"] for c in kept[1].tool_calls] == ["b"]  # type: ignore[attr-defined]


def test_merge_message_runs() -> None:
    runs = [
        SystemMessage("a"), SystemMessage(["b"]), HumanMessage("c", id="1"), HumanMessage("d", id="2"),
        AIMessage("e", tool_calls=[{"name": "f", "args": {}, "id": "x"}]), AIMessage("f"),
        ToolMessage("t", tool_call_id="x"), ToolMessage("u", tool_call_id="y"),
        HumanMessage([{"type": "text", "text": "g"}]), HumanMessage("h"),
    ]
    merged = merge_message_runs(runs)
    assert [(type(m).__name__, m.content, m.id) for m in merged] == [
        ("SystemMessage", ["a", "b"], None), ("HumanMessage", "c\nd", "1"), ("AIMessage", "e\nf", None),
        ("ToolMessage", "t", None), ("ToolMessage", "u", None), ("HumanMessage", [{"type": "text", "text": "g"}, "h"], None),
    ]
    assert [c["id"] for c in merged[2].tool_calls] == ["x"]  # type: ignore[attr-defined]


TEN = "This is a 4 token text. The full message is 10 tokens."
TO_TRIM: list[BaseMessage] = [
    SystemMessage(TEN), HumanMessage(TEN, id="first"),
    AIMessage([{"type": "text", "text": "This is the FIRST 4 token block."}, {"type": "text", "text": "This is the SECOND 4 token block."}], id="second"),
    HumanMessage(TEN, id="third"), AIMessage(TEN, id="fourth"),
]


def dummy_counter(messages: list[BaseMessage]) -> int:
    return sum(3 + (4 * len(m.content) if isinstance(m.content, list) else 4) + 3 for m in messages)


def test_trim_messages() -> None:
    ids = lambda ms: [(type(m).__name__, m.id) for m in ms]  # noqa: E731
    first = trim_messages(TO_TRIM, max_tokens=30, token_counter=dummy_counter, strategy="first", allow_partial=True)
    assert ids(first) == [("SystemMessage", None), ("HumanMessage", "first"), ("AIMessage", "second")]
    assert first[2].content == [{"type": "text", "text": "This is the FIRST 4 token block."}]
    assert ids(trim_messages(TO_TRIM, max_tokens=30, token_counter=dummy_counter, strategy="first")) == [("SystemMessage", None), ("HumanMessage", "first")]
    assert ids(trim_messages(TO_TRIM, max_tokens=30, token_counter=dummy_counter, include_system=True)) == [
        ("SystemMessage", None), ("HumanMessage", "third"), ("AIMessage", "fourth")]
    partial = trim_messages(TO_TRIM, max_tokens=40, token_counter=dummy_counter, allow_partial=True, include_system=True)
    assert ids(partial) == [("SystemMessage", None), ("AIMessage", "second"), ("HumanMessage", "third"), ("AIMessage", "fourth")]
    assert partial[1].content == [{"type": "text", "text": "This is the SECOND 4 token block."}]
    assert ids(trim_messages(TO_TRIM, max_tokens=30, token_counter=dummy_counter, start_on="human")) == [("HumanMessage", "third"), ("AIMessage", "fourth")]
    assert ids(trim_messages(TO_TRIM, max_tokens=30, token_counter=dummy_counter, strategy="first", end_on="human")) == [("SystemMessage", None), ("HumanMessage", "first")]
    assert ids(trim_messages(TO_TRIM, max_tokens=45, token_counter="approximate")) == [("HumanMessage", "third"), ("AIMessage", "fourth")]

    def per_message(m: BaseMessage) -> int:
        return len(m.text)

    lines = [HumanMessage("line one\nline two\nline three"), AIMessage("abc\ndef")]
    assert show(trim_messages(lines, max_tokens=20, token_counter=per_message, strategy="first", allow_partial=True)) == [
        ("HumanMessage", "line one\nline two\n", None)]
    with pytest.raises(ValueError, match="start_on parameter is only valid with strategy='last'"):
        trim_messages(TO_TRIM, max_tokens=1, token_counter=dummy_counter, strategy="first", start_on="human")


def test_content_is_a_string_or_a_list_of_blocks() -> None:
    # langchain-core 1.8 validates content the same way (a tuple becomes a list; it raises
    # pydantic's ValidationError, a ValueError, for the rest).
    assert HumanMessage(("a", "b")).content == ["a", "b"]  # type: ignore[arg-type]
    assert HumanMessage(["a", {"type": "text", "text": "b"}]).content == ["a", {"type": "text", "text": "b"}]
    for bad in (123, None, [1, 2]):
        with pytest.raises(ValueError, match="HumanMessage content must be a str or a list of str and dict blocks"):
            HumanMessage(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="AIMessage content must be"):
        AIMessage(None)  # type: ignore[arg-type]
    assert ToolMessage(123, tool_call_id="1").content == "123"  # type: ignore[arg-type]
    assert ToolMessage({"a": 1}, tool_call_id="1").content == "{'a': 1}"  # type: ignore[arg-type]
    assert ToolMessage(["x", 1], tool_call_id=1).content == ["x", "1"]  # type: ignore[arg-type, list-item]


def test_convert_to_openai_messages() -> None:
    from runtime.messages import convert_to_openai_messages

    messages: list[BaseMessage] = [
        SystemMessage("sys"), HumanMessage("hi", name="bob"),
        AIMessage("yo", tool_calls=[{"name": "f", "args": {"a": 1}, "id": "t"}]), ToolMessage("r", tool_call_id="t"),
        AIMessage(""), HumanMessage(["a", {"type": "text", "text": "b"}]), ChatMessage("c", role="mod"),
        SystemMessage("d", additional_kwargs={"__openai_role__": "developer"}),
    ]
    calls = [{"type": "function", "id": "t", "function": {"name": "f", "arguments": '{"a": 1}'}}]
    assert convert_to_openai_messages(messages) == [
        {"role": "system", "content": "sys"}, {"role": "user", "name": "bob", "content": "hi"},
        {"role": "assistant", "tool_calls": calls, "content": "yo"}, {"role": "tool", "tool_call_id": "t", "content": "r"},
        {"role": "assistant", "content": ""}, {"role": "user", "content": "a\nb"}, {"role": "mod", "content": "c"},
        {"role": "developer", "content": "d"},
    ]
    blocks = convert_to_openai_messages(messages, text_format="block")
    assert isinstance(blocks, list)
    assert blocks[4] == {"role": "assistant", "content": []}
    assert blocks[5] == {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
    assert convert_to_openai_messages(HumanMessage("one")) == {"role": "user", "content": "one"}
    assert convert_to_openai_messages([("user", "tuple"), {"role": "assistant", "content": "dict"}]) == [
        {"role": "user", "content": "tuple"}, {"role": "assistant", "content": "dict"}]


def test_base_message_of_a_type_of_ones_own() -> None:
    # As langchain-core: BaseMessage(content, type="custom") is a message of that type.
    message = BaseMessage(content="x", type="custom")
    assert isinstance(message, BaseMessage)
    assert message.type == "custom" and message.text == "x"
    assert message == BaseMessage(content="x", type="custom")
    assert message != BaseMessage(content="x", type="other")
    assert messages_to_dict([message])[0]["type"] == "custom"
    assert message.pretty_repr().startswith("=" * 32 + " Custom Message ")
    with pytest.raises(ValueError, match="HumanMessage has type 'human'; got type='ai'"):
        HumanMessage("hi", type="ai")
