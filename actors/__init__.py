"""Tributary's actor kernel: supervised trio tasks, jobs with retries, and mailboxes.

Nothing here knows about graphs. The engine builds on four things:

* :class:`Supervisor` owns a nursery of *actors* (named trio tasks running a
  behaviour) and fails fast: the first error cancels the siblings and comes out of
  the ``async with`` block as itself, never wrapped in an exception group;
* :class:`Job` is one unit of work with a :class:`RetryPolicy`, a timeout and an
  error note; :func:`run_job` runs it in the calling task — the one retry loop —
  and a :class:`WorkerPool` runs batches of them on long-lived workers;
* :class:`Mailbox` is the bounded, batch-draining channel producers write into
  (the engine's stream fan-in);
* :func:`unwrap_group` / :func:`raise_unwrapped` and :func:`is_cancellation` turn a nursery's exception
  group back into the one error the caller should see.

The exceptions the kernel raises are described in ``actors/_exceptions.py``.
"""

__version__ = "0.1.0"

from ._exceptions import MailboxClosed
from ._groups import is_cancellation, raise_unwrapped, unwrap_group
from ._job import Job, run_job
from ._mailbox import Mailbox
from ._pool import WorkerPool
from ._retry import RetryPolicy, default_retry_on, matching_policy
from ._supervisor import Supervisor

__all__ = [
    "Job",
    "Mailbox",
    "MailboxClosed",
    "RetryPolicy",
    "Supervisor",
    "WorkerPool",
    "default_retry_on",
    "is_cancellation",
    "matching_policy",
    "run_job",
    "raise_unwrapped",
    "unwrap_group",
]
