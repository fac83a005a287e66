"""Tributary's actor kernel: mailboxes, actors, supervision and fan-in.

Nothing here knows about graphs. An actor is a named trio task running a
behaviour; a :class:`Supervisor` owns the nursery its actors live in, fans their
output into one :class:`Mailbox`, and fails fast — the first error cancels the
siblings and comes out of the ``async with`` block as itself.
"""

__version__ = "0.1.0"

from ._actor import Actor
from ._lifecycle import ActorRetrying, ActorStarted, ActorStopped, LifecycleRecord
from ._mailbox import Mailbox, MailboxClosed
from ._pool import Job, WorkerPool, run_job
from ._retry import RetryPolicy, default_retry_on
from ._supervisor import Supervisor

__all__ = [
    "Actor",
    "ActorRetrying",
    "ActorStarted",
    "ActorStopped",
    "LifecycleRecord",
    "Job",
    "Mailbox",
    "MailboxClosed",
    "RetryPolicy",
    "Supervisor",
    "WorkerPool",
    "default_retry_on",
    "run_job",
]
