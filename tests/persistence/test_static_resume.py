"""Resuming a thread paused by a static interrupt with ``Command(resume=...)``.

A ported LangGraph app resumes with ``Command(resume=...)`` whatever paused it;
a paused thread counts as waiting, so that continues the run. A finished or
unknown thread still has nothing to resume (deliberate difference 6).
"""

from __future__ import annotations

from typing import Any

import pytest

from graphs import Command
from _persist_support import chain, collect, thread


async def test_resume_command_continues_after_interrupt_before(saver: Any) -> None:
    app = chain("a", "b", "c").compile(checkpointer=saver, interrupt_before=["b"])
    cfg = thread("paused")
    first = await collect(app.astream({"log": []}, cfg))
    assert first[-1] == {"__interrupt__": ()}
    assert (await app.aget_state(cfg)).next == ("b",)

    rest = await collect(app.astream(Command(resume="ignored"), cfg))

    assert rest == [{"b": {"log": ["b"]}}, {"c": {"log": ["c"]}}]
    assert (await app.aget_state(cfg)).values["log"] == ["a", "b", "c"]


async def test_resume_command_on_finished_thread_names_it(saver: Any) -> None:
    app = chain("a").compile(checkpointer=saver)
    cfg = thread("done-thread")
    await app.ainvoke({"log": []}, cfg)
    with pytest.raises(ValueError, match="'done-thread'.*no pending interrupt"):
        await app.ainvoke(Command(resume=1), cfg)
