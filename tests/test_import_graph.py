"""The import graph of ``actors``, ``runtime`` and ``graphs``: no circles, and one direction.

How the graph is built (from the source, with ``ast``; nothing is imported):

* a node is a module; a package is its ``__init__``;
* an edge is an import executed when the module is imported: at module level, in
  class bodies, under ``try``/``if``/``with`` — but not inside a function, and not
  under ``if TYPE_CHECKING:``;
* ``from pkg import name`` is an edge to ``pkg.name`` when ``pkg/name.py`` (or the
  package ``pkg/name/``) exists, otherwise to ``pkg`` itself; ``import a.b.c`` is an
  edge to ``a.b.c``; relative imports are resolved against the importing module;
* the ancestors' ``__init__`` that Python runs on the way are *not* edges, so a
  package ``__init__`` re-exporting its submodules is no circle by itself. A
  submodule importing the package's ``__init__`` back (``from . import name`` where
  ``name`` is not a submodule, or ``import pkg``) is an edge, and closes a circle.

A circle is a strongly connected component of more than one module (a module
importing itself is already in ``sys.modules`` while it runs: no edge). Two lists
hold the circles that existed when the check was written, so it passes while they
are taken apart; both may only shrink — an entry that no longer matches a
component fails the check until it is removed (or replaced by what is left of it):

* ``KNOWN_CYCLES``: circles of module-level imports, the ones that can break an
  import depending on which module is imported first;
* ``KNOWN_DEFERRED_CYCLES``: circles that close only when imports inside functions
  and under ``TYPE_CHECKING`` count too — modules that still need each other, with
  one import moved out of the way of the circle.

The direction check is stricter: ``actors`` imports nothing from ``runtime`` or
``graphs`` and ``runtime`` nothing from ``graphs``, counting every import —
inside functions and under ``TYPE_CHECKING`` too.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("actors", "runtime", "graphs")

# Which package may import which: a package is listed with those it must never import.
FORBIDDEN = {"actors": ("runtime", "graphs"), "runtime": ("graphs",), "graphs": ()}

# Module-level import circles present when this check was written (none), each a
# frozenset of module names. Remove an entry when its circle
# is gone; never add one.
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()

# Circles that exist only through deferred imports (inside a function, or under
# TYPE_CHECKING): the modules still need each other, one import was moved out of the
# circle's way. Shrink-only. The one left is inherent: ``Runnable.__or__`` (in the
# base module) builds a ``RunnableSequence``, a subclass of ``Runnable``, and the
# combinators coerce their steps back through the base class; a base class that
# constructs its own subclasses needs them at call time, not at import time.
# langchain-core's ``Runnable`` API has more such methods, each building its own
# subclass (``pick``/``assign`` -> passthrough, ``with_retry`` -> retry,
# ``with_fallbacks`` -> fallbacks), so those modules are in the same circle for
# the same reason.
KNOWN_DEFERRED_CYCLES: frozenset[frozenset[str]] = frozenset(
    {
        frozenset(
            {
                "runtime.runnables.base",
                "runtime.runnables.fallbacks",
                "runtime.runnables.lambdas",
                "runtime.runnables.parallel",
                "runtime.runnables.passthrough",
                "runtime.runnables.retry",
                "runtime.runnables.sequence",
                "runtime.runnables.transform",
            }
        ),
    }
)


@attrs.frozen
class Imports:
    """The in-project modules one module imports, split by when the import runs."""

    at_import: frozenset[str]
    """Executed when the module is imported (the edges of the circle check)."""
    anywhere: frozenset[str]
    """Every import in the file, in functions and under ``TYPE_CHECKING`` too."""


# -- finding modules and their imports -------------------------------------------------


def find_modules(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(
    body: Iterable[ast.stmt], *, at_import: bool
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement under ``body``, with whether it runs when the module is imported."""
    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement, at_import
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _import_nodes(statement.body, at_import=False)
        elif isinstance(statement, ast.If) and _is_type_checking(statement.test):
            yield from _import_nodes(statement.body, at_import=False)
            yield from _import_nodes(statement.orelse, at_import=at_import)
        elif (
            isinstance(statement, ast.If)
            and isinstance(statement.test, ast.UnaryOp)
            and isinstance(statement.test.op, ast.Not)
            and _is_type_checking(statement.test.operand)
        ):
            yield from _import_nodes(statement.body, at_import=at_import)
            yield from _import_nodes(statement.orelse, at_import=False)
        else:
            # Class bodies, if/else, try/except/else/finally, with, for, while, match:
            # all run at import time when they sit at module level.
            yield from _import_nodes(_blocks(statement), at_import=at_import)


