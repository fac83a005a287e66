"""``compile()``: from a validated graph spec to the scheduler's ``Program``.

:func:`compile_program` is a pure function of the spec: it lays out the
channels (state keys, then one trigger per node, join barriers, the input
channel) and turns each node into a :class:`~runtime.scheduler.NodeSpec` whose
``run`` is a :class:`~graphs.node.NodeRunner`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.cache import cache_namespace
from runtime.core.errors import TROUBLESHOOTING, EmptyInputError, InvalidUpdateError
from runtime.core.types import END, START, Command
from runtime.scheduler import Channel, NodeSpec, Program, Write

from .channels import DeferredJoinBarrier, DeferredTrigger, InputChannel, JoinBarrier, Trigger
from .node import NodeRunner, branch_key, route_writes, update_writes
from .state import coerce_update, make_reader, merge_channels, schema_keys

from .compiled import CompiledStateGraph
from .spec import GraphSpec

__all__ = ["compile_program"]


class _InputRunner(NodeRunner):
    """The hidden ``__start__`` node: validates the input and writes it into state."""

    def writes_of(self, output: Any) -> list[Write]:
        if output is None:
            raise EmptyInputError("Received no input for __start__")
        if isinstance(output, Command):
            return super().writes_of(output)
        if not isinstance(output, Mapping):
            fields = coerce_update(output)
            if fields is None:
                raise InvalidUpdateError(f"Expected dict, got {output!r}{TROUBLESHOOTING}INVALID_GRAPH_NODE_RETURN_VALUE")
            output = fields
        unknown = output.keys() - self.state_keys
        if unknown:
            key = next(k for k in output if k in unknown)
            raise InvalidUpdateError(
                f"Input has key {key!r}, which is not in the graph's input schema "
                f"(keys: {', '.join(sorted(self.state_keys))})"
            )
        return [*output.items(), *self.edge_writes]


def _command_writes(state_keys: frozenset[str], node_names: frozenset[str]) -> Any:
    """How a ``Command`` given as input on a saved thread becomes writes: its update
    (any state key), then its ``goto`` (node names, ``Send``\\s), as LangGraph maps it."""

    def writes_of(command: Command[Any]) -> list[Write]:
        if command.graph == Command.PARENT:
            raise InvalidUpdateError("There is no parent graph: a Command(graph=Command.PARENT) cannot be a run's input")
        writes = route_writes(START, command.goto or None, node_names, "Command input's goto")
        return [*update_writes("Command input", command.update, state_keys), *writes]

    return writes_of


def _join_key(sources: tuple[str, ...], target: str) -> str:
    return f"join:{'+'.join(sources)}:{target}"


def compile_program(spec: GraphSpec, name: str) -> Program:
    """The program that runs the graph ``spec`` describes (the spec is assumed valid)."""
    state_schema = spec.state_schema
    # Input, output and node input schemas may declare keys the state does not
    # (private state); they become channels too.
    channels: dict[str, Channel] = merge_channels(
        [state_schema, spec.input_schema, spec.output_schema]
        + [n.input_schema for n in spec.nodes.values() if n.input_schema is not None]
        + [b.input_schema for bs in spec.branches.values() for b in bs.values() if b.input_schema is not None]
    )
    state_keys = frozenset(channels)
    value_keys = tuple(channels)  # before triggers and barriers join them
    input_keys = schema_keys(spec.input_schema)
    output_keys = schema_keys(spec.output_schema)
    node_names = frozenset(spec.nodes)

    edge_targets: dict[str, list[str]] = {}
    for source, target in spec.edges:
        edge_targets.setdefault(source, []).append(target)
    join_writes: dict[str, list[Write]] = {}
    join_triggers: dict[str, list[str]] = {}
    for sources, target in spec.joins:
        key = _join_key(sources, target)
        deferred = target in spec.nodes and spec.nodes[target].defer
        channels[key] = (DeferredJoinBarrier if deferred else JoinBarrier)(key, frozenset(sources))
        for source in sources:
            join_writes.setdefault(source, []).append((key, source))
        if target != END:
            join_triggers.setdefault(target, []).append(key)

    def edge_writes(source: str) -> list[Write]:
        writes: list[Write] = [(branch_key(t), None) for t in dict.fromkeys(edge_targets.get(source, ())) if t != END]
        return writes + join_writes.get(source, [])

    read_state = make_reader(state_schema, value_keys)
    channels[START] = InputChannel(START)
    input_runner = _InputRunner(
        START, None, state_keys=frozenset(input_keys), node_names=node_names, edge_writes=edge_writes(START),
        branches=list(spec.branches.get(START, {}).values()), read_state=read_state,
        branch_readers=_branch_readers(spec, START, value_keys),
    )
    nodes: dict[str, NodeSpec] = {
        START: NodeSpec(START, (START,), _read_input, input_runner, hidden=True),
    }
    for node in spec.nodes.values():
        channels[branch_key(node.name)] = (DeferredTrigger if node.defer else Trigger)(branch_key(node.name))
        is_subgraph = isinstance(node.action, CompiledStateGraph)
        # A node's routers read the state as the node does (LangGraph's default for a branch).
        reader = make_reader(node.input_schema or state_schema, value_keys, node.name)
        runner = NodeRunner(
            node.name, node.action, state_keys=state_keys, node_names=node_names,
            edge_writes=edge_writes(node.name), branches=list(spec.branches.get(node.name, {}).values()),
            read_state=reader, branch_readers=_branch_readers(spec, node.name, value_keys),
            subgraph_input=_subgraph_input(node.action) if is_subgraph else None,
        )
        nodes[node.name] = NodeSpec(
            node.name,
            (branch_key(node.name), *join_triggers.get(node.name, ())),
            reader,
            runner,
            is_subgraph=is_subgraph,
            metadata=dict(node.metadata),
            retry_policy=node.retry_policy,
            timeout=node.timeout,
            cache_policy=node.cache_policy,
            cache_namespace=cache_namespace(node.action, node.name) if node.cache_policy is not None else (),
        )
    return Program(
        name=name,
        channels=channels,
        nodes=nodes,
        input_channel=START,
        input_keys=tuple(input_keys),
        output_keys=tuple(output_keys),
        value_keys=value_keys,
        command_writes=_command_writes(frozenset(value_keys), node_names),
    )


def _branch_readers(spec: GraphSpec, source: str, value_keys: tuple[str, ...]) -> dict[str, Any]:
    """Readers of the routers out of ``source`` that declare their own input schema."""
    return {
        name: make_reader(branch.input_schema, value_keys, f"{source}'s router {name}")
        for name, branch in spec.branches.get(source, {}).items()
        if branch.input_schema is not None
    }


def _read_input(channels: Mapping[str, Channel]) -> Any:
    return channels[START].get()


def _subgraph_input(subgraph: CompiledStateGraph) -> Any:
    keys = frozenset(subgraph.input_keys)

    def select(state: Any) -> dict[str, Any]:
        values = state if isinstance(state, Mapping) else (coerce_update(state) or {})
        return {k: v for k, v in values.items() if k in keys}

    return select
