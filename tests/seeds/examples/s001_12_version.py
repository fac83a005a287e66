"""Seed 001, python block 12: the library's version (``langchain_core.__version__`` → ``runtime.__version__``).

The block is a notebook cell whose value is shown; here it is printed.
"""

import runtime

print(repr(runtime.__version__))