def _blocks(statement: ast.stmt) -> Iterator[ast.stmt]:
    """The statements nested directly in ``statement``'s blocks, in source order."""
    for field in ("body", "handlers", "cases", "orelse", "finalbody"):
        for item in getattr(statement, field, ()):
            if isinstance(item, (ast.ExceptHandler, ast.match_case)):
                yield from item.body
            else:
                yield item


def _resolve(name: str, modules: Mapping[str, Path]) -> str | None:
    """The in-project module ``name`` refers to (its longest existing prefix), if any."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, modules: Mapping[str, Path]) -> Imports:
    """What ``module`` imports from the project (see the module docstring for the rules)."""
    path = modules[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    at_import: set[str] = set()
    anywhere: set[str] = set()
    for node, runs_at_import in _import_nodes(tree.body, at_import=True):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, node.module] if node.module else base_parts)
            else:
                base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.append(submodule if submodule in modules else base)
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is None or resolved == module:  # a module is in sys.modules while it runs
                continue
            anywhere.add(resolved)
            if runs_at_import:
                at_import.add(resolved)
    return Imports(frozenset(at_import), frozenset(anywhere))


def import_graph(modules: Mapping[str, Path]) -> dict[str, Imports]:
    """What every module of ``modules`` imports."""
    return {module: imports_of(module, modules) for module in modules}


@functools.cache
def project_graph() -> Mapping[str, Imports]:
    """The import graph of this checkout's ``actors``, ``runtime`` and ``graphs``."""
    return import_graph(find_modules())


