"""Mermaid flowchart text for a :class:`~runtime.runnables.graph.Graph`, as langchain-core writes it.

Nodes whose id holds ``:`` belong to a subgraph (the part before the last
``:``) and are drawn inside a ``subgraph`` block; edges are grouped by the
common prefix of their endpoints. Ids are made safe for Mermaid by escaping
every character outside ``[A-Za-z0-9_-]`` as ``\\<hex>``. The front matter is
the YAML langchain-core emits (keys sorted, block style).
"""

from __future__ import annotations

import string
from dataclasses import asdict
from typing import Any

from .graph_parts import CurveStyle, Edge, Node, NodeStyles

__all__ = ["draw_mermaid"]

MARKDOWN_SPECIAL_CHARS = "*_`"

_LABEL_ESCAPES = {
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    '"': "#quot;",
    "<": "#60;",
    ">": "#62;",
    "|": "#124;",
}

_SAFE = frozenset(string.ascii_letters + string.digits + "_-")


def _escape_label(text: str) -> str:
    text = text.replace("#", "#35;")
    for char, entity in _LABEL_ESCAPES.items():
        text = text.replace(char, entity)
    return text


def _metadata_value(value: Any) -> str | None:
    scalars = (str, int, float, bool)
    if isinstance(value, scalars):
        return str(value)
    if isinstance(value, (list, tuple, set)) and all(isinstance(item, scalars) for item in value):
        items = [str(item) for item in value]
        return ", ".join(sorted(items) if isinstance(value, set) else items)
    return None


