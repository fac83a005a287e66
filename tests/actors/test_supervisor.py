"""Supervisor: concurrency inside the block, fail-fast errors as themselves, cancellation, fan-in."""

from __future__ import annotations

import contextvars
from typing import NoReturn

import pytest
import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from actors import Mailbox, Supervisor


class Boom(Exception):
    pass


async def sleep_forever_recording(log: list[str], name: str) -> None:
    try:
        await trio.sleep_forever()
    except trio.Cancelled:
        log.append(f"{name} cancelled")
        raise
    finally:
        log.append(f"{name} finally")


def live_task_names() -> set[str]:
    """Names of every task still alive under the root task."""
    names: set[str] = set()

    def walk(task: trio.lowlevel.Task) -> None:
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                names.add(child.name)
                walk(child)

    root = trio.lowlevel.current_root_task()
    assert root is not None
    walk(root)
    return names


# -- the block ------------------------------------------------------------------------


async def test_children_run_concurrently_inside_the_block() -> None:
    names = [f"a{i}" for i in range(5)]
    started = {name: trio.Event() for name in names}
    go = trio.Event()
    results: dict[str, str] = {}

    async def behaviour(name: str) -> None:
        started[name].set()
        await go.wait()  # nobody finishes until all have started: they overlap
        results[name] = name.upper()

    async with Supervisor() as sup:
        for name in names:
            sup.spawn(name, behaviour, name)
        for name in names:
            await started[name].wait()
        assert set(names) <= live_task_names()  # each actor is a trio task named after it
        go.set()
    # The block waits for its children.
    assert results == {name: name.upper() for name in names}
    assert not live_task_names() & set(names)


async def test_block_exit_waits_for_children() -> None:
    release = trio.Event()
    finished: list[str] = []

    async def slow() -> None:
        await release.wait()
        finished.append("slow")

    async def releaser() -> None:
        await trio.testing.wait_all_tasks_blocked()
        release.set()

    async with trio.open_nursery() as outer:
        outer.start_soon(releaser)
        async with Supervisor() as sup:
            sup.spawn("slow", slow)
        # Only reached after the child finished.
        assert finished == ["slow"]


async def test_spawn_outside_the_block_raises_runtime_error() -> None:
    async def nothing() -> None:
        pass

    sup = Supervisor("outer-space")
    with pytest.raises(RuntimeError, match="'outer-space' is not running"):
        sup.spawn("early", nothing)
    async with sup:
        sup.spawn("inside", nothing)
    with pytest.raises(RuntimeError, match="async with"):
        sup.spawn("late", nothing)


async def test_children_can_spawn_siblings_while_the_block_is_exiting() -> None:
    results: list[str] = []

    async def leaf() -> None:
        results.append("leaf")

    async def parent(sup: Supervisor) -> None:
        await trio.testing.wait_all_tasks_blocked()  # the body has reached __aexit__
        sup.spawn("leaf", leaf)

    async with Supervisor() as sup:
        sup.spawn("parent", parent, sup)
    assert results == ["leaf"]


async def test_children_see_context_set_before_spawn() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")
    seen: dict[str, str] = {}

    async def read(name: str) -> None:
        seen[name] = var.get()

    async with Supervisor() as sup:
        token = var.set("run-1")
        sup.spawn("first", read, "first")
        var.reset(token)
        sup.spawn("second", read, "second")
    assert seen == {"first": "run-1", "second": "unset"}


async def test_a_childs_context_changes_stay_in_the_child() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")

    async def sets() -> None:
        var.set("child")

    async with Supervisor() as sup:
        sup.spawn("sets", sets)
    assert var.get() == "unset"


# -- fan-in: the engine's pattern, supervised producers writing into one mailbox ------


@settings(deadline=None, max_examples=100)
@given(
    counts=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    capacity=st.integers(1, 16),
    yields=st.lists(st.booleans(), min_size=1, max_size=40),
)
async def test_fan_in_preserves_each_actors_order(counts: list[int], capacity: int, yields: list[bool]) -> None:
    total = sum(counts)
    outbox: Mailbox[tuple[int, int]] = Mailbox(capacity)

    async def writer(who: int, count: int) -> None:
        for seq in range(count):
            if not outbox.put_nowait((who, seq)):
                await outbox.put((who, seq))
            if yields[(who + seq) % len(yields)]:
                await trio.lowlevel.checkpoint()

    received: list[tuple[int, int]] = []
    async with Supervisor() as sup:
        for who, count in enumerate(counts):
            sup.spawn(f"writer-{who}", writer, who, count)
        while len(received) < total:
            received.extend(await outbox.get_batch())

    assert len(received) == total
    for who, count in enumerate(counts):
        assert [seq for w, seq in received if w == who] == list(range(count))
    assert outbox.high_water <= capacity


