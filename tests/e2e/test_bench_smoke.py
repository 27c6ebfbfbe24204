"""`python -m bench` end to end at the smallest size (SQLite): a smoke test, no timing assertions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_end_to_end_and_reports_every_section(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    env = {k: v for k, v in os.environ.items() if k not in ("JISHI_DATABASE_URL", "JISHI_DATA_DIR")}
    done = subprocess.run([sys.executable, "-m", "bench", "--size", "XS", "--samples", "20", "--http-seconds", "2",
                           "--http-clients", "8", "--data-dir", str(tmp_path / "stores"), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "<!-- bench:XS:sqlite -->" in report
    for section in ("generate", "import", "rebuild", "queries", "http", "ledger", "memory"):
        assert f"| {section} |" in report, f"no {section} section"
    assert "verify the whole log" in report and "(ok)" in report
    assert "0 errors" in report
