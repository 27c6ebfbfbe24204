"""Dependencies point inward: domain knows nothing of ours outside it; projections never import api."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Third-party modules the domain may use, and why.
DOMAIN_ALLOWED = {
    "eventsourcing",  # the event-sourcing library the domain is written in
    "orjson",  # the stored-event transcoder (domain/transcoder.py)
    "chinese_calendar",  # statutory holidays and 调休 for R-PUBLICITY (domain/workdays.py)
    "psycopg",  # reading a stored event's position on PostgreSQL (domain/positions.py)
}


def imported_top_levels(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_domain_imports_only_the_standard_library_and_the_event_sourcing_library() -> None:
    ours_or_allowed = {"domain", "__future__", *DOMAIN_ALLOWED}
    offenders = {m: files for m, files in imported_top_levels("domain").items()
                 if m not in sys.stdlib_module_names and m not in ours_or_allowed}
    assert offenders == {}


def test_projections_never_import_the_api() -> None:
    assert "api" not in imported_top_levels("projections")
