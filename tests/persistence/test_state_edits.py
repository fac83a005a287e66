"""Editing saved state as LangGraph 1.2 does: ``update_state`` as ``"__copy__"``,
``"__input__"`` and ``END``, with a ``task_id``, and ``bulk_update_state`` /
``abulk_update_state`` (one checkpoint per superstep). An update's writes are
also recorded as the ``result`` of the task it stands for on the checkpoint it
was applied to. Expected values were observed on LangGraph 1.2."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest

from _persist_support import chain, checkpoint_id, thread
from graphs import END, START, CompiledStateGraph, InvalidUpdateError, StateGraph, StateUpdate, interrupt


def paused_before_c(saver: Any) -> tuple[CompiledStateGraph, Any]:
    """``a -> b -> c`` paused before ``c``; returns the app and the paused state."""
    app = chain("a", "b", "c").compile(checkpointer=saver, interrupt_before=["c"])
    app.invoke({"x": 1}, thread())
    return app, app.get_state(thread())


def parent_id(state: Any) -> str:
    return checkpoint_id(state.parent_config)


# -- __copy__ --------------------------------------------------------------------------

def test_copy_forks_the_checkpoint_with_the_same_values_and_tasks(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    config = app.update_state(paused.config, None, as_node="__copy__")
    copy = app.get_state(config)
    assert checkpoint_id(config) != checkpoint_id(paused.config)
    assert copy.values == paused.values == {"x": 1, "log": ["a", "b"]}
    assert copy.next == paused.next == ("c",)
    assert copy.metadata == {"source": "fork", "step": 3, "parents": {}}
    # A sibling of the original: the same parent.
    assert parent_id(copy) == parent_id(paused)
    # The copy is the thread's latest checkpoint, and runs on from there.
    assert app.invoke(None, thread()) == {"x": 1, "log": ["a", "b", "c"]}


def test_copy_ignores_values_that_are_not_a_list_of_updates(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    copy = app.get_state(app.update_state(paused.config, {"x": 5}, as_node="__copy__"))
    assert copy.values == paused.values and copy.metadata["source"] == "fork"


def test_copy_with_updates_applies_them_on_the_copy(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    config = app.update_state(paused.config, [({"x": 7}, "b")], as_node="__copy__")
    updated = app.get_state(config)
    assert updated.values == {"x": 7, "log": ["a", "b"]}
    assert updated.next == ("c",)
    assert updated.metadata == {"source": "update", "step": 4, "parents": {}}
    copy = app.get_state(updated.parent_config)
    assert copy.metadata == {"source": "fork", "step": 3, "parents": {}}
    assert copy.values == paused.values and parent_id(copy) == parent_id(paused)


def test_copy_refuses_a_missing_checkpoint_and_extra_updates(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    with pytest.raises(InvalidUpdateError, match="Cannot copy a non-existent checkpoint"):
        app.update_state(thread("fresh"), None, as_node="__copy__")
    with pytest.raises(InvalidUpdateError, match="Cannot copy checkpoint with multiple updates"):
        app.bulk_update_state(paused.config, [[StateUpdate(None, "__copy__"), StateUpdate({"x": 2}, "a")]])
    with pytest.raises(InvalidUpdateError, match="Invalid update item"):
        app.update_state(paused.config, [5], as_node="__copy__")


# -- __input__ --------------------------------------------------------------------------

def test_input_writes_the_values_as_input_keeping_the_planned_tasks(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    config = app.update_state(paused.config, {"x": 9}, as_node="__input__")
    state = app.get_state(config)
    assert state.metadata == {"source": "input", "step": 3, "parents": {}}
    assert state.next == ("__start__", "c")
    assert state.values == paused.values  # the input is applied when the input node runs
    assert parent_id(state) == checkpoint_id(paused.config)


def test_input_on_a_new_thread_is_its_first_checkpoint(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    state = app.get_state(app.update_state(thread("new"), {"x": 9}, as_node="__input__"))
    assert state.metadata == {"source": "input", "step": -1, "parents": {}}
    assert state.next == ("__start__",) and state.parent_config is None
    assert app.invoke(None, thread("new")) == {"x": 9, "log": ["a"]}


def test_input_needs_values_and_must_be_alone(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    with pytest.raises(InvalidUpdateError, match="Received no input writes for __start__"):
        app.update_state(paused.config, None, as_node="__input__")
    with pytest.raises(InvalidUpdateError, match="Cannot apply multiple updates when updating as input"):
        app.bulk_update_state(paused.config, [[StateUpdate({"x": 1}, "__input__"), StateUpdate({"x": 2}, "a")]])


# -- END ----------------------------------------------------------------------------------

class Log(TypedDict):
    log: Annotated[list, operator.add]


def question_beside_a(saver: Any) -> CompiledStateGraph:
    """``a`` and ``b`` in one step, ``b`` asks; ``a -> c``, ``b -> d``."""
    graph = StateGraph(Log)
    graph.add_node("a", lambda state: {"log": ["a"]})
    graph.add_node("b", lambda state: {"log": [f"b:{interrupt('q?')}"]})
    graph.add_node("c", lambda state: {"log": ["c"]})
    graph.add_node("d", lambda state: {"log": ["d"]})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    graph.add_edge("a", "c")
    graph.add_edge("b", "d")
    return graph.compile(checkpointer=saver)


def test_end_without_values_clears_the_planned_tasks(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    state = app.get_state(app.update_state(paused.config, None, as_node=END))
    assert state.values == paused.values
    assert state.next == () and state.tasks == ()
    assert state.metadata == {"source": "update", "step": 3, "parents": {}}


def test_end_keeps_what_finished_tasks_wrote(saver: Any) -> None:
    app = question_beside_a(saver)
    app.invoke({"log": []}, thread())
    state = app.get_state(app.update_state(thread(), None, as_node=END))
    # a finished: its writes are applied and trigger c; b is dropped.
    assert state.values == {"log": ["a"]}
    assert state.next == ("c",)
    assert app.invoke(None, thread()) == {"log": ["a", "c"]}


def test_end_with_values_or_beside_other_updates_is_refused(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    with pytest.raises(InvalidUpdateError, match="__end__"):
        app.update_state(paused.config, {"x": 1}, as_node=END)
    with pytest.raises(InvalidUpdateError, match="Cannot apply multiple updates when clearing state"):
        app.bulk_update_state(paused.config, [[StateUpdate(None, END), StateUpdate({"x": 2}, "a")]])


# -- results of updates --------------------------------------------------------------------

def test_an_update_is_recorded_as_the_result_of_the_task_it_stands_for(saver: Any) -> None:
    app = question_beside_a(saver)
    app.invoke({"log": []}, thread())
    base = app.get_state(thread())
    state = app.get_state(app.update_state(thread(), {"log": ["manual"]}, as_node="b"))
    # The update starts from the checkpoint's values (a's pending writes are not in them).
    assert state.values == {"log": ["manual"]} and state.next == ("d",)
    assert state.metadata == {"source": "update", "step": 1, "parents": {}}
    record = app.get_state(base.config)
    assert [(t.name, t.result) for t in record.tasks] == [("a", {"log": ["a"]}), ("b", {"log": ["manual"]})]
    assert record.tasks[1].interrupts == base.tasks[1].interrupts != ()


def test_an_update_with_a_task_id_is_recorded_under_it(saver: Any) -> None:
    app = question_beside_a(saver)
    app.invoke({"log": []}, thread())
    base = app.get_state(thread())
    b_id = base.tasks[1].id
    app.update_state(thread(), {"log": ["as b"]}, as_node="c", task_id=b_id)
    record = app.get_state(base.config)
    assert [(t.name, t.result) for t in record.tasks] == [("a", {"log": ["a"]}), ("b", {"log": ["as b"]})]


def test_updating_a_checkpoint_the_thread_moved_past_leaves_its_record_alone(saver: Any) -> None:
    app = question_beside_a(saver)
    app.invoke({"log": []}, thread())
    first = next(s for s in app.get_state_history(thread()) if s.metadata["step"] == -1)
    state = app.get_state(app.update_state(first.config, {"log": ["x"]}, as_node="a"))
    assert state.values == {"log": ["x"]} and state.next == ("c",)
    assert state.metadata == {"source": "update", "step": 0, "parents": {}}
    assert parent_id(state) == checkpoint_id(first.config)
    assert [(t.name, t.result) for t in app.get_state(first.config).tasks] == [("__start__", {"log": []})]


# -- bulk_update_state ------------------------------------------------------------------------

def test_bulk_update_state_saves_a_checkpoint_per_superstep(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    config = app.bulk_update_state(
        paused.config,
        [
            [StateUpdate({"log": ["u1"]}, "a")],
            [StateUpdate({"log": ["u2"]}, "b"), StateUpdate({"x": 3}, "a")],
        ],
    )
    last = app.get_state(config)
    assert last.values == {"x": 3, "log": ["a", "b", "u1", "u2"]}
    assert last.next == ("b", "c")  # both updates' edges
    assert last.metadata == {"source": "update", "step": 4, "parents": {}}
    first = app.get_state(last.parent_config)
    assert first.values == {"x": 1, "log": ["a", "b", "u1"]} and first.next == ("b",)
    assert first.metadata == {"source": "update", "step": 3, "parents": {}}
    assert parent_id(first) == checkpoint_id(paused.config)
    # The second superstep's update as b is the result of the b task planned at the first.
    assert [(t.name, t.result) for t in first.tasks] == [("b", {"log": ["u2"]})]


def test_bulk_update_state_takes_plain_tuples(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    config = app.bulk_update_state(paused.config, [[({"log": ["t"]}, "b", None)]])
    assert app.get_state(config).values == {"x": 1, "log": ["a", "b", "t"]}


def test_bulk_update_state_refuses_empty_and_ambiguous_supersteps(saver: Any) -> None:
    app, paused = paused_before_c(saver)
    with pytest.raises(ValueError, match="No supersteps provided"):
        app.bulk_update_state(paused.config, [])
    with pytest.raises(ValueError, match="No updates provided"):
        app.bulk_update_state(paused.config, [[StateUpdate({"x": 2}, "a")], []])
    with pytest.raises(InvalidUpdateError, match="as_node is required when applying multiple updates"):
        app.bulk_update_state(paused.config, [[StateUpdate({"x": 2}), StateUpdate({"x": 3}, "a")]])
    assert len(list(app.get_state_history(thread()))) == 4  # nothing was saved


async def test_abulk_update_state(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver, interrupt_before=["b"])
    await app.ainvoke({"x": 1}, thread())
    config = await app.abulk_update_state(thread(), [[StateUpdate({"log": ["u"]}, "a")], [StateUpdate({"x": 5}, "a")]])
    state = await app.aget_state(config)
    assert state.values == {"x": 5, "log": ["a", "u"]} and state.next == ("b",)
    assert [s.metadata["source"] async for s in app.aget_state_history(thread(), limit=3)] == ["update", "update", "loop"]


async def test_aupdate_state_takes_as_node_and_task_id(saver: Any) -> None:
    app = question_beside_a(saver)
    await app.ainvoke({"log": []}, thread())
    base = await app.aget_state(thread())
    await app.aupdate_state(thread(), {"log": ["z"]}, "d", base.tasks[1].id)
    record = await app.aget_state(base.config)
    assert [t.result for t in record.tasks] == [{"log": ["a"]}, {"log": ["z"]}]


def test_update_state_of_a_subgraph_keeps_its_parents(saver: Any) -> None:
    inner = StateGraph(Log)
    inner.add_node("ask", lambda state: {"log": [interrupt("q?")]})
    inner.add_edge(START, "ask")
    outer = StateGraph(Log)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    app = outer.compile(checkpointer=saver)
    app.invoke({"log": []}, thread())
    sub = app.get_state(thread(), subgraphs=True).tasks[0].state
    config = app.update_state(sub.config, {"log": ["edited"]})
    edited = app.get_state(config)
    assert edited.metadata["parents"] == sub.metadata["parents"] == {"": checkpoint_id(app.get_state(thread()).config)}
    assert config["configurable"]["checkpoint_map"] == {**sub.metadata["parents"], sub.config["configurable"]["checkpoint_ns"]: checkpoint_id(config)}
    assert edited.values == {"log": ["edited"]} and edited.next == ("ask",)
    assert edited.metadata["source"] == "update" and edited.metadata["step"] == 1
