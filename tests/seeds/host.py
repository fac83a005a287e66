"""Run one example script on a chosen event loop: ``python host.py {asyncio|trio} EXAMPLE.py``.

``asyncio`` runs the script as written. ``trio`` runs the coroutine a script
hands to ``asyncio.run`` with ``trio.run`` instead, so the same example also
shows the async API working under trio, Tributary's own host.
"""

from __future__ import annotations

import asyncio
import runpy
import sys
from collections.abc import Coroutine
from typing import Any

import trio


def _run_under_trio(main: Coroutine[Any, Any, Any], **_: Any) -> Any:
    async def wait() -> Any:
        return await main

    return trio.run(wait)


def run(host: str, path: str) -> None:
    """Run the script at ``path`` as ``__main__`` with ``asyncio.run`` meaning ``host``'s runner."""
    if host == "trio":
        asyncio.run = _run_under_trio  # type: ignore[assignment]
    elif host != "asyncio":
        raise SystemExit(f"unknown host {host!r}: use asyncio or trio")
    runpy.run_path(path, run_name="__main__")


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
