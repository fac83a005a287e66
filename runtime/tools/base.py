"""Tools: runnables a model can ask for by name, with a JSON argument schema.

A tool is a ``tool`` run. Its input is an argument dict, a single string (for a
one-argument tool), or a ``ToolCall`` (``{"name", "args", "id", "type":
"tool_call"}``) — then the output is a ``ToolMessage`` answering that call.
``run`` / ``arun`` take LangChain's arguments (``tool_call_id=``, callbacks,
tags, metadata). Events: ``on_tool_start`` (``data.input`` = the arguments,
injected ones left out), ``on_tool_stream`` for each chunk a generator tool
yields, ``on_tool_end`` and ``on_tool_error`` (with ``tool_call_id``).

A tool function may declare ``config``, ``writer`` and ``callbacks``; they are
injected, not part of the schema, as are parameters annotated
``InjectedToolArg`` (``InjectedToolCallId`` gets the call's id, ``InjectedStore``
the running graph's store). Nested
runnables it calls find the tool's run as their parent without being passed
anything.

Subclasses written LangChain's way work: set ``name``, ``description``,
``args_schema`` (a pydantic model, a TypedDict or a JSON Schema dict; inferred
from the implementation's signature when absent) and implement ``_run``
(sync, run in a worker thread) and/or ``_arun``.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, Literal, cast

import attrs

from ..core._sync import run_sync
from ..core.callables import UserFunction, injected, is_users, on_host_loop
from ..core.config import RunnableConfig, ambient, complete_config, ensure_config, in_config
from ..core.errors import ToolException, ToolInvocationError
from ..core.types import Command
from ..messages import ToolMessage
from ..runnables.base import Runnable
from ..runnables.chunks import Accumulator
from ..tracing.scope import RunScope, begin_run
from .docstrings import docstring_text
from .injected import InjectedToolCallId, is_injection
from .schema import (
    JsonSchema,
    ToolSchema,
    config_params,
    schema_from_class,
    schema_from_function,
)
from .store_injection import InjectedStore, fill_store_args
from .validation import ArgumentValidator

__all__ = ["BaseTool", "StructuredTool", "Tool", "ToolException", "ToolInvocationError"]

ResponseFormat = Literal["content", "content_and_artifact"]

_NEEDS_TOOL_CALL = (
    "When tool includes an InjectedToolCallId argument, tool must always be invoked with a full "
    "model ToolCall of the form: {'args': {...}, 'name': '...', 'type': 'tool_call', 'tool_call_id': '...'}"
)


def _is_tool_call(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "tool_call"


def _is_tool_output(value: Any) -> bool:
    """A ``ToolMessage`` or ``Command``, or a non-empty list of them: what a tool may answer a call with."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, (ToolMessage, Command)) for item in value)
    return isinstance(value, (ToolMessage, Command))


def _stringify(content: Any) -> Any:
    if isinstance(content, str) or (
        isinstance(content, list) and all(isinstance(item, (str, dict)) for item in content)
    ):
        return content
    try:
        return json.dumps(content, ensure_ascii=False)
    except Exception:
        return str(content)


