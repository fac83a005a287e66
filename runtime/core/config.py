"""``RunnableConfig`` and how a child inherits it from the run it is called in.

trio copies the *spawning* task's context into every child task (and
``trio.to_thread`` copies it into worker threads), so the config of the running
node or runnable sits in a ``ContextVar`` and nested runnables, chat models and
tools find it without anyone passing ``config`` by hand — on every Python version.

A coroutine makes a config ambient for a block with :class:`ambient`; an async
generator cannot hold a ``ContextVar`` across ``yield`` (its consumer shares the
task's context), so :func:`in_config` sets it around each step of the generator
instead.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, TypedDict, TypeVar, final

__all__ = [
    "RunnableConfig",
    "DEFAULT_RECURSION_LIMIT",
    "ensure_config",
    "merge_configs",
    "current_config",
    "CONFIG_KEYS",
    "CompleteConfig",
    "complete_config",
    "ambient",
    "in_config",
]

T = TypeVar("T")

DEFAULT_RECURSION_LIMIT = int(os.getenv("LANGGRAPH_DEFAULT_RECURSION_LIMIT", "10007"))


class RunnableConfig(TypedDict, total=False):
    """The per-call configuration LangChain users know.

    ``tags`` and ``metadata`` are inherited by every child run; ``configurable``
    carries user settings and the persistence keys (``thread_id``, ``checkpoint_id``).
    """

    tags: list[str]
    metadata: dict[str, Any]
    callbacks: Any
    run_name: str
    max_concurrency: int | None
    recursion_limit: int
    configurable: dict[str, Any]
    run_id: Any


CONFIG_KEYS = frozenset(RunnableConfig.__annotations__)

_current: ContextVar[RunnableConfig | None] = ContextVar("tributary_config", default=None)


def current_config() -> RunnableConfig | None:
    """The config of the run this code executes in, or ``None`` outside any run."""
    return _current.get()


def merge_configs(*configs: Mapping[str, Any] | None) -> RunnableConfig:
    """The configs merged left to right (``None`` skipped), as LangChain's function: see :func:`merge_two_configs`."""
    merged: RunnableConfig = {}
    for config in configs:
        merged = merge_two_configs(merged, config)
    return merged


def merge_two_configs(base: Mapping[str, Any] | None, override: Mapping[str, Any] | None) -> RunnableConfig:
    """``override`` on top of ``base``: tags are appended (no duplicates), metadata and
    configurable are merged key by key, callbacks combined, other keys replaced."""
    merged: dict[str, Any] = dict(base) if base else {}
    if override:
        for key, value in override.items():
            if value is None and key not in ("max_concurrency",):
                continue
            if key == "tags":
                tags = list(merged.get("tags") or ())
                tags.extend(t for t in value if t not in tags)
                merged["tags"] = tags
            elif key in ("metadata", "configurable"):
                merged[key] = {**(merged.get(key) or {}), **value}
            elif key == "callbacks" and merged.get("callbacks") is not None:
                merged[key] = [*_as_list(merged["callbacks"]), *_as_list(value)]
            else:
                merged[key] = value
    # Keys are set by name, which a TypedDict does not allow; the caller's keys are
    # RunnableConfig's (ensure_config rejects others).
    return merged  # type: ignore[return-value]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else [value]


class CompleteConfig(dict[str, Any]):
    """A config already merged over its inherited one: what a run hands its children.

    :func:`ensure_config` copies it instead of merging it over the ambient config
    again. That matters in streaming chains, where steps run as generators in
    one task and the ambient config at any moment may be a sibling step's.
    """

    __slots__ = ()


def complete_config(config: Mapping[str, Any]) -> RunnableConfig:
    """Mark ``config`` (an ensured config) as complete; see :class:`CompleteConfig`."""
    # A dict class cannot subclass the RunnableConfig TypedDict, so mypy cannot see a
    # CompleteConfig is one.
    return CompleteConfig(config)  # type: ignore[return-value]


def ensure_config(config: Mapping[str, Any] | None = None) -> RunnableConfig:
    """A complete config: the caller's ``config`` merged over the one inherited from context.

    ``run_name`` and ``run_id`` name one run only, so they are not inherited. A
    :class:`CompleteConfig` is copied as it is.
    """
    if type(config) is CompleteConfig:
        return CompleteConfig(config)  # type: ignore[return-value]  # is a RunnableConfig: see complete_config
    parent = _current.get()
    inherited: dict[str, Any] = {}
    if parent:
        inherited = {k: v for k, v in parent.items() if k not in ("run_name", "run_id")}
    merged = merge_two_configs(inherited, config)
    merged.setdefault("tags", [])
    merged.setdefault("metadata", {})
    merged.setdefault("configurable", {})
    merged.setdefault("recursion_limit", DEFAULT_RECURSION_LIMIT)
    if config:
        unknown = set(config) - CONFIG_KEYS
        if unknown:
            raise TypeError(
                f"Unknown config key(s) {sorted(unknown)}; a RunnableConfig takes {sorted(CONFIG_KEYS)} "
                "(put your own settings under 'configurable')"
            )
    return merged


def set_current(config: RunnableConfig | None) -> Any:
    """Make ``config`` the current one in this task; returns the token for ``reset_current``."""
    return _current.set(config)


def reset_current(token: Any) -> None:
    _current.reset(token)


@final
class ambient:
    """Make ``config`` the ambient config of the code inside ``with ambient(config):`` (coroutines only).

    A class rather than a ``@contextmanager`` generator: every runnable call
    enters one, and this costs a fraction of a generator's set-up.
    """

    __slots__ = ("_config", "_token")

    def __init__(self, config: RunnableConfig) -> None:
        self._config = config

    def __enter__(self) -> None:
        self._token = set_current(self._config)

    def __exit__(self, *exc_info: object) -> None:
        reset_current(self._token)


async def in_config(source: AsyncIterator[T], config: RunnableConfig) -> AsyncIterator[T]:
    """Iterate ``source`` (a user's async generator) with ``config`` ambient while it runs."""
    try:
        while True:
            token = set_current(config)
            try:
                item = await source.__anext__()
            except StopAsyncIteration:
                return
            finally:
                reset_current(token)
            yield item
    finally:
        closer = getattr(source, "aclose", None)
        if closer is not None:
            token = set_current(config)
            try:
                await closer()
            finally:
                reset_current(token)

