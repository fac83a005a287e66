"""The step scheduler: plan (pure) → run tasks as actors → barrier → apply writes → emit."""

from .channel import MISSING, Channel, EmptyChannelError
from .loop import GraphRun
from .planner import apply_writes, plan_tasks, read_values
from .program import PULL, PUSH, NodeSpec, Program, Write
from .task import NS_END, NS_SEP, Task, TaskRuntime, task_id

__all__ = [
    "MISSING",
    "NS_END",
    "NS_SEP",
    "PULL",
    "PUSH",
    "Channel",
    "EmptyChannelError",
    "GraphRun",
    "NodeSpec",
    "Program",
    "Task",
    "TaskRuntime",
    "Write",
    "apply_writes",
    "plan_tasks",
    "read_values",
    "task_id",
]
