"""`python -m bench --size S` end to end (SQLite): the CI smoke test of issue 8 — a county of 1,000
cadres generated, imported, rebuilt, queried, served and verified. No timing assertions: the
figures are reported, never judged here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_end_to_end_and_reports_every_section(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    env = {k: v for k, v in os.environ.items() if k not in ("JISHI_DATABASE_URL", "JISHI_DATA_DIR")}
    done = subprocess.run([sys.executable, "-m", "bench", "--size", "S", "--samples", "20", "--http-seconds", "2",
                           "--http-clients", "8", "--data-dir", str(tmp_path / "stores"), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "<!-- bench:S:sqlite -->" in report
    size = re.search(r"; ([\d,]+) cadres, ([\d,]+) events", report)
    assert size is not None
    cadres, events = (int(n.replace(",", "")) for n in size.groups())
    assert cadres >= 990 and events >= 40_000  # size S: one county of 1,000 cadres, ten years of careers
    for section in ("generate", "import", "rebuild", "queries", "http", "ledger", "memory"):
        assert f"| {section} |" in report, f"no {section} section"
    assert "verify the whole log" in report and "(ok)" in report
    assert "0 errors" in report

    again = subprocess.run([sys.executable, "-m", "bench", "--size", "S", "--samples", "5",
                            "--sections", "queries,http", "--http-seconds", "1", "--http-clients", "4",
                            "--data-dir", str(tmp_path / "stores"), "--out", str(out)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "| queries | roster (as_of today)" in report and "| rebuild |" not in report
    assert "| http |" in report and "0 errors" in report
    assert "The read models were built by an earlier invocation" in report


def test_queries_without_the_rebuild_are_refused_on_read_models_that_lag_the_log(tmp_path: Path) -> None:
    from bench.suite import run

    with pytest.raises(ValueError, match="need the rebuild section"):
        run("tiny", "sqlite", data_dir=tmp_path, sections=("generate", "queries"))
