"""Pure shaping of the ``tasks``, ``debug`` and ``checkpoints`` payloads (SEMANTICS.md §6)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from .task import Task

__all__ = ["task_start", "task_result", "debug_item", "checkpoint_payload", "now_iso"]


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def task_start(task: Task, user_metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """A task's start: ``{"id","name","input","triggers"}`` (+ ``metadata`` when the user gave some)."""
    payload: dict[str, Any] = {"id": task.id, "name": task.name, "input": task.input, "triggers": task.triggers}
    if user_metadata is not None:
        payload["metadata"] = {**user_metadata, **task.node.metadata}
    return payload


def task_result(task: Task, output_keys: Iterable[str]) -> dict[str, Any]:
    """A task's result: its error (or None), its writes to output keys, its interrupts."""
    keys = frozenset(output_keys)
    return {
        "id": task.id,
        "name": task.name,
        "error": task.error,
        "result": {} if task.error is not None else {k: v for k, v in task.writes if k in keys},
        "interrupts": list(task.interrupts),
    }


def debug_item(step: int, kind: str, payload: Any) -> dict[str, Any]:
    """``debug`` mode's wrapper around a task, task result or checkpoint payload."""
    return {"step": step, "timestamp": now_iso(), "type": kind, "payload": payload}


def checkpoint_payload(
    config: dict[str, Any],
    parent_config: dict[str, Any] | None,
    values: dict[str, Any],
    metadata: Mapping[str, Any],
    next_tasks: Iterable[Task],
) -> dict[str, Any]:
    """A saved checkpoint as ``get_state`` would describe it."""
    tasks = list(next_tasks)
    return {
        "config": config,
        "parent_config": parent_config,
        "values": values,
        "metadata": dict(metadata),
        "next": [t.name for t in tasks],
        "tasks": [{"id": t.id, "name": t.name, "interrupts": tuple(t.interrupts), "state": None} for t in tasks],
    }
