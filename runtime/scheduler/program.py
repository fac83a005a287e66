"""What a compiled graph hands the scheduler: channels and node specs.

``graphs`` builds a :class:`Program` from a ``StateGraph``; the scheduler runs
it. The node specs themselves live with the tasks that run them (:mod:`.task`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from .channel import Channel
from .task import NodeSpec, Write

__all__ = ["Program"]

@attrs.frozen
class Program:
    """A runnable description of a graph.

    Attributes:
        name: the graph's name (the root run's name in events).
        channels: prototype channels by key; each run restores fresh copies.
        nodes: node specs in the order they were added (hidden input node first).
        input_channel: where a run's input is written at step -1.
        input_keys: the state keys a run's input may carry.
        output_keys: the output schema's keys: what ``invoke`` returns.
        value_keys: the channels holding state values (not triggers or barriers),
            in schema order: what node inputs and ``values`` are read from.
        command_writes: the writes a ``Command`` given as input on a saved
            thread stands for (its ``update`` and ``goto``), which the run
            applies before it continues; ``None``: such a Command is plain input.
    """

    name: str
    channels: Mapping[str, Channel]
    nodes: Mapping[str, NodeSpec]
    input_channel: str
    input_keys: tuple[str, ...]
    output_keys: tuple[str, ...]
    value_keys: tuple[str, ...] = ()
    command_writes: Callable[[Any], Sequence[Write]] | None = None
    trigger_index: Mapping[str, tuple[str, ...]] = attrs.field(init=False)
    node_order: Mapping[str, int] = attrs.field(init=False)
    trigger_channels: frozenset[str] = attrs.field(init=False)
    default_keys: tuple[str, ...] = attrs.field(init=False)
    finishing: tuple[str, ...] = attrs.field(init=False)
    """Channels that may fire when the run would otherwise end (deferred nodes' triggers)."""

    @trigger_index.default
    def _index_triggers(self) -> Mapping[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for node in self.nodes.values():
            for channel in node.triggers:
                index.setdefault(channel, []).append(node.name)
        return {channel: tuple(names) for channel, names in index.items()}

    @default_keys.default
    def _keys_with_defaults(self) -> tuple[str, ...]:
        return tuple(key for key in self.value_keys if self.channels[key].is_available())

    @finishing.default
    def _finishing_channels(self) -> tuple[str, ...]:
        return tuple(key for key, channel in self.channels.items() if type(channel).finish is not Channel.finish)

    @trigger_channels.default
    def _trigger_set(self) -> frozenset[str]:
        return frozenset(self.trigger_index)

    @node_order.default
    def _order_nodes(self) -> Mapping[str, int]:
        return {name: i for i, name in enumerate(self.nodes)}

    def initial_values(self) -> dict[str, Any]:
        """A fresh run's values: only keys with a default (reducers) hold one."""
        channels = self.channels
        return {key: channels[key].get() for key in self.default_keys}

    def values_of(self, channels: Mapping[str, Channel]) -> dict[str, Any]:
        """The value channels that hold a value, in schema order."""
        values: dict[str, Any] = {}
        for key in self.value_keys:
            channel = channels[key]
            if channel.is_available():
                values[key] = channel.get()
        return values

    def new_channels(self) -> dict[str, Channel]:
        """Fresh, empty-state channels for one run."""
        return {key: channel.copy() for key, channel in self.channels.items()}
