"""How a declared node becomes the scheduler's ``run(input, runtime) -> writes``.

A node's run calls the user's action, turns what it returned into channel
writes (validating every key — an unknown key is an error naming the node and
the key), adds the writes of its static edges, then runs its routers on the
state *as this task sees it* (the step's state plus the task's own writes) and
adds their targets. A sync action and sync routers share one worker-thread hop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import trio

from runtime.core.callables import UserFunction
from runtime.core.errors import TROUBLESHOOTING, InvalidUpdateError, ParentCommand
from runtime.core.types import END, START, Command, Send
from runtime.runnables.base import Runnable
from runtime.scheduler import PUSH, TaskRuntime, Write
from runtime.tracing import has_handlers

from .builder import Branch
from .state import coerce_update

__all__ = ["NodeRunner", "ParentCommand", "update_writes", "route_writes", "branch_key"]


def branch_key(node: str) -> str:
    """The trigger channel an edge into ``node`` writes."""
    return f"branch:to:{node}"


def update_writes(node: str, update: Any, keys: frozenset[str]) -> list[Write]:
    """The writes of a node's state update (a dict, a schema instance, or None)."""
    if update is None:
        return []
    if not isinstance(update, Mapping):
        fields = coerce_update(update)
        if fields is None:
            if isinstance(update, Sequence) and not isinstance(update, str) and all(
                isinstance(item, tuple) and len(item) == 2 for item in update
            ):
                fields = dict(update)
            else:
                raise InvalidUpdateError(
                    f"Expected dict, got {update!r}{TROUBLESHOOTING}INVALID_GRAPH_NODE_RETURN_VALUE"
                )
        update = fields
    writes: list[Write] = []
    for key, value in update.items():
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
    ) -> None:
        self.name = name
        self.state_keys = state_keys
        self.node_names = node_names
        self.edge_writes = tuple(edge_writes)
        self.read_state = read_state
        self.subgraph_input = subgraph_input
        self.runnable: Runnable[Any, Any] | None = action if isinstance(action, Runnable) else None
        self.function = UserFunction(action) if action is not None and self.runnable is None else None
        self.routers = [(branch, _router(branch.path)) for branch in branches]
        self.one_thread_hop = (
            self.function is not None
            and self.function.in_thread
            and all(isinstance(r, UserFunction) and not r.is_async for _, r in self.routers)
        )

    async def __call__(self, input: Any, runtime: TaskRuntime) -> list[Write]:
        runtime.task.folded = None  # a retried attempt writes afresh
        if self.name != START and has_handlers(runtime.config):
            from .traced import traced_node_call  # the node as a run of its own, for callbacks

            return await traced_node_call(self, input, runtime)
        if self.one_thread_hop:
            return await trio.to_thread.run_sync(self._run_in_thread, input, runtime)
        output = await self._call(input, runtime)
        writes = self.writes_of(output)
        for branch, router in self.routers:
            state = self._fresh_state(runtime, writes)
            if isinstance(router, UserFunction):
                result = await router(state) if router.is_async else router.call_sync(state)
            else:
                result = await router.ainvoke(state, runtime.config)
            writes.extend(self._branch_writes(branch, result))
        return writes

    def _run_in_thread(self, input: Any, runtime: TaskRuntime) -> list[Write]:
        assert self.function is not None
        writes = self.writes_of(self.function.call_sync(input))
        for branch, router in self.routers:
            assert isinstance(router, UserFunction)
            result = router.call_sync(self._fresh_state(runtime, writes))
            writes.extend(self._branch_writes(branch, result))
        return writes

    async def _call(self, input: Any, runtime: TaskRuntime) -> Any:
        if self.function is not None:
            return await self.function(input)
        if self.runnable is None:
            return input  # the input node: the input itself is the update
        if self.subgraph_input is not None:
            try:
                return await self.runnable.ainvoke(self.subgraph_input(input), runtime.config)
            except ParentCommand as bubbled:
                return bubbled.command
        return await self.runnable.ainvoke(input, runtime.config)

    def writes_of(self, output: Any) -> list[Write]:
        """Validate ``output`` and turn it into writes, static edges included."""
        if isinstance(output, Command):
            if output.graph == Command.PARENT:
                raise ParentCommand(Command(update=output.update, goto=output.goto, resume=output.resume))
            writes = update_writes(self.name, output.update, self.state_keys)
            writes.extend(route_writes(self.name, output.goto or None, self.node_names, "Command.goto"))
        elif self.subgraph_input is not None and isinstance(output, Mapping):
            writes = [(k, v) for k, v in output.items() if k in self.state_keys]
        else:
            writes = update_writes(self.name, output, self.state_keys)
        writes.extend(self.edge_writes)
        return writes

    def _fresh_state(self, runtime: TaskRuntime, writes: Sequence[Write]) -> Any:
        """The state as this task sees it: the step's values plus its own writes.

        The channels folded here are kept on the task: at the barrier, a key only
        this task wrote adopts its folded channel instead of reducing again (an
        ``add_messages`` history is merged once per step, not twice).
        """
        task = runtime.task
        folded = task.folded
        if folded is None:
            grouped: dict[str, list[Any]] = {}
            for key, value in writes:
                if key in self.state_keys:
                    grouped.setdefault(key, []).append(value)
            folded = {}
            for key, values in grouped.items():
                channel = runtime.channels[key].copy()
                channel.update(values)
                folded[key] = channel
            task.folded = folded
        if not folded:
            return self.read_state(runtime.values)
        local = dict(runtime.values)
        for key, channel in folded.items():
            local[key] = channel.get()
        return self.read_state(local)

    def _branch_writes(self, branch: Branch, result: Any) -> list[Write]:
        if branch.path_map is not None:
            mapped = []
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


def _router(path: Any) -> UserFunction | Runnable[Any, Any]:
    return path if isinstance(path, Runnable) else UserFunction(path, in_thread=False)
