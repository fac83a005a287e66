"""Turning a nursery's exception group back into the one error its caller should see.

A trio nursery reports what went wrong inside it as a ``BaseExceptionGroup``: the
body's error (if any) first, then those of children, with the ``Cancelled`` of
every task that was torn down mixed in. The callers of a supervisor or a stream do
not care that a nursery was involved; they should see the error that ended the
block, as itself, and nothing should be silently dropped. So:

* only the nursery's own level is taken apart: a group that a behaviour raised
  itself (``ExceptionGroup("tools failed", [...])``) is that behaviour's error and
  stays a group;
* ``Cancelled`` (and groups of nothing but ``Cancelled``, from nurseries inside a
  behaviour) is the tearing-down, never the error to report — unless it is all the
  group holds;
* every other real error becomes a note on the one raised, with its own notes (the
  ``in actor '…'`` that says where it happened).
"""

from __future__ import annotations

from typing import NoReturn

import trio

__all__ = ["is_cancellation", "raise_unwrapped", "unwrap_group"]


def is_cancellation(error: BaseException) -> bool:
    """Whether ``error`` is a ``trio.Cancelled``, or a group holding nothing else.

    A group of cancellations comes from a nursery inside a behaviour that was
    cancelled from outside: the behaviour did not fail, it was stopped.
    """
    if isinstance(error, BaseExceptionGroup):
        return all(is_cancellation(inner) for inner in error.exceptions)
    return isinstance(error, trio.Cancelled)


def unwrap_group(group: BaseExceptionGroup[BaseException], primary: BaseException | None = None) -> BaseException:
    """The error to raise instead of the nursery's ``group``.

    Args:
        group: what the nursery raised.
        primary: the error known to have come first (the body's own, or the first
            child's to fail), used when it is in ``group``.

    Returns:
        ``primary`` if it is in the group, else the first error that is not a
        cancellation, else (when the group holds nothing but cancellations) its
        first ``Cancelled``. Every other real error in the group is added to the
        one returned as a note.
    """
    found = group.exceptions
    if primary is None or not any(error is primary for error in found):
        real = [error for error in found if not is_cancellation(error)]
        primary = real[0] if real else _first_leaf(group)
    for error in found:
        if error is not primary and not is_cancellation(error):
            where = "".join(f" {note}" for note in getattr(error, "__notes__", ()))
            primary.add_note(f"(while handling it, {type(error).__name__}: {error} was also raised{where})")
    return primary


def raise_unwrapped(group: BaseExceptionGroup[BaseException], primary: BaseException | None = None) -> NoReturn:
    """Raise :func:`unwrap_group`'s error in place of ``group``, keeping the cause and
    context the error had: the nursery's group is not part of its story. Call it
    from the ``except`` block that caught the group."""
    error = unwrap_group(group, primary)
    context = error.__context__
    try:
        raise error
    finally:
        error.__context__ = context
        del error, context


def _first_leaf(group: BaseExceptionGroup[BaseException]) -> BaseException:
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first
