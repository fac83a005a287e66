"""Run every seed example on langchain-core and LangGraph themselves, with the same checks.

    python tests/seeds/on_langgraph.py [NAME_PREFIX]

(needs ``langgraph`` and ``langchain-core`` installed: the ``bench`` extra).
This is the reverse of the port: a throw-away directory gets packages named
``graphs`` and ``runtime`` that re-export LangGraph's and langchain-core's
names, and a copy of ``seed_fakes`` adjusted to their pydantic classes (a
retriever takes its fields as keywords; the stock fake chat model gains
``bind_tools`` and streams tool calls, as Tributary's does). Each example then
runs unchanged on asyncio, and ``expected_output`` checks what it printed — so
the checks hold LangGraph's behaviour, not only Tributary's. Not part of the
test suite: it needs the reference packages, and is slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent

SHIM = {
    "graphs/__init__.py": (
        "from langgraph.graph import *  # noqa\n"
        "from langgraph.graph import END, START, MessagesState, StateGraph\n"
        "from langgraph.types import *  # noqa\n"
        "from langgraph.types import StreamWriter\n"
        "from langgraph.config import get_stream_writer\n"
        "from langgraph.prebuilt import create_react_agent\n"
        "from langgraph.checkpoint.memory import InMemorySaver\n"
    ),
    "graphs/compiled.py": "from langgraph.graph.state import CompiledStateGraph\n",
    "runtime/__init__.py": "import langchain_core\n__version__ = langchain_core.__version__\n",
    "runtime/prompts.py": "from langchain_core.prompts import *  # noqa\n",
    "runtime/tools.py": "from langchain_core.tools import *  # noqa\n",
    "runtime/messages.py": "from langchain_core.messages import *  # noqa\n",
    "runtime/runnables.py": (
        "from langchain_core.runnables import *  # noqa\n"
        "from langchain_core.output_parsers import *  # noqa\n"
        "from langchain_core.retrievers import BaseRetriever\n"
        "from langchain_core.documents import Document\n"
    ),
    "runtime/models.py": '''
import json
import re

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel as _Stock
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult


class GenericFakeChatModel(_Stock):
    """The stock fake, plus what Tributary's adds: bind_tools, and tool calls streamed as chunks."""

    def bind_tools(self, tools, **kwargs):
        return self

    def _next(self):
        reply = next(self.messages)
        return AIMessage(content=reply) if isinstance(reply, str) else reply

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        return ChatResult(generations=[ChatGeneration(message=self._next())])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        reply = self._next()
        for token in re.split(r"(\\s)", reply.content) if reply.content else []:
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token, id=reply.id))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
        for index, call in enumerate(reply.tool_calls):
            piece = {"name": call["name"], "args": json.dumps(call["args"]), "id": call["id"], "index": index}
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[piece]))
''',
}


def _shim(into: Path) -> None:
    for relative, text in SHIM.items():
        path = into / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    fakes = (HERE / "seed_fakes.py").read_text(encoding="utf-8")
    start = fakes.index("    def __init__(self, store: InMemoryVectorStore, k: int) -> None:")
    end = fakes.index("    def _get_relevant_documents")
    fakes = fakes[:start] + "    store: Any = None\n    k: int = 4\n\n" + fakes[end:]
    fakes = fakes.replace("return VectorStoreRetriever(self, k)", "return VectorStoreRetriever(store=self, k=k)")
    fakes = fakes.replace("def _get_relevant_documents(self, query: str)", "def _get_relevant_documents(self, query: str, *, run_manager: Any = None)")
    (into / "seed_fakes.py").write_text(fakes, encoding="utf-8")
    for name in ("seed_apps.py", "expected_output.py", "host.py"):
        shutil.copy(HERE / name, into / name)


def main(prefix: str = "") -> int:
    with tempfile.TemporaryDirectory() as tmp:
        shim = Path(tmp)
        _shim(shim)
        sys.path.insert(0, str(shim))
        from expected_output import CHECKS  # the shim's copy: the same checks

        failed = 0
        examples = sorted(p for p in (HERE / "examples").glob("s*.py") if p.stem.startswith(prefix))
        for example in examples:
            env = {**os.environ, "PYTHONPATH": str(shim)}
            done = subprocess.run(
                [sys.executable, str(shim / "host.py"), "asyncio", str(example)],
                check=False, env=env, capture_output=True, text=True, timeout=180,
            )
            if done.returncode:
                failed += 1
                print(f"ERROR {example.stem}: {done.stderr.strip().splitlines()[-1]}")
                continue
            try:
                CHECKS[example.stem](done.stdout)
            except AssertionError as error:
                failed += 1
                where = traceback.extract_tb(error.__traceback__)[-1]
                print(f"CHECK {example.stem}: line {where.lineno}: {where.line}")
        print(f"{len(examples) - failed} of {len(examples)} examples print what their checks expect on LangGraph")
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
