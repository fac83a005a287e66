"""``InjectedStore``: a tool parameter filled with the graph's store, never with the model's arguments.

A tool declares ``store: Annotated[BaseStore, InjectedStore()]`` (the class
itself works too). The parameter is left out of the tool's argument schema,
so the model never sees it; when the tool runs inside a graph compiled with
``compile(store=...)`` — typically from a ``ToolNode`` — it gets that store.
A caller may still pass the parameter explicitly (calling the tool by hand).

Raises at call time, as LangGraph's ``ToolNode`` does, when the graph has no store.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any

from ..core.context import current_task_context, task_runtime
from .injected import InjectedToolArg

__all__ = ["InjectedStore", "fill_store_args", "store_params"]

_NO_STORE = "Cannot inject store into tools with InjectedStore annotations - please compile your graph with a store."


class InjectedStore(InjectedToolArg):
    """Marks a tool parameter as the graph's store (``Annotated[BaseStore, InjectedStore()]``).

    An injected argument like any ``InjectedToolArg``: hidden from the schema the model sees."""

    def __repr__(self) -> str:
        return "InjectedStore()"


def _is_marker(item: Any) -> bool:
    return isinstance(item, InjectedStore) or (isinstance(item, type) and issubclass(item, InjectedStore))


def store_params(func: Callable[..., Any]) -> tuple[str, ...]:
    """The parameters of ``func`` annotated with :class:`InjectedStore`."""
    try:
        hints = typing.get_type_hints(func, include_extras=True)
        params = inspect.signature(func).parameters
    except Exception:  # noqa: BLE001 - not introspectable: nothing to inject
        return ()
    found = []
    for name in params:
        hint = hints.get(name)
        if typing.get_origin(hint) is typing.Annotated and any(_is_marker(m) for m in typing.get_args(hint)[1:]):
            found.append(name)
    return tuple(found)


def fill_store_args(names: tuple[str, ...], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``arguments`` with each of ``names`` set to the running graph's store unless given.

    Raises:
        ValueError: the tool runs outside a graph, or in a graph without a store.
    """
    filled = dict(arguments)
    missing = [name for name in names if name not in filled]
    if missing:
        runtime = task_runtime(current_task_context())
        if runtime is None or runtime.store is None:
            raise ValueError(_NO_STORE)
        for name in missing:
            filled[name] = runtime.store
    return filled