def _metadata_lines(metadata: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in metadata.items():
        formatted = _metadata_value(value)
        if formatted is not None:
            lines.append(_escape_label(f"{key} = {formatted}"))
    return lines


def _safe_id(label: str) -> str:
    return "".join(ch if ch in _SAFE else "\\" + format(ord(ch), "x") for ch in label)


def _yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML of nested dicts of scalars and lists, keys sorted (PyYAML's ``dump`` defaults)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}\n" if indent == 0 else " {}\n"
        out = "" if indent == 0 else "\n"
        for key in sorted(value):
            item = value[key]
            if isinstance(item, (dict, list)) and item:
                out += f"{pad}{key}:{_yaml(item, indent + 1)}"
            else:
                out += f"{pad}{key}: {_scalar(item)}\n"
        return out
    if isinstance(value, list):
        out = "\n"
        for item in value:
            out += f"{'  ' * (indent - 1)}- {_scalar(item)}\n"
        return out
    return f"{_scalar(value)}\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = str(value)
    if isinstance(value, str) and (not text or text.strip() != text or any(c in text for c in ":#{}[],&*!|>'\"%@`")):
        return "'" + text.replace("'", "''") + "'"
    return text


def draw_mermaid(
    nodes: dict[str, Node],
    edges: list[Edge],
    *,
    first_node: str | None = None,
    last_node: str | None = None,
    with_styles: bool = True,
    curve_style: CurveStyle = CurveStyle.LINEAR,
    node_styles: NodeStyles | None = None,
    wrap_label_n_words: int = 9,
    frontmatter_config: dict[str, Any] | None = None,
) -> str:
    """Mermaid ``graph TD`` text for ``nodes`` and ``edges``.

    Args:
        first_node / last_node: ids drawn as stadiums with the ``first`` / ``last`` class.
        with_styles: emit the front matter, node declarations and class styles
            (``False``: edges only).
        curve_style: the front matter's ``flowchart.curve``.
        node_styles: the class styles (default :class:`NodeStyles`).
        wrap_label_n_words: break edge labels every this many words.
        frontmatter_config: extra front matter, merged under ``config``.

    Raises:
        ValueError: two subgraphs share a name (a subgraph node reused under one name).
    """
    given = frontmatter_config or {}
    flowchart = given.get("config", {}).get("flowchart", {})
    frontmatter = {**given, "config": {**given.get("config", {}), "flowchart": {**flowchart, "curve": curve_style.value}}}
    text = f"---\n{_yaml(frontmatter)}---\ngraph TD;\n" if with_styles else "graph TD;\n"

    subgraph_nodes: dict[str, dict[str, Node]] = {}
    regular_nodes: dict[str, Node] = {}
    for key, node in nodes.items():
        if ":" in key:
            subgraph_nodes.setdefault(":".join(key.split(":")[:-1]), {})[key] = node
        else:
            regular_nodes[key] = node

    formats = {"default": "{0}({1})"}
    if first_node is not None:
        formats[first_node] = "{0}([{1}]):::first"
    if last_node is not None:
        formats[last_node] = "{0}([{1}]):::last"

    def render_node(key: str, node: Node) -> str:
        name = node.name.split(":")[-1]
        special = tuple(MARKDOWN_SPECIAL_CHARS)
        label = f"<p>{name}</p>" if name.startswith(special) and name.endswith(special) else name
        lines = _metadata_lines(node.metadata or {})
        if lines:
            label = f"{label}<hr/><small><em>" + "\n".join(lines) + "</em></small>"
        return "\t" + formats.get(key, formats["default"]).format(_safe_id(key), label) + "\n"

    if with_styles:
        for key, node in regular_nodes.items():
            text += render_node(key, node)

    edge_groups: dict[str, list[Edge]] = {}
    for edge in edges:
        common = ":".join(s for s, t in zip(edge.source.split(":"), edge.target.split(":")) if s == t)
        edge_groups.setdefault(common, []).append(edge)
    seen: set[str] = set()

    def add_subgraph(group: list[Edge], prefix: str) -> None:
        nonlocal text
        self_loop = len(group) == 1 and group[0].source == group[0].target
        if prefix and not self_loop:
            name = prefix.rsplit(":", maxsplit=1)[-1]
            if name in seen:
                raise ValueError(
                    f"Found duplicate subgraph '{name}' -- this likely means that you're reusing a subgraph "
                    "node with the same name. Please adjust your graph to have subgraph nodes with unique names."
                )
            seen.add(name)
            text += f"\tsubgraph {name}\n"
            if with_styles and prefix in subgraph_nodes:
                for key, node in subgraph_nodes[prefix].items():
                    text += render_node(key, node)
        for edge in group:
            if edge.data is not None:
                label = edge.data
                words = str(label).split()
                if len(words) > wrap_label_n_words:
                    label = "&nbsp<br>&nbsp".join(
                        " ".join(words[i : i + wrap_label_n_words]) for i in range(0, len(words), wrap_label_n_words)
                    )
                arrow = f" -. &nbsp;{label}&nbsp; .-> " if edge.conditional else f" -- &nbsp;{label}&nbsp; --> "
            else:
                arrow = " -.-> " if edge.conditional else " --> "
            text += f"\t{_safe_id(edge.source)}{arrow}{_safe_id(edge.target)};\n"
        for nested, nested_group in edge_groups.items():
            if not nested.startswith(prefix + ":") or nested == prefix:
                continue
            if ":" in nested[len(prefix) + 1 :]:
                continue  # only the next level down; deeper ones are drawn by it
            add_subgraph(nested_group, nested)
        if prefix and not self_loop:
            text += "\tend\n"

    add_subgraph(edge_groups.get("", []), "")
    for prefix, group in edge_groups.items():
        if not prefix or ":" in prefix:
            continue
        add_subgraph(group, prefix)
        seen.add(prefix)
    if with_styles:
        for prefix, members in subgraph_nodes.items():
            if ":" not in prefix and prefix not in seen:
                text += f"\tsubgraph {prefix}\n"
                for key, node in members.items():
                    text += render_node(key, node)
                text += "\tend\n"
                seen.add(prefix)
        for class_name, style in asdict(node_styles or NodeStyles()).items():
            text += f"\tclassDef {class_name} {style}\n"
    return text
