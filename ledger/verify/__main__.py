"""``python -m verify …`` (a copy of this directory) or ``python -m ledger.verify …`` (the project)."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
