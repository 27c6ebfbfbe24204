"""`jishi ledger head|prove|verify` through Typer's CliRunner: what an auditor types, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from jishi.bootstrap import build_application
from jishi.settings import Settings
from ledger import verify
from tests.conftest import point_cli_at
from tests.integration.test_ledger_tamper import RawStore, some_events

runner = CliRunner()


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI reads its settings from the environment: point it at the test's store."""
    point_cli_at(settings, monkeypatch, "JISHI_LEDGER_KEY", "JISHI_CIPHER_KEY", "JISHI_LEDGER_HEAD_EVERY")
    made = runner.invoke(cli, ["init"])  # the store and its ledger key: no other command makes them
    assert made.exit_code == 0, made.output
    return settings


def edited(state: bytes) -> bytes:
    """A stored record with one byte changed (the state is encrypted at rest: no name to rewrite)."""
    return state[:-1] + bytes([state[-1] ^ 1])


def test_an_auditor_saves_a_head_proves_events_and_verifies_until_someone_edits_the_store(
        environment: Settings, tmp_path: Path) -> None:
    app = build_application(environment)
    try:
        stored = some_events(app)
        raw = RawStore(environment, app)

        nothing = runner.invoke(cli, ["ledger", "head"])
        assert nothing.exit_code == 1 and "--sign" in nothing.stderr

        head_file, key_file = tmp_path / "head.json", tmp_path / "ledger-key.pem"
        signed = runner.invoke(cli, ["ledger", "head", "--sign", "--out", str(head_file), "--key-out", str(key_file)])
        assert signed.exit_code == 0, signed.output
        head = json.loads(head_file.read_text("utf-8"))
        assert head["size"] == len(stored)
        assert "public key" in signed.stderr
        assert verify.main(["head", str(head_file), str(key_file)]) == 0

        proof = runner.invoke(cli, ["ledger", "prove", "inclusion", "--position", str(stored[2]), "--record"])
        assert proof.exit_code == 0, proof.output
        proof_file = tmp_path / "inclusion.json"
        proof_file.write_text(proof.stdout, "utf-8")
        assert json.loads(proof.stdout)["root_hash"] == head["root_hash"]
        assert verify.main(["inclusion", str(proof_file)]) == 0

        consistency = runner.invoke(cli, ["ledger", "prove", "consistency", "--first", "2",
                                          "--second", str(len(stored))])
        assert consistency.exit_code == 0, consistency.output
        consistency_file = tmp_path / "consistency.json"
        consistency_file.write_text(consistency.stdout, "utf-8")
        assert verify.main(["consistency", str(consistency_file)]) == 0

        unknown = runner.invoke(cli, ["ledger", "prove", "inclusion", "--position", "999"])
        assert unknown.exit_code == 4 and "999" in unknown.stderr

        ok = runner.invoke(cli, ["ledger", "verify", "--head", str(head_file), "--public-key", str(key_file)])
        assert ok.exit_code == 0, ok.output
        assert "账本核验通过 (ledger verified)" in ok.stdout

        raw.update_state(stored[4], edited(raw.state(stored[4])))
        tampered = runner.invoke(cli, ["ledger", "verify", "--json"])
        assert tampered.exit_code == 1
        first = json.loads(tampered.stdout)["divergences"][0]
        assert (first["kind"], first["position"]) == ("changed", stored[4])
        plain = runner.invoke(cli, ["ledger", "verify"])
        assert plain.exit_code == 1
        assert f"[changed] 位置 position {stored[4]}" in plain.stdout

        (tmp_path / "junk.json").write_text("[1, 2]", "utf-8")
        unusable = runner.invoke(cli, ["ledger", "verify", "--head", str(tmp_path / "junk.json")])
        assert unusable.exit_code == 2
    finally:
        app.close()


def test_sync_reports_what_it_appended(environment: Settings) -> None:
    app = build_application(environment)
    try:
        stored = some_events(app, cadres=1)
    finally:
        app.close()
    first = runner.invoke(cli, ["ledger", "sync"])
    assert first.exit_code == 0 and f"(appended): {len(stored)}" in first.stdout
    again = runner.invoke(cli, ["ledger", "sync"])
    assert again.exit_code == 0 and "(appended): 0" in again.stdout
