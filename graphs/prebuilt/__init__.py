"""Prebuilt graph pieces: ``ToolNode`` (with ``InjectedState``), ``tools_condition`` and ``create_react_agent``."""

from runtime.tools import InjectedStore

from .injected import InjectedState
from .react_agent import create_react_agent
from .tool_node import ToolNode, tools_condition

__all__ = ["InjectedState", "InjectedStore", "ToolNode", "create_react_agent", "tools_condition"]
