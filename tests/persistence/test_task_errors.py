"""A failed task's error in snapshots: ``get_state().tasks[i].error`` and history,
as LangGraph 1.2 records it (the ``repr`` of the error, a ``str`` once saved)."""

from __future__ import annotations

from typing import Any

import pytest
from _persist_support import State, appender, thread

from graphs import START, RetryPolicy, StateGraph


class Boom(ValueError):
    pass


def failing(fail: list[bool]) -> Any:
    def b(state: State) -> dict[str, Any]:
        if fail[0]:
            raise Boom("bad thing", 3)
        return {"log": ["b"]}

    return b


def test_a_failed_task_shows_its_error_and_stays_next(saver: Any) -> None:
    fail = [True]
    graph = StateGraph(State)
    graph.add_node("b", failing(fail))
    graph.add_edge(START, "b")
    app = graph.compile(checkpointer=saver)
    with pytest.raises(Boom):
        app.invoke({"x": 1}, thread())
    state = app.get_state(thread())
    assert state.next == ("b",)
    (task,) = state.tasks
    assert task.error == "Boom('bad thing', 3)" and task.result is None
    record = next(s for s in app.get_state_history(thread()) if s.next == ("b",))
    assert record.tasks[0].error == "Boom('bad thing', 3)"
    # Run again: the task succeeds; the step's record keeps the error beside the result.
    fail[0] = False
    assert app.invoke(None, thread()) == {"x": 1, "log": ["b"]}
    record = app.get_state(record.config)
    assert (record.tasks[0].error, record.tasks[0].result) == ("Boom('bad thing', 3)", {"log": ["b"]})
    assert all(task.error is None for snapshot in app.get_state_history(thread()) for task in snapshot.tasks
               if snapshot.metadata["step"] != 0)


def test_a_task_that_fails_again_shows_its_latest_error(saver: Any) -> None:
    errors = [KeyError("first"), KeyError("second")]

    def b(state: State) -> dict[str, Any]:
        raise errors.pop(0)

    graph = StateGraph(State)
    graph.add_node("b", b)
    graph.add_edge(START, "b")
    app = graph.compile(checkpointer=saver)
    with pytest.raises(KeyError):
        app.invoke({"x": 1}, thread())
    with pytest.raises(KeyError):
        app.invoke(None, thread())
    assert app.get_state(thread()).tasks[0].error == "KeyError('second')"


def test_a_failed_sibling_is_recorded_beside_the_finished_one(saver: Any) -> None:
    graph = StateGraph(State)
    graph.add_node("a", appender("a"))
    graph.add_node("b", failing([True]))
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    app = graph.compile(checkpointer=saver)
    with pytest.raises(Boom):
        app.invoke({"x": 1}, thread())
    errors = {task.name: task.error for task in app.get_state(thread()).tasks}
    assert errors == {"a": None, "b": "Boom('bad thing', 3)"}


def test_only_the_last_attempt_of_a_retried_task_counts(saver: Any) -> None:
    attempts: list[int] = []

    def flaky(state: State) -> dict[str, Any]:
        attempts.append(1)
        if len(attempts) < 2:
            raise Boom("once")
        return {"log": ["ok"]}

    graph = StateGraph(State)
    graph.add_node("f", flaky, retry_policy=RetryPolicy(max_attempts=2, initial_interval=0.0, jitter=False, retry_on=Boom))
    graph.add_edge(START, "f")
    app = graph.compile(checkpointer=saver)
    assert app.invoke({"x": 1}, thread()) == {"x": 1, "log": ["ok"]}
    assert all(task.error is None for snapshot in app.get_state_history(thread()) for task in snapshot.tasks)
