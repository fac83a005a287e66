"""docs/architecture.md, "Persistence": threads — a second run continues, ``stream(None, cfg)`` resumes,
and the errors for a missing ``thread_id`` and for resuming nothing (difference 6)."""

from __future__ import annotations

from typing import Any

import pytest

from _persist_support import chain, checkpoint_id, collect, steps, thread
from graphs import Command, EmptyInputError

NO_THREAD = (
    "Checkpointer requires one or more of the following 'configurable' keys: thread_id, checkpoint_ns, checkpoint_id"
)


def test_a_second_run_merges_its_input_through_the_reducers(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    assert app.invoke({"x": 1, "log": ["in1"]}, thread()) == {"x": 1, "log": ["in1", "a", "b"]}
    assert app.invoke({"x": 2, "log": ["in2"]}, thread()) == {"x": 2, "log": ["in1", "a", "b", "in2", "a", "b"]}
    # A key the second input leaves out keeps its saved value.
    assert app.invoke({"log": ["in3"]}, thread()) == {"x": 2, "log": ["in1", "a", "b", "in2", "a", "b", "in3", "a", "b"]}
    # Another thread is untouched by all that.
    assert app.invoke({"x": 9}, thread("other")) == {"x": 9, "log": ["a", "b"]}


def test_each_run_adds_an_input_checkpoint_then_one_per_step_and_steps_keep_counting(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    app.invoke({"x": 2}, thread())
    history = list(app.get_state_history(thread()))
    assert steps(history) == [-1, 0, 1, 2, 3, 4, 5, 6]
    assert [s.metadata["source"] for s in reversed(history)] == ["input", "loop", "loop", "loop"] * 2
    assert all(s.metadata["parents"] == {} for s in history)
    # One linear chain: every checkpoint's parent is the one saved before it.
    assert history[-1].parent_config is None
    assert [s.parent_config for s in history[:-1]] == [s.config for s in history[1:]]
    assert [s.next for s in reversed(history)] == [("__start__",), ("a",), ("b",), ()] * 2


def test_stream_none_first_reemits_the_current_state_then_continues(saver: Any) -> None:
    app = chain("a", "b", "c").compile(checkpointer=saver, interrupt_before=["b"])
    assert list(app.stream({"x": 1}, thread(), stream_mode="values")) == [
        {"x": 1, "log": []},
        {"x": 1, "log": ["a"]},
    ]
    assert list(app.stream(None, thread(), stream_mode="values")) == [
        {"x": 1, "log": ["a"]},
        {"x": 1, "log": ["a", "b"]},
        {"x": 1, "log": ["a", "b", "c"]},
    ]
    assert steps(app.get_state_history(thread())) == [-1, 0, 1, 2, 3]


def test_stream_none_in_updates_mode_streams_only_the_continued_tasks(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_before=["b"])
    assert list(app.stream({"x": 1}, thread())) == [{"a": {"log": ["a"]}}, {"__interrupt__": ()}]
    assert list(app.stream(None, thread())) == [{"b": {"log": ["b"]}}]


def test_stream_none_on_a_finished_thread_emits_only_the_current_state(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = chain("a", "b", calls=calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    before = app.get_state(thread())
    assert list(app.stream(None, thread(), stream_mode="values")) == [{"x": 1, "log": ["a", "b"]}]
    assert list(app.stream(None, thread(), stream_mode=["updates", "values"])) == [("values", {"x": 1, "log": ["a", "b"]})]
    assert app.invoke(None, thread()) == {"x": 1, "log": ["a", "b"]}
    assert calls == {"a": 1, "b": 1}
    # Nothing ran, so nothing was saved.
    assert app.get_state(thread()).config == before.config


async def test_astream_none_continues_like_stream(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_after=["a"])
    assert await collect(app.astream({"x": 1}, thread(), stream_mode="values")) == [
        {"x": 1, "log": []},
        {"x": 1, "log": ["a"]},
    ]
    assert await collect(app.astream(None, thread(), stream_mode="values")) == [
        {"x": 1, "log": ["a"]},
        {"x": 1, "log": ["a", "b"]},
    ]
    assert (await app.aget_state(thread())).next == ()


def test_none_input_on_a_new_thread_is_an_empty_input_error(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    with pytest.raises(EmptyInputError, match="Received no input for __start__"):
        app.invoke(None, thread("new"))
    assert list(app.get_state_history(thread("new"))) == []


@pytest.mark.parametrize("config", [None, {}, {"configurable": {}}, {"configurable": {"user": "u"}}])
def test_a_checkpointer_without_thread_id_is_langgraphs_value_error(saver: Any, config: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    calls = [
        lambda: app.invoke({"x": 1}, config),
        lambda: list(app.stream({"x": 1}, config)),
        lambda: app.get_state(config),
        lambda: list(app.get_state_history(config)),
        lambda: app.update_state(config, {"x": 2}),
    ]
    for call in calls:
        with pytest.raises(ValueError) as raised:
            call()
        assert str(raised.value) == NO_THREAD


async def test_a_checkpointer_without_thread_id_raises_from_async_calls_too(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    with pytest.raises(ValueError, match="^Checkpointer requires one or more"):
        await app.ainvoke({"x": 1})
    with pytest.raises(ValueError, match="^Checkpointer requires one or more"):
        await collect(app.astream({"x": 1}, {"configurable": {}}))


def test_resume_on_a_new_thread_raises_naming_the_thread(saver: Any) -> None:
    # Deliberate difference 6: LangGraph would silently start a run with no input.
    app = chain("a").compile(checkpointer=saver)
    with pytest.raises(ValueError, match="'brand-new-thread'.*no pending interrupt"):
        app.invoke(Command(resume="yes"), thread("brand-new-thread"))
    with pytest.raises(ValueError, match="'brand-new-thread'"):
        list(app.stream(Command(resume="yes"), thread("brand-new-thread")))
    assert list(app.get_state_history(thread("brand-new-thread"))) == []


def test_resume_on_a_finished_thread_raises_and_changes_nothing(saver: Any) -> None:
    calls: dict[str, int] = {}
    app = chain("a", calls=calls).compile(checkpointer=saver)
    app.invoke({"x": 1}, thread("done-thread"))
    before = app.get_state(thread("done-thread"))
    with pytest.raises(ValueError, match="'done-thread'.*no pending interrupt"):
        app.invoke(Command(resume="yes"), thread("done-thread"))
    assert app.get_state(thread("done-thread")) == before
    assert calls == {"a": 1}


def test_the_last_checkpoint_of_a_run_is_the_threads_state(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    payloads = list(app.stream({"x": 1}, thread(), stream_mode="checkpoints"))
    state = app.get_state(thread())
    assert checkpoint_id(state.config) == checkpoint_id(payloads[-1]["config"])
    assert state.values == {"x": 1, "log": ["a", "b"]}
    assert state.next == () and state.tasks == () and state.interrupts == ()
    assert state.metadata == {"source": "loop", "step": 2, "parents": {}}
