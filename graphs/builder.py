"""``StateGraph``: the graph builder users write against.

It only records what the user declared and rejects what can be rejected at
once (duplicate or reserved node names, edges out of ``END`` or into ``START``).
Everything that needs the whole graph — unknown endpoints, missing entry point,
branch targets — is checked by :meth:`StateGraph.compile`.
"""

from __future__ import annotations

import typing
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Literal, get_args, get_origin


from actors import RetryPolicy
from runtime.cache import BaseCache, CachePolicy
from runtime.core.callables import function_name
from runtime.core.errors import InvalidGraphError
from runtime.core.types import END, START
from runtime.runnables.base import Runnable
from runtime.store import BaseStore
from runtime.scheduler import NS_END, NS_SEP

from .compile import compile_program
from .compiled import CompiledStateGraph
from .spec import Branch, GraphSpec, NodeDef
from .state import is_schema, merge_channels, read_schema

__all__ = ["StateGraph"]

# Keyword names LangGraph still accepts, with a deprecation warning, and their successors.
_DEPRECATED_SCHEMA_KEYWORDS = {"input": "input_schema", "output": "output_schema", "config_schema": "context_schema"}


class StateGraph:
    """A graph whose nodes read and update a shared state.

    Args:
        state_schema: a TypedDict (``typing`` or ``typing_extensions``), dataclass,
            pydantic model, attrs class or annotated class (see :mod:`graphs.state`);
            ``Annotated[T, reducer]`` keys fold concurrent writes with the reducer.
        context_schema: the type of the run's ``context`` (``invoke(..., context=...)``),
            kept as ``self.context_schema``; a dict context is coerced to it when it
            is a dataclass or pydantic model.
        input_schema: the keys a run's input may carry (default: the state's).
        output_schema: the keys ``invoke`` and ``values`` report (default: the state's).

    The older keyword names ``input=``, ``output=`` and ``config_schema=`` still
    work, with a ``DeprecationWarning``, as in LangGraph.
    """

    def __init__(
        self,
        state_schema: type,
        context_schema: type | None = None,
        *,
        input_schema: type | None = None,
        output_schema: type | None = None,
        **deprecated: Any,
    ) -> None:
        unknown = set(deprecated) - set(_DEPRECATED_SCHEMA_KEYWORDS)
        if unknown:
            raise TypeError(f"StateGraph() got unexpected keyword argument(s) {sorted(unknown)}")
        for old_name, new_name in _DEPRECATED_SCHEMA_KEYWORDS.items():
            if old_name in deprecated:
                warnings.warn(
                    f"StateGraph({old_name}=...) is deprecated; use {new_name}=...", DeprecationWarning, stacklevel=2
                )
        context_schema = context_schema or deprecated.get("config_schema")
        input_schema = input_schema or deprecated.get("input")
        output_schema = output_schema or deprecated.get("output")
        self.state_schema = state_schema
        self.input_schema = input_schema or state_schema
        self.output_schema = output_schema or state_schema
        self.context_schema = context_schema
        self.nodes: dict[str, NodeDef] = {}
        self.edges: list[tuple[str, str]] = []
        self.joins: list[tuple[tuple[str, ...], str]] = []
        self.branches: dict[str, dict[str, Branch]] = {}
        self.compiled = False
        # Fail now on an unreadable schema, or one that redeclares a reducer key.
        read_schema(state_schema)
        read_schema(self.input_schema, "input")
        read_schema(self.output_schema, "output")
        merge_channels([state_schema, self.input_schema, self.output_schema])

    # -- nodes ---------------------------------------------------------------
    def add_node(
        self,
        node: str | Any,
        action: Any = None,
        *,
        metadata: Mapping[str, Any] | None = None,
        input_schema: type | None = None,
        retry_policy: RetryPolicy | Sequence[RetryPolicy] | None = None,
        timeout: float | None = None,
        destinations: Sequence[str] | Mapping[str, str] | None = None,
        cache_policy: CachePolicy[Any] | None = None,
        defer: bool = False,
        **kwargs: Any,
    ) -> StateGraph:
        """Add a node: ``add_node(func)`` (named after the function) or ``add_node("name", action)``.

        ``action`` may be a sync or async function of the state (optionally
        declaring ``config`` / ``writer`` / ``runtime`` / ``store`` parameters), a
        Runnable, or a compiled graph (which runs as a subgraph). ``cache_policy``
        caches its results by its input when the graph is compiled with a cache.
        ``retry_policy`` is one :class:`RetryPolicy` or a list of them, of which the
        first whose ``retry_on`` matches an error decides (as in LangGraph).
        ``defer=True`` makes the node wait, once triggered, until a step triggers
        no other node (pending ``Send`` tasks do not hold it back, as in LangGraph).
        """
        if kwargs.pop("retry", None) is not None and retry_policy is None:
            raise TypeError("add_node() takes retry_policy=, not retry=")
        if "input" in kwargs:
            warnings.warn("add_node(input=...) is deprecated; use input_schema=...", DeprecationWarning, stacklevel=2)
            input_schema = input_schema or kwargs.pop("input")
        if kwargs:
            raise TypeError(f"add_node() got unexpected keyword argument(s) {sorted(kwargs)}")
        if not isinstance(node, str):
            action, node = node, _node_name(node)
        if action is None:
            raise InvalidGraphError(f"Node `{node}` needs an action: add_node({node!r}, function)")
        if not (callable(action) or isinstance(action, Runnable)):
            raise InvalidGraphError(f"Node `{node}`'s action {action!r} is not callable")
        if node in self.nodes:
            raise InvalidGraphError(f"Node `{node}` already present.")
        if node in (START, END):
            raise InvalidGraphError(f"Node `{node}` is reserved.")
        for character in (NS_SEP, NS_END):
            if character in node:
                raise InvalidGraphError(
                    f"'{character}' is a reserved character and is not allowed in the node names (node {node!r})."
                )
        if input_schema is None:
            input_schema = _annotated_input_schema(action, self.state_schema)
        else:
            read_schema(input_schema, f"node `{node}`'s input")
        if input_schema is not None:  # its keys join the graph's channels: no reducer may clash
            merge_channels([*self._declared_schemas(), input_schema])
        policies = _retry_policies(node, retry_policy)
        if cache_policy is not None and not isinstance(cache_policy, CachePolicy):
            raise TypeError(f"Node `{node}`: cache_policy must be a CachePolicy, got {cache_policy!r}")
        self.nodes[node] = NodeDef(
            node, action, input_schema, dict(metadata or {}), policies, timeout, _destinations(node, destinations),
            cache_policy=cache_policy, defer=bool(defer),
        )
        return self

    def _declared_schemas(self) -> list[type]:
        """Every schema declared so far: state, input, output, node and router input schemas."""
        schemas = [self.state_schema, self.input_schema, self.output_schema]
        schemas += [n.input_schema for n in self.nodes.values() if n.input_schema is not None]
        schemas += [b.input_schema for bs in self.branches.values() for b in bs.values() if b.input_schema is not None]
        return schemas

    def add_sequence(self, nodes: Sequence[Any | tuple[str, Any]]) -> StateGraph:
        """Add nodes and the edges chaining them in order."""
        if not nodes:
            raise InvalidGraphError("add_sequence() needs at least one node")
        previous: str | None = None
        for item in nodes:
            if isinstance(item, tuple):
                name, action = item
            else:
                name, action = _node_name(item), item
            self.add_node(name, action)
            if previous is not None:
                self.add_edge(previous, name)
            previous = name
        return self

    # -- edges ---------------------------------------------------------------
    def add_edge(self, start_key: str | Sequence[str], end_key: str) -> StateGraph:
        """Run ``end_key`` after ``start_key`` — or, given a list, after *all* of them (a join)."""
        if isinstance(start_key, str):
            if start_key == END:
                raise InvalidGraphError("END cannot be a start node")
            if end_key == START:
                raise InvalidGraphError("START cannot be an end node")
            self.edges.append((start_key, end_key))
            return self
        sources = tuple(start_key)
        if not sources:
            raise InvalidGraphError(f"add_edge() got an empty list of sources for `{end_key}`")
        for source in sources:
            if source == END:
                raise InvalidGraphError("END cannot be a start node")
        if end_key == START:
            raise InvalidGraphError("START cannot be an end node")
        if len(sources) == 1:
            return self.add_edge(sources[0], end_key)
        self.joins.append((sources, end_key))
        return self

    def add_conditional_edges(
        self,
        source: str,
        path: Callable[..., Any] | Runnable[Any, Any],
        path_map: Mapping[Hashable, str] | Sequence[str] | None = None,
    ) -> StateGraph:
        """After ``source``, call ``path(state)`` to choose what runs next.

        ``path`` may return a node name, ``END``, a ``Send``, or a list of them.
        ``path_map`` maps its return values to node names; without one, a
        ``Literal[...]`` return annotation serves as the map.
        """
        name = function_name(path)
        if name in self.branches.get(source, {}):
            raise InvalidGraphError(f"Branch with name `{name}` already exists for node `{source}`")
        if path_map is None:
            path_map = _literal_targets(path)
        if path_map is not None and not isinstance(path_map, Mapping):
            path_map = {target: target for target in path_map}
        # A router whose first parameter is annotated with a schema reads the state as that schema.
        input_schema = _annotated_input_schema(path, None)
        if input_schema is not None:
            merge_channels([*self._declared_schemas(), input_schema])
        self.branches.setdefault(source, {})[name] = Branch(source, path, name, path_map, input_schema)
        return self

    def set_entry_point(self, key: str) -> StateGraph:
        """Same as ``add_edge(START, key)``."""
        return self.add_edge(START, key)

    def set_conditional_entry_point(
        self, path: Callable[..., Any], path_map: Mapping[Hashable, str] | Sequence[str] | None = None
    ) -> StateGraph:
        """Same as ``add_conditional_edges(START, path, path_map)``."""
        return self.add_conditional_edges(START, path, path_map)

    def set_finish_point(self, key: str) -> StateGraph:
        """Same as ``add_edge(key, END)``."""
        return self.add_edge(key, END)

    # -- validation and compile ----------------------------------------------
    def validate(self, interrupt: Sequence[str] = ()) -> None:
        """Check the whole graph; raise :class:`InvalidGraphError` naming the culprit."""
        known = set(self.nodes)
        sources = {s for s, _ in self.edges} | {s for group, _ in self.joins for s in group} | set(self.branches)
        for source in sources:
            if source != START and source not in known:
                raise InvalidGraphError(f"Found edge starting at unknown node '{source}'")
        has_entry = any(s == START for s, _ in self.edges) or START in self.branches
        if not has_entry:
            raise InvalidGraphError("Graph must have an entrypoint: add at least one edge from START to another node")
        for source, branches in self.branches.items():
            for branch in branches.values():
                for target in (branch.path_map or {}).values():
                    if target != END and target not in known:
                        raise InvalidGraphError(
                            f"At '{source}' node, '{branch.name}' branch found unknown target '{target}'"
                        )
        for _, target in self.edges:
            if target != END and target not in known:
                raise InvalidGraphError(f"Found edge ending at unknown node `{target}`")
        for _, target in self.joins:
            if target != END and target not in known:
                raise InvalidGraphError(f"Found edge ending at unknown node `{target}`")
        for node in self.nodes.values():
            for target in node.destinations:
                if target != END and target not in known:
                    raise InvalidGraphError(f"Node `{node.name}` declares unknown destination `{target}`")
        for name in interrupt:
            if name != "*" and name not in known:
                raise InvalidGraphError(f"Interrupt node `{name}` not found")

    def compile(
        self,
        checkpointer: Any = None,
        *,
        interrupt_before: Sequence[str] | Literal["*"] | None = None,
        interrupt_after: Sequence[str] | Literal["*"] | None = None,
        debug: bool = False,
        name: str | None = None,
        cache: BaseCache[Any] | None = None,
        store: BaseStore | None = None,
        **kwargs: Any,
    ) -> CompiledStateGraph:
        """Validate the graph and return a runnable :class:`CompiledStateGraph`.

        ``store`` is handed to every node (``runtime.store``, a ``store`` parameter,
        ``get_store()``); ``cache`` keeps the results of nodes with a cache policy.
        """
        if store is not None and not isinstance(store, BaseStore):
            raise TypeError(f"compile(store=...) takes a BaseStore, got {store!r}")
        if cache is not None and not isinstance(cache, BaseCache):
            raise TypeError(f"compile(cache=...) takes a BaseCache, got {cache!r}")
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(kwargs)}")
        before = _interrupt_list(interrupt_before, self.nodes)
        after = _interrupt_list(interrupt_after, self.nodes)
        self.validate([*before, *after])
        self.compiled = True
        name = name or "LangGraph"
        spec = self.spec()
        return CompiledStateGraph(
            self, spec, compile_program(spec, name), checkpointer=checkpointer,
            interrupt_before=before, interrupt_after=after, debug=debug, name=name,
            store=store, cache=cache,
        )

    def spec(self) -> GraphSpec:
        """What has been declared so far, as an immutable record (what ``compile`` reads)."""
        return GraphSpec(
            state_schema=self.state_schema,
            input_schema=self.input_schema,
            output_schema=self.output_schema,
            nodes=dict(self.nodes),
            edges=tuple(self.edges),
            joins=tuple(self.joins),
            branches={source: dict(branches) for source, branches in self.branches.items()},
        )


