"""Reading saved state as LangGraph 1.2 does: history as a lazy (async) iterator
with ``filter`` / ``before`` / ``limit``; the live view of a thread (a partly
done step) against the record of a checkpoint (every task with its ``result``
and the interrupts it raised); subgraph checkpoints naming their ``parents``;
``get_subgraphs``. Expected values were observed on LangGraph 1.2."""

from __future__ import annotations

import operator
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, TypedDict

import pytest

from _persist_support import State, appender, chain, checkpoint_id, steps, thread
from graphs import START, Command, CompiledStateGraph, InMemorySaver, MemorySaver, StateGraph, interrupt
from runtime.checkpoint import InMemorySaver as RuntimeInMemorySaver
from runtime.checkpoint import MemorySaver as RuntimeMemorySaver


def test_memory_saver_is_the_in_memory_saver() -> None:
    assert MemorySaver is InMemorySaver is RuntimeMemorySaver is RuntimeInMemorySaver


# -- history iterators ----------------------------------------------------------------

def test_get_state_history_is_a_lazy_generator(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    history = app.get_state_history(thread())
    assert isinstance(history, Iterator) and not isinstance(history, list)
    app.invoke({"x": 1}, thread())  # nothing was read yet: the run's checkpoints show
    assert steps(history) == [-1, 0, 1]
    # Errors come when the iterator is first advanced, as from a generator.
    unsaved = chain("a").compile().get_state_history(thread())
    with pytest.raises(ValueError, match="(?i)no checkpointer"):
        next(unsaved)


async def test_aget_state_history_is_an_async_iterator(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    await app.ainvoke({"x": 1}, thread())
    history = app.aget_state_history(thread())
    assert isinstance(history, AsyncIterator)
    found = [snapshot async for snapshot in history]
    assert steps(found) == [-1, 0, 1, 2]
    assert [s.values["log"] for s in found] == [["a", "b"], ["a"], [], []]
    assert [s async for s in app.aget_state_history(thread(), limit=1)] == found[:1]
    assert [s async for s in app.aget_state_history(thread(), before=found[1].config)] == found[2:]
    assert [s.metadata["step"] async for s in app.aget_state_history(thread(), filter={"source": "loop"})] == [2, 1, 0]


def test_history_filter_matches_metadata_and_limit_counts_matches(saver: Any) -> None:
    app = chain("a", "b", "c").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    loop = list(app.get_state_history(thread(), filter={"source": "loop"}))
    assert [s.metadata["step"] for s in loop] == [3, 2, 1, 0]
    (one,) = app.get_state_history(thread(), filter={"source": "loop", "step": 1})
    assert one.next == ("b",) and one.values == {"x": 1, "log": ["a"]}
    assert list(app.get_state_history(thread(), filter={"source": "loop"}, limit=2)) == loop[:2]
    assert list(app.get_state_history(thread(), filter={"source": "loop"}, before=loop[1].config)) == loop[2:]
    assert list(app.get_state_history(thread(), filter={"source": "update"})) == []
    assert list(app.get_state_history(thread(), filter={"nope": 1})) == []
    # A config naming a checkpoint lists that one only.
    assert list(app.get_state_history(loop[1].config)) == [loop[1]]
    assert list(app.get_state_history(loop[1].config, filter={"source": "input"})) == []
    assert list(app.get_state_history(loop[1].config, before=loop[1].config)) == []


# -- what history records ---------------------------------------------------------------

def test_history_tasks_carry_what_each_task_wrote(saver: Any) -> None:
    app = chain("a", "b").compile(checkpointer=saver)
    app.invoke({"x": 1}, thread())
    results = [[(t.name, t.result) for t in s.tasks] for s in app.get_state_history(thread())]
    assert results == [
        [],
        [("b", {"log": ["b"]})],
        [("a", {"log": ["a"]})],
        [("__start__", {"x": 1})],
    ]


class Parallel(TypedDict):
    log: Annotated[list, operator.add]


def parallel_with_question(saver: Any) -> CompiledStateGraph:
    """``a`` and ``b`` run in one step; ``b`` asks a question; ``a -> c``, ``b -> d``."""
    graph = StateGraph(Parallel)
    graph.add_node("a", lambda state: {"log": ["a"]})
    graph.add_node("b", lambda state: {"log": [f"b:{interrupt('q?')}"]})
    graph.add_node("c", lambda state: {"log": ["c"]})
    graph.add_node("d", lambda state: {"log": ["d"]})
    graph.add_edge(START, "a")
    graph.add_edge(START, "b")
    graph.add_edge("a", "c")
    graph.add_edge("b", "d")
    return graph.compile(checkpointer=saver)


def test_get_state_of_a_partly_done_step_is_live(saver: Any) -> None:
    app = parallel_with_question(saver)
    app.invoke({"log": []}, thread())
    live = app.get_state(thread())
    # What still has to run, with the finished task's writes already in the values.
    assert live.next == ("b",)
    assert live.values == {"log": ["a"]}
    (question,) = live.interrupts
    assert question.value == "q?"
    assert [(t.name, t.result, t.interrupts) for t in live.tasks] == [
        ("a", {"log": ["a"]}, ()),
        ("b", None, (question,)),
    ]
    # The same checkpoint named by id is the record of its step.
    record = app.get_state(live.config)
    assert record.next == ("a", "b")
    assert record.values == {"log": []}
    assert record.interrupts == (question,)
    assert record.tasks == live.tasks


def test_history_records_the_interrupt_of_a_resumed_task(saver: Any) -> None:
    app = parallel_with_question(saver)
    app.invoke({"log": []}, thread())
    (question,) = app.get_state(thread()).interrupts
    assert app.invoke(Command(resume="yes"), thread()) == {"log": ["a", "b:yes", "c", "d"]}
    assert app.get_state(thread()).interrupts == ()
    step0 = next(s for s in app.get_state_history(thread()) if s.metadata["step"] == 0)
    assert step0.next == ("a", "b")
    assert step0.interrupts == (question,)
    assert [(t.name, t.result, t.interrupts) for t in step0.tasks] == [
        ("a", {"log": ["a"]}, ()),
        ("b", {"log": ["b:yes"]}, (question,)),
    ]


def test_a_task_that_wrote_nothing_counts_as_finished(saver: Any) -> None:
    calls: dict[str, int] = {}

    def quiet(state: Parallel) -> None:
        calls["quiet"] = calls.get("quiet", 0) + 1

    graph = StateGraph(Parallel)
    graph.add_node("quiet", quiet)
    graph.add_node("ask", lambda state: {"log": [interrupt("q?")]})
    graph.add_edge(START, "quiet")
    graph.add_edge(START, "ask")
    app = graph.compile(checkpointer=saver)
    app.invoke({"log": []}, thread())
    state = app.get_state(thread())
    assert state.next == ("ask",)
    assert [(t.name, t.result) for t in state.tasks] == [("quiet", {}), ("ask", None)]
    assert app.invoke(Command(resume="x"), thread()) == {"log": ["x"]}
    assert calls == {"quiet": 1}  # its (empty) result was kept, not run again


def test_a_result_with_several_writes_to_a_key_lists_them() -> None:
    graph = StateGraph(Parallel)
    graph.add_node("twice", lambda state: Command(update=[("log", ["x"]), ("log", ["y"])]))
    graph.add_edge(START, "twice")
    app = graph.compile(checkpointer=InMemorySaver())
    app.invoke({"log": []}, thread())
    (_, step0, _) = app.get_state_history(thread())
    assert step0.tasks[0].result == {"log": {"$writes": [["x"], ["y"]]}}


# -- subgraphs ---------------------------------------------------------------------------

class Outer(TypedDict):
    log: Annotated[list, operator.add]


class Inner(TypedDict):
    log: Annotated[list, operator.add]
    secret: str


class InnerOut(TypedDict):
    log: Annotated[list, operator.add]


def nested(saver: Any) -> CompiledStateGraph:
    """``sub`` (output_schema InnerOut) runs ``s1 -> grand -> s2``; ``grand`` runs ``leaf``."""
    leaf = StateGraph(Outer)
    leaf.add_node("leaf", lambda state: {"log": ["leaf"]})
    leaf.add_edge(START, "leaf")
    sub = StateGraph(Inner, output_schema=InnerOut)
    sub.add_node("s1", lambda state: {"log": ["s1"], "secret": "hidden"})
    sub.add_node("grand", leaf.compile())
    sub.add_node("s2", lambda state: {"log": [f"s2:{interrupt('go?')}:{state['secret']}"]})
    sub.add_edge(START, "s1")
    sub.add_edge("s1", "grand")
    sub.add_edge("grand", "s2")
    outer = StateGraph(Outer)
    outer.add_node("sub", sub.compile())
    outer.add_edge(START, "sub")
    return outer.compile(checkpointer=saver)


def test_subgraph_checkpoints_name_their_parents(saver: Any) -> None:
    app = nested(saver)
    app.invoke({"log": []}, thread())
    root = app.get_state(thread(), subgraphs=True)
    (sub_task,) = root.tasks
    sub_state = sub_task.state
    sub_ns = f"sub:{sub_task.id}"
    root_id = checkpoint_id(root.config)
    assert root.metadata["parents"] == {}
    # Every checkpoint of the subgraph names the root checkpoint its task ran from.
    sub_history = list(app.get_state_history(thread(checkpoint_ns=sub_ns)))
    assert steps(sub_history) == [-1, 0, 1, 2]
    assert {tuple(s.metadata["parents"].items()) for s in sub_history} == {(("", root_id),)}
    assert sub_state.config["configurable"]["checkpoint_map"] == {"": root_id, sub_ns: checkpoint_id(sub_state.config)}
    # One level down: each ancestor's namespace and checkpoint.
    grand_at = next(s for s in sub_history if s.next == ("grand",))
    grand_task = grand_at.tasks[0]
    grand_ns = f"{sub_ns}|grand:{grand_task.id}"
    assert grand_task.state == {"configurable": {"thread_id": "t1", "checkpoint_ns": grand_ns}}
    grand_history = list(app.get_state_history(grand_task.state))
    assert steps(grand_history) == [-1, 0, 1]
    for snapshot in grand_history:
        assert snapshot.metadata["parents"] == {"": root_id, sub_ns: checkpoint_id(grand_at.config)}


def test_a_subgraph_with_an_output_schema_checkpoints_its_whole_state(saver: Any) -> None:
    app = nested(saver)
    app.invoke({"log": []}, thread())
    sub_state = app.get_state(thread(), subgraphs=True).tasks[0].state
    assert sub_state.next == ("s2",)
    assert sub_state.values == {"log": ["s1", "s1", "leaf"], "secret": "hidden"}
    sub_history = list(app.get_state_history(thread(checkpoint_ns=sub_state.config["configurable"]["checkpoint_ns"])))
    before_grand = next(s for s in sub_history if s.next == ("grand",))
    assert before_grand.values == {"log": ["s1"], "secret": "hidden"}
    assert before_grand.tasks[0].result == {"log": ["s1", "leaf"]}  # a subgraph outputs its whole state
    s1_step = next(s for s in sub_history if s.next == ("s1",))
    assert s1_step.tasks[0].result == {"log": ["s1"], "secret": "hidden"}
    # Resuming reads the key the output schema leaves out.
    assert app.invoke(Command(resume="ok"), thread()) == {"log": ["s1", "s1", "leaf", "s2:ok:hidden"]}


def test_a_graph_with_an_output_schema_shows_its_whole_state(saver: Any) -> None:
    graph = StateGraph(Inner, output_schema=InnerOut)
    graph.add_node("s1", lambda state: {"log": ["s1"], "secret": "hidden"})
    graph.add_edge(START, "s1")
    app = graph.compile(checkpointer=saver)
    assert app.invoke({"log": []}, thread()) == {"log": ["s1"]}
    assert app.get_state(thread()).values == {"log": ["s1"], "secret": "hidden"}


def subgraph_tree() -> tuple[CompiledStateGraph, dict[str, CompiledStateGraph]]:
    """A root with subgraph nodes ``mid`` (itself holding ``grand``) and ``other``."""
    leaf = StateGraph(Outer)
    leaf.add_node("leaf", appender("leaf"))
    leaf.add_edge(START, "leaf")
    grand, other = leaf.compile(), leaf.compile()
    mid_graph = StateGraph(Outer)
    mid_graph.add_node("plain", appender("plain"))
    mid_graph.add_node("grand", grand)
    mid_graph.add_edge(START, "plain")
    mid_graph.add_edge("plain", "grand")
    mid = mid_graph.compile()
    root = StateGraph(Outer)
    root.add_node("first", appender("first"))
    root.add_node("mid", mid)
    root.add_node("other", other)
    root.add_edge(START, "first")
    root.add_edge("first", "mid")
    root.add_edge("mid", "other")
    return root.compile(), {"mid": mid, "grand": grand, "other": other}


def test_get_subgraphs_yields_namespaces_and_graphs() -> None:
    app, sub = subgraph_tree()
    mid = sub["mid"]
    assert list(app.get_subgraphs()) == [("mid", mid), ("other", sub["other"])]
    assert list(app.get_subgraphs(recurse=True)) == [
        ("mid", mid),
        ("mid|grand", sub["grand"]),
        ("other", sub["other"]),
    ]
    assert list(app.get_subgraphs(namespace="mid")) == [("mid", mid)]
    assert list(app.get_subgraphs(namespace="mid", recurse=True)) == [("mid", mid)]
    # A nested namespace is found only when recursing.
    assert list(app.get_subgraphs(namespace="mid|grand")) == []
    assert list(app.get_subgraphs(namespace="mid|grand", recurse=True)) == [("mid|grand", sub["grand"])]
    assert list(app.get_subgraphs(namespace="first", recurse=True)) == []
    assert list(app.get_subgraphs(namespace="nope", recurse=True)) == []


async def test_aget_subgraphs_is_an_async_iterator() -> None:
    app, _ = subgraph_tree()
    found = app.aget_subgraphs(recurse=True)
    assert isinstance(found, AsyncIterator)
    assert [pair async for pair in found] == list(app.get_subgraphs(recurse=True))
