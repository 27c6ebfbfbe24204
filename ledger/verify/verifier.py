"""Run the verifier from an unzipped evidence bundle: ``python verifier.py bundle .`` (or ``FILE.zip``).

The bundle holds this file beside the package directory ``verify/``; Python 3.10+ and the
``cryptography`` package are all it needs (no network, no Jishi).  Inside the project the same
commands are ``python -m ledger.verify …``.
"""

from __future__ import annotations

import sys

from verify.cli import main  # type: ignore[import-not-found]  # the bundle's copy, beside this file

sys.exit(main())
