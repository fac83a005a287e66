"""The node procedure: how a declared node becomes the scheduler's ``run(input, running) -> writes``.

:meth:`NodeRunner.__call__` is the one place a node runs, watched or not. It
calls the user's action (a sync function in a worker thread), turns what it
returned into channel writes (validating every key — an unknown key is an error
naming the node and the key), adds the writes of its static edges, then runs
its routers on the state *as this task sees it* (the step's state plus the
task's own writes) and adds their targets. When a callback handler is attached,
the same procedure is reported as a node run with a run per router
(:mod:`graphs.reporting`); when none is, no run record is ever made.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from contextlib import aclosing
from typing import Any, cast

from runtime.core.callables import UserFunction
from runtime.core.config import RunnableConfig, ambient
from runtime.core.errors import TROUBLESHOOTING, InvalidUpdateError, ParentCommand
from runtime.runnables.base import Runnable
from runtime.runnables.chunks import MISSING, Accumulator, collect
from runtime.runnables.sequence import RunnableSequence
from runtime.runnables.transform import close
from runtime.scheduler import PUSH, RunningTask, Write
from runtime.tracing import RunScope, begin_run, has_handlers
from runtime.tracing.events import EventStreamHandler
from runtime.tracing.run_log import LogStreamHandler
from runtime.core.types import END, START, Command, Send

from .reporting import begin_node_run
from .spec import Branch
from .state import coerce_update

__all__ = ["NodeRunner", "ParentCommand", "update_writes", "route_writes", "branch_key"]


def branch_key(node: str) -> str:
    """The trigger channel an edge into ``node`` writes."""
    return f"branch:to:{node}"


def update_writes(node: str, update: Any, keys: frozenset[str]) -> list[Write]:
    """The writes of a node's state update (a dict, a schema instance, or None)."""
    if update is None:
        return []
    pairs: Any
    if isinstance(update, Mapping):
        pairs = update.items()
    else:
        fields = coerce_update(update)
        if fields is not None:
            pairs = fields.items()
        elif isinstance(update, Sequence) and not isinstance(update, str) and all(
            isinstance(item, tuple) and len(item) == 2 for item in update
        ):
            pairs = update  # (key, value) pairs: a key may be written more than once, as in LangGraph
        else:
            raise InvalidUpdateError(
                f"Expected dict, got {update!r}{TROUBLESHOOTING}INVALID_GRAPH_NODE_RETURN_VALUE"
            )
    writes: list[Write] = []
    for key, value in pairs:
        if key not in keys:
            raise InvalidUpdateError(
                f"Node {node!r} returned an update for key {key!r}, which is not in the state schema "
                f"(keys: {', '.join(sorted(keys))})"
            )
        writes.append((key, value))
    return writes


def route_writes(source: str, targets: Any, nodes: frozenset[str], where: str) -> list[Write]:
    """The writes that send control to ``targets`` (names, ``END``, ``Send``s, or a list of them)."""
    if targets is None:
        return []
    if isinstance(targets, (str, Send)):
        targets = (targets,)
    writes: list[Write] = []
    for target in targets:
        if isinstance(target, Send):
            if target.node not in nodes:
                raise InvalidUpdateError(
                    f"{where} of node {source!r} sent to unknown node {target.node!r} (Send); "
                    f"known nodes: {', '.join(sorted(nodes))}"
                )
            writes.append((PUSH, target))
        elif target == END:
            continue
        elif isinstance(target, str) and target in nodes:
            writes.append((branch_key(target), None))
        else:
            raise InvalidUpdateError(
                f"{where} of node {source!r} returned unknown target {target!r}; "
                f"expected one of {', '.join(sorted(nodes))} or END"
            )
    return writes


