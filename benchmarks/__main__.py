"""``python -m benchmarks``: the side-by-side suite (see ``benchmarks/README.md``)."""

import sys

from .suite import main

sys.exit(main())
