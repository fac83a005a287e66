"""Graph runs and node runs in the callback → event pipeline.

A graph run is a ``chain`` run named ``run_name`` or the graph's name
(``LangGraph``); its input is the graph input and its output the final state.
Each task is a node run under it, tagged ``graph:step:N``, with LangGraph's
metadata (``langgraph_step``, ``langgraph_node``, ``langgraph_triggers``,
``langgraph_path``, ``langgraph_checkpoint_ns``, ``ls_integration``); runs
inside the node are tagged ``seq:step:1`` (the node's callable is step 1 of the
node, as in LangGraph), a router is its own run tagged ``seq:step:3`` (``4``, …
for further routers), and the node reports its return value as its one stream
chunk before it ends (:mod:`graphs.node` does all of that for a node). A
subgraph node holds the subgraph's run, which holds the subgraph's node runs.

With no handler attached none of this exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from runtime.core.config import RunnableConfig
from runtime.scheduler import RunningTask
from runtime.scheduler.checkpoints import INTERRUPT
from runtime.core.stream import StreamTarget
from runtime.tracing import RunScope, StreamMessagesHandler, begin_run

__all__ = ["begin_graph_run", "begin_node_run", "run_graph", "with_messages_handler", "NOT_REPORTED"]

_GRAPH_METADATA = {"ls_integration": "langgraph"}

NOT_REPORTED = RunScope(None, {}).reporting()
"""The reporting block of a run nobody watches: entering and leaving it do nothing."""


def begin_graph_run(name: str, config: RunnableConfig) -> RunScope:
    """A graph's own run; its ``child_config()`` is the config its scheduler run gets."""
    return begin_run(config, name, "chain", metadata=_GRAPH_METADATA, kind="graph", child_scalars=False)


def begin_node_run(running: RunningTask) -> RunScope:
    """The run of one task of a graph (its node's callable and routers run inside it)."""
    task = running.task
    return begin_run(
        running.config, task.name, "chain",
        tag=f"graph:step:{task.step}", metadata=_GRAPH_METADATA, kind="node", own_scalars=False, use_run_name=False,
    )


async def run_graph(scope: RunScope, input: Any, run: Callable[[Any], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    """``await run(input)`` reported as the graph's run."""
    async with scope.reporting(input) as report:
        output = await run(input)
        # As LangGraph: the run's end reports the state, not the interrupts the caller gets with it.
        report.output = {k: v for k, v in output.items() if k != INTERRUPT} if INTERRUPT in output else output
    return output


def with_messages_handler(config: RunnableConfig, consumer: StreamTarget | None) -> RunnableConfig:
    """``config`` with a ``messages``-mode handler for ``consumer`` if it asked for messages."""
    if consumer is None or "messages" not in consumer.modes:
        return config
    handler = StreamMessagesHandler(consumer)
    callbacks = config.get("callbacks")
    if callbacks is None:
        merged: Any = [handler]
    elif isinstance(callbacks, list):
        merged = [*callbacks, handler]
    else:
        merged = [callbacks, handler]
    return {**config, "callbacks": merged}
