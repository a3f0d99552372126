"""``python -m benchmarks [--quick] [--only GROUP]``: the same as ``python -m cxdash bench``."""

import sys

from cxdash.cli import main

sys.exit(main(["bench", *sys.argv[1:]]))
