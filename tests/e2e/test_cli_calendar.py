"""`jishi calendar publish|list`, the calendar lines of `jishi config show`, and the permission on
`jishi user add|permission`. Dates are pinned by patching the application's "today"; the recorded
year is SYNTHETIC (tests/synthetic_calendar.py), never the real 2027 schedule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from service.application import Jishi
from tests import synthetic_calendar as syn

runner = CliRunner()
TOML = f'''# SYNTHETIC schedule for the tests (made up)
notice_no = "{syn.NOTICE_NO}"
notice_date = {syn.NOTICE_DATE}
holidays = [2031-03-04, 2031-03-05, 2031-03-06]
workdays = [2031-03-08]
'''


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JISHI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JISHI_DATABASE_URL", raising=False)
    monkeypatch.delenv("JISHI_RULES", raising=False)
    monkeypatch.delenv("JISHI_LEDGER_KEY", raising=False)
    assert runner.invoke(app, ["init"]).exit_code == 0  # the CLI makes no store but with init, demo or serve
    yield tmp_path


def on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(Jishi, "today", lambda self: day)


def test_config_show_says_next_years_schedule_is_missing_from_the_first_of_november_on(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, date(2026, 10, 31))
    before = runner.invoke(app, ["config", "show"])
    assert before.exit_code == 0, before.output
    assert "2026 年节假日安排：内置（chinese-calendar" in before.output
    assert "尚未记录" not in before.output
    on(monkeypatch, date(2026, 11, 1))
    after = runner.invoke(app, ["config", "show"])
    assert "2027 年节假日安排尚未记录" in after.output and "R-PUBLICITY" in after.output
    assert "calendar.warn_from" in after.output  # the setting itself is among the thresholds


def test_calendar_publish_records_a_year_from_a_toml_file_and_list_and_config_show_name_it(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, syn.NOW.date())
    file = data_dir / "2031.toml"
    file.write_text(TOML, "utf-8")
    published = runner.invoke(app, ["calendar", "publish", "2031", "--file", str(file)])
    assert published.exit_code == 0, published.output
    assert "记录第1版" in published.output and "放假 3 天" in published.output
    listed = runner.invoke(app, ["calendar", "list"])
    assert listed.exit_code == 0, listed.output
    assert "recorded" in listed.output and "2031" in listed.output and "built-in" in listed.output
    shown = runner.invoke(app, ["config", "show"])
    assert f"2031 年节假日安排：记录第1版（{syn.NOTICE_NO}）" in shown.output.replace("\n", "")


def test_a_bad_file_is_refused_naming_the_field_and_a_second_publication_must_be_a_correction(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, syn.NOW.date())
    bad = data_dir / "bad.toml"
    bad.write_text(TOML.replace("workdays = [2031-03-08]", "workdays = [2031-03-07]"), "utf-8")  # a Friday
    refused = runner.invoke(app, ["calendar", "publish", "2031", "--file", str(bad)])
    assert refused.exit_code == 2 and "workdays" in refused.output and "周五" in refused.output
    good = data_dir / "2031.toml"
    good.write_text(TOML, "utf-8")
    assert runner.invoke(app, ["calendar", "publish", "2031", "--file", str(good)]).exit_code == 0
    assert runner.invoke(app, ["calendar", "publish", "2031", "--file", str(good)]).exit_code == 5
    fixed = data_dir / "fixed.toml"
    fixed.write_text(TOML.replace("2031-03-06]", "2031-03-06, 2031-03-07]"), "utf-8")
    no_reason = runner.invoke(app, ["calendar", "publish", "2031", "--file", str(fixed), "--correct"])
    assert no_reason.exit_code == 2 and "reason" in no_reason.output
    corrected = runner.invoke(app, ["calendar", "publish", "2031", "--file", str(fixed), "--correct",
                                    "--reason", "漏记3月7日（虚构）", "--document-no", "虚构更正〔2031〕2号"])
    assert corrected.exit_code == 0, corrected.output
    assert "记录第2版" in corrected.output and "放假 4 天" in corrected.output
    named = data_dir / "named.toml"
    named.write_text("year = 2031\n" + TOML, "utf-8")
    other_year = runner.invoke(app, ["calendar", "publish", "2032", "--file", str(named)])
    assert other_year.exit_code == 2 and "another year" in other_year.output
    dates_of_2031 = runner.invoke(app, ["calendar", "publish", "2032", "--file", str(good)])
    assert dates_of_2031.exit_code == 2 and "dates must be in 2032" in dates_of_2031.output


def test_an_hr_user_gets_the_calendar_permission_when_added_or_later(data_dir: Path) -> None:
    added = runner.invoke(app, ["user", "add", "li", "--role", "hr", "--can-publish-calendar"])
    assert added.exit_code == 0 and "can_publish_calendar=True" in added.output
    assert runner.invoke(app, ["user", "add", "zhao", "--role", "hr"]).exit_code == 0
    granted = runner.invoke(app, ["user", "permission", "zhao", "--grant", "can_publish_calendar"])
    assert granted.exit_code == 0, granted.output
    listed = runner.invoke(app, ["user", "list"]).output
    assert [line.count("True") for line in listed.splitlines() if "│ li " in line or "│ zhao " in line] == [1, 1]
    refused = runner.invoke(app, ["user", "add", "wu", "--role", "auditor", "--can-publish-calendar"])
    assert refused.exit_code == 2
