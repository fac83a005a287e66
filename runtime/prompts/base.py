"""``BasePromptTemplate``: a runnable that turns a dict of variables into a ``PromptValue``.

Invoked, a template runs as a ``prompt`` run (``on_prompt_start`` /
``on_prompt_end`` events). Its input is a dict of variables; any other value is
taken as the value of the template's only variable, as langchain-core does. A
missing variable is a ``KeyError`` naming it.
"""

from __future__ import annotations

import copy
from abc import abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from ..core.config import RunnableConfig
from ..core.errors import ErrorCode, create_message
from ..runnables.base import Runnable
from ..runnables.transform import traced_invoke
from ..tracing.scope import RunScope
from .values import PromptValue

__all__ = ["BasePromptTemplate"]


class BasePromptTemplate(Runnable[Any, PromptValue]):
    """The shared part of prompt templates.

    Attributes:
        input_variables: the variables a caller must give (sorted).
        optional_variables: variables that may be left out (optional placeholders).
        partial_variables: variables already filled (a value, or a function called
            at format time).
    """

    input_variables: list[str]
    optional_variables: list[str]
    partial_variables: dict[str, Any]

    def __init__(
        self,
        *,
        input_variables: list[str],
        optional_variables: list[str] | None = None,
        partial_variables: Mapping[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.partial_variables = dict(partial_variables or {})
        self.input_variables = sorted(set(input_variables) - set(self.partial_variables))
        self.optional_variables = sorted(optional_variables or ())
        self.name = name

    # -- formatting -----------------------------------------------------------------
    @abstractmethod
    def format_prompt(self, **kwargs: Any) -> PromptValue:
        """The prompt value for these variables."""

    @abstractmethod
    def format(self, **kwargs: Any) -> Any:
        """The formatted prompt (a string for string templates)."""

    async def aformat_prompt(self, **kwargs: Any) -> PromptValue:
        """Async twin of :meth:`format_prompt`."""
        return self.format_prompt(**kwargs)

    async def aformat(self, **kwargs: Any) -> Any:
        """Async twin of :meth:`format`."""
        return self.format(**kwargs)

    def _merge_partial_and_user_variables(self, **kwargs: Any) -> dict[str, Any]:
        partials = {k: v() if callable(v) else v for k, v in self.partial_variables.items()}
        return {**partials, **kwargs}

    def partial(self, **kwargs: str | Callable[[], Any]) -> BasePromptTemplate:
        """A copy of this template with some variables filled in."""
        clone = copy.copy(self)
        clone.partial_variables = {**self.partial_variables, **kwargs}
        clone.input_variables = [v for v in self.input_variables if v not in kwargs]
        return clone

    # -- the runnable -----------------------------------------------------------------
    def _validate_input(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            if len(self.input_variables) != 1:
                raise TypeError(
                    create_message(
                        message=f"Expected mapping type as input to {type(self).__name__}. Received {type(value)}.",
                        error_code=ErrorCode.INVALID_PROMPT_INPUT,
                    )
                )
            value = {self.input_variables[0]: value}
        missing = [v for v in self.input_variables if v not in value]
        if missing:
            message = (
                f"Input to {type(self).__name__} is missing variables {set(missing)}. "
                f" Expected: {self.input_variables} Received: {list(value)}"
                f"\nNote: if you intended {{{missing[0]}}} to be part of the string and not a variable, "
                f"please escape it with double curly braces like: '{{{{{missing[0]}}}}}'."
            )
            raise KeyError(create_message(message=message, error_code=ErrorCode.INVALID_PROMPT_INPUT))
        return dict(value)

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> PromptValue:
        return await traced_invoke(config, self.get_name(), "prompt", input, self._invoke_body)

    async def _invoke_body(self, input: Any, scope: RunScope) -> PromptValue:
        return await self.aformat_prompt(**self._validate_input(input))
