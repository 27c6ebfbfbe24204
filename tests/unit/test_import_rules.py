"""Dependencies point inward, layer by layer (docs/architecture.md):

    api (HTTP routes, pages, CLI)  ─┐
    demo (the generator)           ─┼─▶ jishi (composition root) ─▶ service ─▶ domain
    bench, scripts, tests          ─┘          │                       ▲
                                               ├─▶ projections ────────┤
                                               └─▶ ledger ─────────────┘

The domain knows nothing of ours outside it; the service layer knows the domain only; the read
models (projections) and the ledger know the domain and their storage, never the service layer, the
composition root or an entry point; only entry points know the composition root.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"domain", "service", "projections", "ledger", "jishi", "api", "demo", "bench", "scripts", "tests"}
# Third-party modules the domain may use, and why.
DOMAIN_ALLOWED = {
    "eventsourcing",  # the event-sourcing library the domain is written in
    "chinese_calendar",  # statutory holidays and 调休 for R-PUBLICITY (domain/workdays.py)
}
# Which of our packages each layer may import (itself always).
MAY_IMPORT = {
    "domain": set(),
    "service": {"domain"},
    "projections": {"domain"},
    "ledger": {"domain"},
    "jishi": {"domain", "service", "projections", "ledger"},
    "demo": {"domain", "service", "projections", "jishi"},
    "api": {"domain", "service", "projections", "ledger", "jishi", "demo"},
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


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_each_layer_imports_only_the_layers_beneath_it(layer: str) -> None:
    allowed = MAY_IMPORT[layer] | {layer}
    offenders = {m: sorted(files) for m, files in imported_top_levels(layer).items() if m in OURS and m not in allowed}
    assert offenders == {}


def test_every_package_of_the_tree_has_a_place_in_the_layers() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(MAY_IMPORT)
