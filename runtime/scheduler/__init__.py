"""The step scheduler: a pure step core, and the trio driver that runs its tasks as actors.

* :mod:`.machine` — :class:`StepMachine`, the synchronous core: channels, the
  values view, planning, write application, the router fold, step verdicts.
* :mod:`.planner` — the pure functions it plans and applies writes with.
* :mod:`.checkpoints` — checkpoints to save and read back, as plain records.
* :mod:`.driver` — :class:`GraphRun`, the trio loop around the core;
  :mod:`.runner` runs a step's tasks, :mod:`.emitter` delivers their parts,
  :mod:`.persistence` does the checkpoint I/O.
"""

from .channel import MISSING, Channel, EmptyChannelError
from .checkpoints import Checkpoint, Restored, checkpoint_config
from .driver import GraphRun
from .machine import StepMachine, StepOutcome, StepPlan, Verdict
from .persistence import Persistence
from .planner import apply_writes, fold_writes, plan_tasks, read_values
from .program import Program
from .task import (
    NS_END,
    NS_SEP,
    PULL,
    PUSH,
    NodeSpec,
    Task,
    RunningTask,
    Write,
    task_id,
)

__all__ = [
    "MISSING",
    "NS_END",
    "NS_SEP",
    "PULL",
    "PUSH",
    "Channel",
    "Checkpoint",
    "EmptyChannelError",
    "GraphRun",
    "NodeSpec",
    "Persistence",
    "Program",
    "Restored",
    "StepMachine",
    "StepOutcome",
    "StepPlan",
    "Task",
    "RunningTask",
    "Verdict",
    "Write",
    "apply_writes",
    "checkpoint_config",
    "fold_writes",
    "plan_tasks",
    "read_values",
    "task_id",
]
