"""unwrap_group and is_cancellation: which error a nursery's group stands for."""

from __future__ import annotations

import pytest
import trio

from actors import is_cancellation, unwrap_group


async def a_cancelled() -> trio.Cancelled:
    """A real ``trio.Cancelled`` (it cannot be constructed directly)."""
    with trio.CancelScope() as scope:
        scope.cancel()
        try:
            await trio.lowlevel.checkpoint()
        except trio.Cancelled as cancelled:
            return cancelled
    raise AssertionError("the checkpoint was not cancelled")


def group(*errors: BaseException) -> BaseExceptionGroup[BaseException]:
    return BaseExceptionGroup("Exceptions from Trio nursery", list(errors))


# -- is_cancellation ------------------------------------------------------------------


async def test_cancelled_is_a_cancellation() -> None:
    assert is_cancellation(await a_cancelled())


@pytest.mark.parametrize("error", [ValueError(), KeyboardInterrupt(), trio.TooSlowError(), TimeoutError()])
def test_other_errors_are_not_cancellations(error: BaseException) -> None:
    assert not is_cancellation(error)


async def test_a_group_of_nothing_but_cancellations_is_one_at_any_depth() -> None:
    assert is_cancellation(group(await a_cancelled(), group(await a_cancelled())))


async def test_a_group_with_one_real_error_is_not_a_cancellation() -> None:
    assert not is_cancellation(group(await a_cancelled(), group(await a_cancelled(), OSError())))


# -- unwrap_group ---------------------------------------------------------------------


def test_the_first_real_error_is_returned_and_the_others_become_notes() -> None:
    first, second = KeyError("first"), OSError("second")
    second.add_note("in actor 'b'")
    assert unwrap_group(group(first, second)) is first
    assert first.__notes__ == ["(while handling it, OSError: second was also raised in actor 'b')"]
    assert second.__notes__ == ["in actor 'b'"]


async def test_cancellations_are_skipped_and_not_noted() -> None:
    real = ValueError("real")
    assert unwrap_group(group(await a_cancelled(), real, await a_cancelled())) is real
    assert not hasattr(real, "__notes__")


def test_a_given_primary_in_the_group_wins() -> None:
    body, child = ValueError("body"), OSError("child")
    assert unwrap_group(group(child, body), body) is body
    assert body.__notes__ == ["(while handling it, OSError: child was also raised)"]


def test_a_given_primary_not_in_the_group_is_ignored() -> None:
    elsewhere, inside = ValueError("elsewhere"), OSError("inside")
    assert unwrap_group(group(inside), elsewhere) is inside
    assert not hasattr(elsewhere, "__notes__")


async def test_a_group_of_only_cancellations_gives_its_first_cancelled() -> None:
    deepest = await a_cancelled()
    assert unwrap_group(group(group(deepest), await a_cancelled())) is deepest


def test_a_group_the_user_raised_stays_a_group() -> None:
    theirs = ExceptionGroup("tools failed", [KeyError("a"), OSError("b")])
    assert unwrap_group(group(theirs)) is theirs
    assert not hasattr(theirs, "__notes__")


async def test_a_nested_group_holding_a_real_error_counts_as_real() -> None:
    inner = BaseExceptionGroup("inner nursery", [await a_cancelled(), OSError("deep")])
    assert unwrap_group(group(await a_cancelled(), inner)) is inner


async def test_a_real_nursery_group_unwraps_to_the_childs_error() -> None:
    # What a real nursery raises unwraps to the error its child raised.
    error = OSError("child")

    async def fails() -> None:
        raise error

    async def waits() -> None:
        await trio.sleep_forever()

    with pytest.raises(BaseExceptionGroup) as caught:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(waits)
            nursery.start_soon(fails)
    assert unwrap_group(caught.value) is error
