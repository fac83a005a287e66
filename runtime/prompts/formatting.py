"""f-string templates: their variables, and formatting them strictly.

Variables are plain names, as langchain-core allows: no attribute access,
indexing or positional fields, and no nested replacement fields in a format
spec (those would let a template reach into its inputs' objects).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Formatter
from typing import Any

__all__ = ["check_template_format", "format_template", "template_variables"]

_FORMATS = ("f-string",)


def check_template_format(template_format: str) -> None:
    """Refuse a template format this package does not implement."""
    if template_format not in _FORMATS:
        raise ValueError(
            f"Unsupported template format: {template_format!r} (Tributary's prompts implement {', '.join(_FORMATS)})"
        )


def template_variables(template: str, template_format: str = "f-string") -> list[str]:
    """The sorted variable names of ``template``; a clear ``ValueError`` for a field that is not a plain name."""
    check_template_format(template_format)
    if not isinstance(template, str):
        raise TypeError(f"a prompt template must be a string, got {type(template).__name__}")
    names: set[str] = set()
    for _, name, spec, _ in Formatter().parse(template):
        if name is None:
            continue
        if name == "" or name.isdigit():
            raise ValueError(
                f"Invalid variable name {name!r} in f-string template {template!r}: positional fields are not "
                "allowed; name the variable"
            )
        if "." in name or "[" in name or "]" in name:
            raise ValueError(
                f"Invalid variable name {name!r} in f-string template: variable names cannot contain attribute "
                "access (.) or indexing ([])"
            )
        if spec and ("{" in spec or "}" in spec):
            raise ValueError(f"Invalid format specifier {spec!r} in f-string template: nested fields are not allowed")
        names.add(name)
    return sorted(names)


def format_template(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with its variables filled from ``values`` (extra values are ignored)."""
    return Formatter().vformat(template, (), dict(values))


def missing_variables(wanted: Sequence[str], given: Mapping[str, Any]) -> list[str]:
    """The names of ``wanted`` not in ``given``, in order."""
    return [name for name in wanted if name not in given]
