"""The step core's transitions, driven by hand: no event loop, no node ever runs."""

from __future__ import annotations

import operator

import pytest
from step_programs import START, by_name, counter_program, program, read_back, to

from graphs.channels import LastValue, ReducerChannel
from runtime.core.errors import EmptyInputError, GraphRecursionError, InvalidUpdateError
from runtime.scheduler.checkpoints import INTERRUPT, Checkpoint
from runtime.scheduler.machine import StepMachine, Verdict
from runtime.scheduler.program import Program
from runtime.scheduler.task import PULL, PUSH
from runtime.core.types import Command, Interrupt, Send


def started(machine: StepMachine, input: object, *writes: tuple[str, object]) -> Checkpoint | None:
    """Begin with ``input`` and finish the input step with ``writes`` (what the
    input node would write); return the checkpoint that step saves."""
    machine.begin(input, None)
    plan = machine.plan_step()
    assert [t.name for t in plan.tasks] == [START]
    plan.tasks[0].writes = list(writes)
    return machine.finish_step(plan.tasks).checkpoint


def saved_after_input(prog: Program, *writes: tuple[str, object]) -> tuple[StepMachine, Checkpoint]:
    machine = StepMachine(prog, recursion_limit=25, persistent=True)
    checkpoint = started(machine, {}, *writes)
    assert checkpoint is not None
    return machine, checkpoint


def test_fresh_input_is_written_at_step_minus_one_and_read_by_the_input_node() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25, persistent=True)
    beginning = machine.begin({"items": [1]}, None)
    assert not beginning.continued
    checkpoint = beginning.checkpoint
    assert checkpoint is not None
    assert (checkpoint.step, checkpoint.source, checkpoint.parent_id) == (-1, "input", None)
    assert checkpoint.channels == {START: {"items": [1]}}  # empty channels are not saved
    plan = machine.plan_step()
    assert plan.step == 0 and plan.verdict is Verdict.RUN
    assert plan.announce is checkpoint
    (task,) = plan.tasks
    assert task.input == {"items": [1]} and task.node.hidden


def test_no_input_and_nothing_saved_is_an_empty_input_error() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    with pytest.raises(EmptyInputError, match="no input"):
        machine.begin(None, None)


def test_a_chain_applies_each_step_and_plans_the_next() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {"items": [1]}, ("items", [1]), (to("a"), None))
    assert machine.values == {"items": [1]}
    plan = machine.plan_step()
    (a,) = plan.tasks
    assert a.name == "a" and a.input == {"items": [1]} and a.triggers == (to("a"),)
    a.writes = [("items", [2]), ("last", "a"), (to("b"), None)]
    outcome = machine.finish_step(plan.tasks)
    assert outcome.values_changed and outcome.checkpoint is None and not outcome.interrupts
    assert machine.output() == {"items": [1, 2], "last": "a"}
    (b,) = machine.plan_step().tasks
    assert b.name == "b" and b.step == 2
    b.writes = []
    machine.finish_step([b])
    assert machine.plan_step().verdict is Verdict.DONE


def test_writes_apply_in_task_path_order_whatever_order_tasks_finish_in() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, (to("c"), None), (to("a"), None), (to("b"), None))
    plan = machine.plan_step()
    assert [t.name for t in plan.tasks] == ["a", "b", "c"]  # the order nodes were added
    tasks = by_name(plan.tasks)
    for name in "abc":
        tasks[name].writes = [("items", [name])]
    machine.finish_step([tasks["c"], tasks["a"], tasks["b"]])  # finish order
    assert machine.values["items"] == ["a", "b", "c"]


def test_sends_become_push_tasks_after_pull_tasks_in_send_order() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, (PUSH, Send("b", {"n": 1})), (to("a"), None), (PUSH, Send("b", {"n": 2})))
    plan = machine.plan_step()
    assert [(t.name, t.path) for t in plan.tasks] == [
        ("b", (PUSH, 0, False)), ("b", (PUSH, 1, False)), ("a", (PULL, "a")),
    ]
    assert [t.input for t in plan.tasks[:2]] == [{"n": 1}, {"n": 2}]
    push0, push1, pull = plan.tasks
    push0.writes, push1.writes, pull.writes = [("items", ["p0"])], [("items", ["p1"])], [("items", ["a"])]
    machine.finish_step([push1, push0, pull])
    # pull tasks sort before push tasks at the barrier, pushes by index
    assert machine.values["items"] == ["a", "p0", "p1"]


