"""The step core's part in deferred nodes, Command input and paused tasks — driven by hand, no event loop."""

from __future__ import annotations

import attrs
from step_programs import START, counter_program, read_back, to

from graphs.channels import DeferredTrigger
from runtime.core.types import Command
from runtime.scheduler.checkpoints import NULL_TASK_ID, Checkpoint
from runtime.scheduler.machine import StepMachine, Verdict
from runtime.scheduler.program import Program


def with_deferred_c(prog: Program) -> Program:
    """``prog`` with node ``c`` triggered by a deferred trigger."""
    channels = {**prog.channels, to("c"): DeferredTrigger(to("c"))}
    return Program(
        name=prog.name, channels=channels, nodes=prog.nodes, input_channel=prog.input_channel,
        input_keys=prog.input_keys, output_keys=prog.output_keys, value_keys=prog.value_keys,
        command_writes=prog.command_writes,
    )


def input_step(machine: StepMachine, *writes: tuple[str, object]) -> Checkpoint | None:
    machine.begin({}, None)
    plan = machine.plan_step()
    assert [t.name for t in plan.tasks] == [START]
    plan.tasks[0].writes = list(writes)
    return machine.finish_step(plan.tasks).checkpoint


def test_a_deferred_trigger_fires_once_no_other_node_is_triggered() -> None:
    prog = with_deferred_c(counter_program())
    assert prog.finishing == (to("c"),)
    machine = StepMachine(prog, recursion_limit=25)
    input_step(machine, (to("a"), None), (to("c"), None))
    (a,) = machine.plan_step().tasks  # c waits
    a.writes = [(to("b"), None), (to("c"), None)]
    machine.finish_step([a])
    (b,) = machine.plan_step().tasks  # still waiting: b was triggered
    b.writes = [("items", ["b"])]
    machine.finish_step([b])
    (c,) = machine.plan_step().tasks  # nothing else: c runs, once
    assert c.name == "c" and c.triggers == (to("c"),)
    c.writes = []
    machine.finish_step([c])
    assert machine.plan_step().verdict is Verdict.DONE


def test_a_waiting_deferred_trigger_is_saved_and_read_back() -> None:
    prog = with_deferred_c(counter_program())
    machine = StepMachine(prog, recursion_limit=25, persistent=True)
    checkpoint = input_step(machine, (to("a"), None), (to("c"), None))
    assert checkpoint is not None and checkpoint.channels[to("c")] == "waiting"
    restored = read_back(prog, checkpoint)
    assert restored.channels[to("c")].is_available() is False


def test_a_paused_task_without_interrupts_applies_nothing() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    input_step(machine, (to("a"), None), (to("b"), None))
    a, b = machine.plan_step().tasks
    a.writes = [("items", ["a"])]
    b.paused = True  # a graph nested in it paused, with no interrupt to show
    outcome = machine.finish_step([a, b])
    assert outcome.paused and outcome.interrupts == () and outcome.checkpoint is None
    assert machine.values == {"items": []}


def command_program() -> Program:
    def writes(command: Command[object]) -> list[tuple[str, object]]:
        found: list[tuple[str, object]] = list((command.update or {}).items())  # type: ignore[union-attr]
        return found + ([(to(command.goto), None)] if isinstance(command.goto, str) and command.goto else [])

    return attrs.evolve(counter_program(), command_writes=writes)


def test_a_command_on_a_saved_checkpoint_continues_it_with_its_writes() -> None:
    prog = command_program()
    machine = StepMachine(prog, recursion_limit=25, persistent=True)
    checkpoint = input_step(machine, ("items", [0]))
    assert checkpoint is not None
    restored = read_back(prog, checkpoint)
    continued = StepMachine(prog, recursion_limit=25, persistent=True)
    beginning = continued.begin(Command(update={"last": "u"}, goto="b"), restored)
    assert beginning.continued and beginning.checkpoint is None
    assert beginning.command_writes == (("last", "u"), (to("b"), None))
    assert continued.values == {"items": [0], "last": "u"}
    (b,) = continued.plan_step().tasks
    assert b.name == "b" and b.input == {"items": [0], "last": "u"}
    # Saved as null-task writes, they are read back with the checkpoint.
    again = read_back(prog, checkpoint, [(f"{NULL_TASK_ID}|command|1", key, value) for key, value in beginning.command_writes])
    assert again.updated >= {to("b")} and again.channels["last"].get() == "u"
