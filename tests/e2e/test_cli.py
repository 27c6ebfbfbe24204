"""The `jishi` command line, through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def test_version_prints_the_distribution_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("jishi 0.")


def test_config_show_prints_the_thresholds_in_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JISHI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JISHI_RULES", raising=False)
    (tmp_path / "rules.toml").write_text("[monitors]\ntalk_due_days = 45\n", "utf-8")
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0, result.stdout
    assert "monitors.talk_due_days" in result.stdout and "45" in result.stdout
    assert "selection.publicity_working_days" in result.stdout
    assert str(tmp_path / "rules.toml") in result.stdout.replace("\n", "")


@pytest.mark.parametrize("command", [[], ["demo"], ["serve"], ["init"], ["user", "add"], ["ledger", "head"],
                                     ["ledger", "verify"], ["rebuild"], ["calendar", "publish"]], ids=" ".join)
def test_help_shows_flags_as_flags_and_a_type_only_for_options_that_take_a_value(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip().startswith("--")}
    assert lines["--help"].split()[1] == "Show"  # a flag: its help follows, no value
    if command == ["user", "add"]:
        assert lines["--can-override"].split()[1] == "hr" and lines["--role"].split()[1] == "<str>"
    if command == ["demo"]:
        assert lines["--no-serve"].split()[1] == "prepare" and lines["--port"].split()[1] == "<int>"
