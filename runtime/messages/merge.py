"""Merging the parts of streamed message chunks, as LangChain's chunk addition does.

``merge_dicts`` concatenates string values and merges nested dicts and lists
(``additional_kwargs``, ``response_metadata``); ``merge_lists`` merges items that
carry the same ``index`` (tool-call chunks); ``merge_content`` joins text and
list content as LangChain does, without mutating either side; ``add_usage`` adds token counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, Union, cast

__all__ = ["merge_dicts", "merge_lists", "merge_content", "add_usage"]

Content = Union[str, list[Union[str, dict[str, Any]]]]
Usage = TypeVar("Usage", bound=Mapping[str, object])


def merge_dicts(left: dict[str, Any], *others: dict[str, Any]) -> dict[str, Any]:
    """Merge streamed dicts as LangChain merges ``additional_kwargs``; inputs are not mutated.

    A key missing or ``None`` on the left takes the right value. Strings
    concatenate (except equal ``id``-like values and ``lc_`` indexes), dicts
    merge recursively, lists merge with :func:`merge_lists`, equal values stay,
    ints add (``index``/``created``/``timestamp`` take the right value).

    Raises:
        TypeError: a key holds values of different or unmergeable types.
    """
    merged = dict(left)
    for right in others:
        for key, value in right.items():
            old = merged.get(key)
            if old is None or value is None:
                merged[key] = value if old is None else old
            elif type(old) is not type(value):
                raise TypeError(f"cannot merge key {key!r}: {type(old).__name__} on the left, "
                                f"{type(value).__name__} on the right")
            elif isinstance(old, str):
                keep = (key == "index" and old.startswith("lc_")) or (
                    old == value and key in ("id", "output_version", "model_provider", "ls_provider"))
                merged[key] = old if keep else old + value
            elif isinstance(old, dict):
                merged[key] = merge_dicts(old, value)
            elif isinstance(old, list):
                merged[key] = merge_lists(old, value)
            elif old != value and isinstance(old, int):
                merged[key] = value if key in ("index", "created", "timestamp") else old + value
            elif old != value:
                raise TypeError(f"cannot merge key {key!r}: unequal {type(old).__name__} values")
    return merged


def merge_lists(left: list[Any] | None, *others: list[Any] | None) -> list[Any] | None:
    """Concatenate lists, merging dicts that share an ``index`` (and a compatible ``id``)."""
    merged = None if left is None else list(left)
    for other in others:
        if merged is None or other is None:
            merged = merged if other is None else list(other)
            continue
        for item in other:
            _merge_item(merged, item)
    return merged


def _merge_item(merged: list[Any], item: Any) -> None:
    """Append ``item`` to ``merged``, or merge it into the element with its stream index."""
    index = item.get("index") if isinstance(item, dict) else None
    if (type(index) is int) or (isinstance(index, str) and index.startswith("lc_")):
        for pos, existing in enumerate(merged):
            if (isinstance(existing, dict) and existing.get("index") == index
                    and (not existing.get("id") or not item.get("id") or existing["id"] == item["id"])):
                # "type" is the same on every piece; concatenating it would corrupt it.
                merged[pos] = merge_dicts(existing, {k: v for k, v in item.items() if k != "type"})
                return
    merged.append(item)


def merge_content(first: Content | None, *contents: Content) -> Content:
    """Concatenate message contents as LangChain does; operands are never mutated.

    Strings join. A string followed by a list becomes the list's first item; a
    list followed by a list appends the items, merging dict blocks that share an
    ``index`` (:func:`merge_lists`); a string after a list joins the list's
    trailing string, or is appended (an empty string adds nothing).
    """
    merged: Content = "" if first is None else first
    if isinstance(merged, list):
        merged = list(merged)
    for content in contents:
        if isinstance(merged, str):
            if isinstance(content, str):
                merged += content
            else:
                merged = [merged, *content]
        elif isinstance(content, list):
            for item in content:
                _merge_item(merged, item)
        elif merged and isinstance(merged[-1], str):
            merged[-1] += content
        elif content and merged:
            merged.append(content)
    return merged


def add_usage(left: Usage | None, right: Usage | None) -> Usage | None:
    """Add token counts (a message's ``usage_metadata``) key by key, nested detail dicts too; ``None`` adds nothing."""
    if not left or not right:
        return left or right
    return cast(Usage, _add_counts(left, right))


def _add_counts(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(left)
    for key, value in right.items():
        old = out.get(key)
        out[key] = _add_counts(old or {}, value) if isinstance(value, dict) else (old or 0) + (value or 0)
    return out