def test_two_writes_to_a_plain_key_in_one_step_name_the_key() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, (to("a"), None), (to("b"), None))
    tasks = machine.plan_step().tasks
    for task in tasks:
        task.writes = [("last", task.name)]
    with pytest.raises(InvalidUpdateError, match="At key 'last': Can receive only one value per step"):
        machine.finish_step(tasks)


def test_a_reducer_folds_every_write_of_the_step() -> None:
    prog = program({"total": ReducerChannel("total", operator.add, int)}, ["a", "b"])
    machine = StepMachine(prog, recursion_limit=25)
    started(machine, {}, ("total", 1), (to("a"), None), (to("b"), None))
    tasks = machine.plan_step().tasks
    tasks[0].writes, tasks[1].writes = [("total", 10)], [("total", 100)]
    machine.finish_step(tasks)
    assert machine.output() == {"total": 111}


def test_a_join_fires_once_every_source_has_written() -> None:
    prog = program({"x": LastValue("x")}, ["a", "b", "j"], joins={"j": ("a", "b")})
    join = "join:a+b:j"
    machine = StepMachine(prog, recursion_limit=25)
    started(machine, {}, (to("a"), None))
    (a,) = machine.plan_step().tasks
    a.writes = [(join, "a"), (to("b"), None)]
    machine.finish_step([a])
    (b,) = machine.plan_step().tasks
    assert b.name == "b"
    b.writes = [(join, "b")]
    machine.finish_step([b])
    (j,) = machine.plan_step().tasks
    assert j.name == "j" and j.triggers == (join,)


def test_an_interrupt_applies_nothing_and_keeps_the_step() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, (to("a"), None), (to("b"), None))
    plan = machine.plan_step()
    a, b = plan.tasks
    a.writes = [("items", ["a"])]
    pause = Interrupt("approve?", "0" * 32)
    b.interrupts = (pause,)
    outcome = machine.finish_step(plan.tasks)
    assert outcome.interrupts == (pause,)
    assert outcome.checkpoint is None and not outcome.values_changed
    assert machine.values == {"items": []} and machine.step == plan.step


def test_the_recursion_limit_counts_the_steps_of_one_invocation() -> None:
    machine = StepMachine(counter_program(), recursion_limit=3)
    started(machine, {}, (to("a"), None))
    steps = 0
    while True:
        plan = machine.plan_step()
        if plan.verdict is not Verdict.RUN:
            break
        steps += 1
        plan.tasks[0].writes = [(to("a"), None)]  # a loops on itself
        machine.finish_step(plan.tasks)
    # as in LangGraph: the input node's step 0, then steps 1, 2 and 3 (the one that
    # reaches the limit) run; step 4 may not
    assert plan.verdict is Verdict.OUT_OF_STEPS and plan.step == 4 and steps == 3
    error = machine.recursion_error()
    assert isinstance(error, GraphRecursionError) and "Recursion limit of 3 reached" in str(error)


def test_the_step_past_the_limit_is_out_of_steps_even_with_nothing_to_run() -> None:
    # LangGraph checks the limit before it looks for tasks: a run whose last node
    # ran in the step that reached the limit still raises.
    machine = StepMachine(counter_program(), recursion_limit=1)
    started(machine, {}, (to("a"), None))
    plan = machine.plan_step()
    assert plan.verdict is Verdict.RUN
    machine.finish_step(plan.tasks)  # "a" writes nothing: nothing is triggered
    done = machine.plan_step()
    assert done.verdict is Verdict.OUT_OF_STEPS and done.tasks == []


