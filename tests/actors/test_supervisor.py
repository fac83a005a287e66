"""Supervisor: concurrency inside the block, fan-in, fail-fast errors, cancellation, timeouts."""

from __future__ import annotations

import contextvars
from typing import Any, NoReturn

import pytest
import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from actors import (
    ActorStarted,
    ActorStopped,
    LifecycleRecord,
    Mailbox,
    Supervisor,
)


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

    async def behaviour(name: str) -> str:
        started[name].set()
        await go.wait()  # nobody finishes until all have started: they overlap
        return name.upper()

    async with Supervisor() as sup:
        actors = [sup.spawn(name, behaviour, name) for name in names]
        assert all(actor.state == "pending" for actor in actors)
        for name in names:
            await started[name].wait()
        assert all(actor.state == "running" for actor in actors)
        assert names[0] in live_task_names()
        go.set()
    # The block waits for its children.
    assert [actor.state for actor in actors] == ["done"] * 5
    assert [actor.result for actor in actors] == [name.upper() for name in names]
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
            actor = sup.spawn("slow", slow)
        # Only reached after the child finished.
        assert finished == ["slow"]
        assert actor.state == "done"


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


async def test_default_and_given_outbox() -> None:
    assert Supervisor().outbox.capacity == 1024
    outbox: Mailbox[int] = Mailbox(4)
    sup = Supervisor(outbox=outbox)
    assert sup.outbox is outbox


async def test_children_see_context_set_before_spawn() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")

    async def read() -> str:
        return var.get()

    async with Supervisor() as sup:
        token = var.set("run-1")
        first = sup.spawn("first", read)
        var.reset(token)
        second = sup.spawn("second", read)
    assert (first.result, second.result) == ("run-1", "unset")


# -- fan-in ---------------------------------------------------------------------------


@settings(deadline=None, max_examples=100)
@given(
    counts=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    capacity=st.integers(1, 16),
    yields=st.lists(st.booleans(), min_size=1, max_size=40),
)
async def test_fan_in_preserves_each_actors_order(
    counts: list[int], capacity: int, yields: list[bool]
) -> None:
    total = sum(counts)

    async def writer(sup: Supervisor, who: int, count: int) -> int:
        for seq in range(count):
            if not sup.outbox.put_nowait((who, seq)):
                await sup.outbox.put((who, seq))
            if yields[(who + seq) % len(yields)]:
                await trio.lowlevel.checkpoint()
        return count

    received: list[tuple[int, int]] = []
    async with Supervisor(outbox=Mailbox(capacity)) as sup:
        actors = [sup.spawn(f"writer-{who}", writer, sup, who, count) for who, count in enumerate(counts)]
        while len(received) < total:
            received.extend(await sup.outbox.get_batch())

    assert len(received) == total
    for who, count in enumerate(counts):
        assert [seq for w, seq in received if w == who] == list(range(count))
    assert [actor.result for actor in actors] == counts
    assert sup.outbox.high_water <= capacity


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
            blocked = sup.spawn("sibling", sibling)
            bad = sup.spawn("bad", failing)
    assert caught.value is error
    assert not isinstance(caught.value, BaseExceptionGroup)
    assert caught.value.__notes__ == ["in actor 'bad'"]
    assert log == ["sibling cancelled", "sibling finally"]
    assert (blocked.state, bad.state) == ("cancelled", "failed")
    assert bad.error is error and bad.result is None
    assert blocked.error is None
    assert sup.first_error is error


async def test_custom_note_replaces_the_default() -> None:
    async def failing() -> NoReturn:
        raise Boom

    with pytest.raises(Boom) as caught:
        async with Supervisor() as sup:
            sup.spawn("n", failing, note="in node 'agent' at step 3")
    assert caught.value.__notes__ == ["in node 'agent' at step 3"]


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
            other = sup.spawn("sibling", sibling)
            sup.spawn("bad", failing)
    notes = caught.value.__notes__
    assert notes[0] == "in actor 'bad'"
    assert len(notes) == 2
    assert "OSError: cleanup failed" in notes[1]
    assert "'sibling'" in notes[1]
    assert other.state == "failed"
    assert isinstance(other.error, OSError)
    assert sup.first_error is caught.value


