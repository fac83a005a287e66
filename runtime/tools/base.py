"""Tools: runnables a model can ask for by name, with a JSON argument schema.

A tool is a ``tool`` run. Its input is an argument dict, a single string (for a
one-argument tool), or a ``ToolCall`` (``{"name", "args", "id", "type":
"tool_call"}``) — then the output is a ``ToolMessage`` answering that call.
Events: ``on_tool_start`` (``data.input`` = the arguments), ``on_tool_stream``
for each chunk a generator tool yields, ``on_tool_end`` and ``on_tool_error``
(with ``tool_call_id``).

A tool function may declare ``config``, ``writer`` and ``callbacks``; they are
injected, not part of the schema. Nested runnables it calls find the tool's run
as their parent without being passed anything.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

from ..core.callables import UserFunction, injected
from ..core.config import RunnableConfig, ambient, ensure_config, in_config
from ..core.errors import ToolException, ToolInvocationError
from ..messages import ToolMessage
from ..runnables.base import Runnable
from ..runnables.chunks import Accumulator
from ..tracing.scope import RunScope, begin_run
from .schema import args_schema_from_function, parse_docstring
from .store_injection import fill_store_args, store_params

__all__ = ["BaseTool", "StructuredTool", "ToolException", "ToolInvocationError"]

ResponseFormat = Literal["content", "content_and_artifact"]

def _is_tool_call(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "tool_call"


def _stringify(content: Any) -> Any:
    if isinstance(content, str) or (
        isinstance(content, list) and all(isinstance(item, (str, dict)) for item in content)
    ):
        return content
    try:
        return json.dumps(content, ensure_ascii=False)
    except Exception:
        return str(content)


class BaseTool(Runnable[Any, Any]):
    """A named, described capability with an argument schema.

    Subclasses set ``name``, ``description`` and ``args_schema`` and implement
    :meth:`_arun` (a coroutine, or an async generator for a streaming tool).
    """

    name: str = ""
    description: str = ""
    args_schema: dict[str, Any] = {"type": "object", "properties": {}}
    return_direct: bool = False
    """The agent stops after this tool and returns its result."""
    response_format: ResponseFormat = "content"
    """``content_and_artifact``: the tool returns ``(content, artifact)``."""
    handle_tool_error: bool | str | Callable[[ToolException], str] = False
    """Turn a :class:`ToolException` into the tool's output instead of raising it."""
    inject: tuple[str, ...] = ()
    """Injected parameters the implementation declares (``config``, ``writer``, ``callbacks``)."""

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        return super().get_name(suffix, name=name or self.name or None)

    @property
    def args(self) -> dict[str, Any]:
        """The schema's properties: argument name → JSON Schema."""
        return dict(self.args_schema.get("properties", {}))

    @property
    def tool_call_schema(self) -> dict[str, Any]:
        """The schema a model sees (the same as :attr:`args_schema`)."""
        return self.args_schema

    @property
    def streams(self) -> bool:
        """Whether :meth:`_arun` yields chunks."""
        return False

    async def _arun(self, **kwargs: Any) -> Any:
        raise NotImplementedError(f"tool {self.name!r} does not implement _arun")

    def _iter_run(self, **kwargs: Any) -> AsyncIterator[Any]:
        raise NotImplementedError(f"tool {self.name!r} does not stream")

    # -- input --------------------------------------------------------------------
    def _arguments(self, tool_input: Any) -> dict[str, Any]:
        properties = self.args_schema.get("properties", {})
        if isinstance(tool_input, str):
            if len(properties) != 1:
                raise ToolInvocationError(self.name, {}, f"a string input needs a one-argument tool, {self.name!r} takes {list(properties)}")
            return {next(iter(properties)): tool_input}
        if not isinstance(tool_input, dict):
            raise ToolInvocationError(self.name, {}, f"expected a dict of arguments, got {type(tool_input).__name__}")
        missing = [key for key in self.args_schema.get("required", ()) if key not in tool_input]
        unknown = [key for key in tool_input if key not in properties]
        if missing or unknown:
            problems = [f"{key}: Field required" for key in missing] + [f"{key}: unexpected argument" for key in unknown]
            raise ToolInvocationError(self.name, dict(tool_input), "\n".join(problems))
        return dict(tool_input)

    # -- running ------------------------------------------------------------------
    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        total = Accumulator()
        async for chunk in self._run(input, config, stream=False):
            total.add(chunk)
        return total.result()

    def _stream_chunks(self, input: Any, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Any]:
        return self._run(input, config, stream=True)

    async def _run(self, input: Any, config: RunnableConfig | None, *, stream: bool) -> AsyncIterator[Any]:
        tool_call_id = input.get("id") if _is_tool_call(input) else None
        tool_input = input["args"] if _is_tool_call(input) else input
        scope = begin_run(ensure_config(config), self.get_name(), "tool")
        status: Literal["success", "error"]
        async with scope.reporting(tool_input, tool_call_id=tool_call_id) as report:
            try:
                output = Accumulator()
                if self.streams:
                    async for chunk in self._chunks(tool_input, scope):
                        output.add(chunk)
                        await scope.stream(chunk)
                        if stream:
                            yield chunk
                    result = output.result()
                else:
                    result = await self._call(tool_input, scope)
                content, artifact, status = result, None, "success"
                if self.response_format == "content_and_artifact":
                    content, artifact = self._split(result)
            except ToolException as error:
                if not self.handle_tool_error:
                    raise
                content, artifact, status = self._handled(error), None, "error"
                result = content
            if tool_call_id is not None:
                result = content if isinstance(content, ToolMessage) else ToolMessage(
                    _stringify(content), tool_call_id=tool_call_id, name=self.name, artifact=artifact, status=status
                )
            elif self.response_format == "content_and_artifact" and status == "success":
                result = content
            report.output = result
        if not (stream and self.streams):
            yield result

    async def _call(self, tool_input: Any, scope: RunScope) -> Any:
        child = scope.child_config()
        arguments = self._arguments(tool_input)
        with ambient(child):
            return await self._arun(**arguments, **injected(self.inject, child))

    async def _chunks(self, tool_input: Any, scope: RunScope) -> AsyncIterator[Any]:
        child = scope.child_config()
        arguments = self._arguments(tool_input)
        async for chunk in in_config(self._iter_run(**arguments, **injected(self.inject, child)), child):
            yield chunk

    def _split(self, result: Any) -> tuple[Any, Any]:
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ValueError(
                f"tool {self.name!r} has response_format='content_and_artifact' and must return "
                f"(content, artifact), got {type(result).__name__}"
            )
        return result[0], result[1]

    def _handled(self, error: ToolException) -> str:
        flag = self.handle_tool_error
        if isinstance(flag, str):
            return flag
        if callable(flag) and not isinstance(flag, bool):
            return flag(error)
        return error.args[0] if error.args else "Tool execution error"


