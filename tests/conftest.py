"""Suite-wide hypothesis profiles.

``ci`` is loaded when the ``CI`` environment variable is set (``.ci/run`` sets it):
examples are derived from each test's name rather than drawn at random, so a CI
failure reproduces on any machine, and no example database is written. Locally
the ``dev`` profile keeps hypothesis's defaults (random examples, a database of
past failures to replay first). Tests set their own ``max_examples``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile("ci" if os.environ.get("CI") else "dev")
