"""Seed 004, python block 30: a model built with ``disable_streaming=True``.

``init_chat_model("anthropic:claude-3-7-sonnet-latest", ...)`` is replaced by a
scripted fake taking the same ``disable_streaming`` option. Lines after the
block (not in the document) show what the option does: streamed, the model
yields its whole reply as one chunk.
"""

from seed_fakes import chat_model
model = chat_model(
    "One whole reply, never streamed.",
    # highlight-next-line
    disable_streaming=True # (1)!
)

print([chunk.content for chunk in model.stream("hi")])
