"""Tributary's engine: config and context, runnables, the stream multiplexer, the step scheduler."""

from .config import RunnableConfig, ensure_config
from .context import get_config, get_stream_writer
from .runnable import Runnable, RunnableBinding
from .safe_stream import SafeStream
from .stream import StreamPart, StreamWriter

__all__ = [
    "Runnable",
    "RunnableBinding",
    "RunnableConfig",
    "SafeStream",
    "StreamPart",
    "StreamWriter",
    "ensure_config",
    "get_config",
    "get_stream_writer",
]
