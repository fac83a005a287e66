"""Hand-built programs for driving the step core without running any node.

The core never calls a node's ``run``: tests play the tasks' part by setting
each planned task's ``writes`` (and ``interrupts``) before finishing the step.
"""

from __future__ import annotations

import operator
import types
from collections.abc import Mapping, Sequence
from typing import Any

from graphs.channels import (
    InputChannel,
    JoinBarrier,
    LastValue,
    ReducerChannel,
    Trigger,
)
from runtime.scheduler.channel import Channel
from runtime.scheduler.checkpoints import Checkpoint, Restored, read_checkpoint
from runtime.scheduler.program import Program
from runtime.scheduler.task import NodeSpec, Task

START = "__start__"


def to(node: str) -> str:
    """The trigger channel of ``node``."""
    return f"branch:to:{node}"


async def _never(input: Any, runtime: Any) -> list[Any]:
    raise AssertionError("the step core never runs a node")


def program(
    state: Mapping[str, Channel],
    nodes: Sequence[str],
    *,
    joins: Mapping[str, tuple[str, ...]] | None = None,
    output_keys: Sequence[str] | None = None,
) -> Program:
    """A program with ``state`` channels, an input node, and ``nodes`` each
    triggered by its own ``branch:to:<node>`` channel (plus a join barrier if
    ``joins`` names its sources)."""
    channels: dict[str, Channel] = dict(state)
    value_keys = tuple(state)
    channels[START] = InputChannel(START)
    specs = {START: NodeSpec(START, (START,), lambda chans: chans[START].get(), _never, hidden=True)}
    for name in nodes:
        channels[to(name)] = Trigger(to(name))
        triggers: tuple[str, ...] = (to(name),)
        if joins and name in joins:
            key = f"join:{'+'.join(joins[name])}:{name}"
            channels[key] = JoinBarrier(key, frozenset(joins[name]))
            triggers = (key,)
        specs[name] = NodeSpec(name, triggers, dict, _never)
    keys = tuple(output_keys) if output_keys is not None else value_keys
    return Program(
        name="test", channels=channels, nodes=specs, input_channel=START, input_keys=value_keys,
        output_keys=keys, value_keys=value_keys,
    )


def counter_program() -> Program:
    """``items`` (a list reducer), ``last`` (a plain key), nodes ``a``, ``b``, ``c``."""
    return program(
        {"items": ReducerChannel("items", operator.add, list), "last": LastValue("last")},
        ["a", "b", "c"],
    )


def by_name(tasks: Sequence[Task]) -> dict[str, Task]:
    return {task.name: task for task in tasks}


def read_back(
    program: Program, checkpoint: Checkpoint, pending_writes: Sequence[tuple[str, str, Any]] = ()
) -> Restored:
    """``checkpoint`` as a saver would hand it back, with ``pending_writes``."""
    found = types.SimpleNamespace(
        checkpoint=checkpoint.as_document(),
        metadata=checkpoint.metadata,
        checkpoint_id=checkpoint.checkpoint_id,
        parent_checkpoint_id=checkpoint.parent_id,
        pending_writes=tuple(pending_writes),
    )
    return read_checkpoint(program, found)
