"""The child process of ``test_crash_resume``: a graph run on a ``SqliteSaver`` file.

Usage::

    python _crash_child.py DB THREAD run [BLOCK_AT]   # start the thread with an input
    python _crash_child.py DB THREAD resume           # continue it: stream(None, cfg)

The graph is eight sequential steps with one parallel step in the middle::

    START -> s0 -> s1 -> s2 -> s3 -> (p0, p1, p2) -> s4 -> s5 -> s6 -> s7

Every node appends its name to the reducer list ``log``. Progress goes to stdout,
one line each, flushed: ``start <node>`` and ``done <node>`` around a node's body,
``values <json>`` per values chunk, ``final <json>`` at the end. The node named
``BLOCK_AT`` reports ``blocked <node>`` and then reads stdin, which the parent
never writes to, so it stays in the middle of its step until the parent kills the
process. In the parallel step it first waits until its siblings' writes are saved,
so what the kill interrupts is known exactly. If the parent goes away, stdin ends
and the child exits at once.
"""

from __future__ import annotations

import json
import operator
import os
import sys
from typing import Annotated, Any, TypedDict

import trio

from graphs import START, SqliteSaver, StateGraph

SEQUENTIAL = [f"s{i}" for i in range(8)]
PARALLEL = ["p0", "p1", "p2"]


class State(TypedDict):
    run: str
    log: Annotated[list, operator.add]


def say(*words: str) -> None:
    # One write per line: nodes (on the trio thread) and the stream consumer (on
    # the main thread) both report, and a pipe write under PIPE_BUF is atomic.
    os.write(sys.stdout.fileno(), (" ".join(words) + "\n").encode())


def build(saver: SqliteSaver, thread_id: str, block_at: str | None) -> Any:
    async def siblings_saved(name: str) -> None:
        wanted = [[other] for other in PARALLEL if other != name]
        while True:
            found = await saver.aget_tuple(thread_id)
            values = [value for _, _, value in found.pending_writes] if found else []
            if all(w in values for w in wanted):
                return
            await trio.lowlevel.checkpoint()

    def node(name: str) -> Any:
        async def run(state: State) -> dict[str, Any]:
            say("start", name)
            if name == block_at:
                if name in PARALLEL:
                    await siblings_saved(name)
                say("blocked", name)
                await trio.to_thread.run_sync(sys.stdin.buffer.read)
                os._exit(3)  # stdin ended: the parent is gone
            say("done", name)
            return {"log": [name]}

        return run

    graph = StateGraph(State)
    for name in SEQUENTIAL + PARALLEL:
        graph.add_node(name, node(name))
    graph.add_edge(START, "s0")
    for a, b in zip(SEQUENTIAL[:4], SEQUENTIAL[1:4]):
        graph.add_edge(a, b)
    for p in PARALLEL:
        graph.add_edge("s3", p)
    graph.add_edge(PARALLEL, "s4")
    for a, b in zip(SEQUENTIAL[4:], SEQUENTIAL[5:]):
        graph.add_edge(a, b)
    return graph.compile(checkpointer=saver)


def main() -> None:
    db, thread_id, mode = sys.argv[1:4]
    block_at = sys.argv[4] if len(sys.argv) > 4 else None
    saver = SqliteSaver(db)
    app = build(saver, thread_id, block_at)
    config = {"configurable": {"thread_id": thread_id}}
    given = {"run": "crash-test", "log": []} if mode == "run" else None
    for chunk in app.stream(given, config, stream_mode="values"):
        say("values", json.dumps(chunk))
    say("final", json.dumps(app.get_state(config).values))
    saver.close()


if __name__ == "__main__":
    main()
