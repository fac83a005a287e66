"""``PromptTemplate``: an f-string template whose value is a ``StringPromptValue``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import BasePromptTemplate
from .formatting import check_template_format, format_template, template_variables
from .values import StringPromptValue

__all__ = ["PromptTemplate", "StringPromptTemplate"]


class StringPromptTemplate(BasePromptTemplate):
    """A template whose ``format`` is a string; its prompt value is a ``StringPromptValue``."""

    def format_prompt(self, **kwargs: Any) -> StringPromptValue:
        return StringPromptValue(self.format(**kwargs))


class PromptTemplate(StringPromptTemplate):
    """A text template such as ``"tell me a joke about {topic}"``.

    Args:
        template: the template text (f-string syntax; ``{{`` and ``}}`` are literal braces).
        input_variables: the variables (default: those the template names).
        partial_variables: variables filled in advance.
        template_format: ``"f-string"`` (the only format implemented).
    """

    def __init__(
        self,
        template: str,
        *,
        input_variables: list[str] | None = None,
        partial_variables: Mapping[str, Any] | None = None,
        template_format: str = "f-string",
        name: str | None = None,
    ) -> None:
        check_template_format(template_format)
        found = template_variables(template, template_format)
        super().__init__(
            input_variables=found if input_variables is None else list(input_variables),
            partial_variables=partial_variables,
            name=name,
        )
        self.template = template
        self.template_format = template_format

    @classmethod
    def from_template(
        cls,
        template: str,
        *,
        template_format: str = "f-string",
        partial_variables: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> PromptTemplate:
        """A template whose variables are the names ``template`` uses."""
        return cls(template, template_format=template_format, partial_variables=partial_variables, **kwargs)

    def format(self, **kwargs: Any) -> str:
        """The template with the variables filled in."""
        return format_template(self.template, self._merge_partial_and_user_variables(**kwargs))

    def __add__(self, other: Any) -> PromptTemplate:
        """The two templates' texts joined (a string is taken as a template)."""
        if isinstance(other, str):
            other = PromptTemplate.from_template(other)
        if not isinstance(other, PromptTemplate):
            raise NotImplementedError(f"Unsupported operand type for +: {type(other).__name__}")
        overlap = set(self.partial_variables) & set(other.partial_variables)
        if overlap:
            raise ValueError(f"Cannot add templates that both fill the partial variables {sorted(overlap)}")
        return PromptTemplate(
            self.template + other.template,
            partial_variables={**self.partial_variables, **other.partial_variables},
        )

    def __repr__(self) -> str:
        return f"PromptTemplate(input_variables={self.input_variables!r}, template={self.template!r})"
