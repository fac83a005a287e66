"""``ToolNode`` and ``tools_condition``: run the tool calls an AI message asks for.

A ``ToolNode`` takes the last ``AIMessage`` with tool calls from its input (a
state dict with ``messages``, a list of messages, or one ``ToolCall``), runs
each call as an actor under one :class:`~actors.Supervisor` — concurrently,
each its own ``tool`` run — and returns a ``ToolMessage`` per call, in the
calls' order. It is not a run of its own: the tool runs are children of the
graph node running it.

Errors (``handle_tool_errors``, as LangGraph): by default a call with
arguments that do not fit the tool's schema gets an error ``ToolMessage`` and
any other error propagates (cancelling the other calls); ``True`` turns every
error into ``"Error: <repr>\\n Please fix your mistakes."``; a string is used as
the content; a callable makes it; an exception type (or tuple) handles only those.
A call to an unknown tool gets an error message naming the tools there are.

Injected arguments (as LangGraph): a tool parameter marked ``InjectedState``
gets the node's input state (or one key of it, ``InjectedState("key")``);
values the model sent for any injected parameter are dropped first, so a model
cannot forge them; ``InjectedToolCallId`` is filled by the tool from the call.

A tool may answer with a ``Command`` (or a list of ``Command``s and
``ToolMessage``s) instead of a result: then the node returns LangGraph's list of
updates and commands, and a ``Command`` updating this graph must carry the
``ToolMessage`` answering its call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from actors import Supervisor
from runtime.core.config import RunnableConfig, ensure_config
from runtime.core.types import END, Command, Send
from runtime.messages import AIMessage, AnyMessage, RemoveMessage, ToolCall, ToolMessage, convert_to_messages
from runtime.runnables.base import Runnable
from runtime.tools import BaseTool, ToolInvocationError, tool as make_tool
from runtime.tools.injected import is_injection
from runtime.tracing import is_control_flow

from ..message import REMOVE_ALL_MESSAGES
from .injected import InjectedState

ToolOutput = ToolMessage | Command[Any] | list[ToolMessage | Command[Any]]

__all__ = ["ToolNode", "tools_condition", "TOOL_CALL_ERROR_TEMPLATE", "INVALID_TOOL_NAME_ERROR_TEMPLATE"]

INVALID_TOOL_NAME_ERROR_TEMPLATE = "Error: {requested_tool} is not a valid tool, try one of [{available_tools}]."
TOOL_CALL_ERROR_TEMPLATE = "Error: {error}\n Please fix your mistakes."

ErrorHandling = bool | str | Callable[..., str] | type[Exception] | tuple[type[Exception], ...] | None


def _default_handling(error: Exception) -> str:
    if isinstance(error, ToolInvocationError):
        return error.message
    raise error


def _error_content(error: Exception, flag: ErrorHandling) -> str:
    """The content of the error message for ``error``, or re-raise it if ``flag`` does not handle it."""
    if flag is None:
        return _default_handling(error)
    if flag is False:
        raise error
    if isinstance(flag, type) or isinstance(flag, tuple):
        if not isinstance(error, flag):
            raise error
        return TOOL_CALL_ERROR_TEMPLATE.format(error=repr(error))
    if flag is True:
        return TOOL_CALL_ERROR_TEMPLATE.format(error=repr(error))
    if isinstance(flag, str):
        return flag
    if callable(flag):
        return flag(error)
    raise ValueError(f"handle_tool_errors must be a bool, str, callable or exception type(s), got {flag!r}")


class ToolNode(Runnable[Any, Any]):
    """A graph node that runs the tool calls of the latest AI message.

    Args:
        tools: tools, or functions to make tools of.
        name: the node name it suggests (``"tools"``).
        handle_tool_errors: see the module docstring (default: argument errors only).
        messages_key: the state key holding the messages.
    """

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        name: str = "tools",
        handle_tool_errors: ErrorHandling = None,
        messages_key: str = "messages",
    ) -> None:
        self.tools_by_name: dict[str, BaseTool] = {}
        self._state_args: dict[str, dict[str, str | None]] = {}
        for item in tools:
            built = item if isinstance(item, BaseTool) else make_tool(item)
            self.tools_by_name[built.name] = built
            self._state_args[built.name] = {
                arg: marker.field if isinstance(marker, InjectedState) else None
                for arg, marker in built.injected_args.items()
                if is_injection(marker, InjectedState)
            }
        self.name = name
        self.handle_tool_errors = handle_tool_errors
        self.messages_key = messages_key

    def _calls(self, input: Any) -> tuple[list[ToolCall], Literal["list", "dict"]]:
        if isinstance(input, dict) and input.get("type") == "tool_call":
            return [input], "dict"  # type: ignore[list-item]  # its "type" key makes it a ToolCall; mypy cannot narrow a dict to a TypedDict
        kind: Literal["list", "dict"]
        if isinstance(input, list):
            messages, kind = input, "list"
        elif isinstance(input, dict) and self.messages_key in input:
            messages, kind = input[self.messages_key], "dict"
        elif hasattr(input, self.messages_key):
            messages, kind = getattr(input, self.messages_key), "dict"
        else:
            raise ValueError(f"ToolNode found no messages in its input: {input!r}")
        for message in reversed(messages):
            if isinstance(message, AIMessage):
                return list(message.tool_calls), kind
        raise ValueError("ToolNode found no AIMessage in its input")

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        calls, kind = self._calls(input)
        config = ensure_config(config)
        results: list[ToolOutput | None] = [None] * len(calls)

        async def run_call(index: int, call: ToolCall) -> None:
            results[index] = self._checked(await self._run_one(self._inject(call, input, kind), config), call, kind)

        if calls:
            async with Supervisor(self.get_name()) as supervisor:
                for index, call in enumerate(calls):
                    supervisor.spawn(f"{call['name']}[{call.get('id')}]", run_call, index, call)
        return self._combined([r for r in results if r is not None], kind)

    def _combined(self, outputs: list[ToolOutput], kind: Literal["list", "dict"]) -> Any:
        """The node's update: the messages, or — when a tool returned a ``Command`` — a list of
        updates and commands (LangGraph's shape; parent-graph ``Send`` gotos join into one command)."""
        flat: list[ToolMessage | Command[Any]] = []
        for output in outputs:
            flat.extend(output if isinstance(output, list) else [output])
        if not any(isinstance(o, Command) for o in flat):
            messages: list[AnyMessage] = [o for o in flat if isinstance(o, ToolMessage)]
            return messages if kind == "list" else {self.messages_key: messages}
        combined: list[Any] = []
        parent: Command[Any] | None = None
        for output in flat:
            if not isinstance(output, Command):
                combined.append([output] if kind == "list" else {self.messages_key: [output]})
            elif output.graph == Command.PARENT and isinstance(output.goto, list) and all(isinstance(g, Send) for g in output.goto):
                earlier: list[Any] = list(parent.goto) if parent is not None and isinstance(parent.goto, list) else []
                parent = Command(graph=Command.PARENT, goto=[*earlier, *output.goto])
            else:
                combined.append(output)
        if parent is not None:
            combined.append(parent)
        return combined

    def _checked(self, output: ToolOutput, call: ToolCall, kind: Literal["list", "dict"]) -> ToolOutput:
        """A tool's answer, checked as LangGraph checks it: a ``Command`` updating this graph must carry
        the ``ToolMessage`` answering the call (which gets the tool's name); a list exactly one."""
        if isinstance(output, ToolMessage):
            return output
        if isinstance(output, list):
            answers = sum(
                1 for item in output for message in self._command_messages(item, call, kind, strict=False)
                if message.tool_call_id == call.get("id")
            )
            if answers != 1:
                raise ValueError(
                    f"Tool {call['name']} returned a list with {answers} messages bound to tool_call_id "
                    f"{call.get('id')!r}; expected exactly one terminating ToolMessage."
                )
            return output
        messages = self._command_messages(output, call, kind, strict=True)
        if output.graph is None and not any(m.tool_call_id == call.get("id") for m in messages) and not (
            len(messages) == 1 and isinstance(messages[0], RemoveMessage) and messages[0].id == REMOVE_ALL_MESSAGES
        ):
            example = (
                '`Command(update={"messages": [ToolMessage("Success", tool_call_id=tool_call_id), ...]}, ...)`'
                if kind == "dict" else '`Command(update=[ToolMessage("Success", tool_call_id=tool_call_id), ...], ...)`'
            )
            raise ValueError(
                f"Expected to have a matching ToolMessage in Command.update for tool '{call['name']}', got: "
                f"{messages}. Every tool call (LLM requesting to call a tool) in the message history MUST have a "
                f"corresponding ToolMessage. You can fix it by modifying the tool to return {example}."
            )
        return output

    def _command_messages(self, item: Any, call: ToolCall, kind: Literal["list", "dict"], *, strict: bool) -> list[Any]:
        """The messages a tool's ``Command`` (or ``ToolMessage``) adds; the answering ones get the tool's name."""
        if isinstance(item, ToolMessage):
            return [item]
        if not isinstance(item, Command):
            return []
        update = item.update
        if isinstance(update, dict):
            if strict and kind != "dict":
                raise ValueError(
                    f"Tools can provide a dict in Command.update only when using dict with '{self.messages_key}' "
                    f"key as ToolNode input, got: {update} for tool '{call['name']}'"
                )
            found = update.get(self.messages_key, [])
        elif isinstance(update, list):
            if strict and kind != "list":
                raise ValueError(
                    "Tools can provide a list of messages in Command.update only when using list of messages as "
                    f"ToolNode input, got: {update} for tool '{call['name']}'"
                )
            found = update
        else:
            return []
        messages = convert_to_messages(found)
        for message in messages:
            if isinstance(message, ToolMessage) and message.tool_call_id == call.get("id"):
                message.name = call["name"]
        return [m for m in messages if isinstance(m, ToolMessage)] or messages

    def _inject(self, call: ToolCall, input: Any, kind: Literal["list", "dict"]) -> ToolCall:
        """``call`` with the tool's injected arguments filled in (and any the model sent dropped)."""
        tool = self.tools_by_name.get(call["name"])
        if tool is None or not tool.injected_args:
            return call
        args = {k: v for k, v in call["args"].items() if k not in tool.injected_args}
        state_args = self._state_args[tool.name]
        if state_args:
            args.update(self._state_values(tool.name, state_args, input, kind))
        # InjectedStore arguments were dropped above; the tool fills them with the graph's store.
        return {**call, "args": args}

    def _state_values(
        self, tool_name: str, state_args: dict[str, str | None], input: Any, kind: Literal["list", "dict"]
    ) -> dict[str, Any]:
        state = input
        if kind == "list" or (isinstance(input, dict) and input.get("type") == "tool_call"):
            fields = list(state_args.values())
            if not ((len(fields) == 1 and fields[0] == self.messages_key) or fields[0] is None):
                wanted = ", ".join(f for f in fields if f)
                raise ValueError(
                    f"Invalid input to ToolNode. Tool {tool_name} requires graph state dict as input."
                    + (f" State should contain fields {wanted}." if wanted else "")
                )
            state = {self.messages_key: input}
        values: dict[str, Any] = {}
        for arg, field in state_args.items():
            if field is None:
                values[arg] = state
            elif isinstance(state, dict):
                if field not in state:
                    raise KeyError(field)
                values[arg] = state[field]
            else:
                values[arg] = getattr(state, field)
        return values

    async def _run_one(self, call: ToolCall, config: RunnableConfig) -> ToolOutput:
        tool = self.tools_by_name.get(call["name"])
        if tool is None:
            content = INVALID_TOOL_NAME_ERROR_TEMPLATE.format(
                requested_tool=call["name"], available_tools=", ".join(self.tools_by_name)
            )
            return ToolMessage(content, name=call["name"], tool_call_id=call.get("id") or "", status="error")
        try:
            output = await tool.ainvoke({**call, "type": "tool_call"}, config)
        except Exception as error:
            if is_control_flow(error):  # an interrupt() inside the tool pauses the graph
                raise
            content = _error_content(error, self.handle_tool_errors)
            return ToolMessage(content, name=call["name"], tool_call_id=call.get("id") or "", status="error")
        if isinstance(output, (ToolMessage, Command)) or (
            isinstance(output, list) and output and all(isinstance(o, (ToolMessage, Command)) for o in output)
        ):
            return output
        return ToolMessage(str(output), name=call["name"], tool_call_id=call.get("id") or "")


def tools_condition(state: Any, messages_key: str = "messages") -> Literal["tools", "__end__"]:
    """``"tools"`` if the last message asks for tool calls, else ``END`` — the ReAct loop's router.

    Raises:
        ValueError: the state holds no messages.
    """
    if isinstance(state, list):
        messages = state
    elif isinstance(state, dict):
        messages = state.get(messages_key) or []
    else:
        messages = getattr(state, messages_key, None) or []
    if not messages:
        raise ValueError(f"No messages found in input state to tool_edge: {state}")
    last = messages[-1]
    return "tools" if getattr(last, "tool_calls", None) else END
