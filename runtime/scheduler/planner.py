"""The pure half of a superstep: which tasks run, and what their writes do.

Nothing here awaits. :func:`plan_tasks` turns the channels updated by the last
step (and the ``Send``s it produced) into this step's tasks; :func:`apply_writes`
folds the finished tasks' writes into the channels at the barrier, in task-path
order — never completion order — so a step's result does not depend on how
the tasks were scheduled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Any

from ..core.types import Send
from .channel import Channel
from .program import Program
from .task import NS_END, NS_SEP, PULL, PUSH, Task, Write, task_id

__all__ = ["plan_tasks", "apply_writes", "fold_writes", "read_values"]


def _task_ns(parent_ns: str, name: str, tid: str) -> str:
    segment = f"{name}{NS_END}{tid}"
    return f"{parent_ns}{NS_SEP}{segment}" if parent_ns else segment


def plan_tasks(
    program: Program,
    channels: Mapping[str, Channel],
    values: Mapping[str, Any],
    updated: Iterable[str],
    sends: Sequence[Send],
    *,
    step: int,
    checkpoint_id: str,
    checkpoint_ns: str,
) -> list[Task]:
    """This step's tasks: one per pending ``Send`` (in order), then one per triggered
    node (in the order nodes were added). Inputs are read now, before anything runs."""
    nodes = program.nodes
    tasks: list[Task] = []
    for index, send in enumerate(sends):
        node = nodes[send.node]
        tid = task_id(checkpoint_id, checkpoint_ns, step, send.node, PUSH, str(index))
        tasks.append(
            Task(tid, send.node, (PUSH, index, False), (PUSH,), send.arg, node, step,
                 _task_ns(checkpoint_ns, send.node, tid))
        )
    if not isinstance(updated, (set, frozenset)):
        updated = set(updated)
    index_of = program.trigger_index
    # Most updated channels are state keys that trigger nothing; skip them in C.
    firing = updated & program.trigger_channels
    if len(firing) == 1:  # a chain's step: one trigger, usually one node
        (channel,) = firing
        triggered: Iterable[str] = index_of[channel]
    else:
        names: set[str] = set()
        for channel in firing:
            names.update(index_of[channel])
        triggered = sorted(names, key=program.node_order.__getitem__)
    for name in triggered:
        node = nodes[name]
        triggers: tuple[str, ...]
        if len(node.triggers) == 1:
            triggers = node.triggers  # it fired, so it is in ``updated``
        else:
            triggers = tuple(sorted(c for c in node.triggers if c in updated))
        tid = task_id(checkpoint_id, checkpoint_ns, step, name, PULL, *triggers)
        tasks.append(
            Task(tid, name, (PULL, name), triggers, node.read(channels if node.hidden else values), node, step,
                 _task_ns(checkpoint_ns, name, tid))
        )
    return tasks


def apply_writes(channels: MutableMapping[str, Channel], tasks: Sequence[Task]) -> tuple[set[str], list[Send]]:
    """Fold the tasks' writes into the channels; return the updated channels and new ``Send``s.

    Triggers the tasks consumed are reset first, so a barrier a node just ran on
    can fill again in this very step.
    """
    for task in tasks:
        for trigger in task.triggers:
            channel = channels.get(trigger)
            if channel is not None:
                channel.consume()
    sends: list[Send] = []
    if len(tasks) == 1:
        return _apply_one(channels, tasks[0], sends)
    pending: dict[str, list[Any]] = {}
    writer: dict[str, Task | None] = {}  # the one task that wrote a key, None if several did
    for task in sorted(tasks, key=_path):
        for key, value in task.writes:
            if key == PUSH:
                sends.append(value)
            else:
                bucket = pending.get(key)
                if bucket is None:
                    pending[key] = [value]
                    writer[key] = task
                else:
                    bucket.append(value)
                    if writer[key] is not task:
                        writer[key] = None
    updated: set[str] = set()
    for key, values in pending.items():
        sole = writer[key]
        folded = sole.folded if sole is not None else None
        if folded is not None and key in folded:
            # The task already folded exactly these writes into a copy of this
            # channel (for its routers); nothing else touched it since.
            channels[key] = folded[key]
            updated.add(key)
        elif channels[key].update(values):
            updated.add(key)
    return updated, sends


def _apply_one(channels: MutableMapping[str, Channel], task: Task, sends: list[Send]) -> tuple[set[str], list[Send]]:
    """``apply_writes`` for a step of one task, the common case: no grouping needed.

    A node's update is a mapping, so it writes each state key at most once; only
    triggers can be written twice (an edge and a ``Command.goto`` to the same
    node), and a second write to a trigger changes nothing.
    """
    updated: set[str] = set()
    folded = task.folded
    for key, value in task.writes:
        if key == PUSH:
            sends.append(value)
        elif folded is not None and key in folded:
            channels[key] = folded[key]
            updated.add(key)
        elif channels[key].update((value,)):
            updated.add(key)
    return updated, sends


def fold_writes(channels: MutableMapping[str, Channel], writes: Sequence[Write]) -> tuple[set[str], list[Send]]:
    """Fold writes that come from no task (``update_state``) into the channels, in order;
    return the updated channels and the ``Send``\\s among the writes."""
    sends: list[Send] = []
    grouped: dict[str, list[Any]] = {}
    for key, value in writes:
        if key == PUSH:
            sends.append(value)
        else:
            grouped.setdefault(key, []).append(value)
    updated = {key for key, values in grouped.items() if channels[key].update(values)}
    return updated, sends


def _path(task: Task) -> tuple[Any, ...]:
    """Write order: pull tasks first (by node name), then pushes (by ``Send`` index)."""
    return task.path


def read_values(values: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The entries of ``values`` for ``keys``, in the order of ``keys`` (absent keys left out)."""
    return {key: values[key] for key in keys if key in values}
