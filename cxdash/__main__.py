"""``python -m cxdash``: see cxdash/cli.py."""

import sys

from cxdash.cli import main

sys.exit(main())
