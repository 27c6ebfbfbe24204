"""Rule thresholds come from TOML: packaged defaults, overridable per jurisdiction."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.rules.config import ConfigError, RuleConfig


def test_the_defaults_are_those_of_domain_md() -> None:
    c = RuleConfig.defaults()
    assert c.int("sanction_period.政务.记大过") == 18
    assert c.int("sanction_period.党纪.严重警告") == 18
    assert c.int("selection.publicity_working_days") == 5
    assert c.int("training.county_hours_per_5_years") == 550
    assert str(c.fraction("selection.quorum_present_fraction")) == "2/3"


def test_an_operator_file_changes_only_what_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules.toml").write_text('[selection]\npublicity_working_days = 7\n', "utf-8")
    monkeypatch.delenv("JISHI_RULES", raising=False)
    c = RuleConfig.load(tmp_path)
    assert c.int("selection.publicity_working_days") == 7
    assert c.int("monitors.talk_due_days") == 30


@pytest.mark.parametrize("text", [
    '[selection]\npublicity_workdays = 7\n', '[selection]\npublicity_working_days = "7"\n',
    'not toml ['])
def test_a_misspelt_or_mistyped_threshold_is_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        RuleConfig.from_toml(text)


def test_jishi_rules_pointing_at_a_missing_file_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JISHI_RULES", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError):
        RuleConfig.load(tmp_path)
