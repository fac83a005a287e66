"""Checkpoint ids: time-ordered UUIDv7 strings, made without I/O (the step core makes them)."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from time import time_ns

__all__ = ["IdGenerator", "new_checkpoint_id"]


class IdGenerator:
    """UUIDv7 ids (RFC 9562) that strictly increase within a process.

    Layout: 48 bits of Unix milliseconds, the version, 12 bits of sub-millisecond
    time (RFC 9562 §6.2, method 3), the variant, 62 random bits. The 122 free bits
    read as one number; when the clock gives a number not above the last one (same
    ~244 ns slot, or the clock stepped back) the last one plus one is used instead.
    The hex form has fixed width, so string order is numeric order is time order.
    """

    def __init__(self, clock: Callable[[], int] = time_ns) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()  # ids may be made from worker threads too

    def __call__(self) -> str:
        ms, ns = divmod(self._clock(), 1_000_000)
        value = (ms << 74) | ((ns * 4096 // 1_000_000) << 62) | secrets.randbits(62)
        with self._lock:
            if value <= self._last:
                value = self._last + 1
            self._last = value
        as_int = (
            (value >> 74) << 80
            | 0x7 << 76
            | ((value >> 62) & 0xFFF) << 64
            | 0b10 << 62
            | value & ((1 << 62) - 1)
        )
        return str(uuid.UUID(int=as_int))


_new_id = IdGenerator()


def new_checkpoint_id() -> str:
    """A new checkpoint id: a UUIDv7 string, greater than every id made before it
    in this process, and ordered by creation time across processes (to the
    precision of their clocks). Compare ids as strings."""
    return _new_id()
