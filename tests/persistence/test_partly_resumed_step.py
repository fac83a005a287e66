"""A step with two questions, only one of them answered: the live view and the record.

Observed by running the same graph on LangGraph 1.2: after the first answer,
``get_state().next`` lists only the task still waiting (the answered one has
finished), the live tasks show the answered task's result and no longer its
interrupt, while the checkpoint named by id keeps the record of its step: every
task, each interrupt raised, and the results so far.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from _persist_support import thread

from graphs import START, Command, StateGraph, interrupt


class Log(TypedDict):
    log: Annotated[list, operator.add]


def two_questions(saver: Any) -> Any:
    graph = StateGraph(Log)
    graph.add_node("a", lambda state: {"log": ["a"]})
    graph.add_node("b1", lambda state: {"log": [f"b1:{interrupt('q1')}"]})
    graph.add_node("b2", lambda state: {"log": [f"b2:{interrupt('q2')}"]})
    graph.add_node("c", lambda state: {"log": ["c"]})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b1")
    graph.add_edge(START, "b2")
    graph.add_edge("b1", "c")
    return graph.compile(checkpointer=saver)


def shown(snapshot: Any) -> list[tuple[str, Any, list[Any]]]:
    return [(t.name, t.result, [i.value for i in t.interrupts]) for t in snapshot.tasks]


def test_next_leaves_out_the_task_whose_question_was_answered(saver: Any) -> None:
    app = two_questions(saver)
    app.invoke({"log": []}, thread())
    asked = app.get_state(thread())
    assert asked.next == ("b1", "b2")
    q1 = next(i for i in asked.interrupts if i.value == "q1")

    out = app.invoke(Command(resume={q1.id: "yes"}), thread())
    assert out["log"] == ["a", "b1:yes"] and [i.value for i in out["__interrupt__"]] == ["q2"]

    live = app.get_state(thread())
    assert live.next == ("b2",)
    assert live.values == {"log": ["a", "b1:yes"]}
    assert [i.value for i in live.interrupts] == ["q2"]
    assert shown(live) == [("a", {"log": ["a"]}, []), ("b1", {"log": ["b1:yes"]}, []), ("b2", None, ["q2"])]

    record = app.get_state(live.config)
    assert record.next == ("a", "b1", "b2")
    assert record.values == {"log": []}
    assert shown(record) == [("a", {"log": ["a"]}, []), ("b1", {"log": ["b1:yes"]}, ["q1"]), ("b2", None, ["q2"])]

    (q2,) = live.interrupts
    assert app.invoke(Command(resume={q2.id: "no"}), thread()) == {"log": ["a", "b1:yes", "b2:no", "c"]}
    step0 = next(s for s in app.get_state_history(thread()) if s.metadata["step"] == 0)
    assert shown(step0) == [
        ("a", {"log": ["a"]}, []),
        ("b1", {"log": ["b1:yes"]}, ["q1"]),
        ("b2", {"log": ["b2:no"]}, ["q2"]),
    ]
