"""Tests for graphs.message: add_messages and MessagesState."""

from __future__ import annotations

import uuid
from typing import get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphs.message import REMOVE_ALL_MESSAGES, MessagesState, add_messages
from runtime.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, RemoveMessage


def test_appends_and_assigns_uuid_ids() -> None:
    left = [HumanMessage("a", id="1")]
    new = AIMessage("b")
    result = add_messages(left, new)
    assert [m.content for m in result] == ["a", "b"]
    assert result[1] is new and new.id is not None
    assert str(uuid.UUID(new.id)) == new.id


def test_each_message_gets_a_distinct_id() -> None:
    result = add_messages([], [HumanMessage("a"), HumanMessage("a")])
    assert result[0].id != result[1].id


def test_replaces_by_id_in_place() -> None:
    left = [HumanMessage("a", id="1"), AIMessage("b", id="2"), HumanMessage("c", id="3")]
    result = add_messages(left, [AIMessage("B", id="2"), HumanMessage("d", id="4")])
    assert [(m.id, m.content) for m in result] == [("1", "a"), ("2", "B"), ("3", "c"), ("4", "d")]


def test_returns_a_new_list_and_leaves_left_alone() -> None:
    left = [HumanMessage("a", id="1")]
    snapshot = list(left)
    result = add_messages(left, [AIMessage("b", id="1")])
    assert result is not left
    assert left == snapshot and left[0] == HumanMessage("a", id="1")


def test_single_messages_and_message_likes_are_coerced() -> None:
    result = add_messages(HumanMessage("a", id="1"), ("ai", "b"))
    assert [type(m) for m in result] == [HumanMessage, AIMessage]
    result = add_messages(result, [{"role": "user", "content": "c"}, "d"])
    assert [m.content for m in result] == ["a", "b", "c", "d"]


def test_chunks_become_whole_messages() -> None:
    [message] = add_messages([], AIMessageChunk("x", id="1"))
    assert type(message) is AIMessage and message == AIMessage("x", id="1")


def test_remove_message_deletes_by_id() -> None:
    left = [HumanMessage("a", id="1"), AIMessage("b", id="2")]
    assert add_messages(left, RemoveMessage(id="1")) == [AIMessage("b", id="2")]


def test_removing_an_unknown_id_names_it() -> None:
    with pytest.raises(ValueError, match="'nope'"):
        add_messages([HumanMessage("a", id="1")], [RemoveMessage(id="nope")])


def test_remove_then_re_add_in_one_update_keeps_the_message() -> None:
    left = [HumanMessage("a", id="1"), HumanMessage("b", id="2")]
    result = add_messages(left, [RemoveMessage(id="1"), HumanMessage("A", id="1")])
    assert [(m.id, m.content) for m in result] == [("1", "A"), ("2", "b")]


def test_remove_a_message_added_earlier_in_the_same_update() -> None:
    result = add_messages([], [HumanMessage("a", id="1"), RemoveMessage(id="1")])
    assert result == []


def test_remove_all_keeps_only_what_follows_it() -> None:
    left = [HumanMessage("a", id="1"), HumanMessage("b", id="2")]
    right = [HumanMessage("lost", id="3"), RemoveMessage(id=REMOVE_ALL_MESSAGES),
             HumanMessage("kept", id="4")]
    assert add_messages(left, right) == [HumanMessage("kept", id="4")]
    assert add_messages(left, RemoveMessage(id=REMOVE_ALL_MESSAGES)) == []


def test_messages_state_uses_the_reducer() -> None:
    hints = get_type_hints(MessagesState, include_extras=True)
    assert list(hints) == ["messages"]
    assert hints["messages"].__metadata__ == (add_messages,)


ids = st.sampled_from(["a", "b", "c", "d", "e"])
messages = st.builds(lambda i, text: HumanMessage(text, id=i), ids, st.text(max_size=3))


@given(st.lists(messages, max_size=5, unique_by=lambda m: m.id), st.lists(messages, max_size=6))
def test_matches_an_ordered_mapping_model(left: list[BaseMessage], right: list[BaseMessage]) -> None:
    """Without removals, add_messages is an insertion-ordered map from id to the latest message."""
    model = {m.id: m for m in left}
    for message in right:
        model[message.id] = message
    assert add_messages(left, right) == list(model.values())