class NodeRunner:
    """The ``run`` of one node (or of the hidden input node, with ``action=None``)."""

    def __init__(
        self,
        name: str,
        action: Any,
        *,
        state_keys: frozenset[str],
        node_names: frozenset[str],
        edge_writes: Sequence[Write],
        branches: Sequence[Branch],
        read_state: Callable[[Mapping[str, Any]], Any],
        subgraph_input: Callable[[Any], Any] | None = None,
        branch_readers: Mapping[str, Callable[[Mapping[str, Any]], Any]] | None = None,
    ) -> None:
        self.name = name
        self.state_keys = state_keys
        self.node_names = node_names
        self.edge_writes = tuple(edge_writes)
        self.read_state = read_state
        self.subgraph_input = subgraph_input
        self.runnable: Runnable[Any, Any] | None = action if isinstance(action, Runnable) else None
        self.function = UserFunction(action, graph_params=True) if action is not None and self.runnable is None else None
        # As LangGraph, a sequence given as the node is flattened into the node's own
        # steps (seq:step:1..n, no run of its own); the routers come after the writer
        # that would be step n+1.
        self.sequence = self.runnable if isinstance(self.runnable, RunnableSequence) and subgraph_input is None else None
        self._router_tag_offset = 2 + (len(self.sequence.steps) if self.sequence is not None else 1)
        # Each router with the reader of the state it takes (its own schema, else the node's).
        readers = branch_readers or {}
        self.routers = [(branch, _router(branch.path), readers.get(branch.name, read_state)) for branch in branches]
        self.reported = name != START  # the input node is not a node run

    async def __call__(self, input: Any, running: RunningTask) -> list[Write]:
        """Run the node for one task; return its writes (state updates, edges, routes)."""
        config = running.config
        if not (self.reported and has_handlers(config)):
            return (await self._procedure(input, running, config, None))[1]
        scope = begin_node_run(running)
        async with scope.reporting(input) as report:
            output, writes = await self._procedure(input, running, config, scope)
            await scope.stream(output)
            report.output = output
        return writes

    async def _procedure(
        self, input: Any, running: RunningTask, config: RunnableConfig, scope: RunScope | None
    ) -> tuple[Any, list[Write]]:
        """The node procedure, watched (``scope``) or not: act, turn the output into
        writes, route. Returns the action's output and the writes."""
        if scope is None:
            output = await self._call(input, config)
        elif self.sequence is not None:
            output = await self._call_steps(self.sequence, input, scope)
        else:
            child = scope.child_config("seq:step:1")  # the action is step 1 of the node run
            with ambient(child):
                output = await self._call(input, child, stream=_streams_nodes(scope))
        writes = self.writes_of(output)
        for index, (branch, router, read) in enumerate(self.routers):
            state = self.state_after(running, writes, read)
            writes.extend(self._branch_writes(branch, await self._route(router, state, config, scope, index)))
        return output, writes

    async def _call(self, input: Any, config: RunnableConfig, *, stream: bool = False) -> Any:
        if self.runnable is None and self.function is None:
            return input  # the input node: the input itself is the update
        try:
            if self.function is not None:
                return await self.function(input)
            assert self.runnable is not None
            if self.subgraph_input is not None:
                return await self.runnable.ainvoke(self.subgraph_input(input), config)
            if stream:
                # As LangGraph under astream_events / astream_log: the node's runnable
                # streams (so the runnables inside it report their chunks), and its
                # output is its chunks added up.
                streamed = cast(AsyncGenerator[Any, None], self.runnable._stream_chunks(input, config))
                async with aclosing(streamed) as chunks:
                    total = await collect(chunks)
                return None if total is MISSING else total
            return await self.runnable.ainvoke(input, config)
        except ParentCommand as bubbled:
            # A graph run inside this node (as the node, or called by its code)
            # sent a Command to its parent: this node's graph. It stands for
            # what the node returned, as in LangGraph.
            return bubbled.command

    async def _call_steps(self, sequence: RunnableSequence[Any, Any], input: Any, scope: RunScope) -> Any:
        """A sequence node's steps, each a child of the node run (streamed while events or a run log watch)."""
        try:
            with ambient(scope.child_config("seq:step:1")):
                if not _streams_nodes(scope):
                    return await sequence._invoke(input, scope)
                total = Accumulator()
                chunks = sequence._transform(_one(input), scope)
                try:
                    async for chunk in chunks:
                        total.add(chunk)
                finally:
                    await close(chunks)
                output = total.value
                return None if output is MISSING else output
        except ParentCommand as bubbled:
            return bubbled.command

    async def _route(
        self, router: UserFunction | Runnable[Any, Any], state: Any, config: RunnableConfig, scope: RunScope | None,
        index: int,
    ) -> Any:
        """What the ``index``-th router returns for ``state`` (a run of its own when reported)."""
        if scope is not None:
            config = scope.child_config(f"seq:step:{index + self._router_tag_offset}")
        if not isinstance(router, UserFunction):
            return await router.ainvoke(state, config)
        if scope is None:
            return await router(state) if router.is_async else router.call_sync(state)
        run = begin_run(config, router.name, "chain")
        async with run.reporting(state) as report:
            with ambient(run.child_config()):
                report.output = result = await router(state) if router.is_async else router.call_sync(state)
        return result

    def writes_of(self, output: Any) -> list[Write]:
        """Validate ``output`` and turn it into writes, static edges included."""
        if isinstance(output, Command):
            writes = self._command_writes(output)
        elif isinstance(output, (list, tuple)) and output and any(isinstance(item, Command) for item in output):
            writes = self._list_writes(output)
        elif self.subgraph_input is not None and isinstance(output, Mapping):
            writes = [(k, v) for k, v in output.items() if k in self.state_keys]
        else:
            writes = update_writes(self.name, output, self.state_keys)
        writes.extend(self.edge_writes)
        return writes

    def _command_writes(self, command: Command[Any]) -> list[Write]:
        """The writes of a returned ``Command``: its update, then its ``goto``."""
        if command.graph == Command.PARENT:
            raise ParentCommand(Command(update=command.update, goto=command.goto, resume=command.resume))
        writes = update_writes(self.name, command.update, self.state_keys)
        writes.extend(route_writes(self.name, command.goto or None, self.node_names, "Command.goto"))
        return writes

    def _list_writes(self, output: Sequence[Any]) -> list[Write]:
        """The writes of a returned list holding ``Command``\\s (and plain updates), in order.

        As in LangGraph, a ``Command.PARENT`` among them goes to the parent
        graph alone: the first one is raised and nothing else is written.
        """
        for item in output:
            if isinstance(item, Command) and item.graph == Command.PARENT:
                self._command_writes(item)
        writes: list[Write] = []
        for item in output:
            if isinstance(item, Command):
                writes.extend(self._command_writes(item))
            else:
                writes.extend(update_writes(self.name, item, self.state_keys))
        return writes

    def state_after(
        self, running: RunningTask, writes: Sequence[Write], read: Callable[[Mapping[str, Any]], Any] | None = None
    ) -> Any:
        """The state as this task's routers see it: the step's values plus its own writes
        (read as ``read`` does, by default as the node reads it)."""
        return (read or self.read_state)(running.values_with(writes))

    def _branch_writes(self, branch: Branch, result: Any) -> list[Write]:
        if branch.path_map is not None:
            mapped: list[Any] = []
            for item in result if isinstance(result, list) else [result]:
                if isinstance(item, Send):
                    mapped.append(item)
                    continue
                try:
                    mapped.append(branch.path_map[item])
                except (KeyError, TypeError):
                    raise InvalidUpdateError(
                        f"Router {branch.name!r} of node {self.name!r} returned {item!r}, which is not in its "
                        f"path_map ({', '.join(map(repr, branch.path_map))})"
                    ) from None
            result = mapped
        return route_writes(self.name, result, self.node_names, f"Router {branch.name!r}")


async def _one(item: Any) -> AsyncIterator[Any]:
    yield item


def _streams_nodes(scope: RunScope) -> bool:
    """Whether ``astream_events`` / ``astream_log`` watch this run (LangGraph then streams
    a node's runnable; a ``messages``-mode handler alone does not)."""
    run = scope.run
    return run is not None and any(isinstance(h, (EventStreamHandler, LogStreamHandler)) for h in run.handlers)


def _router(path: Any) -> UserFunction | Runnable[Any, Any]:
    return path if isinstance(path, Runnable) else UserFunction(path, in_thread=False, graph_params=True)
