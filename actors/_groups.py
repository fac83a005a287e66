"""Turning trio's exception groups back into the one error a caller should see."""

from __future__ import annotations

from collections.abc import Iterator

import trio

__all__ = ["unwrap_group", "leaves"]


def leaves(group: BaseExceptionGroup[BaseException]) -> Iterator[BaseException]:
    """Every non-group exception inside ``group``, depth first."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from leaves(exc)
        else:
            yield exc


def unwrap_group(group: BaseExceptionGroup[BaseException], primary: BaseException | None = None) -> BaseException:
    """The error to raise instead of ``group``.

    ``primary`` if it is in the group, else the first exception that is not
    ``Cancelled`` (or the first ``Cancelled`` if that is all there is). Any other
    real error is recorded as a note on the one returned rather than dropped.
    """
    # Look at the nursery's own level only: a group the user raised stays a group.
    found = list(group.exceptions)
    if primary is None or not any(error is primary for error in found):
        real = [error for error in found if not _cancelled(error)]
        primary = real[0] if real else next(leaves(group))
    for error in found:
        if error is not primary and not _cancelled(error):
            primary.add_note(f"(while handling it, {type(error).__name__}: {error} was also raised)")
    return primary


def _cancelled(error: BaseException) -> bool:
    if isinstance(error, BaseExceptionGroup):
        return all(_cancelled(inner) for inner in error.exceptions)
    return isinstance(error, trio.Cancelled)
