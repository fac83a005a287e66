"""Actor handles: inboxes and ``send``, and what ``state``/``result``/``error`` say."""

from __future__ import annotations

from typing import Any, NoReturn

import pytest
import trio
import trio.testing

from actors import Actor, Mailbox, MailboxClosed, RetryPolicy, Supervisor


async def collect_until_stop(inbox: Mailbox[Any], prefix: str) -> list[str]:
    seen: list[str] = []
    while True:
        for message in await inbox.get_batch():
            if message == "stop":
                return seen
            seen.append(f"{prefix}{message}")


async def test_actor_with_inbox_receives_messages_in_order() -> None:
    async with Supervisor() as sup:
        actor = sup.spawn("collector", collect_until_stop, "got:", inbox_capacity=4)
        assert actor.inbox is not None and actor.inbox.capacity == 4
        for i in range(10):
            await actor.send(i)
        await actor.send("stop")
    assert actor.result == [f"got:{i}" for i in range(10)]
    assert actor.args == (actor.inbox, "got:")


async def test_send_waits_while_the_inbox_is_full() -> None:
    may_read = trio.Event()
    sent: list[int] = []

    async def reluctant(inbox: Mailbox[int]) -> list[int]:
        await may_read.wait()
        return await inbox.get_batch()

    async def sender(actor: Actor[list[int]]) -> None:
        for i in range(3):
            await actor.send(i)
            sent.append(i)

    async with Supervisor() as sup:
        actor = sup.spawn("reluctant", reluctant, inbox_capacity=2)
        sup.spawn("sender", sender, actor)
        await trio.testing.wait_all_tasks_blocked()
        assert sent == [0, 1]  # the third send is held back by the full inbox
        may_read.set()
    assert actor.result == [0, 1]
    assert sent == [0, 1, 2]


async def test_send_to_an_actor_without_inbox_is_a_type_error() -> None:
    async def nothing() -> None:
        pass

    async with Supervisor() as sup:
        actor = sup.spawn("mute", nothing)
        assert actor.inbox is None
        with pytest.raises(TypeError, match="'mute' has no inbox; spawn it with inbox_capacity=N"):
            await actor.send("hello")


async def test_inbox_capacity_must_be_positive() -> None:
    async def nothing(inbox: Mailbox[Any]) -> None:
        pass

    async with Supervisor() as sup:
        with pytest.raises(ValueError, match="at least 1"):
            sup.spawn("bad", nothing, inbox_capacity=0)


async def test_a_closed_inbox_refuses_send() -> None:
    async def closes(inbox: Mailbox[Any]) -> None:
        inbox.close()

    async with Supervisor() as sup:
        actor = sup.spawn("closes", closes, inbox_capacity=1)
    with pytest.raises(MailboxClosed):
        await actor.send("late")


async def test_handle_states_through_a_life() -> None:
    step = trio.Event()

    async def behaviour() -> int:
        await step.wait()
        return 42

    async with Supervisor() as sup:
        actor = sup.spawn("life", behaviour)
        assert (actor.state, actor.attempts) == ("pending", 0)
        assert repr(actor) == "<Actor 'life' pending>"
        await trio.testing.wait_all_tasks_blocked()
        assert (actor.state, actor.attempts) == ("running", 1)
        step.set()
    assert (actor.state, actor.result, actor.error, actor.attempts) == ("done", 42, None, 1)
    assert repr(actor) == "<Actor 'life' done>"


async def test_handles_after_a_failed_block() -> None:
    error = LookupError("missing")
    started = trio.Event()

    async def ok() -> str:
        return "fine"

    async def waits() -> None:
        started.set()
        await trio.sleep_forever()

    async def fails() -> NoReturn:
        await started.wait()
        raise error

    with pytest.raises(LookupError):
        async with Supervisor() as sup:
            done = sup.spawn("ok", ok)
            await trio.testing.wait_all_tasks_blocked()
            cancelled = sup.spawn("waits", waits)
            failed = sup.spawn("fails", fails)
    assert (done.state, done.result, done.error) == ("done", "fine", None)
    assert (cancelled.state, cancelled.result, cancelled.error) == ("cancelled", None, None)
    assert (failed.state, failed.result, failed.error) == ("failed", None, error)


async def test_result_none_is_a_result() -> None:
    async def returns_none() -> None:
        return None

    async with Supervisor() as sup:
        actor = sup.spawn("none", returns_none)
    assert (actor.state, actor.result) == ("done", None)


async def test_a_retried_actor_keeps_its_inbox(autojump_clock: trio.testing.MockClock) -> None:
    attempts: list[list[str]] = []

    async def picky(inbox: Mailbox[str]) -> list[str]:
        batch = await inbox.get_batch()
        attempts.append(batch)
        if "poison" in batch:
            raise ConnectionError("try again")
        return batch

    policy = RetryPolicy(initial_interval=1, jitter=False, max_attempts=2)
    async with Supervisor() as sup:
        actor = sup.spawn("picky", picky, retry=policy, inbox_capacity=4)
        await actor.send("poison")
        await trio.testing.wait_all_tasks_blocked()
        await actor.send("fine")
    assert attempts == [["poison"], ["fine"]]
    assert (actor.state, actor.result, actor.attempts) == ("done", ["fine"], 2)
