"""The documentation stands on its own: its links resolve inside the repository,
and nothing in the repository points at notes a clone does not have."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks" / "README.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")
SKIPPED_DIRS = {".git", ".venv", "build", "__pycache__", ".hypothesis"}


def _repository_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*")
        if path.suffix in {".py", ".md", ".toml", ".cfg", ".txt"}
        and path.is_file()
        and not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
        and not any(part.endswith(".egg-info") for part in path.relative_to(ROOT).parts)
    ]


def test_docs_exist() -> None:
    for name in ("README.md", "architecture.md", "streaming.md", "differences.md"):
        assert (ROOT / "docs" / name).is_file(), name


def test_relative_links_resolve_inside_the_repository() -> None:
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("#"):
                continue
            path = (doc.parent / target.split("#", 1)[0]).resolve()
            if not path.exists() or ROOT not in path.parents:
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_nothing_refers_to_notes_outside_the_repository() -> None:
    # Built from pieces so that this file does not match itself.
    outside = re.compile("|".join((r"\.\./" + "shared", "SEMANTICS" + r"\.md", "DESIGN" + r"\.md", "SEMANTICS" + " §")))
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _repository_files()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if outside.search(line)
    ]
    assert not found, found
