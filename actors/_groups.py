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
    found = list(leaves(group))
    if primary is None or not any(leaf is primary for leaf in found):
        real = [leaf for leaf in found if not isinstance(leaf, trio.Cancelled)]
        primary = real[0] if real else found[0]
    for leaf in found:
        if leaf is not primary and not isinstance(leaf, trio.Cancelled):
            primary.add_note(f"(while handling it, {type(leaf).__name__}: {leaf} was also raised)")
    return primary
