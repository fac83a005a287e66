"""The step core: one run of a program at one namespace, as a synchronous state machine.

Theory of operation
-------------------
A run is a sequence of supersteps. Between two steps the whole state of the run
is a handful of plain values: the channels, the values view over them (the
state keys that hold a value, in schema order), the step number, which channels
the last step updated, the ``Send``\\s it produced, and the id of the checkpoint
the next step is planned from (task ids hash it, so a resumed step gets the same
ids). :class:`StepMachine` owns exactly that and moves it forward with three
synchronous calls — no trio, no awaits, no I/O:

* :meth:`StepMachine.begin` takes the run's input and the checkpoint found in
  the store (if any) and decides how the run starts: a fresh input written at
  step -1, an input added to a finished thread, or the continuation of a saved
  step (a resume, a crash recovery, a nested run picking up where it stopped, or
  time travel, which forks). It returns the checkpoint to save, if any.
* :meth:`StepMachine.plan_step` plans the next step's tasks and says what to do
  with them: run them, or stop because the graph is done, paused
  (``interrupt_before`` / ``interrupt_after``) or out of steps. It also hands out
  the checkpoint to announce and, for a resumed step, the results and resume
  values the tasks start from.
* :meth:`StepMachine.finish_step` takes the step's tasks once they ran: if one
  asked for input (``interrupt()``) nothing is applied; otherwise their writes
  are folded into the channels in task-path order, the values view follows, and
  the checkpoint to save is returned.

The trio driver (:mod:`.driver`) runs the tasks, awaits the saves and delivers
stream parts; everything it decides is decided here, so the barrier rules —
write order, reducers, ``Send``, interrupts, the recursion limit — are tested
without an event loop (``tests/scheduler``).

:meth:`StepMachine.task_view` is the one read a task makes of the machine while
it runs: the state as that task sees it, the step's values plus its own writes,
for its routers. The folded channels are kept on the task, and the barrier
adopts them for keys no other task wrote, so a reducer such as ``add_messages``
runs once per step, not twice.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from ..checkpoint.ids import new_checkpoint_id
from ..core.errors import TROUBLESHOOTING, EmptyInputError, GraphRecursionError
from ..core.types import Command, Send
from .channel import MISSING, Channel
from .checkpoints import Checkpoint, Restored, result_writes
from .planner import apply_writes, fold_writes, plan_tasks
from .program import Program
from .resume import TaskInterrupts, answers, is_resume_map
from .task import Task, Write

__all__ = ["StepMachine", "StepPlan", "StepOutcome", "Verdict", "Beginning", "is_unfinished"]

class Verdict(enum.Enum):
    """What the driver does with a planned step."""

    RUN = "run"
    DONE = "done"
    """No task was triggered: the run has ended."""
    PAUSE = "pause"
    """``interrupt_before`` names a planned task, or ``interrupt_after`` a task of the last step."""
    OUT_OF_STEPS = "out_of_steps"
    """The recursion limit is reached: :meth:`StepMachine.recursion_error` says so."""


class StepPlan(NamedTuple):
    """The next step: its tasks, the verdict, and what the driver must do first.

    Attributes:
        announce: the checkpoint the step is planned from, if it has not been
            streamed yet (``checkpoints`` / ``debug`` show it with these tasks).
        resume_writes: ``(task id, index, value)`` answers that a resume gives
            the step's tasks; the driver saves them before the tasks run.
    """

    step: int
    tasks: list[Task]
    verdict: Verdict
    announce: Checkpoint | Restored | None = None
    resume_writes: tuple[tuple[str, int, Any], ...] = ()


class StepOutcome(NamedTuple):
    """A finished step.

    Attributes:
        interrupts: the interrupts its tasks raised; when there are any, nothing
            was applied and the run pauses.
        paused: a task asked for input or a graph nested in it paused (by its
            ``interrupt_before`` / ``interrupt_after``, with no interrupt to
            show): nothing was applied and the run pauses.
        values_changed: a key the ``values`` mode reports was updated.
        checkpoint: the checkpoint to save (``None`` when the run saves nothing).
    """

    interrupts: tuple[Any, ...] = ()
    values_changed: bool = False
    checkpoint: Checkpoint | None = None
    paused: bool = False


class Beginning(NamedTuple):
    """How a run starts: the checkpoint to save first, and whether it continues a saved step.

    ``command_writes``: the writes of a ``Command`` input applied to the saved
    checkpoint the run continues from, for the driver to save as that
    checkpoint's null-task writes (empty when none, or when a fork checkpoint
    holds them already).
    """

    checkpoint: Checkpoint | None
    continued: bool
    command_writes: tuple[Write, ...] = ()


def is_unfinished(program: Program, restored: Restored) -> bool:
    """Whether a saved checkpoint still has a step to run (something it updated triggers a node)."""
    return bool(restored.sends) or any(program.trigger_index.get(ch) for ch in restored.updated)


def recursion_error(limit: int) -> GraphRecursionError:
    return GraphRecursionError(
        f"Recursion limit of {limit} reached without hitting a stop condition. You can increase the "
        "limit by setting the `recursion_limit` config key."
        f"{TROUBLESHOOTING}GRAPH_RECURSION_LIMIT"
    )


class StepMachine:
    """One run's channels and step transitions (see the module docstring).

    Args:
        program: what runs.
        checkpoint_ns: the run's checkpoint namespace (``""`` for a root run).
        recursion_limit: how many steps one invocation may run.
        persistent: whether checkpoints are saved. Without, no snapshot is ever
            taken; checkpoint ids only need to make task ids unique, so they are
            a random run key and the step number.
        nested: the run is a subgraph (or a graph invoked inside a node); a
            finished run saved in its namespace is then a previous invocation,
            not something to continue.
        stateful: a nested run that keeps its history across invocations
            (``compile(checkpointer=True)``): a finished run saved in its
            namespace is the state a new invocation's input is added to.
        time_travel: the caller named the checkpoint to continue from.
        interrupt_before / interrupt_after: pause before / after these nodes.
        parent_io: for a nested run, the interrupt bookkeeping of the task
            running it; its unused answers answer this run's pending interrupts.
        parents: for a nested run, each ancestor namespace's checkpoint its
            task ran from; every checkpoint's metadata names them.
        output_keys: the state keys the run's result and its ``values`` and
            ``updates`` chunks show (``invoke`` asks for the output schema's);
            ``None``: every state key, as ``stream`` shows them.
    """

    def __init__(
        self,
        program: Program,
        *,
        checkpoint_ns: str = "",
        recursion_limit: int,
        persistent: bool = False,
        nested: bool = False,
        stateful: bool = False,
        time_travel: bool = False,
        interrupt_before: frozenset[str] = frozenset(),
        interrupt_after: frozenset[str] = frozenset(),
        parent_io: TaskInterrupts | None = None,
        parents: Mapping[str, str] | None = None,
        output_keys: Sequence[str] | None = None,
    ) -> None:
        if recursion_limit < 1:
            raise ValueError("recursion_limit must be at least 1")
        self.program = program
        self.checkpoint_ns = checkpoint_ns
        self.limit = recursion_limit
        self.persistent = persistent
        self.nested = nested
        self.stateful = stateful
        self.time_travel = time_travel
        self.interrupt_before = interrupt_before
        self.interrupt_after = interrupt_after
        self.parent_io = parent_io
        self.parents: Mapping[str, str] = parents or {}
        self.channels: dict[str, Channel] = program.new_channels()
        self.values: dict[str, Any] = program.initial_values()
        self.step = 0
        self.stop = recursion_limit
        """The last step this invocation may run; planning a later one is out of steps."""
        self.updated: set[str] = set()
        self.sends: list[Send] = []
        self.checkpoint_id = ""
        """The checkpoint the next step is planned from (its tasks' ids hash it)."""
        self._run_key = "" if persistent else uuid.uuid4().hex
        self._value_keys = frozenset(program.value_keys)
        self.output_keys: tuple[str, ...] = program.value_keys if output_keys is None else tuple(output_keys)
        self._output_set = frozenset(self.output_keys)
        self._output_copy = self._output_set == self._value_keys
        self._announce: Checkpoint | Restored | None = None
        self._restored: Restored | None = None  # the saved step being continued, until it is planned
        self._answers: dict[str, Any] | None = None  # resume values for its waiting tasks
        self._skip_interrupt_before = False
        self._stop_after = False
        self.spare: list[Any] | None = parent_io.spare if parent_io is not None else None
        """A resume value for the first ``interrupt()`` of the next step that has no answer
        (a resume given when no interrupt was pending; see :class:`TaskInterrupts`)."""

    # -- reading ----------------------------------------------------------------
    def output(self) -> dict[str, Any]:
        """The output keys' current values."""
        if self._output_copy:
            return dict(self.values)
        values = self.values
        return {key: values[key] for key in self.output_keys if key in values}

    def task_view(self, task: Task, writes: Sequence[Write]) -> dict[str, Any]:
        """The values as ``task`` sees them after its own ``writes`` (for its routers).

        The first call of an attempt folds the writes to state keys into copies
        of their channels and keeps them on the task (``task.folded``); the
        writes a router adds are triggers and ``Send``\\s, which change no state
        key, so later routers of the same attempt reuse the fold.
        """
        folded = task.folded
        if folded is None:
            grouped: dict[str, list[Any]] = {}
            value_keys = self._value_keys
            for key, value in writes:
                if key in value_keys:
                    grouped.setdefault(key, []).append(value)
            folded = {}
            for key, values in grouped.items():
                channel = self.channels[key].copy()
                channel.update(values)
                folded[key] = channel
            task.folded = folded
        if not folded:
            return self.values
        local = dict(self.values)
        for key, channel in folded.items():
            local[key] = channel.get()
        return local

    def output_after(self, tasks: Sequence[Task]) -> dict[str, Any] | None:
        """The output with the writes of ``tasks`` that finished applied, leaving
        the channels as they are; ``None`` when those writes change no output key.

        An interrupted step applies nothing, but its finished tasks' writes will
        be applied when it resumes: the last ``values`` chunk of an interrupted
        run, and its result, show them, as in LangGraph.
        """
        finished = [t for t in tasks if t.writes and not t.interrupts]
        if not finished:
            return None
        channels = {key: channel.copy() for key, channel in self.channels.items()}
        updated, _ = apply_writes(channels, finished)
        if updated.isdisjoint(self._output_set):
            return None
        values = self.program.values_of(channels)
        return {key: values[key] for key in self.output_keys if key in values}

    def recursion_error(self) -> GraphRecursionError:
        """The error a run out of steps raises."""
        return recursion_error(self.limit)

    # -- starting ---------------------------------------------------------------
    def begin(self, input: Any, restored: Restored | None, *, thread_id: str | None = None) -> Beginning:
        """Start the run from ``input`` and the checkpoint found in the store.

        A saved step is continued when the input is ``None``, a ``Command``
        (its ``update`` and ``goto`` are applied to the saved checkpoint first,
        as LangGraph's null-task writes; its ``resume`` answers the waiting
        tasks), or the run is nested (a nested run finds an
        unfinished run in its namespace only when its task runs again after a
        failure, a crash or an interrupt: it continues that run rather than
        applying its input a second time). Otherwise the input is written at the
        step after the saved one (or at -1 on a fresh thread).

        Raises:
            EmptyInputError: no input and nothing to continue, or a ``Command``
                that carries nothing.
            ValueError / RuntimeError: a resume that cannot be given (see :func:`answers`).
        """
        continues = self.nested  # a nested run continues an unfinished run of its namespace
        if restored is not None and self.nested and not is_unfinished(self.program, restored):
            if self.stateful:
                continues = False  # its input goes on top of the state it kept
            else:
                restored = None  # a finished run in this namespace: a new invocation starts afresh
        answers_ = self._resume_answers(input, restored, thread_id)
        command = self._command_writes(input) if restored is not None and not self.nested else None
        if restored is not None and (input is None or answers_ is not None or command is not None or continues):
            checkpoint = self._continue(restored, answers_, command or ())
            saved = () if checkpoint is not None or not self.persistent else tuple(command or ())
            return Beginning(checkpoint, continued=True, command_writes=saved)
        if input is None:
            raise EmptyInputError("Received no input for __start__")
        if restored is not None:
            self._use_channels(restored.channels)
        self._set_stop(restored)
        step = restored.step + 1 if restored is not None else -1
        self.channels[self.program.input_channel].update([input])
        self.updated, self.sends = {self.program.input_channel}, []
        self.step = step
        checkpoint = self._commit("input", restored.checkpoint_id if restored is not None else None)
        self.step = step + 1
        return Beginning(checkpoint, continued=False)

    def _set_stop(self, restored: Restored | None) -> None:
        """Count this invocation's steps from the checkpoint it starts from, as LangGraph does.

        The limit is counted from the step after the one found saved (step -2 on
        a new thread): the input step and the input node's step come first, so a
        fresh run gets ``limit`` steps of its nodes after the input node; a run
        that continues a saved step (a resume) gets one step more, because it has
        no input step to spend.
        """
        self.stop = (restored.step if restored is not None else -2) + self.limit + 2

    def _command_writes(self, input: Any) -> list[Write] | None:
        """The writes of a ``Command`` input (``None`` for any other input)."""
        if not isinstance(input, Command) or self.program.command_writes is None:
            return None
        writes = list(self.program.command_writes(input))
        if not writes and input.resume is None:
            raise EmptyInputError("Received empty Command input")
        return writes

    def _continue(
        self, restored: Restored, answers_: dict[str, Any] | None, command: Sequence[Write] = ()
    ) -> Checkpoint | None:
        self._use_channels(restored.channels)
        self._set_stop(restored)
        self.updated, self.sends = set(restored.updated), list(restored.sends)
        if command:
            updated, sends = fold_writes(self.channels, command)
            self._refresh_values(updated)
            self.updated |= updated
            self.sends += sends
        self.checkpoint_id = restored.checkpoint_id
        self.step = restored.step + 1
        self._skip_interrupt_before = True
        checkpoint = None
        if answers_ is None and self._forks(restored):
            # Time travel: replay from a fork, so the steps after the chosen
            # checkpoint run again under new task ids instead of reusing its writes.
            checkpoint = self._commit("fork", restored.checkpoint_id)
            self.step += 1
        else:
            self._announce = restored
            self._restored = restored
            self._answers = answers_
        return checkpoint

    def _resume_answers(self, input: Any, restored: Restored | None, thread_id: str | None) -> dict[str, Any] | None:
        """The resume value for each waiting task, or ``None`` when this run is no resume."""
        if isinstance(input, Command) and input.resume is not None:
            # A thread paused by interrupt_before/after has no interrupt to answer,
            # but it is waiting: resuming it continues, as ``None`` would.
            paused = restored is not None and is_unfinished(self.program, restored)
            if restored is None or not (restored.waiting() or paused):
                raise ValueError(
                    f"Command(resume=...) was given for thread {thread_id!r}, which has no pending interrupt"
                    + ("" if self.persistent else " (the graph has no checkpointer, so nothing can be resumed)")
                )
            waiting = restored.waiting()
            if waiting:
                return answers(input.resume, waiting)
            if not is_resume_map(input.resume):
                self.spare = [input.resume]
            return {}
        io = self.parent_io
        if restored is not None and io is not None and io.answered < len(io.resume):
            waiting = restored.waiting()
            if waiting:
                io.answered += 1
                return answers(io.resume[io.answered - 1], waiting)
        return None

    def _forks(self, restored: Restored) -> bool:
        """Whether continuing from ``restored`` is time travel that must fork.

        Continuing from a checkpoint named in the config replays the steps after
        it. A checkpoint a run or an earlier replay went on from holds that
        run's task writes, so the replay forks: it saves a copy (``source:
        "fork"``) and plans from that. An ``update`` or ``fork`` checkpoint
        nothing has run from yet is already the start of a branch.
        """
        if not self.time_travel:
            return False
        return restored.source not in ("update", "fork") or bool(restored.results or restored.interrupts)

    # -- stepping ---------------------------------------------------------------
    def plan_step(self) -> StepPlan:
        """Plan the next step from the last barrier (or the checkpoint the run began from)."""
        step = self.step
        tasks = plan_tasks(
            self.program, self.channels, self.values, self.updated, self.sends,
            step=step, checkpoint_id=self.checkpoint_id, checkpoint_ns=self.checkpoint_ns,
        )
        announce, self._announce = self._announce, None
        # The order is LangGraph's: ``interrupt_after`` stops at the end of the
        # step it names; a step past the limit is out of steps even when nothing
        # would run in it; ``interrupt_before`` is checked for a step that runs.
        if self._stop_after:
            verdict = Verdict.PAUSE
        elif step > self.stop:
            verdict = Verdict.OUT_OF_STEPS
        elif not tasks:
            verdict = Verdict.DONE
        elif not self._skip_interrupt_before and any(t.name in self.interrupt_before for t in tasks):
            verdict = Verdict.PAUSE
        else:
            self._skip_interrupt_before = False
            resume_writes = self._prefill(tasks) if self._restored is not None else ()
            return StepPlan(step, tasks, Verdict.RUN, announce, resume_writes)
        return StepPlan(step, tasks, verdict, announce)

    def _prefill(self, tasks: list[Task]) -> tuple[tuple[str, int, Any], ...]:
        """Give a continued step's tasks their saved results and answers; return the new answers."""
        restored, given = self._restored, self._answers or {}
        assert restored is not None
        self._restored = self._answers = None
        new: list[tuple[str, int, Any]] = []
        for task in tasks:
            if task.id in restored.results:
                task.writes = list(restored.results[task.id])
                task.cached = True
                continue
            task.resume = list(restored.resumes.get(task.id, ()))
            task.answered = len(task.resume)
            if task.id in given:
                new.append((task.id, len(task.resume), given[task.id]))
                task.resume.append(given[task.id])
        return tuple(new)

    def finish_step(self, tasks: Sequence[Task]) -> StepOutcome:
        """Apply a step whose tasks all finished (or asked for input) at the barrier."""
        if self.spare is not None and self.parent_io is None and not tasks[0].node.hidden:
            # An answer nobody took lapses with its step; a nested run's is its
            # parent task's, and stays while that task runs, as in LangGraph.
            self.spare = None
        for t in tasks:  # a loop, not any(): this runs at every step
            if t.paused or t.interrupts:
                return StepOutcome(interrupts=tuple(i for each in tasks for i in each.interrupts), paused=True)
        updated, self.sends = apply_writes(self.channels, tasks)
        if self.program.finishing and updated.isdisjoint(self.program.trigger_channels):
            # No node is triggered: deferred nodes waiting on their triggers run now.
            # Pending Sends do not hold them back, as in LangGraph (its check
            # looks at triggered channels only).
            channels = self.channels
            updated.update(key for key in self.program.finishing if channels[key].finish())
        self.updated = updated
        self._refresh_values(updated)
        task_writes: tuple[tuple[str, str, Any], ...] = ()
        if self.persistent and len(tasks) == 1:
            task = tasks[0]
            # A lone task's writes were not saved as it finished (see .runner):
            # they go with the checkpoint, as the record of the step.
            if not task.cached and not task.node.is_subgraph:
                task_writes = tuple(result_writes(task.id, task.writes))
        checkpoint = self._commit("loop", self.checkpoint_id, task_writes)
        self._stop_after = any(t.name in self.interrupt_after for t in tasks)
        self.step += 1
        return StepOutcome(values_changed=not updated.isdisjoint(self._output_set), checkpoint=checkpoint)

    # -- editing (update_state) -------------------------------------------------
    def apply_update(self, writes: Sequence[Write], *, keep_plan: bool) -> Checkpoint:
        """Fold ``writes`` (an ``update_state``) into the channels as a new ``update`` checkpoint.

        With ``keep_plan`` the step that was going to run next still will;
        otherwise the writes' own triggers and ``Send``\\s decide what runs next.
        """
        updated, sends = fold_writes(self.channels, writes)
        self._refresh_values(updated)
        if not keep_plan:
            self.updated, self.sends = updated, sends
        return self._edit("update", self.checkpoint_id or None)

    def apply_input(self, input: Any) -> Checkpoint:
        """Write ``input`` to the input channel as a new ``input`` checkpoint
        (``update_state(as_node="__input__")``): the next step runs the input
        node along with what was going to run anyway."""
        self.channels[self.program.input_channel].update([input])
        self.updated = {*self.updated, self.program.input_channel}
        if not self.checkpoint_id:
            self.step = -1  # a new thread's input is step -1, as a run's is
        return self._edit("input", self.checkpoint_id or None)

    def clear_tasks(self, results: Mapping[str, Sequence[Write]]) -> Checkpoint:
        """End the planned step without running it (``update_state(None, as_node=END)``):
        the writes of its tasks that already finished (``results``) are applied,
        the others are dropped, as a new ``update`` checkpoint."""
        tasks = self.next_tasks()
        for task in tasks:
            task.writes = list(results.get(task.id, ()))
        updated, sends = apply_writes(self.channels, tasks) if tasks else (set(), [])
        self._refresh_values(updated)
        self.updated, self.sends = updated, sends
        return self._edit("update", self.checkpoint_id or None)

    def copy(self, restored: Restored) -> Checkpoint:
        """A copy of ``restored`` as a sibling on a new branch (``as_node="__copy__"``):
        the same values and next tasks, the same parent, ``source: "fork"``."""
        return self._edit("fork", restored.parent_id)

    def _edit(self, source: str, parent: str | None) -> Checkpoint:
        checkpoint = self._commit(source, parent)
        assert checkpoint is not None, "editing state needs a persistent machine"
        return checkpoint

    @classmethod
    def at(cls, program: Program, restored: Restored | None, *, checkpoint_ns: str = "") -> StepMachine:
        """A machine standing at a saved checkpoint (or at the start of an empty thread),
        for reading and editing saved state."""
        machine = cls(
            program, checkpoint_ns=checkpoint_ns, recursion_limit=1, persistent=True,
            parents=restored.parents if restored is not None else None,
        )
        if restored is None:
            machine.step = 0  # an edit of a new thread is the step after a (missing) input
        else:
            machine._use_channels(restored.channels)
            machine.updated, machine.sends = set(restored.updated), list(restored.sends)
            machine.checkpoint_id = restored.checkpoint_id
            machine.step = restored.step + 1
        return machine

    def next_tasks(self) -> list[Task]:
        """The tasks the next step would run, without deciding anything."""
        return plan_tasks(
            self.program, self.channels, self.values, self.updated, self.sends,
            step=self.step, checkpoint_id=self.checkpoint_id, checkpoint_ns=self.checkpoint_ns,
        )

    # -- internals --------------------------------------------------------------
    def _use_channels(self, channels: dict[str, Channel]) -> None:
        self.channels = channels
        self.values = self.program.values_of(channels)

    def _refresh_values(self, updated: set[str]) -> None:
        """Bring ``values`` up to date with the channels a barrier just updated."""
        values, channels = self.values, self.channels
        changed = updated & self._value_keys
        appeared = not changed <= values.keys()
        for key in changed:
            values[key] = channels[key].get()
        if appeared:  # keep schema order: a key seen for the first time goes in its place
            self.values = {key: values[key] for key in self.program.value_keys if key in values}

    def _commit(
        self, source: str, parent: str | None, task_writes: tuple[tuple[str, str, Any], ...] = ()
    ) -> Checkpoint | None:
        """Close the current step: the checkpoint to save, whose id the next step is planned from."""
        if not self.persistent:
            self.checkpoint_id = f"{self._run_key}:{self.step}"
            return None
        snapshots = {}
        for key, channel in self.channels.items():
            value = channel.snapshot()
            if value is not MISSING:
                snapshots[key] = value
        checkpoint = Checkpoint(
            checkpoint_id=new_checkpoint_id(),
            parent_id=parent,
            step=self.step,
            source=source,
            channels=snapshots,
            updated=tuple(sorted(self.updated)),
            sends=tuple(self.sends),
            created_at=datetime.datetime.now(datetime.timezone.utc).isoformat(),
            parents=self.parents,
            task_writes=task_writes,
        )
        self.checkpoint_id = checkpoint.checkpoint_id
        self._announce = checkpoint
        return checkpoint