def _declares(func: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


class BaseTool(Runnable[Any, Any]):
    """A named, described capability with an argument schema.

    Subclasses set ``name``, ``description`` and ``args_schema`` and implement
    :meth:`_arun` (a coroutine) or LangChain's sync ``_run``; a streaming tool
    implements :meth:`_iter_run` and sets :attr:`streams`. Keyword arguments of
    the constructor set the class's declared attributes (as LangChain's pydantic
    tools take their fields).
    """

    name: str = ""
    description: str = ""
    args_schema: Any = None
    """A pydantic model, a TypedDict, or a JSON Schema dict (``None``: from ``_arun`` / ``_run``'s signature)."""
    return_direct: bool = False
    """The agent stops after this tool and returns its result."""
    response_format: ResponseFormat = "content"
    """``content_and_artifact``: the tool returns ``(content, artifact)``."""
    handle_tool_error: bool | str | Callable[[ToolException], str] = False
    """Turn a :class:`ToolException` into the tool's output instead of raising it."""
    handle_validation_error: bool | str | Callable[[Exception], str] = False
    """Turn a pydantic ``ValidationError`` of the arguments into the tool's output."""
    inject: tuple[str, ...] = ()
    """Injected parameters the implementation declares (``config``, ``writer``, ``callbacks``)."""
    tags: list[str] | None = None
    metadata: dict[str, Any] | None = None

    def __init__(self, **kwargs: Any) -> None:
        for key, value in kwargs.items():
            if not any(key in vars(klass) or key in getattr(klass, "__annotations__", {}) for klass in type(self).__mro__):
                raise TypeError(f"{type(self).__name__} has no field {key!r}")
            setattr(self, key, value)

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        return super().get_name(suffix, name=name or self.name or None)

    # -- schema ---------------------------------------------------------------------
    def _implementation(self) -> Callable[..., Any] | None:
        """The method that does the work, for a schema inferred from its signature."""
        klass = type(self)
        if klass._arun is not BaseTool._arun:
            return self._arun
        if getattr(klass, "_run", None) is not None:
            return cast(Callable[..., Any], getattr(self, "_run"))
        return None

    def _build_schema(self) -> ToolSchema:
        if self.args_schema is not None:
            return schema_from_class(self.args_schema, self.name, self.description)
        implementation = self._implementation()
        if implementation is None:
            empty = {"properties": {}, "title": self.name, "type": "object"}
            return ToolSchema(full=empty, model=empty)
        schema, _ = schema_from_function(implementation, self.name, description=self.description)
        return schema

    @property
    def _schema(self) -> ToolSchema:
        key = (id(self.args_schema), self.name, self.description)
        cached = self.__dict__.get("_schema_cache")
        if cached is None or cached[0] != key:
            cached = (key, self._build_schema())
            self.__dict__["_schema_cache"] = cached
        return cast(ToolSchema, cached[1])

    @property
    def args(self) -> dict[str, Any]:
        """The arguments a model gives: name → JSON Schema (injected arguments left out)."""
        return dict(self._schema.model.get("properties", {}))

    @property
    def tool_call_schema(self) -> JsonSchema:
        """The schema a model sees: the input schema without injected arguments."""
        return JsonSchema(self._schema.model)

    @property
    def injected_args(self) -> Mapping[str, Any]:
        """The injected arguments (hidden from the model), each with its marker (class or instance)."""
        return self._schema.injected

    def get_input_schema(self, config: RunnableConfig | None = None) -> JsonSchema:
        """The input schema, injected arguments included."""
        return JsonSchema(self._schema.full)

    def get_output_schema(self, config: RunnableConfig | None = None) -> JsonSchema:
        """Tools declare no output schema."""
        return JsonSchema({})

    @property
    def streams(self) -> bool:
        """Whether :meth:`_iter_run` yields chunks."""
        return False

    async def _arun(self, *args: Any, **kwargs: Any) -> Any:
        sync = getattr(type(self), "_run", None)
        if sync is None:
            raise NotImplementedError(f"tool {self.name!r} implements neither _arun nor _run")
        return await _in_thread(functools.partial(sync, self, *args, **kwargs))

    def _iter_run(self, **kwargs: Any) -> AsyncIterator[Any]:
        raise NotImplementedError(f"tool {self.name!r} does not stream")

    # -- input --------------------------------------------------------------------
    def _arguments(self, tool_input: Any, tool_call_id: str | None) -> dict[str, Any]:
        schema = self._schema
        given_string: str | None = None
        if isinstance(tool_input, str):
            # As LangChain: a string is the first argument (the others need defaults).
            visible = [k for k in schema.properties if k not in schema.injected]
            if not visible:
                raise ToolInvocationError(self.name, {}, f"tool {self.name!r} takes no arguments, got a string")
            given_string, tool_input = tool_input, {visible[0]: tool_input}
        if not isinstance(tool_input, dict):
            raise ToolInvocationError(self.name, {}, f"expected a dict of arguments, got {type(tool_input).__name__}")
        arguments = dict(tool_input)
        stores: list[str] = []
        for key, marker in schema.injected.items():
            if is_injection(marker, InjectedToolCallId):
                if tool_call_id is None:
                    raise ValueError(_NEEDS_TOOL_CALL)
                arguments[key] = tool_call_id
            elif is_injection(marker, InjectedStore) and key not in arguments:
                stores.append(key)
        if stores:  # the running graph's store (a caller may pass its own)
            arguments = fill_store_args(tuple(stores), arguments)
        if schema.validator is not None:
            return self._validated(schema, arguments)
        properties = schema.properties
        if properties or not schema.full.get("additionalProperties", True):
            missing = [key for key in schema.full.get("required", ()) if key not in arguments]
            unknown = [key for key in arguments if key not in properties]
            if missing or unknown:
                problems = [f"{key}: Field required" for key in missing] + [f"{key}: unexpected argument" for key in unknown]
                raise ToolInvocationError(self.name, dict(tool_input), "\n".join(problems))
        if schema.annotations:
            validated = self._argument_validator(schema)(arguments, tool_input)
            if given_string is not None:
                # LangChain checks a string argument against its annotation but passes the string on.
                validated.update({k: given_string for k, v in tool_input.items() if v is given_string})
            arguments = validated
        return arguments

    def _argument_validator(self, schema: ToolSchema) -> ArgumentValidator:
        """The validator of the arguments the function's annotations type (kept per schema)."""
        kept = self.__dict__.get("_argument_validator_of")
        if kept is None or kept[0] is not schema:
            typed = {k: v for k, v in schema.annotations.items() if k not in schema.injected}
            kept = (schema, ArgumentValidator(self.name, typed))
            self.__dict__["_argument_validator_of"] = kept
        return cast(ArgumentValidator, kept[1])

    def _validated(self, schema: ToolSchema, arguments: dict[str, Any]) -> dict[str, Any]:
        """Arguments checked by the user's pydantic model: those given, plus those with a default (LangChain's rule)."""
        model = schema.validator
        result = model.model_validate(arguments)
        out: dict[str, Any] = {}
        for key, info in model.model_fields.items():
            if key in arguments or key in result.model_fields_set or not info.is_required():
                out[key] = getattr(result, key)
        for key in schema.injected:
            if key in arguments:
                out[key] = arguments[key]
        return out

    def _shown_input(self, tool_input: Any) -> Any:
        """The input as events report it: without injected arguments."""
        hidden = self._schema.injected
        if hidden and isinstance(tool_input, dict):
            return {k: v for k, v in tool_input.items() if k not in hidden}
        return tool_input

    # -- running ------------------------------------------------------------------
    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        total = Accumulator()
        async for chunk in self._execute(input, config, stream=False):
            total.add(chunk)
        return total.result()

    def _stream_chunks(self, input: Any, config: RunnableConfig | None, **kwargs: Any) -> AsyncIterator[Any]:
        return self._execute(input, config, stream=True)

    async def arun(
        self,
        tool_input: str | dict[str, Any],
        verbose: bool | None = None,
        start_color: str | None = "green",
        color: str | None = "green",
        callbacks: Any = None,
        *,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        run_name: str | None = None,
        run_id: Any = None,
        config: RunnableConfig | None = None,
        tool_call_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run the tool on ``tool_input`` (LangChain's signature; ``verbose`` and colours are ignored).

        With ``tool_call_id`` the result is a ``ToolMessage`` answering that call.
        """
        run_config = ensure_config(config)
        if callbacks is not None:
            run_config["callbacks"] = callbacks
        if tags:
            run_config["tags"] = [*(run_config.get("tags") or []), *tags]
        if metadata:
            run_config["metadata"] = {**(run_config.get("metadata") or {}), **metadata}
        if run_name is not None:
            run_config["run_name"] = run_name
        if run_id is not None:
            run_config["run_id"] = run_id
        value: Any = tool_input
        if tool_call_id is not None:
            value = {"name": self.name, "args": tool_input, "id": tool_call_id, "type": "tool_call"}
        return await self.ainvoke(value, run_config)

    def run(
        self,
        tool_input: str | dict[str, Any],
        verbose: bool | None = None,
        start_color: str | None = "green",
        color: str | None = "green",
        callbacks: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Synchronous :meth:`arun` (refuses to run on a trio thread)."""
        token = _SYNC_CALLER.set(True)
        try:
            return run_sync(
                "run", functools.partial(self.arun, tool_input, verbose, start_color, color, callbacks, **kwargs)
            )
        finally:
            _SYNC_CALLER.reset(token)

    async def _execute(self, input: Any, config: RunnableConfig | None, *, stream: bool) -> AsyncIterator[Any]:
        tool_call_id = input.get("id") if _is_tool_call(input) else None
        tool_input = input["args"] if _is_tool_call(input) else input
        config = ensure_config(config)
        if self.tags or self.metadata:
            config["tags"] = [*(config.get("tags") or []), *(self.tags or ())]
            config["metadata"] = {**(self.metadata or {}), **(config.get("metadata") or {})}
        scope = begin_run(config, self.get_name(), "tool")
        status: Literal["success", "error"]
        async with scope.reporting(self._shown_input(tool_input), tool_call_id=tool_call_id) as report:
            try:
                output = Accumulator()
                if self.streams:
                    async for chunk in self._chunks(tool_input, tool_call_id, scope):
                        output.add(chunk)
                        await scope.stream(chunk)
                        if stream:
                            yield chunk
                    result = output.result()
                else:
                    result = await self._call(tool_input, tool_call_id, scope)
                content, artifact, status = result, None, "success"
                if self.response_format == "content_and_artifact":
                    content, artifact = self._split(result)
            except ToolException as error:
                if not self.handle_tool_error:
                    raise
                content, artifact, status = self._handled(error), None, "error"
                result = content
            except Exception as error:
                if not (self.handle_validation_error and _is_validation_error(error)):
                    raise
                content, artifact, status = self._handled_validation(error), None, "error"
                result = content
            if tool_call_id is not None and not _is_tool_output(content):
                result = ToolMessage(
                    _stringify(content), tool_call_id=tool_call_id, name=self.name, artifact=artifact, status=status
                )
            elif tool_call_id is not None:
                result = content  # a ToolMessage or Command (or a list of them) is the answer itself
            elif self.response_format == "content_and_artifact" and status == "success":
                result = content
            report.output = result
        if not (stream and self.streams):
            yield result

    async def _call(self, tool_input: Any, tool_call_id: str | None, scope: RunScope) -> Any:
        child = scope.child_config()
        arguments = self._arguments(tool_input, tool_call_id)
        extra = self._extras(child)
        with ambient(child):
            result = self._arun(**arguments, **extra)
            return await (on_host_loop(result) if is_users(type(self)._arun) else result)

    def _extras(self, config: RunnableConfig) -> dict[str, Any]:
        """What a subclass's implementation declares besides its arguments: ``run_manager``, ``config``, ..."""
        implementation = self._implementation()
        if implementation is None:
            return {}
        inject = self.inject or tuple(n for n in ("config", "writer", "callbacks") if _declares(implementation, n))
        extra = injected(inject, config) if inject else {}
        if _declares(implementation, "run_manager"):
            extra["run_manager"] = None
        return extra

    async def _chunks(self, tool_input: Any, tool_call_id: str | None, scope: RunScope) -> AsyncIterator[Any]:
        child = scope.child_config()
        arguments = self._arguments(tool_input, tool_call_id)
        async for chunk in in_config(self._iter_run(**arguments, **injected(self.inject, child)), child):
            yield chunk

    def _split(self, result: Any) -> tuple[Any, Any]:
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ValueError(
                "Since response_format='content_and_artifact' a two-tuple of the message content and raw tool "
                f"output is expected. Instead, generated response is of type: {type(result)}."
            )
        return result[0], result[1]

    def _handled(self, error: ToolException) -> str:
        flag = self.handle_tool_error
        if isinstance(flag, str):
            return flag
        if callable(flag) and not isinstance(flag, bool):
            return flag(error)
        return error.args[0] if error.args else "Tool execution error"

    def _handled_validation(self, error: Exception) -> str:
        flag = self.handle_validation_error
        if isinstance(flag, str):
            return flag
        if callable(flag) and not isinstance(flag, bool):
            return flag(error)
        return "Tool input validation error"


_SYNC_CALLER: contextvars.ContextVar[bool] = contextvars.ContextVar("tributary_tool_sync_caller", default=False)
"""Set while a tool given both ``func`` and ``coroutine`` runs from the sync ``invoke``."""


def _is_validation_error(error: Exception) -> bool:
    return type(error).__name__ == "ValidationError" and type(error).__module__.startswith("pydantic")


async def _in_thread(call: Callable[[], Any]) -> Any:
    import trio

    return await trio.to_thread.run_sync(call)


class StructuredTool(BaseTool):
    """A tool made from a function (what ``@tool`` builds).

    Args:
        func: sync or async, plain or generator (a generator tool streams).
        name / description: default to the function's name and docstring.
        args_schema: a pydantic model, a TypedDict or a JSON Schema dict; default:
            from the signature (and, with ``parse_docstring``, the docstring).
        infer_schema: ``False`` makes no schema from the signature.
        parse_docstring: the description is the docstring's text before ``Args:``,
            and the ``Args:`` (or NumPy ``Parameters``) section describes the arguments.
        error_on_invalid_docstring: with ``parse_docstring``, a docstring that does
            not describe the arguments raises ``ValueError``.
        coroutine: an async implementation used instead of ``func`` (LangChain's pair).

    Raises:
        ValueError: no description and no docstring (as LangChain); see ``error_on_invalid_docstring``.
    """

    def __init__(
        self,
        func: Callable[..., Any] | None = None,
        *,
        name: str | None = None,
        description: str | None = None,
        args_schema: Any = None,
        return_direct: bool = False,
        response_format: ResponseFormat = "content",
        parse_docstring: bool = False,
        error_on_invalid_docstring: bool = False,
        infer_schema: bool = True,
        handle_tool_error: bool | str | Callable[[ToolException], str] = False,
        handle_validation_error: bool | str | Callable[[Exception], str] = False,
        coroutine: Callable[..., Any] | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        implementation = coroutine or func
        if implementation is None:
            raise ValueError("StructuredTool needs a function (func=) or a coroutine (coroutine=)")
        self._function = UserFunction(implementation)
        self._config_params = config_params(implementation)
        # Given both, LangChain runs func from the sync API and coroutine from the async one.
        self._sync_function = UserFunction(func) if func is not None and coroutine is not None else None
        self.func = func
        self.coroutine = coroutine
        self.name = name or self._function.name
        self.inject = self._function.inject
        self.return_direct = return_direct
        self.response_format = response_format
        self.handle_tool_error = handle_tool_error
        self.handle_validation_error = handle_validation_error
        self.tags = tags
        self.metadata = metadata
        source = func or implementation
        if args_schema is not None:
            own = description if description is not None else (
                docstring_text(source) or _class_doc(args_schema)
            )
            self.args_schema = args_schema
            self.__dict__["_fixed_schema"] = schema_from_class(args_schema, self.name, own)
        elif infer_schema:
            schema, own = schema_from_function(
                source, self.name, description=description or "",
                parse_docstring_args=parse_docstring, error_on_invalid_docstring=error_on_invalid_docstring,
            )
            self.args_schema = JsonSchema(schema.full)
            self.__dict__["_fixed_schema"] = schema
        else:
            own = description if description is not None else docstring_text(source)
            schema = schema_from_class({"properties": {}, "type": "object"}, self.name, own)
            self.__dict__["_fixed_schema"] = attrs.evolve(schema, full={"type": "object", "additionalProperties": True})
        if not own:
            raise ValueError("Function must have a docstring if description not provided.")
        self.description = own

    @classmethod
    def from_function(
        cls,
        func: Callable[..., Any] | None = None,
        coroutine: Callable[..., Any] | None = None,
        name: str | None = None,
        description: str | None = None,
        return_direct: bool = False,
        args_schema: Any = None,
        infer_schema: bool = True,
        *,
        response_format: ResponseFormat = "content",
        parse_docstring: bool = False,
        error_on_invalid_docstring: bool = False,
        **kwargs: Any,
    ) -> StructuredTool:
        """LangChain's constructor: ``StructuredTool.from_function(func=..., name=..., args_schema=...)``."""
        return cls(
            func, coroutine=coroutine, name=name, description=description, return_direct=return_direct,
            args_schema=args_schema, infer_schema=infer_schema, response_format=response_format,
            parse_docstring=parse_docstring, error_on_invalid_docstring=error_on_invalid_docstring, **kwargs,
        )

    def __repr__(self) -> str:
        return f"StructuredTool(name={self.name!r})"

    def _build_schema(self) -> ToolSchema:
        return cast(ToolSchema, self.__dict__["_fixed_schema"])

    @property
    def _schema(self) -> ToolSchema:
        return cast(ToolSchema, self.__dict__["_fixed_schema"])

    def _implementation(self) -> Callable[..., Any] | None:
        return None

    @property
    def streams(self) -> bool:
        return self._function.streams

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        if self._sync_function is None:
            return super().invoke(input, config, **kwargs)
        token = _SYNC_CALLER.set(True)
        try:
            return super().invoke(input, config, **kwargs)
        finally:
            _SYNC_CALLER.reset(token)

    async def _call(self, tool_input: Any, tool_call_id: str | None, scope: RunScope) -> Any:
        child = scope.child_config()
        arguments = self._arguments(tool_input, tool_call_id)
        function = self._sync_function if self._sync_function is not None and _SYNC_CALLER.get() else self._function
        if self._config_params:
            arguments = {**arguments, **dict.fromkeys(self._config_params, complete_config(child))}
        return await function.call_kwargs(arguments, child)

    async def _chunks(self, tool_input: Any, tool_call_id: str | None, scope: RunScope) -> AsyncIterator[Any]:
        child = scope.child_config()
        arguments = self._arguments(tool_input, tool_call_id)
        if self._config_params:
            arguments = {**arguments, **dict.fromkeys(self._config_params, complete_config(child))}
        async for chunk in self._function.iterate_kwargs(arguments, child):
            yield chunk


def _class_doc(args_schema: Any) -> str:
    if isinstance(args_schema, Mapping):
        return str(args_schema.get("description", ""))
    doc = docstring_text(args_schema) if isinstance(args_schema, type) else None
    if not doc or doc.startswith(f"{getattr(args_schema, '__name__', '')}(") or doc == docstring_text(dict):
        return ""
    return doc


class Tool(BaseTool):
    """A tool of one string input (what ``@tool(infer_schema=False)`` builds, and LangChain's ``Tool``).

    A dict input passes its values as positional arguments.
    """

    def __init__(
        self,
        name: str,
        func: Callable[..., Any] | None,
        description: str,
        *,
        return_direct: bool = False,
        coroutine: Callable[..., Any] | None = None,
        args_schema: Any = None,
        handle_tool_error: bool | str | Callable[[ToolException], str] = False,
        response_format: ResponseFormat = "content",
    ) -> None:
        implementation = coroutine or func
        if implementation is None:
            raise ValueError("Tool needs a function (func=) or a coroutine (coroutine=)")
        self._function = UserFunction(implementation)
        self.func = func
        self.coroutine = coroutine
        self.name = name
        self.description = description
        self.return_direct = return_direct
        self.args_schema = args_schema
        self.handle_tool_error = handle_tool_error
        self.response_format = response_format

    @classmethod
    def from_function(
        cls,
        func: Callable[..., Any] | None,
        name: str,
        description: str,
        return_direct: bool = False,
        args_schema: Any = None,
        coroutine: Callable[..., Any] | None = None,
        **kwargs: Any,
    ) -> Tool:
        """LangChain's constructor."""
        return cls(name, func, description, return_direct=return_direct, args_schema=args_schema, coroutine=coroutine, **kwargs)

    def __repr__(self) -> str:
        return f"Tool(name={self.name!r})"

    def _build_schema(self) -> ToolSchema:
        if self.args_schema is not None:
            return super()._build_schema()
        string = {"properties": {"tool_input": {"type": "string"}}, "type": "object"}
        return ToolSchema(full=string, model=string)

    def _implementation(self) -> Callable[..., Any] | None:
        return None

    async def _call(self, tool_input: Any, tool_call_id: str | None, scope: RunScope) -> Any:
        child = scope.child_config()
        if isinstance(tool_input, dict):
            values: Sequence[Any] = list(tool_input.values())
        elif isinstance(tool_input, str):
            values = [tool_input]
        else:
            raise ToolInvocationError(self.name, {}, f"expected a string or a dict, got {type(tool_input).__name__}")
        if len(values) == 1:
            return await self._function.call(values[0], child)
        function = self._function.func
        with ambient(child):
            if self._function.is_async:
                return await function(*values)
            return await _in_thread(functools.partial(function, *values))
