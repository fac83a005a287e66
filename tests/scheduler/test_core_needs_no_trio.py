"""The step core imports and runs with trio unimportable (see ``trio_free.py``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCENARIO = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {here!r}]
    from trio_free import import_core
    core = import_core()
    machine_module = core["runtime.scheduler.machine"]
    from step_programs import counter_program, to
    machine = machine_module.StepMachine(counter_program(), recursion_limit=5, persistent=True)
    machine.begin({{"items": [1]}}, None)
    plan = machine.plan_step()
    plan.tasks[0].writes = [("items", [1]), (to("a"), None)]
    machine.finish_step(plan.tasks)
    plan = machine.plan_step()
    plan.tasks[0].writes = [("items", [2])]
    outcome = machine.finish_step(plan.tasks)
    assert machine.plan_step().verdict is machine_module.Verdict.DONE
    assert "trio" not in [name for name, module in sys.modules.items() if module is not None]
    print(machine.output(), outcome.checkpoint.source)
    """
)


def test_the_step_core_runs_a_graph_without_trio() -> None:
    code = SCENARIO.format(root=str(HERE.parents[1]), here=str(HERE))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'items': [1, 2]} loop"


def test_the_step_core_modules_do_not_import_trio_even_indirectly() -> None:
    code = (
        f"import sys; sys.path[:0] = [{str(HERE.parents[1])!r}, {str(HERE)!r}]\n"
        "from trio_free import import_core, CORE\n"
        "import_core()\n"
        "print(sorted(n for n, m in sys.modules.items()\n"
        "            if getattr(m, '__file__', None) and n.split('.')[0] in ('actors', 'runtime', 'graphs')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = eval(done.stdout)  # a list literal of module names
    assert "runtime.scheduler.machine" in loaded
    assert not [name for name in loaded if name.startswith("actors")], loaded  # the kernel is the trio side