def test_interrupt_after_wins_over_the_limit_and_the_limit_over_interrupt_before() -> None:
    after = StepMachine(counter_program(), recursion_limit=1, interrupt_after=frozenset({"a"}))
    started(after, {}, (to("a"), None))
    plan = after.plan_step()
    plan.tasks[0].writes = [(to("b"), None)]
    after.finish_step(plan.tasks)
    assert after.plan_step().verdict is Verdict.PAUSE

    before = StepMachine(counter_program(), recursion_limit=1, interrupt_before=frozenset({"b"}))
    started(before, {}, (to("a"), None))
    plan = before.plan_step()
    plan.tasks[0].writes = [(to("b"), None)]
    before.finish_step(plan.tasks)
    assert before.plan_step().verdict is Verdict.OUT_OF_STEPS


def test_a_continued_run_counts_from_the_checkpoint_it_continues() -> None:
    machine, _ = saved_after_input(counter_program(), (to("a"), None))
    plan = machine.plan_step()
    plan.tasks[0].writes = [(to("a"), None)]
    saved = machine.finish_step(plan.tasks).checkpoint  # step 1, "a" triggered again
    assert saved is not None
    resumed = StepMachine(counter_program(), recursion_limit=2, persistent=True)
    resumed.begin(None, read_back(counter_program(), saved))
    steps = []
    while (plan := resumed.plan_step()).verdict is Verdict.RUN:
        steps.append(plan.step)
        plan.tasks[0].writes = [(to("a"), None)]
        resumed.finish_step(plan.tasks)
    # LangGraph counts from the saved step + 1 to saved + limit + 2: no input
    # step to spend, so one step more than a fresh run gets.
    assert steps == [2, 3, 4, 5] and plan.verdict is Verdict.OUT_OF_STEPS


def test_a_recursion_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="recursion_limit must be at least 1"):
        StepMachine(counter_program(), recursion_limit=0)


def test_interrupt_before_pauses_before_the_step_and_after_after_it() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25, interrupt_before=frozenset({"b"}))
    started(machine, {}, (to("b"), None))
    assert machine.plan_step().verdict is Verdict.PAUSE

    machine = StepMachine(counter_program(), recursion_limit=25, interrupt_after=frozenset({"a"}))
    started(machine, {}, (to("a"), None))
    plan = machine.plan_step()
    assert plan.verdict is Verdict.RUN
    plan.tasks[0].writes = [(to("b"), None)]
    machine.finish_step(plan.tasks)
    after = machine.plan_step()
    assert after.verdict is Verdict.PAUSE and [t.name for t in after.tasks] == ["b"]


def test_task_ids_hash_the_checkpoint_they_are_planned_from() -> None:
    def ids(persistent: bool) -> list[str]:
        machine = StepMachine(counter_program(), recursion_limit=25, persistent=persistent)
        started(machine, {}, (to("a"), None), (to("b"), None))
        return [t.id for t in machine.plan_step().tasks]

    # without a checkpointer every run gets a random key: ids never repeat across runs
    assert ids(False) != ids(False)
    machine = StepMachine(counter_program(), recursion_limit=25, persistent=True)
    started(machine, {}, (to("a"), None))
    first = [t.id for t in machine.plan_step().tasks]
    assert first == [t.id for t in machine.plan_step().tasks]  # planning twice: same ids


def test_the_router_view_folds_the_tasks_own_writes_and_the_barrier_adopts_it() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, ("items", [0]), (to("a"), None))
    (a,) = machine.plan_step().tasks
    writes = [("items", [1]), (to("b"), None)]
    view = machine.task_view(a, writes)
    assert view["items"] == [0, 1] and machine.values["items"] == [0]  # the step's values untouched
    folded = a.folded
    assert folded is not None and set(folded) == {"items"}
    assert machine.task_view(a, writes) == view  # a second router reuses the fold
    a.writes = writes
    machine.finish_step([a])
    assert machine.channels["items"] is folded["items"]  # adopted, not reduced again
    assert machine.values["items"] == [0, 1]


def test_a_fold_is_not_adopted_when_another_task_wrote_the_key() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25)
    started(machine, {}, (to("a"), None), (to("b"), None))
    a, b = machine.plan_step().tasks
    a.writes, b.writes = [("items", ["a"])], [("items", ["b"])]
    machine.task_view(a, a.writes)
    machine.finish_step([a, b])
    assert machine.values["items"] == ["a", "b"]


