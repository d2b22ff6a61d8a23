"""privbot: a privacy assistant for the people whose data QAZAR CLOUD TECHNOLOGIES holds."""

import os

__version__ = "0.1.0"

# numpy's OpenBLAS starts a thread per core when imported, each spinning a while: privbot
# does no linear algebra (its arrays are indexed, added and scaled element-wise), so one is
# enough and a start costs 0.05 s of CPU less. A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