# -- strongly connected components ----------------------------------------------------


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """Tarjan's algorithm, iterative (no recursion limit on long import chains)."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[frozenset[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
                if lowlink[node] == index[node]:
                    component: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(frozenset(component))
    return components


def import_cycles(graph: Mapping[str, Imports], *, deferred: bool = False) -> set[frozenset[str]]:
    """Every circle: a strongly connected component of more than one module.

    Only imports that run when a module is imported count, unless ``deferred``:
    then imports inside functions and under ``TYPE_CHECKING`` count too.
    """
    edges = {module: imports.anywhere if deferred else imports.at_import for module, imports in graph.items()}
    return {component for component in strongly_connected(edges) if len(component) > 1}


def _describe(cycles: Iterable[frozenset[str]]) -> str:
    return "\n".join("  {" + ", ".join(sorted(cycle)) + "}" for cycle in sorted(cycles, key=sorted))


# -- the checks -----------------------------------------------------------------------


def test_no_new_import_cycles() -> None:
    cycles = import_cycles(project_graph())
    new = cycles - KNOWN_CYCLES
    assert not new, f"module-level import circles (break them; do not add them to KNOWN_CYCLES):\n{_describe(new)}"


def test_known_cycles_only_shrink() -> None:
    cycles = import_cycles(project_graph())
    gone = KNOWN_CYCLES - cycles
    assert not gone, (
        "these KNOWN_CYCLES entries no longer match an import circle; remove them "
        f"(and list what remains of them, if anything, as it is now):\n{_describe(gone)}"
    )


def test_no_new_deferred_import_cycles() -> None:
    new = import_cycles(project_graph(), deferred=True) - KNOWN_DEFERRED_CYCLES
    assert not new, (
        "import circles dodged by an import inside a function or under TYPE_CHECKING "
        f"(move what both modules need into a third one instead):\n{_describe(new)}"
    )


def test_known_deferred_cycles_only_shrink() -> None:
    cycles = import_cycles(project_graph(), deferred=True)
    gone = KNOWN_DEFERRED_CYCLES - cycles
    assert not gone, (
        "these KNOWN_DEFERRED_CYCLES entries no longer match an import circle; remove them "
        f"(and list what remains of them, if anything, as it is now):\n{_describe(gone)}"
    )


def direction_violations(graph: Mapping[str, Imports]) -> list[str]:
    """Every import against graphs → runtime → actors, counting every import."""
    return sorted(
        f"{module} imports {target}"
        for module, imports in graph.items()
        for target in imports.anywhere
        if target.split(".")[0] in FORBIDDEN.get(module.split(".")[0], ())
    )


def test_packages_import_in_one_direction() -> None:
    wrong = direction_violations(project_graph())
    assert not wrong, "imports against graphs → runtime → actors:\n  " + "\n  ".join(wrong)


def test_nothing_imports_a_private_module_of_another_package() -> None:
    private = sorted(
        f"{module} imports {target}"
        for module, imports in project_graph().items()
        for target in imports.anywhere
        if target.split(".")[0] == "actors"
        and module.split(".")[0] != "actors"
        and any(part.startswith("_") for part in target.split(".")[1:])
    )
    assert not private, "use the names `actors` exports instead:\n  " + "\n  ".join(private)


# -- the checker checked, on small trees ----------------------------------------------


def _tree(tmp_path: Path, files: Mapping[str, str]) -> dict[str, Imports]:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    packages = sorted({name.split("/")[0] for name in files})
    return import_graph(find_modules(tmp_path, packages))


def test_checker_facade_reexporting_its_submodules_is_no_cycle(tmp_path: Path) -> None:
    graph = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "from ._a import A\nfrom ._b import B\n",
            "pkg/_a.py": "from ._b import B\n",
            "pkg/_b.py": "import trio\nB = 1\n",
        },
    )
    assert graph["pkg"].at_import == {"pkg._a", "pkg._b"}
    assert import_cycles(graph) == set()


def test_checker_submodule_importing_its_package_back_is_a_cycle(tmp_path: Path) -> None:
    graph = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "from ._a import A\nB = 2\n",
            "pkg/_a.py": "from . import B\nA = 1\n",
        },
    )
    assert import_cycles(graph) == {frozenset({"pkg", "pkg._a"})}


def test_checker_from_package_import_submodule_is_an_edge_to_the_submodule(tmp_path: Path) -> None:
    graph = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "from .sub import thing\n",
            "pkg/sub/__init__.py": "from .leaf import thing\n",
            "pkg/sub/leaf.py": "from .. import other\nthing = 1\n",
            "pkg/other.py": "import pkg.sub.leaf\n",
        },
    )
    assert graph["pkg.sub.leaf"].at_import == {"pkg.other"}
    assert graph["pkg.other"].at_import == {"pkg.sub.leaf"}
    assert import_cycles(graph) == {frozenset({"pkg.sub.leaf", "pkg.other"})}


def test_checker_ignores_function_and_type_checking_imports_for_cycles(tmp_path: Path) -> None:
    graph = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from .b import B\nelse:\n    from .c import C\n"
                "def f():\n    from .b import B\n"
                "class K:\n    from .d import D\n"
                "try:\n    from .e import E\nexcept ImportError:\n    from .f import F\n"
            ),
            "pkg/b.py": "from .a import f\n",
            "pkg/c.py": "",
            "pkg/d.py": "",
            "pkg/e.py": "",
            "pkg/f.py": "",
        },
    )
    assert graph["pkg.a"].at_import == {"pkg.c", "pkg.d", "pkg.e", "pkg.f"}
    assert graph["pkg.a"].anywhere == {"pkg.b", "pkg.c", "pkg.d", "pkg.e", "pkg.f"}
    assert import_cycles(graph) == set()


def test_checker_finds_a_long_cycle_without_recursing(tmp_path: Path) -> None:
    count = 2000  # deeper than the interpreter's recursion limit
    chain = {f"pkg/m{i}.py": f"from . import m{(i + 1) % count}\n" for i in range(count)}
    graph = _tree(tmp_path, {"pkg/__init__.py": "", "pkg/selfish.py": "import pkg.selfish\n", **chain})
    assert graph["pkg.selfish"].at_import == frozenset()
    assert import_cycles(graph) == {frozenset(f"pkg.m{i}" for i in range(count))}


def test_checker_deferred_imports_close_deferred_cycles_only(tmp_path: Path) -> None:
    graph = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from .b import B\nA = 1\n",
            "pkg/b.py": "B = 1\ndef late():\n    from .a import A\n",
            "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import D\n",
            "pkg/d.py": "from .c import C\n",
        },
    )
    assert import_cycles(graph) == set()
    assert import_cycles(graph, deferred=True) == {frozenset({"pkg.a", "pkg.b"}), frozenset({"pkg.c", "pkg.d"})}


def test_checker_direction_counts_imports_inside_functions(tmp_path: Path) -> None:
    graph = _tree(
        tmp_path,
        {
            "actors/__init__.py": "def f():\n    import runtime\n",
            "runtime/__init__.py": "import actors\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import graphs.x\n",
            "graphs/__init__.py": "import runtime\nimport actors\n",
            "graphs/x.py": "",
        },
    )
    assert direction_violations(graph) == ["actors imports runtime", "runtime imports graphs.x"]


def test_strongly_connected_separates_components() -> None:
    graph = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"], "e": ["a"]}
    assert set(strongly_connected(graph)) == {
        frozenset({"a", "b"}),
        frozenset({"c", "d"}),
        frozenset({"e"}),
    }
