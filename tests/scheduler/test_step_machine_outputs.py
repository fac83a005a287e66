"""The step core's output keys, an interrupted step's output, resume values nobody
waited for, and recorded errors — driven by hand, no event loop."""

from __future__ import annotations

from step_programs import counter_program, read_back, to
from test_step_machine import saved_after_input, started

from runtime.core.types import Command, Interrupt
from runtime.scheduler.checkpoints import ERROR
from runtime.scheduler.machine import StepMachine


def test_output_keys_default_to_every_state_key_and_filter_when_given() -> None:
    everything = StepMachine(counter_program(), recursion_limit=25)
    started(everything, {}, ("last", "x"))
    assert everything.output() == {"items": [], "last": "x"}

    filtered = StepMachine(counter_program(), recursion_limit=25, output_keys=["items"])
    started(filtered, {}, (to("a"), None))
    plan = filtered.plan_step()
    plan.tasks[0].writes = [("last", "a")]
    outcome = filtered.finish_step(plan.tasks)
    assert filtered.output() == {"items": []}
    assert not outcome.values_changed  # only a key outside the output keys was written


def test_the_output_after_an_interrupted_step_shows_the_finished_writes() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, (to("a"), None), (to("b"), None))
    plan = machine.plan_step()
    a, b = plan.tasks
    a.writes = [("items", ["a"]), ("last", "a")]
    b.interrupts = (Interrupt("ok?", "0" * 32),)
    assert machine.finish_step(plan.tasks).interrupts
    assert machine.output_after(plan.tasks) == {"items": ["a"], "last": "a"}
    assert machine.values == {"items": []}  # nothing applied to the run itself
    a.writes = [(to("c"), None)]  # a write to no state key changes no output
    assert machine.output_after(plan.tasks) is None


def test_a_resume_with_nothing_waiting_is_a_spare_answer_for_the_next_step() -> None:
    prog = counter_program()
    _, checkpoint = saved_after_input(prog, (to("a"), None))  # paused before a: nothing asked yet
    resumed = StepMachine(prog, recursion_limit=25, persistent=True)
    assert resumed.begin(Command(resume="z"), read_back(prog, checkpoint)).continued
    plan = resumed.plan_step()
    assert resumed.spare == ["z"] and plan.resume_writes == ()
    plan.tasks[0].writes = []
    resumed.finish_step(plan.tasks)
    assert resumed.spare is None  # lapsed with its step

    mapped = StepMachine(prog, recursion_limit=25, persistent=True)
    mapped.begin(Command(resume={"0" * 32: "z"}), read_back(prog, checkpoint))
    assert mapped.spare is None  # a map names interrupts; none is pending


def test_a_recorded_error_is_kept_apart_from_results() -> None:
    prog = counter_program()
    machine, checkpoint = saved_after_input(prog, (to("a"), None))
    (a,) = machine.plan_step().tasks
    saved = read_back(prog, checkpoint, [
        (f"{a.id}|error|02", ERROR, "KeyError('later')"),
        (f"{a.id}|error|01", ERROR, "KeyError('first')"),
    ])
    assert saved.errors == {a.id: "KeyError('later')"} and saved.results == {}  # the latest failure
