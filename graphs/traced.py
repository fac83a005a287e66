"""Graph runs, node runs and router runs in the callback → event pipeline.

A graph run is a ``chain`` run named ``run_name`` or the graph's name
(``LangGraph``); its input is the graph input and its output the final state.
Each task is a node run under it, tagged ``graph:step:N``, with LangGraph's
metadata (``langgraph_step``, ``langgraph_node``, ``langgraph_triggers``,
``langgraph_path``, ``langgraph_checkpoint_ns``, ``ls_integration``); runs
inside the node are tagged ``seq:step:1`` (the node's callable is step 1 of the
node, as in LangGraph), a router is its own run tagged ``seq:step:3`` (``4``, …
for further routers), and the node reports its return value as its one stream
chunk before it ends. A subgraph node holds the subgraph's run, which holds
the subgraph's node runs.

With no handler attached none of this exists: the node runs exactly as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from runtime.core.callables import UserFunction
from runtime.core.config import RunnableConfig, ambient
from runtime.core.stream import StreamTarget, normalize_stream_mode, projector
from runtime.runnables.base import Runnable
from runtime.scheduler import TaskRuntime, Write
from runtime.tracing import (
    EventStreamHandler,
    RunScope,
    StreamMessagesHandler,
    begin_run,
)

if TYPE_CHECKING:
    from .compiled import CompiledStateGraph
    from .node import NodeRunner

__all__ = ["traced_node_call", "with_messages_handler", "begin_graph_run", "run_graph", "produce_graph_events"]

_GRAPH_METADATA = {"ls_integration": "langgraph"}


async def traced_node_call(node: NodeRunner, input: Any, runtime: TaskRuntime) -> list[Write]:
    """Run ``node`` for its task as a node run (and its routers as router runs)."""
    task = runtime.task
    scope = begin_run(
        runtime.config, task.name, "chain",
        tag=f"graph:step:{task.step}", metadata=_GRAPH_METADATA, kind="node", own_scalars=False, use_run_name=False,
    )
    child = scope.child_config("seq:step:1")
    async with scope.reporting(input) as report:
        with ambient(child):
            output = await node._call(input, attrs.evolve(runtime, config=child))
        writes = node.writes_of(output)
        for index, (branch, router) in enumerate(node.routers):
            state = node._fresh_state(runtime, writes)
            result = await _route(router, state, scope.child_config(f"seq:step:{index + 3}"))
            writes.extend(node._branch_writes(branch, result))
        await scope.stream(output)
        report.output = output
    return writes


async def _route(router: UserFunction | Runnable[Any, Any], state: Any, config: RunnableConfig) -> Any:
    if not isinstance(router, UserFunction):
        return await router.ainvoke(state, config)
    scope = begin_run(config, router.name, "chain")
    async with scope.reporting(state) as report:
        with ambient(scope.child_config()):
            report.output = result = await router(state) if router.is_async else router.call_sync(state)
    return result


def with_messages_handler(config: RunnableConfig, own: StreamTarget | None) -> RunnableConfig:
    """``config`` with a ``messages``-mode handler for ``own`` if its consumer asked for messages."""
    if own is None or "messages" not in own.modes:
        return config
    handler = StreamMessagesHandler(own)
    callbacks = config.get("callbacks")
    if callbacks is None:
        merged: Any = [handler]
    elif isinstance(callbacks, list):
        merged = [*callbacks, handler]
    else:
        merged = [callbacks, handler]
    return {**config, "callbacks": merged}


def begin_graph_run(graph: CompiledStateGraph, config: RunnableConfig) -> RunScope:
    """The graph's own run; its ``child_config()`` is the config its scheduler run gets."""
    return begin_run(config, graph.get_name(), "chain", metadata=_GRAPH_METADATA, kind="graph", child_scalars=False)


async def run_graph(scope: RunScope, input: Any, run: Callable[[Any], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    """``await run(input)`` reported as the graph's run."""
    async with scope.reporting(input) as report:
        report.output = output = await run(input)
    return output


async def produce_graph_events(
    graph: CompiledStateGraph,
    input: Any,
    config: RunnableConfig,
    handler: EventStreamHandler,
    *,
    stream_mode: str | Sequence[str] | None = None,
    subgraphs: bool = False,
    interrupt_before: Sequence[str] | None = None,
    interrupt_after: Sequence[str] | None = None,
) -> None:
    """Run ``graph`` for ``astream_events``: its stream parts go into the events mailbox,
    where they become the root's ``on_chain_stream`` events in ``astream()``'s shape."""
    modes, multi = normalize_stream_mode(stream_mode if stream_mode is not None else graph.stream_mode)
    target = StreamTarget(frozenset(modes), subgraphs, mailbox=handler.mailbox)
    handler.part_shape = projector(modes, multi, subgraphs)
    await graph._run(input, config, target, interrupt_before=interrupt_before, interrupt_after=interrupt_after)
