"""``tasks`` / ``debug`` / ``checkpoints`` payloads carry what LangGraph 1.2 puts there.

Observed by running the same graphs on LangGraph 1.2.24: an interrupt in a task
result (and in a checkpoint's task) is its dataclass as a dict, ``{"value", "id",
"response_schema"}``; a streamed checkpoint's config carries the run's own
``configurable`` keys besides the checkpoint's, and a subgraph's its
``checkpoint_map``, in LangGraph's key order.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from _persist_support import checkpoint_id

from graphs import START, Command, StateGraph, interrupt


class Log(TypedDict):
    log: Annotated[list, operator.add]


def config(**extra: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": "t1", **extra}}


def asking(saver: Any) -> Any:
    graph = StateGraph(Log)
    graph.add_node("a", lambda state: {"log": ["a"]})
    graph.add_node("b", lambda state: {"log": [interrupt("q")]})
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    return graph.compile(checkpointer=saver)


def test_interrupts_in_task_results_are_dicts_of_their_fields(saver: Any) -> None:
    app = asking(saver)
    parts = list(app.stream({"log": []}, config(), stream_mode=["tasks", "debug"]))
    results = [chunk for mode, chunk in parts if mode == "tasks" and "result" in chunk]
    (found,) = app.get_state(config()).interrupts
    assert [(r["name"], r["interrupts"]) for r in results] == [
        ("a", []),
        ("b", [{"value": "q", "id": found.id, "response_schema": None}]),
    ]
    wrapped = [chunk["payload"] for mode, chunk in parts if mode == "debug" and chunk["type"] == "task_result"]
    assert wrapped == results


def test_a_streamed_checkpoint_config_carries_the_runs_configurable_keys(saver: Any) -> None:
    app = asking(saver)
    given = config(user_id="u", model="m")
    checkpoints = [c for c in app.stream({"log": []}, given, stream_mode="checkpoints")]
    history = list(reversed(list(app.get_state_history(given))))
    assert len(checkpoints) == len(history) == 3
    for streamed, saved in zip(checkpoints, history, strict=True):
        expected = {"checkpoint_ns": "", "thread_id": "t1", "user_id": "u", "model": "m",
                    "checkpoint_id": checkpoint_id(saved.config)}
        assert streamed["config"] == {"configurable": expected}
        assert list(streamed["config"]["configurable"]) == list(expected)
    assert checkpoints[0]["parent_config"] is None
    assert checkpoints[1]["parent_config"] == checkpoints[0]["config"]
    # get_state keeps to the checkpoint's own keys.
    assert set(history[0].config["configurable"]) == {"thread_id", "checkpoint_ns", "checkpoint_id"}
    # A resume re-announces the interrupted checkpoint, with the interrupt as a dict.
    (found,) = app.get_state(given).interrupts
    again = next(iter(app.stream(Command(resume="y"), given, stream_mode="checkpoints")))
    assert again["config"] == checkpoints[-1]["config"]
    assert again["tasks"][0]["interrupts"] == ({"value": "q", "id": found.id, "response_schema": None},)


def test_a_subgraph_checkpoint_config_carries_its_checkpoint_map(saver: Any) -> None:
    inner = StateGraph(Log)
    inner.add_node("i", lambda state: {"log": ["i"]})
    inner.add_edge(START, "i")
    outer = StateGraph(Log)
    outer.add_node("sub", inner.compile())
    outer.add_edge(START, "sub")
    app = outer.compile(checkpointer=saver)
    parts = list(app.stream({"log": []}, config(user_id="u"), stream_mode="checkpoints", subgraphs=True))
    root = [chunk for ns, chunk in parts if ns == ()]
    sub = [chunk for ns, chunk in parts if ns != ()]
    assert [len(root), len(sub)] == [3, 3]
    sub_ns = sub[0]["config"]["configurable"]["checkpoint_ns"]
    parent_id = checkpoint_id(root[1]["config"])  # the checkpoint the subgraph's task ran from
    for chunk in sub:
        own = checkpoint_id(chunk["config"])
        assert chunk["config"] == {"configurable": {
            "checkpoint_ns": sub_ns, "thread_id": "t1", "user_id": "u",
            "checkpoint_map": {"": parent_id, sub_ns: own}, "checkpoint_id": own,
        }}
        assert list(chunk["config"]["configurable"]) == [
            "checkpoint_ns", "thread_id", "user_id", "checkpoint_map", "checkpoint_id",
        ]
    assert sub[0]["parent_config"] is None
    assert sub[1]["parent_config"] == sub[0]["config"]
    assert all("checkpoint_map" not in chunk["config"]["configurable"] for chunk in root)
