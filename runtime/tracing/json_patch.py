"""The JSON Patch (RFC 6902) operations ``astream_log`` sends, and applying them.

:func:`diff` describes how one value became another with ``add`` / ``remove``
/ ``replace`` operations the way the ``jsonpatch`` package's ``from_diff``
describes it for the values a run streams (dicts key by key, lists index by
index, anything else replaced whole; no ``move`` optimisation). :func:`apply`
applies ``add``, ``remove``, ``replace``, ``move``, ``copy`` and ``test``.
Written here rather than depending on ``jsonpatch`` for two small functions.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, MutableMapping, MutableSequence
from typing import Any

__all__ = ["apply", "diff", "escape"]


def escape(key: str) -> str:
    """``key`` as one JSON Pointer segment (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return key.replace("~", "~0").replace("/", "~1")


def _segments(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise ValueError(f"JSON Pointer {path!r} must be empty or start with '/'")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def diff(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """The operations that turn ``old`` into ``new`` (paths under ``path``)."""
    ops: list[dict[str, Any]] = []
    _compare(old, new, path, ops)
    return ops


def _compare(old: Any, new: Any, path: str, ops: list[dict[str, Any]]) -> None:
    if isinstance(old, MutableMapping) and isinstance(new, MutableMapping):
        for key in old:
            if key not in new:
                ops.append({"op": "remove", "path": f"{path}/{escape(str(key))}"})
        for key in new:
            if key not in old:
                ops.append({"op": "add", "path": f"{path}/{escape(str(key))}", "value": new[key]})
        for key in old:
            if key in new:
                _compare(old[key], new[key], f"{path}/{escape(str(key))}", ops)
        return
    if isinstance(old, MutableSequence) and isinstance(new, MutableSequence):
        common = min(len(old), len(new))
        for index in range(common):
            _compare(old[index], new[index], f"{path}/{index}", ops)
        for index in range(common, len(new)):
            ops.append({"op": "add", "path": f"{path}/{index}", "value": new[index]})
        for _ in range(common, len(old)):
            ops.append({"op": "remove", "path": f"{path}/{common}"})
        return
    if type(old) is not type(new) or old != new:
        ops.append({"op": "replace", "path": path, "value": new})


def apply(document: Any, ops: Iterable[Mapping[str, Any]]) -> Any:
    """``document`` with ``ops`` applied, in place where it can be; returns the result
    (a change of the whole document, path ``""``, replaces it).

    Raises:
        ValueError: an unknown operation, a path that does not exist, or a failed ``test``.
    """
    for op in ops:
        kind, path = op.get("op"), op.get("path")
        if not isinstance(path, str):
            raise ValueError(f"JSON Patch operation {dict(op)!r} has no 'path'")
        if kind in ("add", "replace"):
            document = _put(document, path, op["value"], insert=kind == "add")
        elif kind == "remove":
            _take(document, path)
        elif kind in ("move", "copy"):
            value = _take(document, op["from"]) if kind == "move" else copy.deepcopy(_get(document, op["from"]))
            document = _put(document, path, value, insert=True)
        elif kind == "test":
            if _get(document, path) != op["value"]:
                raise ValueError(f"JSON Patch test failed at {path!r}")
        else:
            raise ValueError(f"unknown JSON Patch operation {kind!r} in {dict(op)!r}")
    return document


def _parent(document: Any, path: str) -> tuple[Any, str]:
    parts = _segments(path)
    container = document
    for part in parts[:-1]:
        container = _child(container, part, path)
    return container, parts[-1]


def _child(container: Any, part: str, path: str) -> Any:
    try:
        if isinstance(container, MutableSequence):
            return container[int(part)]
        return container[part]
    except (KeyError, IndexError, ValueError, TypeError):
        raise ValueError(f"JSON Patch path {path!r} does not exist") from None


def _get(document: Any, path: str) -> Any:
    value = document
    for part in _segments(path):
        value = _child(value, part, path)
    return value


def _put(document: Any, path: str, value: Any, *, insert: bool) -> Any:
    if path == "":
        return value
    container, last = _parent(document, path)
    if isinstance(container, MutableSequence):
        if last == "-":
            container.append(value)
        elif insert:
            container.insert(int(last), value)
        else:
            container[int(last)] = value
    elif isinstance(container, MutableMapping):
        container[last] = value
    else:
        raise ValueError(f"JSON Patch path {path!r} is inside a {type(container).__name__}, not an object or array")
    return document


def _take(document: Any, path: str) -> Any:
    container, last = _parent(document, path)
    try:
        if isinstance(container, MutableSequence):
            return container.pop(int(last))
        return container.pop(last)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        raise ValueError(f"JSON Patch path {path!r} does not exist") from None
