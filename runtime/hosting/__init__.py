"""Hosting the trio engine under asyncio.

Tributary runs on trio. Called from asyncio (``asyncio.run``, FastAPI, Jupyter), its
async API runs in a trio *guest run* on the caller's loop — one per loop, shared by
every call — and a graph's coroutines written for asyncio run back on that loop.
See ``docs/asyncio.md``.
"""

from .entry import HostedStream, TrioEntryPoints, close_from_host, guest_for_caller, in_trio, trio_entry
from .guest import GUEST, AsyncioGuest, GuestRunEnded, current_guest

__all__ = [
    "GUEST",
    "AsyncioGuest",
    "GuestRunEnded",
    "close_from_host",
    "HostedStream",
    "TrioEntryPoints",
    "current_guest",
    "guest_for_caller",
    "in_trio",
    "trio_entry",
]
