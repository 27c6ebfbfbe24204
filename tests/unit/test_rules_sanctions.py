"""R-SANCTION-PERIOD, R-INVESTIGATION and R-GRADE-CAP at their boundaries, from the configured periods."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.cadre import EntryRecord
from domain.rules.common import add_months
from domain.rules.config import RuleConfig
from domain.rules.sanctions import r_grade_cap, r_investigation, r_sanction_period
from tests import factories as f

CONFIG = RuleConfig.defaults()
PERIODS: dict[str, Any] = dict(CONFIG.get("sanction_period"))
START = date(2021, 3, 15)
DAY = timedelta(days=1)


def sanctioned(day: date, track: str, kind: str, **extra: Any) -> EntryRecord:
    return f.record("Sanctioned", day, track=track, kind=kind, decision_no="纪〔2021〕1号", **extra)


def handled(day: date, kind: str, accountability: bool) -> EntryRecord:
    return f.record("HandledOrganizationally", day, kind=kind, accountability=accountability,
                    decision_no="组〔2021〕1号")


def rank_promotion(entries: list[EntryRecord], day: date) -> list[str]:
    ctx = f.judged(entries, "RankPromoted", {"effective_on": day, "from_rank": "一级科员", "to_rank": "四级主任科员"})
    return [v.rule for v in r_sanction_period(ctx, CONFIG)]


def appointment(entries: list[EntryRecord], day: date, manner: str, leadership: bool = True) -> list[str]:
    ctx = f.judged(entries, "Appointed", {"effective_on": day, "unit_code": "U1", "post_code": "P2", "manner": manner},
                   target_post=f.post_of("142", post_code="P2", leadership=leadership))
    return [v.rule for v in r_sanction_period(ctx, CONFIG)]


def every_period() -> list[Any]:
    """(entry, months) for every configured kind: the period a promotion must wait."""
    cases = []
    for track in ("政务", "党纪"):
        for kind, months in PERIODS[track].items():
            if not kind.endswith("_extra"):
                cases.append(pytest.param(sanctioned(START, track, kind), months, id=f"{track}{kind}"))
    for term in (12, 24):
        cases.append(pytest.param(sanctioned(START, "党纪", "留党察看", months=term),
                                  term + PERIODS["党纪"]["留党察看_extra"], id=f"留党察看{term}"))
    for kind, months in PERIODS["组织处理"].items():
        if months > 0:
            cases.append(pytest.param(handled(START, kind, False), months, id=f"组织处理{kind}"))
    for key, months in PERIODS["问责"].items():
        if key.endswith("_no_higher"):
            kind = key.removesuffix("_no_higher")
            cases.append(pytest.param(handled(START, kind, True), months, id=f"问责{kind}"))
    return cases


@pytest.mark.parametrize(("entry", "months"), every_period())
def test_no_promotion_until_the_influence_period_of_each_kind_has_run(entry: EntryRecord, months: int) -> None:
    entries = [f.registration(), entry]
    first_allowed = add_months(START, months)
    assert rank_promotion(entries, START) == ["R-SANCTION-PERIOD"]  # the day of the sanction itself
    assert rank_promotion(entries, add_months(START, months // 2)) == ["R-SANCTION-PERIOD"]  # well inside
    assert rank_promotion(entries, first_allowed - DAY) == ["R-SANCTION-PERIOD"]  # the last forbidden day
    assert rank_promotion(entries, first_allowed) == []  # the first allowed day
    assert appointment(entries, first_allowed - DAY, "提拔") == ["R-SANCTION-PERIOD"]
    assert appointment(entries, first_allowed, "提拔") == []


def test_a_sanction_after_the_entry_date_does_not_count() -> None:
    entries = [f.registration(), sanctioned(START, "政务", "记大过")]
    assert rank_promotion(entries, START - DAY) == []


def test_a_period_from_a_month_end_is_clamped_to_the_shorter_month() -> None:
    start = date(2023, 8, 31)
    months = PERIODS["政务"]["警告"]
    entries = [f.registration(), sanctioned(start, "政务", "警告")]
    first_allowed = add_months(start, months)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)  # the arithmetic itself
    assert rank_promotion(entries, first_allowed - DAY) == ["R-SANCTION-PERIOD"]
    assert rank_promotion(entries, first_allowed) == []


def test_when_several_periods_apply_the_longest_governs() -> None:
    short, long_ = PERIODS["政务"]["警告"], PERIODS["党纪"]["严重警告"]
    later = START + timedelta(days=40)
    entries = [f.registration(), sanctioned(later, "政务", "警告"), sanctioned(START, "党纪", "严重警告")]
    end = max(add_months(later, short), add_months(START, long_))
    ctx = f.judged(entries, "RankPromoted",
                   {"effective_on": end - DAY, "from_rank": "一级科员", "to_rank": "四级主任科员"})
    [violation] = r_sanction_period(ctx, CONFIG)
    assert f"至{end - DAY}" in violation.message_zh and f"until {end - DAY}" in violation.message_en
    assert rank_promotion(entries, end) == []


def test_expulsion_has_no_end() -> None:
    entries = [f.registration(), sanctioned(START, "党纪", "开除党籍")]
    assert "开除党籍" in PERIODS["permanent_kinds"]
    assert rank_promotion(entries, START + timedelta(days=365 * 30)) == ["R-SANCTION-PERIOD"]


def test_a_kind_not_configured_for_its_track_takes_its_longest_configured_period() -> None:
    entries = [f.registration(), sanctioned(START, "政务", "严重警告")]  # 严重警告 exists only in 党纪
    first_allowed = add_months(START, PERIODS["党纪"]["严重警告"])
    assert rank_promotion(entries, first_allowed - DAY) == ["R-SANCTION-PERIOD"]
    assert rank_promotion(entries, first_allowed) == []


ACCOUNTABILITY_KINDS = [k.removesuffix("_no_leadership") for k in PERIODS["问责"] if k.endswith("_no_leadership")]


@pytest.mark.parametrize("kind", ACCOUNTABILITY_KINDS)
def test_accountability_bars_any_leadership_post_for_its_first_period_and_any_promotion_for_the_second(
        kind: str) -> None:
    entries = [f.registration(), handled(START, kind, True)]
    no_leadership = add_months(START, PERIODS["问责"][f"{kind}_no_leadership"])
    no_higher = add_months(START, PERIODS["问责"][f"{kind}_no_higher"])
    assert appointment(entries, no_leadership - DAY, "平职交流") == ["R-SANCTION-PERIOD"]
    assert appointment(entries, no_leadership, "平职交流") == []
    assert appointment(entries, no_leadership - DAY, "平职交流", leadership=False) == []
    assert appointment(entries, no_higher - DAY, "提拔") == ["R-SANCTION-PERIOD"]
    assert appointment(entries, no_higher, "提拔") == []


def test_a_suspension_for_inspection_has_no_influence_period() -> None:
    assert PERIODS["组织处理"]["停职检查"] == 0
    assert rank_promotion([f.registration(), handled(START, "停职检查", False)], START) == []


def test_an_ordinary_entry_is_not_judged_by_the_sanction_period() -> None:
    entries = [f.registration(), sanctioned(START, "政务", "撤职")]
    ctx = f.judged(entries, "TrainingCompleted", {"effective_on": START})
    assert r_sanction_period(ctx, CONFIG) == []


# — R-INVESTIGATION —

def investigation(opened: date, closed: date | None) -> list[EntryRecord]:
    entries = [f.registration(), f.record("InvestigationOpened", opened, authority="县纪委监委")]
    if closed is not None:
        entries.append(f.record("InvestigationClosed", closed, authority="县纪委监委", outcome="了结"))
    return entries


def investigated(entries: list[EntryRecord], day: date) -> list[str]:
    ctx = f.judged(entries, "RankPromoted", {"effective_on": day, "from_rank": "一级科员", "to_rank": "四级主任科员"})
    return [v.rule for v in r_investigation(ctx, CONFIG)]


def test_no_promotion_from_the_day_an_investigation_opens_until_the_day_it_closes() -> None:
    opened, closed = date(2022, 7, 1), date(2022, 9, 1)
    entries = investigation(opened, closed)
    assert investigated(entries, opened - DAY) == []
    assert investigated(entries, opened) == ["R-INVESTIGATION"]
    assert investigated(entries, opened + timedelta(days=30)) == ["R-INVESTIGATION"]
    assert investigated(entries, closed - DAY) == ["R-INVESTIGATION"]  # the last forbidden day
    assert investigated(entries, closed) == []  # closed that day: the first allowed day


def test_an_investigation_never_closed_bars_promotion_for_good() -> None:
    assert investigated(investigation(date(2022, 7, 1), None), date(2030, 1, 1)) == ["R-INVESTIGATION"]


def test_an_investigation_closed_later_in_valid_time_is_still_open_on_an_earlier_date() -> None:
    entries = investigation(date(2022, 7, 1), date(2022, 9, 1))
    ctx = f.judged(entries, "Appointed", {"effective_on": date(2022, 8, 1), "unit_code": "U1", "post_code": "P2",
                                          "manner": "提拔"}, target_post=f.post_of("142"))
    [violation] = r_investigation(ctx, CONFIG)
    assert "县纪委监委" in violation.message_zh and "2022-07-01" in violation.message_zh


# — R-GRADE-CAP (§6.3) —

CAPS: dict[str, str] = dict(CONFIG.get("grade_cap.cap"))
NEXT_YEAR: list[str] = list(CONFIG.get("grade_cap.next_year"))
ORDER = ("优秀", "称职", "基本称职", "不定等次", "不称职")


def graded(entries: list[EntryRecord], year: int, grade: str) -> list[str]:
    ctx = f.judged(entries, "Assessed", {"effective_on": date(year + 1, 1, 15), "kind": "年度",
                                         "period": str(year), "grade": grade})
    return [v.rule for v in r_grade_cap(ctx, CONFIG)]


def entry_for(kind: str, day: date) -> EntryRecord:
    if kind == "调整职务":
        return handled(day, kind, False)
    track = "政务" if kind in PERIODS["政务"] else "党纪"
    return sanctioned(day, track, kind, **({"months": 12} if kind == "留党察看" else {}))


@pytest.mark.parametrize(("kind", "cap"), sorted(CAPS.items()))
def test_a_sanction_in_the_year_caps_that_years_annual_grade(kind: str, cap: str) -> None:
    entries = [f.registration(), entry_for(kind, date(2022, 6, 1))]
    for grade in ORDER:
        expected = [] if ORDER.index(grade) >= ORDER.index(cap) else ["R-GRADE-CAP"]
        assert graded(entries, 2022, grade) == expected, grade


@pytest.mark.parametrize("kind", NEXT_YEAR)
def test_the_heaviest_sanctions_cap_the_next_year_too_and_not_the_one_after(kind: str) -> None:
    entries = [f.registration(), entry_for(kind, date(2022, 6, 1))]
    assert graded(entries, 2023, "称职") == ["R-GRADE-CAP"]
    assert graded(entries, 2023, CAPS[kind]) == []
    assert graded(entries, 2024, "优秀") == []


def test_the_year_of_a_sanction_is_its_effective_year() -> None:
    # 警告 caps only its own year; find one kind that does not reach into the next year.
    assert "警告" not in NEXT_YEAR
    on_new_years_eve = [f.registration(), sanctioned(date(2022, 12, 31), "政务", "警告")]
    on_new_years_day = [f.registration(), sanctioned(date(2023, 1, 1), "政务", "警告")]
    assert graded(on_new_years_eve, 2022, "优秀") == ["R-GRADE-CAP"]
    assert graded(on_new_years_day, 2022, "优秀") == []
    assert graded(on_new_years_eve, 2023, "优秀") == []


def test_the_most_severe_cap_governs() -> None:
    entries = [f.registration(), sanctioned(date(2022, 3, 1), "政务", "警告"),
               sanctioned(date(2022, 5, 1), "党纪", "留党察看", months=12)]
    assert graded(entries, 2022, "称职") == ["R-GRADE-CAP"]
    assert graded(entries, 2022, "不称职") == []


def test_only_annual_assessments_are_capped() -> None:
    entries = [f.registration(), sanctioned(date(2022, 6, 1), "党纪", "留党察看", months=12)]
    ctx = f.judged(entries, "Assessed", {"effective_on": date(2022, 12, 1), "kind": "专项",
                                         "period": "2022", "grade": "优秀"})
    assert r_grade_cap(ctx, CONFIG) == []
