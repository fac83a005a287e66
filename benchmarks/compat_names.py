"""Which public names of LangGraph and langchain-core Tributary exports, and where.

Usage: ``python -m benchmarks.compat_names [--missing] [--tributary PATH]``.

For each module LangGraph / langchain-core users import from (``langgraph.graph``,
``langchain_core.messages``, ...), the names it offers are its ``__all__`` or, for a
module without one, the public classes and functions it defines. Each name is
looked for in the Tributary facades a port would import it from (the ``graphs``
package for ``langgraph.*``, the matching ``runtime`` subpackage and ``runtime``
itself for ``langchain_core.*``), then in every other Tributary package facade
("elsewhere": it exists, but not where a port looks). The output is a markdown
table per module and a summary table with the counts.

``--tributary PATH`` imports Tributary from another checkout (a git worktree of an
older commit, for a before/after comparison). Needs the reference packages
installed (the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterable, Sequence
from types import ModuleType

# Reference module -> the Tributary modules a port imports those names from, in order.
MODULES: dict[str, tuple[str, ...]] = {
    "langgraph.graph": ("graphs",),
    "langgraph.graph.message": ("graphs", "graphs.message"),
    "langgraph.types": ("graphs",),
    "langgraph.errors": ("graphs",),
    "langgraph.config": ("graphs",),
    "langgraph.runtime": ("graphs",),
    "langgraph.checkpoint.memory": ("graphs", "runtime.checkpoint"),
    "langgraph.store.memory": ("graphs", "graphs.store", "runtime.store"),
    "langgraph.prebuilt": ("graphs.prebuilt", "graphs"),
    "langchain_core.messages": ("runtime.messages", "runtime"),
    "langchain_core.runnables": ("runtime.runnables", "runtime"),
    "langchain_core.tools": ("runtime.tools", "runtime"),
    "langchain_core.utils.function_calling": ("runtime.tools", "runtime"),
    "langchain_core.output_parsers": ("runtime.runnables.parsers", "runtime.runnables", "runtime"),
    "langchain_core.outputs": ("runtime.models", "runtime"),
    "langchain_core.language_models": ("runtime.models", "runtime"),
    "langchain_core.callbacks": ("runtime.tracing", "runtime"),
    "langchain_core.documents": ("runtime.runnables", "runtime"),
    "langchain_core.retrievers": ("runtime.runnables", "runtime"),
    "langchain_core.exceptions": ("runtime.core", "runtime"),
    "langchain_core.prompts": ("runtime.prompts", "runtime"),
    "langchain_core.prompt_values": ("runtime.prompts", "runtime"),
}

TRIBUTARY_PACKAGES = ("actors", "runtime", "graphs")


def reference_names(module_name: str) -> list[str]:
    """The public names ``module_name`` offers: ``__all__``, or what it defines."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is not None:
        return sorted(set(names))
    top = module_name.split(".")[0]
    found = []
    for name, value in vars(module).items():
        if name.startswith("_") or not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        if (getattr(value, "__module__", "") or "").split(".")[0] == top:
            found.append(name)
    return sorted(found)


def _facades() -> dict[str, ModuleType]:
    """Every importable Tributary package (its ``__init__``), and every module named in
    :data:`MODULES`, by dotted name."""
    out: dict[str, ModuleType] = {}
    for candidates in MODULES.values():
        for name in candidates:
            try:
                out[name] = importlib.import_module(name)
            except ImportError:  # a facade this checkout does not have
                continue
    for top in TRIBUTARY_PACKAGES:
        package = importlib.import_module(top)
        out[top] = package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{top}."):
            if info.ispkg:
                try:
                    out[info.name] = importlib.import_module(info.name)
                except Exception:  # a facade that fails to import exports nothing
                    continue
    return out


def _exports(module: ModuleType, name: str) -> bool:
    exported = getattr(module, "__all__", None)
    return name in exported if exported is not None else hasattr(module, name)


def locate(name: str, candidates: Sequence[str], facades: dict[str, ModuleType]) -> tuple[str, str]:
    """``("yes", module)``, ``("elsewhere", modules)`` or ``("no", "")`` for one name."""
    for candidate in candidates:
        module = facades.get(candidate)
        if module is not None and _exports(module, name):
            return "yes", candidate
    others = sorted(m for m, module in facades.items() if m not in candidates and _exports(module, name))
    if others:
        return "elsewhere", ", ".join(others[:3])
    return "no", ""


def report(modules: Iterable[str], *, missing_only: bool = False) -> str:
    facades = _facades()
    lines: list[str] = []
    summary: list[tuple[str, int, int, int, int]] = []
    for module_name in modules:
        candidates = MODULES[module_name]
        names = reference_names(module_name)
        rows = [(n, *locate(n, candidates, facades)) for n in names]
        counts = {kind: sum(1 for r in rows if r[1] == kind) for kind in ("yes", "elsewhere", "no")}
        summary.append((module_name, len(rows), counts["yes"], counts["elsewhere"], counts["no"]))
        lines += [f"### `{module_name}` → `{' / '.join(candidates)}`", "", "| name | exported | where |", "|---|---|---|"]
        for name, kind, where in rows:
            if missing_only and kind == "yes":
                continue
            lines.append(f"| `{name}` | {kind} | {where} |")
        lines.append("")
    total = [sum(s[i] for s in summary) for i in range(1, 5)]
    head = ["## Summary", "", "| module | names | exported | elsewhere | missing |", "|---|---:|---:|---:|---:|"]
    head += [f"| `{m}` | {n} | {y} | {e} | {no} |" for m, n, y, e, no in summary]
    head += [f"| **total** | {total[0]} | {total[1]} | {total[2]} | {total[3]} |", ""]
    return "\n".join(head + lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tributary", help="import Tributary from this checkout instead")
    parser.add_argument("--missing", action="store_true", help="list only names not exported where a port looks")
    parser.add_argument("--summary", action="store_true", help="print only the summary table")
    args = parser.parse_args(argv)
    if args.tributary:
        sys.path.insert(0, args.tributary)
        # An editable install maps Tributary's packages to its own checkout, and would
        # fill in modules the checkout given here does not have.
        sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
    text = report(MODULES, missing_only=args.missing)
    if args.summary:
        text = text.split("\n### ")[0]
    print(text)  # noqa: T201


if __name__ == "__main__":
    main()