def test_continuing_a_saved_step_reuses_finished_results_and_gives_answers() -> None:
    prog = counter_program()
    machine, checkpoint = saved_after_input(prog, (to("a"), None), (to("b"), None))
    plan = machine.plan_step()
    a, b = plan.tasks
    saved = read_back(prog, checkpoint, [
        (a.id, "items", ["a"]),
        (f"{b.id}|interrupt|0", INTERRUPT, [Interrupt("ok?", "1" * 32)]),
    ])
    assert saved.waiting() == {b.id: (Interrupt("ok?", "1" * 32),)}

    resumed = StepMachine(prog, recursion_limit=25, persistent=True)
    beginning = resumed.begin(Command(resume="yes"), saved)
    assert beginning.continued and beginning.checkpoint is None
    again = resumed.plan_step()
    assert [t.id for t in again.tasks] == [a.id, b.id]  # same checkpoint, same ids
    assert again.announce is saved
    ra, rb = again.tasks
    assert ra.cached and ra.writes == [("items", ["a"])]
    assert rb.resume == ["yes"] and rb.answered == 0
    assert again.resume_writes == ((b.id, 0, "yes"),)


def test_a_resume_for_a_thread_with_nothing_waiting_is_refused() -> None:
    prog = counter_program()
    _, checkpoint = saved_after_input(prog, ("items", [1]))
    saved = read_back(prog, checkpoint)
    with pytest.raises(ValueError, match="has no pending interrupt"):
        StepMachine(prog, recursion_limit=25, persistent=True).begin(Command(resume=1), saved, thread_id="t")


def test_time_travel_from_a_checkpoint_with_results_forks() -> None:
    prog = counter_program()
    machine, checkpoint = saved_after_input(prog, (to("a"), None))
    (a,) = machine.plan_step().tasks
    saved = read_back(prog, checkpoint, [(a.id, "items", ["a"])])

    replay = StepMachine(prog, recursion_limit=25, persistent=True, time_travel=True)
    beginning = replay.begin(None, saved)
    fork = beginning.checkpoint
    assert fork is not None and fork.source == "fork" and fork.parent_id == saved.checkpoint_id
    plan = replay.plan_step()
    assert plan.announce is fork
    (task,) = plan.tasks
    assert not task.cached and task.id != a.id  # runs again, under a new id


def test_a_nested_run_starts_afresh_over_a_finished_run_in_its_namespace() -> None:
    prog = counter_program()
    _, checkpoint = saved_after_input(prog, ("items", [1]))
    finished = read_back(prog, checkpoint)
    again = StepMachine(prog, recursion_limit=25, persistent=True, nested=True)
    beginning = again.begin({"items": [2]}, finished)
    assert not beginning.continued
    assert beginning.checkpoint is not None and beginning.checkpoint.parent_id is None


def test_input_to_a_finished_thread_starts_at_the_step_after_it() -> None:
    prog = counter_program()
    _, checkpoint = saved_after_input(prog, ("items", [1]))
    finished = read_back(prog, checkpoint)
    again = StepMachine(prog, recursion_limit=25, persistent=True)
    checkpoint = again.begin({"items": [2]}, finished).checkpoint
    assert checkpoint is not None
    assert (checkpoint.step, checkpoint.parent_id) == (finished.step + 1, finished.checkpoint_id)
    assert again.values == {"items": [1]}  # the thread's state carries over


def test_update_keeps_the_plan_or_follows_its_own_triggers() -> None:
    prog = counter_program()
    _, checkpoint = saved_after_input(prog, (to("a"), None))
    saved = read_back(prog, checkpoint)

    kept = StepMachine.at(prog, saved)
    update = kept.apply_update([("items", ["u"])], keep_plan=True)
    assert (update.source, update.parent_id, update.step) == ("update", saved.checkpoint_id, saved.step + 1)
    assert [t.name for t in StepMachine.at(prog, read_back(prog, update)).next_tasks()] == ["a"]

    rerouted = StepMachine.at(prog, read_back(prog, checkpoint))  # `at` takes over a record's channels
    update = rerouted.apply_update([("items", ["u"]), (to("c"), None)], keep_plan=False)
    after = StepMachine.at(prog, read_back(prog, update))
    assert [t.name for t in after.next_tasks()] == ["c"]
    assert after.output() == {"items": ["u"]}


