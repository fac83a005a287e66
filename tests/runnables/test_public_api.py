"""The public import names are the contract: ported code imports them by name."""

from __future__ import annotations

import graphs
import runtime

GRAPHS = (
    "StateGraph START END Send Command interrupt RetryPolicy MessagesState add_messages get_stream_writer "
    "StreamWriter InMemorySaver SqliteSaver ToolNode tools_condition create_react_agent"
).split()

RUNTIME = (
    "Runnable RunnableLambda RunnablePassthrough RunnableParallel RunnableConfig chain get_config "
    "dispatch_custom_event adispatch_custom_event tool BaseTool BaseMessage HumanMessage AIMessage "
    "AIMessageChunk SystemMessage ToolMessage BaseChatModel GenericFakeChatModel FakeListChatModel "
    "FakeMessagesListChatModel StrOutputParser JsonOutputParser"
).split()


def test_design_public_names_are_exported() -> None:
    for module, names in ((graphs, GRAPHS), (runtime, RUNTIME)):
        missing = [name for name in names if not hasattr(module, name) or name not in module.__all__]
        assert not missing, f"{module.__name__} lacks {missing}"


def test_runtime_does_not_import_graphs() -> None:
    import subprocess
    import sys

    code = "import sys, runtime; print(any(m == 'graphs' or m.startswith('graphs.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
