"""`jishi backup --out` and `jishi restore` as an operator types them, then `jishi ledger verify --head`
on the restored store with the head and key saved before the backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from jishi.bootstrap import build_application
from jishi.settings import Settings
from tests.conftest import point_cli_at
from tests.integration.test_backup_restore import elsewhere, seeded

runner = CliRunner()


def point_at(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(settings, monkeypatch, "JISHI_LEDGER_KEY", "JISHI_CIPHER_KEY")


def test_an_operator_backs_up_restores_elsewhere_and_the_saved_head_verifies_there(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    seeded(settings, cadres=2)
    point_at(settings, monkeypatch)
    head, key = tmp_path / "head.json", tmp_path / "key.pem"
    saved = runner.invoke(cli, ["ledger", "head", "--sign", "--out", str(head), "--key-out", str(key)])
    assert saved.exit_code == 0, saved.output
    archive = tmp_path / "jishi.backup"
    made = runner.invoke(cli, ["backup", "--out", str(archive)])
    assert made.exit_code == 0, made.output
    assert "已备份" in made.output

    target = elsewhere(settings, tmp_path, request)
    point_at(target, monkeypatch)
    put_back = runner.invoke(cli, ["restore", str(archive)])
    assert put_back.exit_code == 0, put_back.output
    verified = runner.invoke(cli, ["ledger", "verify", "--head", str(head), "--public-key", str(key)])
    assert verified.exit_code == 0, verified.output

    again = runner.invoke(cli, ["restore", str(archive)])  # the place now holds a store
    assert again.exit_code == 2 and "已有纪实数据库" in again.stderr


def test_backup_of_a_place_without_a_store_exits_2_and_writes_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(Settings(data_dir=tmp_path / "nothing"), monkeypatch)
    archive = tmp_path / "b.tar"
    result = runner.invoke(cli, ["backup", "--out", str(archive)])
    assert result.exit_code == 2
    assert not archive.exists() and not (tmp_path / "nothing").exists()


def test_a_restored_store_keeps_the_records_after_the_original_is_gone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = Settings(data_dir=tmp_path / "data")
    seeded(source, cadres=3)
    point_at(source, monkeypatch)
    assert runner.invoke(cli, ["backup", "--out", str(tmp_path / "b.tar")]).exit_code == 0
    app = build_application(source)
    before = [n.state for n in app.recorder.select_notifications(1, 10_000)]
    app.close()
    for path in sorted(source.data_dir.iterdir()):
        path.unlink()
    point_at(source, monkeypatch)
    assert runner.invoke(cli, ["restore", str(tmp_path / "b.tar")]).exit_code == 0
    app = build_application(source)
    try:
        assert [n.state for n in app.recorder.select_notifications(1, 10_000)] == before
    finally:
        app.close()
