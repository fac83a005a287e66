"""Reading a tool's description and its arguments' descriptions from a docstring.

Google style, as LangChain reads it: the docstring splits into blocks at blank
lines; the blocks before ``Args:`` (skipping ``Returns:`` / ``Example:``
blocks) joined by spaces are the description; each ``name: text`` (or ``name
(type): text``) line of the ``Args:`` block starts an argument, deeper-indented
lines continue it.

NumPy style as well (LangChain reads only Google style and, strict, rejects
these): a ``Parameters`` heading underlined with dashes, then ``name : type``
lines, each followed by its indented description.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

__all__ = ["parse_docstring", "docstring_text", "INVALID_DOCSTRING"]

INVALID_DOCSTRING = "Found invalid Google-Style docstring."

_NUMPY_HEADING = re.compile(r"^(\w[\w ]*)\n\s*-{3,}\s*$", re.MULTILINE)


def docstring_text(obj: object) -> str:
    """A tool description from ``obj``'s docstring, as LangChain takes it: dedented as a whole
    and stripped (so before Python 3.13, whose compiler dedents docstrings, lines after the
    first keep their indentation, as in LangChain); ``""`` when there is none."""
    doc = getattr(obj, "__doc__", None)
    return textwrap.dedent(doc).strip() if isinstance(doc, str) else ""


def parse_docstring(
    docstring: str | None, args: Sequence[str] = (), *, error_on_invalid_docstring: bool = False
) -> tuple[str, dict[str, str]]:
    """The description and the argument descriptions of a (cleaned) docstring.

    Raises:
        ValueError: with ``error_on_invalid_docstring``, when ``args`` is not empty
            and the docstring has no ``Args:`` block after its description (nor a
            NumPy ``Parameters`` section), or there is no docstring.
    """
    if docstring and _is_numpy(docstring):
        return _parse_numpy(docstring)
    return _parse_google(docstring, args, error_on_invalid_docstring=error_on_invalid_docstring)


def _parse_google(
    docstring: str | None, args: Sequence[str], *, error_on_invalid_docstring: bool
) -> tuple[str, dict[str, str]]:
    if not docstring:
        if error_on_invalid_docstring:
            raise ValueError(INVALID_DOCSTRING)
        return "", {}
    blocks = docstring.split("\n\n")
    if error_on_invalid_docstring and args and (
        len(blocks) < 2 or not any(block.startswith("Args:") for block in blocks[1:])
    ):
        raise ValueError(INVALID_DOCSTRING)
    described: list[str] = []
    args_block: str | None = None
    past_description = False
    for block in blocks:
        if block.startswith("Args:"):
            args_block = block
            break
        if block.startswith(("Returns:", "Example:")):
            past_description = True  # Args may still follow
        elif not past_description:
            described.append(block)
    arg_docs: dict[str, str] = {}
    if args_block:
        current: str | None = None
        arg_indent: int | None = None
        for line in args_block.split("\n")[1:]:
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip())
            if arg_indent is None and ":" in line:
                arg_indent = indent
            if current is not None and arg_indent is not None and indent > arg_indent:
                arg_docs[current] += " " + line.strip()
            elif ":" in line:
                head, text = line.split(":", maxsplit=1)
                head = head.strip()
                name, _, kind = head.partition(" ")
                current = name if kind.startswith("(") and kind.endswith(")") else head
                arg_docs[current] = text.strip()
            elif current is not None:
                arg_docs[current] += " " + line.strip()
    return " ".join(described).strip(), arg_docs


def _is_numpy(docstring: str) -> bool:
    return any(m.group(1).strip() in ("Parameters", "Other Parameters") for m in _NUMPY_HEADING.finditer(docstring))


def _parse_numpy(docstring: str) -> tuple[str, dict[str, str]]:
    headings = list(_NUMPY_HEADING.finditer(docstring))
    description = docstring[: headings[0].start()].strip()
    description = " ".join(block.strip() for block in description.split("\n\n") if block.strip())
    arg_docs: dict[str, str] = {}
    for index, heading in enumerate(headings):
        if heading.group(1).strip() not in ("Parameters", "Other Parameters"):
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(docstring)
        current: str | None = None
        base: int | None = None
        for line in docstring[heading.end():end].split("\n"):
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip())
            if base is None:
                base = indent
            if indent <= base:
                current = line.split(":", 1)[0].strip()
                for name in (n.strip() for n in current.split(",")):
                    arg_docs[name] = ""
                current = current.split(",")[-1].strip()
            elif current is not None:
                arg_docs[current] = (arg_docs[current] + " " + line.strip()).strip()
    return description, arg_docs
