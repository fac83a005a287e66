"""``create_react_agent``: a model that calls tools in a loop until it answers.

The graph is LangGraph's: ``START → agent``; ``agent → tools`` while the
model's reply asks for tool calls, else ``END``; ``tools → agent`` (or ``END``
after a ``return_direct`` tool). The agent node calls the model (bound to the
tools) on the prompt plus the messages; the tools node is a :class:`ToolNode`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from runtime.core.types import END, START
from runtime.messages import AIMessage, SystemMessage, ToolMessage
from runtime.runnables.base import Runnable
from runtime.tools import BaseTool

from ..builder import StateGraph
from ..compiled import CompiledStateGraph
from ..message import MessagesState
from .tool_node import ToolNode

__all__ = ["create_react_agent"]

Prompt = str | SystemMessage | Callable[[Any], Any] | Runnable[Any, Any] | None


def _prompt_messages(prompt: Prompt) -> Callable[[Any], Any] | Runnable[Any, Any]:
    if prompt is None:
        return lambda state: state["messages"]
    if isinstance(prompt, str):
        system = SystemMessage(prompt)
        return lambda state: [system, *state["messages"]]
    if isinstance(prompt, SystemMessage):
        return lambda state: [prompt, *state["messages"]]
    if isinstance(prompt, Runnable) or callable(prompt):
        return prompt
    raise TypeError(f"prompt must be a str, a SystemMessage, a function or a runnable, got {type(prompt).__name__}")


def create_react_agent(
    model: Any,
    tools: Sequence[BaseTool | Callable[..., Any]] | ToolNode,
    *,
    prompt: Prompt = None,
    state_schema: type | None = None,
    checkpointer: Any = None,
    name: str | None = None,
) -> CompiledStateGraph:
    """A ReAct agent graph over ``MessagesState`` (or ``state_schema``).

    Args:
        model: a chat model; it is bound to the tools with ``bind_tools`` when it supports that.
        tools: tools, functions, or a ready :class:`ToolNode`.
        prompt: a system prompt (str or ``SystemMessage``), or a function / runnable
            from the state to the model's input.
        checkpointer: passed to ``compile``.
        name: the graph's name (its root run's name).
    """
    tool_node = tools if isinstance(tools, ToolNode) else ToolNode(tools)
    tool_list = list(tool_node.tools_by_name.values())
    bound: Runnable[Any, Any] = model
    if tool_list:
        try:
            bound = model.bind_tools(tool_list)
        except NotImplementedError:
            bound = model
    make_input = _prompt_messages(prompt)
    direct = {t.name for t in tool_list if t.return_direct}

    async def agent(state: Any) -> dict[str, Any]:
        model_input = await make_input.ainvoke(state) if isinstance(make_input, Runnable) else make_input(state)
        return {"messages": [await bound.ainvoke(model_input)]}

    def should_continue(state: Any) -> str:
        last = state["messages"][-1]
        return "tools" if isinstance(last, AIMessage) and last.tool_calls else END

    def after_tools(state: Any) -> str:
        for message in reversed(state["messages"]):
            if not isinstance(message, ToolMessage):
                break
            if message.name in direct:
                return END
        return "agent"

    graph = StateGraph(state_schema or MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", tool_node)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", should_continue, ["tools", END])
    if direct:
        graph.add_conditional_edges("tools", after_tools, ["agent", END])
    else:
        graph.add_edge("tools", "agent")
    return graph.compile(checkpointer=checkpointer, name=name or "LangGraph")

