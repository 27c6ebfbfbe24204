"""A scratch store for the property tests that build one per hypothesis example."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from tests import factories as f
from tests.pgserver import PostgresServer


@contextmanager
def three_cadres(server: PostgresServer | None) -> Iterator[tuple[Runtime, list[Any]]]:
    """A fresh store — SQLite in a temporary directory, or a new database on ``server`` — with unit U1
    (two places a post) and three registered cadres C0–C2: the runtime and the cadres' ids. Closed and
    removed afterwards."""
    tmp = Path(tempfile.mkdtemp())
    try:
        url = server.url(server.create_database()) if server else None
        runtime = build_runtime(Settings(data_dir=tmp, database_url=url))
        try:
            f.organisation(runtime.app, establishment=2)
            yield runtime, [f.registered(runtime.app, f"C{i}") for i in range(3)]
        finally:
            runtime.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