def test_a_checkpoint_holds_only_non_empty_channels_and_what_the_step_updated() -> None:
    _, checkpoint = saved_after_input(counter_program(), (to("a"), None), (PUSH, Send("b", 1)))
    assert checkpoint.source == "loop" and checkpoint.step == 0
    assert set(checkpoint.channels) == {to("a")}  # items never written, last empty, input consumed
    assert checkpoint.updated == (to("a"),) and checkpoint.sends == (Send("b", 1),)
    assert checkpoint.as_document()["v"] == 1



def test_a_lone_tasks_writes_go_with_the_checkpoint_as_the_record_of_its_step() -> None:
    machine, first = saved_after_input(counter_program(), ("items", [1]), (to("a"), None))
    (input_id, _, _), _ = first.task_writes
    assert first.task_writes == ((input_id, "items", [1]), (input_id, to("a"), None))
    (a,) = machine.plan_step().tasks
    a.writes = []
    checkpoint = machine.finish_step([a]).checkpoint
    assert checkpoint is not None and checkpoint.task_writes == ((a.id, "__no_writes__", None),)
    # Several tasks save their writes as they finish: the checkpoint carries none.
    machine.sends = []
    machine.updated = {to("b"), to("c")}
    b, c = machine.plan_step().tasks
    b.writes, c.writes = [("last", "b")], [("items", [3])]
    checkpoint = machine.finish_step([b, c]).checkpoint
    assert checkpoint is not None and checkpoint.task_writes == ()


def test_nested_checkpoints_name_their_parents() -> None:
    machine = StepMachine(counter_program(), recursion_limit=25, persistent=True, parents={"": "root-1"})
    checkpoint = started(machine, {}, ("items", [1]))
    assert checkpoint is not None and checkpoint.metadata == {"source": "loop", "step": 0, "parents": {"": "root-1"}}
    restored = read_back(counter_program(), checkpoint)
    assert restored.parents == {"": "root-1"}
    update = StepMachine.at(counter_program(), restored).apply_update([("last", "x")], keep_plan=True)
    assert update.parents == {"": "root-1"}


def test_state_edits_input_copy_and_clear() -> None:
    prog = counter_program()
    _, checkpoint = saved_after_input(prog, ("items", [1]), (to("a"), None))
    saved = read_back(prog, checkpoint)

    as_input = StepMachine.at(prog, saved).apply_input({"items": [9]})
    assert (as_input.source, as_input.step, as_input.parent_id) == ("input", saved.step + 1, saved.checkpoint_id)
    after = StepMachine.at(prog, read_back(prog, as_input))
    assert [t.name for t in after.next_tasks()] == [START, "a"]
    assert after.output() == {"items": [1]}

    saved = read_back(prog, checkpoint)  # `at` takes over a record's channels: read it again
    copy = StepMachine.at(prog, saved).copy(saved)
    assert (copy.source, copy.step, copy.parent_id) == ("fork", saved.step + 1, saved.parent_id)
    assert copy.channels == checkpoint.channels and copy.updated == checkpoint.updated

    machine = StepMachine.at(prog, read_back(prog, checkpoint))
    (a,) = machine.next_tasks()
    cleared = machine.clear_tasks({a.id: [("items", [2]), (to("b"), None)]})
    assert (cleared.source, cleared.step) == ("update", saved.step + 1)
    after = StepMachine.at(prog, read_back(prog, cleared))
    assert [t.name for t in after.next_tasks()] == ["b"] and after.output() == {"items": [1, 2]}
    nothing = StepMachine.at(prog, read_back(prog, checkpoint)).clear_tasks({})
    assert StepMachine.at(prog, read_back(prog, nothing)).next_tasks() == []
