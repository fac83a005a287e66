"""Seed 004, python block 26: a tool writes progress with ``get_stream_writer()``; ``custom`` mode streams it.

The block's ``graph = ...`` ("define a graph that uses this tool") is filled
in with a ReAct agent whose scripted model calls ``query_database`` once, and
``inputs`` is its input (set-up, not in the document).
"""

from runtime.messages import AIMessage
from runtime.tools import tool
from graphs import create_react_agent
from graphs import get_stream_writer
from seed_fakes import chat_model
@tool
def query_database(query: str) -> str:
    """Query the database."""
    writer = get_stream_writer() # (1)!
    # highlight-next-line
    writer({"data": "Retrieved 0/100 records", "type": "progress"}) # (2)!
    # perform query
    # highlight-next-line
    writer({"data": "Retrieved 100/100 records", "type": "progress"}) # (3)!
    return "some-answer"
model = chat_model(
    AIMessage("", tool_calls=[{"name": "query_database", "args": {"query": "users"}, "id": "call_1"}]),
    "The database answered.",
)
graph = create_react_agent(model, [query_database]) # define a graph that uses this tool
inputs = {"messages": [{"role": "user", "content": "how many users are there?"}]}
for chunk in graph.stream(inputs, stream_mode="custom"): # (4)!
    print(chunk)
