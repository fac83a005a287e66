"""Importing the step core with no event loop library at hand.

The package ``__init__`` files are facades over everything (trio included), so
a plain ``import runtime.scheduler.machine`` would run them. :func:`import_core`
instead registers every package of the project as an empty package (its
``__init__`` not executed) and makes ``trio`` unimportable, then imports the
step core's modules: whatever they import transitively must do without trio.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = (
    "runtime.scheduler.machine",
    "runtime.scheduler.planner",
    "runtime.scheduler.checkpoints",
    "runtime.scheduler.resume",
)


def import_core() -> dict[str, types.ModuleType]:
    """Import the core as described above; return the modules by name."""
    sys.modules["trio"] = None  # type: ignore[assignment]  # any import of it now fails
    for package in ("actors", "runtime", "graphs"):
        for init in (ROOT / package).rglob("__init__.py"):
            name = ".".join(init.parent.relative_to(ROOT).parts)
            module = types.ModuleType(name)
            module.__path__ = [str(init.parent)]
            module.__package__ = name
            sys.modules[name] = module
    return {name: importlib.import_module(name) for name in CORE}