class StructuredTool(BaseTool):
    """A tool made from a function (what ``@tool`` builds).

    Args:
        func: sync or async, plain or generator (a generator tool streams).
        name / description: default to the function's name and docstring.
        args_schema: default: from the signature and docstring.
        parse_docstring: take the description from the docstring's summary only.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        args_schema: dict[str, Any] | None = None,
        return_direct: bool = False,
        response_format: ResponseFormat = "content",
        parse_docstring: bool = False,
        handle_tool_error: bool | str | Callable[[ToolException], str] = False,
    ) -> None:
        self._function = UserFunction(func)
        self.func = func
        self.name = name or self._function.name
        summary, arg_docs = parse_docstring_of(func)
        doc = inspect.cleandoc(func.__doc__ or "")
        self.description = description if description is not None else (summary if parse_docstring else doc)
        self.inject = self._function.inject
        self.store_args = store_params(func)
        """Parameters annotated ``InjectedStore``: filled with the graph's store, not in the schema."""
        self.args_schema = args_schema or args_schema_from_function(
            func, self.name, exclude=(*self.inject, *self.store_args), descriptions=arg_docs
        )
        self.return_direct = return_direct
        self.response_format = response_format
        self.handle_tool_error = handle_tool_error

    def __repr__(self) -> str:
        return f"StructuredTool(name={self.name!r})"

    @property
    def streams(self) -> bool:
        return self._function.streams

    def _arguments(self, tool_input: Any) -> dict[str, Any]:
        if not self.store_args:
            return super()._arguments(tool_input)
        given = {}
        if isinstance(tool_input, dict):
            given = {k: v for k, v in tool_input.items() if k in self.store_args}
            tool_input = {k: v for k, v in tool_input.items() if k not in self.store_args}
        return fill_store_args(self.store_args, {**super()._arguments(tool_input), **given})

    async def _call(self, tool_input: Any, scope: RunScope) -> Any:
        child = scope.child_config()
        arguments = self._arguments(tool_input)
        return await self._function.call_kwargs(arguments, child)

    async def _chunks(self, tool_input: Any, scope: RunScope) -> AsyncIterator[Any]:
        child = scope.child_config()
        arguments = self._arguments(tool_input)
        async for chunk in self._function.iterate_kwargs(arguments, child):
            yield chunk


def parse_docstring_of(func: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    return parse_docstring(getattr(func, "__doc__", None))