async def test_error_in_body_cancels_children_and_is_raised_unwrapped() -> None:
    log: list[str] = []
    error = ValueError("body")

    with pytest.raises(ValueError) as caught:
        async with Supervisor() as sup:
            child = sup.spawn("child", sleep_forever_recording, log, "child")
            await trio.testing.wait_all_tasks_blocked()
            raise error
    assert caught.value is error
    assert not hasattr(caught.value, "__notes__")
    assert log == ["child cancelled", "child finally"]
    assert child.state == "cancelled"
    assert sup.first_error is None


async def test_body_error_wins_over_a_child_failing_while_cancelled() -> None:
    async def fails_on_cancel() -> None:
        try:
            await trio.sleep_forever()
        finally:
            raise OSError("cleanup failed")

    with pytest.raises(ValueError) as caught:
        async with Supervisor() as sup:
            child = sup.spawn("child", fails_on_cancel)
            await trio.testing.wait_all_tasks_blocked()
            raise ValueError("body")
    assert str(caught.value) == "body"
    assert len(caught.value.__notes__) == 1
    assert "OSError: cleanup failed" in caught.value.__notes__[0]
    assert child.state == "failed"
    assert child.error is not None and child.error.__notes__ == ["in actor 'child'"]


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
            a = sup.spawn("a", failing, "a")
            b = sup.spawn("b", failing, "b")
            await trio.testing.wait_all_tasks_blocked()
            go.set()  # both wake in one batch and raise before either can be cancelled
    # Both raised in the same scheduling batch; whichever the supervisor saw first wins
    # and the other is a note, never lost.
    assert sup.first_error is caught.value
    winner, loser = (a, b) if caught.value is a.error else (b, a)
    assert winner.state == loser.state == "failed"
    assert caught.value.__notes__[0] == f"in actor {winner.name!r}"
    assert f"Boom: {loser.name}" in caught.value.__notes__[1]


# -- cancellation ---------------------------------------------------------------------


async def test_cancelling_from_outside_leaves_no_child_running() -> None:
    log: list[str] = []
    records: list[LifecycleRecord] = []
    names = [f"c{i}" for i in range(4)]
    with trio.CancelScope() as scope:
        async with Supervisor(on_lifecycle=records.append) as sup:
            actors = [sup.spawn(name, sleep_forever_recording, log, name) for name in names]
            await trio.testing.wait_all_tasks_blocked()
            assert set(names) <= live_task_names()
            scope.cancel()
            await trio.sleep_forever()
    assert scope.cancelled_caught
    assert not live_task_names() & set(names)
    assert sorted(entry for entry in log if entry.endswith("finally")) == [f"{n} finally" for n in names]
    assert [actor.state for actor in actors] == ["cancelled"] * 4
    stopped = [r for r in records if isinstance(r, ActorStopped)]
    assert sorted(r.name for r in stopped) == names
    assert {r.outcome for r in stopped} == {"cancelled"}
    assert sup.first_error is None


async def test_supervisor_cancel_from_the_body_ends_the_block_quietly() -> None:
    log: list[str] = []
    async with Supervisor() as sup:
        child = sup.spawn("child", sleep_forever_recording, log, "child")
        await trio.testing.wait_all_tasks_blocked()
        sup.cancel()
        await trio.sleep_forever()  # cancelled by sup.cancel(); the block absorbs it
    assert child.state == "cancelled"
    assert log == ["child cancelled", "child finally"]


async def test_supervisor_cancel_from_a_child_ends_the_block_quietly() -> None:
    log: list[str] = []

    async def stopper(sup: Supervisor) -> str:
        await trio.testing.wait_all_tasks_blocked()
        sup.cancel()
        return "stopped"

    async with Supervisor() as sup:
        worker = sup.spawn("worker", sleep_forever_recording, log, "worker")
        stop = sup.spawn("stopper", stopper, sup)
        await trio.sleep_forever()
    assert (worker.state, stop.state, stop.result) == ("cancelled", "done", "stopped")


async def test_cancel_before_enter_and_after_exit_is_harmless() -> None:
    sup = Supervisor()
    sup.cancel()
    async with sup:
        pass
    sup.cancel()


