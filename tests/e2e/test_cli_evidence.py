"""`jishi evidence cadre ID --as-of D [--known-at T] --out FILE.zip` through Typer's CliRunner: the zip it
writes verifies with the verifier's own command, and bad input gets exit codes with the field named."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from jishi.bootstrap import build_application
from jishi.settings import Settings
from ledger import verify
from service.users import reads
from tests.e2e.test_cli_ledger import environment  # noqa: F401 — the fixture: the store of the test's backend
from tests.integration.test_evidence_bundle import history

runner = CliRunner()


def test_the_operator_writes_a_bundle_that_the_verifier_accepts_and_the_read_is_recorded(
        environment: Settings, tmp_path: Path) -> None:  # noqa: F811
    app = build_application(environment)
    try:
        story = history(app)
    finally:
        app.close()
    out = tmp_path / "c1.zip"
    done = runner.invoke(cli, ["evidence", "cadre", str(story.cadre_id), "--as-of", "2026-01-01",
                               "--known-at", story.before_correction.isoformat(), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "5 条记录 (records)" in done.stdout
    key = runner.invoke(cli, ["ledger", "head", "--key-out", str(tmp_path / "key.pem")])
    assert key.exit_code == 0, key.output  # the head the bundle was proven against
    assert verify.main(["bundle", str(out), "--public-key", str(tmp_path / "key.pem")]) == 0
    app = build_application(environment)
    try:
        assert [r["reader"].split(":")[0] for r in reads(app, story.cadre_id)] == ["cli"]
    finally:
        app.close()


@pytest.mark.parametrize(("args", "code", "says"), [
    (["not-a-uuid", "--as-of", "2026-01-01"], 2, "UUID"),
    (["00000000-0000-0000-0000-000000000007", "--as-of", "2026-13-01"], 2, "--as-of"),
    (["00000000-0000-0000-0000-000000000007", "--as-of", "2026-01-01", "--known-at", "noon"], 2, "--known-at"),
    (["00000000-0000-0000-0000-000000000007", "--as-of", "2026-01-01"], 4, "no such cadre"),
])
def test_bad_input_and_an_unknown_cadre_end_with_their_exit_codes_and_write_nothing(
        environment: Settings, tmp_path: Path, args: list[str], code: int, says: str) -> None:  # noqa: F811
    out = tmp_path / "x.zip"
    done = runner.invoke(cli, ["evidence", "cadre", *args, "--out", str(out)])
    assert done.exit_code == code, done.output
    assert says in done.stderr
    assert not out.exists()
