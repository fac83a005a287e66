"""What can go wrong in the kernel, and how it reaches the caller.

The kernel defines one exception of its own; everything else it raises is a
builtin, chosen so that ``except`` clauses written for the standard library work::

    Exception
     ├── MailboxClosed    put or get on a Mailbox whose other side closed it
     ├── TimeoutError     a Job attempt outlived Job.timeout (builtin; a behaviour's
     │                    own trio.fail_after still raises trio.TooSlowError)
     ├── RuntimeError     Supervisor.spawn outside the supervisor's ``async with``
     └── ValueError       a Mailbox capacity or RetryPolicy.max_attempts below 1

A behaviour's own error is never wrapped. It leaves a :class:`~actors.Supervisor`
block, or :func:`~actors.run_job`, as itself — with its ``__cause__`` and
``__context__`` as the behaviour left them — carrying a note that says where it
happened (``in actor 'name'``, ``in job 'name'``, or the caller's own note). When
several actors fail together, the first failure is raised and each other one is
a note on it; ``trio.Cancelled`` is never reported as an actor's failure.
"""

from __future__ import annotations

__all__ = ["MailboxClosed"]


class MailboxClosed(Exception):
    """The other side closed the mailbox; nothing more can be put or got."""
