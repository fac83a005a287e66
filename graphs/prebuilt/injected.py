"""Graph values a tool can ask ``ToolNode`` for: ``InjectedState``.

A tool parameter annotated ``Annotated[dict, InjectedState]`` receives the
graph state the ``ToolNode`` runs on, ``Annotated[T, InjectedState("key")]``
one key (or attribute) of it. Like every ``InjectedToolArg`` it is hidden from
the schema the model sees, and a value the model sends for it is dropped.
"""

from __future__ import annotations

from runtime.tools import InjectedToolArg

__all__ = ["InjectedState"]


class InjectedState(InjectedToolArg):
    """Marks a tool parameter that receives the graph state (or the state's ``field``)."""

    def __init__(self, field: str | None = None) -> None:
        self.field = field

    def __repr__(self) -> str:
        return f"InjectedState({self.field!r})" if self.field else "InjectedState()"