async def test_actor_with_its_own_cancelled_nursery_counts_as_cancelled() -> None:
    records: list[LifecycleRecord] = []

    async def with_helpers() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.sleep_forever)
            nursery.start_soon(trio.sleep_forever)

    with trio.CancelScope() as scope:
        async with Supervisor(on_lifecycle=records.append) as sup:
            actor = sup.spawn("helpers", with_helpers)
            await trio.testing.wait_all_tasks_blocked()
            scope.cancel()
    assert scope.cancelled_caught
    assert actor.state == "cancelled"
    assert actor.error is None
    assert records[-1] == ActorStopped("helpers", "cancelled")
    assert sup.first_error is None


# -- timeouts -------------------------------------------------------------------------


async def test_timeout_raises_timeout_error(autojump_clock: trio.testing.MockClock) -> None:
    async def slow() -> None:
        await trio.sleep(10)

    start = trio.current_time()
    with pytest.raises(TimeoutError) as caught:
        async with Supervisor() as sup:
            actor = sup.spawn("slow", slow, timeout=1.5)
    assert trio.current_time() - start == pytest.approx(1.5)
    assert actor.state == "failed"
    assert actor.error is caught.value
    assert "in actor 'slow'" in caught.value.__notes__


async def test_timeout_not_hit_returns_the_result(autojump_clock: trio.testing.MockClock) -> None:
    async def quick() -> str:
        await trio.sleep(0.5)
        return "in time"

    async with Supervisor() as sup:
        actor = sup.spawn("quick", quick, timeout=1)
    assert (actor.state, actor.result) == ("done", "in time")


async def test_a_behaviours_own_too_slow_error_is_not_rewritten(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def own_deadline() -> None:
        with trio.fail_after(1):
            await trio.sleep(5)

    with pytest.raises(trio.TooSlowError):
        async with Supervisor() as sup:
            sup.spawn("own", own_deadline, timeout=100)


async def test_timeout_cancels_siblings(autojump_clock: trio.testing.MockClock) -> None:
    log: list[str] = []
    with pytest.raises(TimeoutError):
        async with Supervisor() as sup:
            sibling = sup.spawn("sibling", sleep_forever_recording, log, "sibling")
            sup.spawn("slow", trio.sleep, 10, timeout=2)
    assert sibling.state == "cancelled"
    assert log == ["sibling cancelled", "sibling finally"]


# -- lifecycle ------------------------------------------------------------------------


async def test_lifecycle_records_for_success_failure_and_cancel() -> None:
    records: list[LifecycleRecord] = []
    release = trio.Event()

    async def ok() -> int:
        return 1

    async def waits() -> None:
        await trio.sleep_forever()

    async def fails() -> NoReturn:
        await release.wait()
        raise Boom("x")

    with pytest.raises(Boom) as caught:
        async with Supervisor(on_lifecycle=records.append) as sup:
            sup.spawn("ok", ok)
            await trio.testing.wait_all_tasks_blocked()
            sup.spawn("waits", waits)
            sup.spawn("fails", fails)
            await trio.testing.wait_all_tasks_blocked()
            release.set()
    by_name: dict[str, list[Any]] = {}
    for record in records:
        by_name.setdefault(record.name, []).append(record)
    assert by_name["ok"] == [ActorStarted("ok"), ActorStopped("ok", "ok")]
    assert by_name["waits"] == [ActorStarted("waits"), ActorStopped("waits", "cancelled")]
    assert by_name["fails"] == [ActorStarted("fails"), ActorStopped("fails", "error", caught.value)]
    assert records.index(ActorStopped("fails", "error", caught.value)) < records.index(
        ActorStopped("waits", "cancelled")
    )


async def test_pool_jobs_never_see_each_others_context_changes() -> None:
    import contextvars

    from actors import Job, WorkerPool

    leaked: contextvars.ContextVar[str] = contextvars.ContextVar("leaked", default="clean")
    seen: list[str] = []

    async def leaky() -> None:
        seen.append(leaked.get())
        leaked.set("dirty")  # never reset

    async with Supervisor("pool") as supervisor:
        pool = WorkerPool(supervisor)
        for _ in range(3):
            await pool.run([Job("leaky", leaky), Job("leaky", leaky)])
        supervisor.cancel()

    assert seen == ["clean"] * 6