def _interrupt_list(value: Sequence[str] | str | None, nodes: Mapping[str, Any]) -> tuple[str, ...]:
    if value is None:
        return ()
    if value == "*":
        return tuple(nodes)
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _destinations(node: str, given: Sequence[str] | Mapping[str, str] | None) -> tuple[str, ...] | Mapping[str, str]:
    """``add_node(destinations=)``: where the node's ``Command``\\s may go, for drawing —
    names, or a mapping of names to edge labels (kept, as LangGraph draws them)."""
    if given is None:
        return ()
    if isinstance(given, str):
        raise TypeError(f"Node `{node}`: destinations must be a list of node names or a mapping, got {given!r}")
    if isinstance(given, Mapping):
        return dict(given)
    return tuple(given)


def _retry_policies(
    node: str, given: RetryPolicy | Sequence[RetryPolicy] | None
) -> RetryPolicy | tuple[RetryPolicy, ...] | None:
    """``add_node(retry_policy=)`` checked: one policy, a non-empty tuple of them, or ``None``."""
    if given is None or isinstance(given, RetryPolicy):
        return given
    if isinstance(given, (list, tuple)):
        policies = tuple(given)
        for policy in policies:
            if not isinstance(policy, RetryPolicy):
                raise TypeError(f"Node `{node}`: retry_policy must hold RetryPolicy objects, got {policy!r}")
        return policies or None
    raise TypeError(f"Node `{node}`: retry_policy must be a RetryPolicy or a list of them, got {given!r}")