async def test_a_failing_producer_releases_a_consumer_blocked_on_the_mailbox() -> None:
    outbox: Mailbox[int] = Mailbox(4)

    async def producer() -> NoReturn:
        outbox.put_nowait(1)
        await trio.testing.wait_all_tasks_blocked()
        raise Boom("producer")

    received: list[int] = []
    with pytest.raises(Boom, match="producer"):
        async with Supervisor() as sup:
            sup.spawn("producer", producer)
            while True:  # the body is cancelled out of get_batch by the failure
                received.extend(await outbox.get_batch())
    assert received == [1]


# -- errors ---------------------------------------------------------------------------


async def test_first_error_cancels_siblings_and_comes_out_as_itself() -> None:
    log: list[str] = []
    sibling_parked = trio.Event()
    error = Boom("first")

    async def sibling() -> None:
        sibling_parked.set()
        await sleep_forever_recording(log, "sibling")

    async def failing() -> NoReturn:
        await sibling_parked.wait()
        raise error

    with pytest.raises(Boom) as caught:
        async with Supervisor("sup") as sup:
            sup.spawn("sibling", sibling)
            sup.spawn("bad", failing)
    assert caught.value is error
    assert not isinstance(caught.value, BaseExceptionGroup)
    assert caught.value.__notes__ == ["in actor 'bad'"]
    assert log == ["sibling cancelled", "sibling finally"]


async def test_custom_note_replaces_the_default() -> None:
    async def failing() -> NoReturn:
        raise Boom

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("n", failing, note="in node 'agent' at step 3")
    assert caught.value.__notes__ == ["in node 'agent' at step 3"]


async def test_empty_note_adds_none() -> None:
    # For behaviours that annotate their own errors (the pool's workers).
    async def failing() -> NoReturn:
        raise Boom

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("quiet", failing, note="")
    assert not hasattr(caught.value, "__notes__")


async def test_error_keeps_its_cause_and_context() -> None:
    async def failing() -> NoReturn:
        try:
            raise KeyError("missing")
        except KeyError as key_error:
            raise Boom("wrapped") from key_error

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("bad", failing)
    assert isinstance(caught.value.__cause__, KeyError)
    assert isinstance(caught.value.__context__, KeyError)


async def test_implicit_context_is_kept_and_shown() -> None:
    async def failing() -> NoReturn:
        try:
            raise OSError("disk")
        except OSError:
            raise Boom("while handling")  # noqa: B904 -- the implicit context is the point

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("bad", failing)
    assert isinstance(caught.value.__context__, OSError)
    assert caught.value.__suppress_context__ is False


async def test_an_error_without_context_gets_none_not_the_group() -> None:
    async def failing() -> NoReturn:
        raise Boom("plain")

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("bad", failing)
    assert caught.value.__context__ is None


async def test_second_error_during_cancellation_becomes_a_note() -> None:
    sibling_parked = trio.Event()

    async def sibling() -> None:
        try:
            sibling_parked.set()
            await trio.sleep_forever()
        finally:
            raise OSError("cleanup failed")

    async def failing() -> NoReturn:
        await sibling_parked.wait()
        raise Boom("first")

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("sibling", sibling)
            sup.spawn("bad", failing)
    notes = caught.value.__notes__
    assert notes[0] == "in actor 'bad'"
    assert len(notes) == 2
    assert "OSError: cleanup failed" in notes[1]
    assert "in actor 'sibling'" in notes[1]


async def test_error_in_body_cancels_children_and_is_raised_unwrapped() -> None:
    log: list[str] = []
    error = ValueError("body")

    with pytest.raises(ValueError) as caught:
        async with Supervisor() as sup:
            sup.spawn("child", sleep_forever_recording, log, "child")
            await trio.testing.wait_all_tasks_blocked()
            raise error
    assert caught.value is error
    assert not hasattr(caught.value, "__notes__")
    assert log == ["child cancelled", "child finally"]


async def test_body_error_wins_over_a_child_failing_while_cancelled() -> None:
    child_errors: list[BaseException] = []

    async def fails_on_cancel() -> None:
        try:
            await trio.sleep_forever()
        finally:
            error = OSError("cleanup failed")
            child_errors.append(error)
            raise error

    with pytest.raises(ValueError) as caught:
        async with Supervisor() as sup:
            sup.spawn("child", fails_on_cancel)
            await trio.testing.wait_all_tasks_blocked()
            raise ValueError("body")
    assert str(caught.value) == "body"
    assert len(caught.value.__notes__) == 1
    assert "OSError: cleanup failed" in caught.value.__notes__[0]
    assert child_errors[0].__notes__ == ["in actor 'child'"]


async def test_a_child_failing_after_cancel_is_still_raised() -> None:
    # Nothing else failed: the error of a child torn down by cancel() is the only one.
    async def fails_on_cancel() -> None:
        try:
            await trio.sleep_forever()
        finally:
            raise OSError("cleanup failed")

    with pytest.raises(OSError, match="cleanup failed") as caught:
        async with Supervisor() as sup:
            sup.spawn("child", fails_on_cancel)
            await trio.testing.wait_all_tasks_blocked()
            sup.cancel()
    assert caught.value.__notes__ == ["in actor 'child'"]


