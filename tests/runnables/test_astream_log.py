"""``astream_log``: RunLogPatch / RunLog and their JSON Patch operations, as langchain-core 1.8 gives them."""

from __future__ import annotations

from typing import Any

import pytest

from runtime import GenericFakeChatModel, RunnableLambda, RunnablePassthrough
from runtime.messages import AIMessage, AIMessageChunk
from runtime.tracing import RunLog, RunLogPatch
from runtime.tracing.json_patch import apply, diff


async def patches_of(stream: Any) -> list[Any]:
    async with stream as items:
        return [item async for item in items]


def rev(s: str) -> str:
    return s[::-1]


def chain() -> Any:
    return RunnableLambda(rev) | {"a": RunnablePassthrough(), "b": lambda x: len(x)}


def without_times(ops: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    shown = []
    for op in ops:
        value = op.get("value")
        if op["path"].endswith("/end_time"):
            value = "<time>"
        elif isinstance(value, dict) and "start_time" in value:
            value = {k: v for k, v in value.items() if k not in ("id", "start_time")}
        shown.append((op["op"], op["path"], value))
    return shown


async def test_patches_of_a_chain() -> None:
    patches = await patches_of(chain().astream_log("hello"))
    assert all(type(p) is RunLogPatch for p in patches)
    first = patches[0].ops
    assert len(first) == 1 and first[0]["op"] == "replace" and first[0]["path"] == ""
    assert {k: v for k, v in first[0]["value"].items() if k != "id"} == {
        "streamed_output": [], "final_output": None, "logs": {}, "name": "RunnableSequence", "type": "chain"
    }
    ops = [op for p in patches[1:] for op in without_times(p.ops)]
    entry = {"streamed_output": [], "streamed_output_str": [], "final_output": None, "end_time": None, "metadata": {}}
    # Each run's operations, in langchain-core's order for that run.
    assert [op for op in ops if op[1].startswith("/logs/rev")] == [
        ("add", "/logs/rev", {"name": "rev", "type": "chain", "tags": ["seq:step:1"], **entry}),
        ("add", "/logs/rev/streamed_output/-", "olleh"),
        ("add", "/logs/rev/final_output", {"output": "olleh"}),  # not a dict: wrapped
        ("add", "/logs/rev/end_time", "<time>"),
    ]
    assert [op for op in ops if op[1].startswith("/logs/RunnableParallel")][-2] == (
        "add", "/logs/RunnableParallel<a,b>/final_output", {"a": "olleh", "b": 5}
    )
    assert [op for op in ops if not op[1].startswith("/logs/")] == [
        ("add", "/streamed_output/-", {"a": "olleh"}),
        ("replace", "/final_output", {"a": "olleh"}),
        ("add", "/streamed_output/-", {"b": 5}),
        ("add", "/final_output/b", 5),
    ]
    total = patches[0]
    for patch in patches[1:]:
        total = total + patch
    assert isinstance(total, RunLog)
    assert total.state["final_output"] == {"a": "olleh", "b": 5}
    assert sorted(total.state["logs"]) == ["RunnableLambda", "RunnableParallel<a,b>", "RunnablePassthrough", "rev"]


async def test_diff_false_yields_the_run_log_so_far() -> None:
    logs = await patches_of(chain().astream_log("hello", diff=False))
    assert all(type(log) is RunLog for log in logs)
    assert logs[0].state["logs"] == {} and logs[0].state["streamed_output"] == []
    assert logs[-1].state["streamed_output"] == [{"a": "olleh"}, {"b": 5}]
    assert logs[-1].state["final_output"] == {"a": "olleh", "b": 5}
    assert logs[-1].state["logs"]["rev"]["final_output"] == {"output": "olleh"}
    sizes = [len(log.ops) for log in logs]
    assert sizes == sorted(set(sizes)) and logs[-1].ops[0]["path"] == ""  # every patch's ops are kept
    assert logs[3].state is not logs[4].state  # each RunLog is its own


async def test_filters_and_no_streamed_output_list() -> None:
    patches = await patches_of(chain().astream_log("hello", include_names=["rev"], with_streamed_output_list=False))
    paths = [op["path"] for p in patches[1:] for op in p.ops]
    assert paths == [
        "/logs/rev", "/logs/rev/streamed_output/-", "/logs/rev/final_output", "/logs/rev/end_time",
        "/final_output", "/final_output/b",
    ]


async def test_repeated_names_are_numbered() -> None:
    r = RunnableLambda(lambda x: x + 1)
    patches = await patches_of((r | r | r).astream_log(1))
    added = [op["path"] for p in patches for op in p.ops if op["path"].startswith("/logs/") and op["path"].count("/") == 2]
    assert added == ["/logs/RunnableLambda", "/logs/RunnableLambda:2", "/logs/RunnableLambda:3"]


async def test_a_chat_model_is_an_llm_run_with_its_tokens() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hi there")]))
    runnable = model.with_config(run_name="inner").pipe(lambda m: m.content)
    patches = await patches_of(runnable.astream_log("q", include_types=["llm"]))
    ops = [op for p in patches[1:] for op in without_times(p.ops)]
    assert ops[0][:2] == ("add", "/logs/inner") and ops[0][2]["type"] == "llm"
    assert [(kind, path, getattr(v, "content", v)) for kind, path, v in ops[1:7]] == [
        ("add", "/logs/inner/streamed_output_str/-", "hi"),
        ("add", "/logs/inner/streamed_output/-", "hi"),
        ("add", "/logs/inner/streamed_output_str/-", " "),
        ("add", "/logs/inner/streamed_output/-", " "),
        ("add", "/logs/inner/streamed_output_str/-", "there"),
        ("add", "/logs/inner/streamed_output/-", "there"),
    ]
    result = ops[7][2]
    assert ops[7][1] == "/logs/inner/final_output"
    message = result["generations"][0][0]["message"]
    assert isinstance(message, AIMessageChunk) and message.content == "hi there"
    assert result == {
        "generations": [[{"text": "hi there", "generation_info": None, "type": "ChatGenerationChunk", "message": message}]],
        "llm_output": None, "run": None, "type": "LLMResult",
    }
    assert ops[-2:] == [("add", "/streamed_output/-", "hi there"), ("replace", "/final_output", "hi there")]


def test_patches_add_up() -> None:
    a = RunLogPatch({"op": "replace", "path": "", "value": {"x": [1]}})
    b = RunLogPatch({"op": "add", "path": "/x/-", "value": 2})
    total = a + b
    assert isinstance(total, RunLog) and total.state == {"x": [1, 2]}
    assert (total + b).ops == [*a.ops, *b.ops, *b.ops]
    assert (total + b).state == {"x": [1, 2, 2]} and total.state == {"x": [1, 2]}
    assert a.ops[0]["value"] == {"x": [1]}  # adding never changes a patch
    assert repr(RunLogPatch({"op": "add", "path": "/a", "value": 1})) == "RunLogPatch({'op': 'add', 'path': '/a', 'value': 1})"
    with pytest.raises(TypeError, match="unsupported operand"):
        a + 1


@pytest.mark.parametrize(
    ("old", "new", "ops"),
    [  # what jsonpatch.JsonPatch.from_diff gives
        (None, "x", [{"op": "replace", "path": "", "value": "x"}]),
        ("a", "ab", [{"op": "replace", "path": "", "value": "ab"}]),
        ({"a": 1}, {"a": 1, "b": 2}, [{"op": "add", "path": "/b", "value": 2}]),
        ({"a": [1]}, {"a": [1, 2]}, [{"op": "add", "path": "/a/1", "value": 2}]),
        ({"a": "x"}, {"a": "xy"}, [{"op": "replace", "path": "/a", "value": "xy"}]),
        ([1, 2, 3], [1], [{"op": "remove", "path": "/1"}, {"op": "remove", "path": "/1"}]),
        ({"a": 1, "b": 2}, {"b": 2}, [{"op": "remove", "path": "/a"}]),
        ({"a": {"b": 1}}, {"a": {"b": 2, "c": 3}},
         [{"op": "add", "path": "/a/c", "value": 3}, {"op": "replace", "path": "/a/b", "value": 2}]),
        (1, 1.0, [{"op": "replace", "path": "", "value": 1.0}]),
        ({"c": [{"n": ""}]}, {"c": [{"n": "Fr"}, {}]},
         [{"op": "replace", "path": "/c/0/n", "value": "Fr"}, {"op": "add", "path": "/c/1", "value": {}}]),
    ],
)
def test_json_diff_matches_jsonpatch_and_applies(old: Any, new: Any, ops: list[dict[str, Any]]) -> None:
    assert diff(old, new) == ops
    import copy

    assert apply(copy.deepcopy(old), ops) == new


def test_apply_other_operations_and_errors() -> None:
    doc = {"a": [1, 2], "b~/c": 0}
    assert apply(doc, [{"op": "move", "from": "/a/0", "path": "/m"}, {"op": "copy", "from": "/a", "path": "/n"},
                       {"op": "test", "path": "/b~0~1c", "value": 0}]) == {"a": [2], "b~/c": 0, "m": 1, "n": [2]}
    with pytest.raises(ValueError, match="does not exist"):
        apply({"a": 1}, [{"op": "remove", "path": "/zz"}])
    with pytest.raises(ValueError, match="unknown JSON Patch operation 'frob'"):
        apply({}, [{"op": "frob", "path": "/a"}])
    with pytest.raises(ValueError, match="test failed"):
        apply({"a": 1}, [{"op": "test", "path": "/a", "value": 2}])