def _node_name(action: Any) -> str:
    name = function_name(action)
    if isinstance(action, Runnable):
        name = action.get_name()
    return name


def _literal_targets(path: Any) -> dict[Hashable, str] | None:
    target = getattr(path, "__call__", None) if not callable(getattr(path, "__wrapped__", None)) else path
    try:
        hints = typing.get_type_hints(path if hasattr(path, "__annotations__") else target)
    except Exception:  # noqa: BLE001 - unannotated or unresolvable: no map
        return None
    returned = hints.get("return")
    if get_origin(returned) is Literal:
        return {value: value for value in get_args(returned)}
    return None


def _annotated_input_schema(action: Any, state_schema: type | None) -> type | None:
    """The schema a node's (or router's) first parameter is annotated with, unless it is ``state_schema``."""
    import inspect

    try:
        params = list(inspect.signature(action).parameters.values())
        hints = typing.get_type_hints(action)
    except Exception:  # noqa: BLE001 - not introspectable: reads the whole state
        return None
    if not params:
        return None
    hint = hints.get(params[0].name)
    if not (isinstance(hint, type) and hint is not state_schema and is_schema(hint)):
        return None
    try:
        read_schema(hint)
    except (TypeError, ValueError):  # an annotation that is no readable schema: reads the whole state
        return None
    return hint
