"""Crash trials in CI (issue 16), a few short ones per backend: `jishi serve --workers 2` under a mixed
write load, SIGKILLed at a random moment, restarted; every unanswered request retried with its
Idempotency-Key. The long runs (100 on SQLite, 30 on PostgreSQL) are in docs/robustness.md."""

from __future__ import annotations

from pathlib import Path

from bench.crash import run_trials
from jishi.settings import Settings


def test_writes_survive_sigkill_of_the_server_exactly_once_with_read_models_and_ledger_in_step(
        settings: Settings, tmp_path: Path) -> None:
    trials = 2 if settings.database_url else 3
    summary = run_trials(settings, tmp_path / "logs", trials, writers=3, workers=2, seed=7, kill_after=(0.4, 1.5))
    assert summary.violations == []
    assert len(summary.trials) == trials
    assert all(t.checksum_equal and t.ledger_verified for t in summary.trials)
    assert summary.total("in_flight") > 0, "the server died with requests in flight"
    assert summary.total("stored_once") > 0  # (how many refusals a short trial meets depends on the machine)
    assert summary.total("retried") >= summary.total("in_flight") + summary.total("answered_201")
    assert summary.total("replayed") == summary.total("answered_201")