async def test_error_in_body_keeps_its_cause() -> None:
    cause = KeyError("k")
    with pytest.raises(ValueError) as caught:
        async with Supervisor():
            raise ValueError("body") from cause
    assert caught.value.__cause__ is cause


async def test_actor_exception_group_comes_out_as_a_group() -> None:
    # The user's own group is their error: not flattened into its first leaf.
    async def failing() -> NoReturn:
        raise ExceptionGroup("tools failed", [KeyError("a"), Boom("b")])

    with pytest.raises(ExceptionGroup) as caught:
        async with Supervisor() as sup:
            sup.spawn("fan", failing)
    assert caught.value.message == "tools failed"
    assert [type(e) for e in caught.value.exceptions] == [KeyError, Boom]
    assert "in actor 'fan'" in caught.value.__notes__


async def test_two_children_failing_together_keep_the_first() -> None:
    go = trio.Event()

    async def failing(tag: str) -> NoReturn:
        await go.wait()
        raise Boom(tag)

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("a", failing, "a")
            sup.spawn("b", failing, "b")
            await trio.testing.wait_all_tasks_blocked()
            go.set()  # both wake in one batch and raise before either can be cancelled
    # Whichever the supervisor saw first wins and the other is a note, never lost.
    winner = str(caught.value)
    loser = "b" if winner == "a" else "a"
    assert caught.value.__notes__[0] == f"in actor {winner!r}"
    assert f"Boom: {loser}" in caught.value.__notes__[1]
    assert f"in actor {loser!r}" in caught.value.__notes__[1]


async def test_a_base_exception_from_an_actor_comes_out_as_itself() -> None:
    class Fatal(BaseException):
        pass

    async def fatal() -> NoReturn:
        raise Fatal("stop")

    with pytest.raises(Fatal) as caught:
        async with Supervisor() as sup:
            sup.spawn("fatal", fatal)
    assert caught.value.__notes__ == ["in actor 'fatal'"]


# -- cancellation ---------------------------------------------------------------------


async def test_cancelling_from_outside_leaves_no_child_running() -> None:
    log: list[str] = []
    names = [f"c{i}" for i in range(4)]
    with trio.CancelScope() as scope:
        async with Supervisor() as sup:
            for name in names:
                sup.spawn(name, sleep_forever_recording, log, name)
            await trio.testing.wait_all_tasks_blocked()
            assert set(names) <= live_task_names()
            scope.cancel()
            await trio.sleep_forever()
    assert scope.cancelled_caught
    assert not live_task_names() & set(names)
    assert sorted(entry for entry in log if entry.endswith("cancelled")) == [f"{n} cancelled" for n in names]
    assert sorted(entry for entry in log if entry.endswith("finally")) == [f"{n} finally" for n in names]


async def test_supervisor_cancel_from_the_body_ends_the_block_quietly() -> None:
    log: list[str] = []
    async with Supervisor() as sup:
        sup.spawn("child", sleep_forever_recording, log, "child")
        await trio.testing.wait_all_tasks_blocked()
        sup.cancel()
        await trio.sleep_forever()  # cancelled by sup.cancel(); the block absorbs it
    assert log == ["child cancelled", "child finally"]


async def test_supervisor_cancel_from_a_child_ends_the_block_quietly() -> None:
    log: list[str] = []

    async def stopper(sup: Supervisor) -> None:
        await trio.testing.wait_all_tasks_blocked()
        sup.cancel()
        log.append("stopper done")

    async with Supervisor() as sup:
        sup.spawn("worker", sleep_forever_recording, log, "worker")
        sup.spawn("stopper", stopper, sup)
        await trio.sleep_forever()
    assert log == ["stopper done", "worker cancelled", "worker finally"]


async def test_cancel_before_enter_and_after_exit_is_harmless() -> None:
    sup = Supervisor()
    sup.cancel()
    async with sup:
        pass
    sup.cancel()


async def test_actor_with_its_own_cancelled_nursery_counts_as_cancelled() -> None:
    # Its group of Cancelled is a cancellation, not a failure: no note, nothing raised.
    async def with_helpers() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.sleep_forever)
            nursery.start_soon(trio.sleep_forever)

    with trio.CancelScope() as scope:
        async with Supervisor() as sup:
            sup.spawn("helpers", with_helpers)
            await trio.testing.wait_all_tasks_blocked()
            scope.cancel()
    assert scope.cancelled_caught
    assert not live_task_names() & {"helpers"}


async def test_a_sibling_cancelled_with_its_own_nursery_adds_no_note() -> None:
    # Torn down by the failure, the sibling raises a group of Cancelled: that is
    # a cancellation, not a second error to report.
    release = trio.Event()

    async def with_helpers() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.sleep_forever)

    async def fails_later() -> NoReturn:
        await release.wait()
        raise Boom("real")

    with pytest.raises(Boom, match="real") as caught:
        async with Supervisor() as sup:
            sup.spawn("helpers", with_helpers)
            sup.spawn("fails", fails_later)
            await trio.testing.wait_all_tasks_blocked()
            release.set()
    assert caught.value.__notes__ == ["in actor 'fails'"]
