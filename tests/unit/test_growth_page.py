"""The growth file as the page shows it: one-line summaries, names instead of codes, the training
series from the record's beginning, and pages that speak Chinese only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from api.pages.audit import _text as audit_text
from api.pages.growth import readable, record_began, summary, training_series
from api.pages.names import Names, code_name, rule_name, rules_named
from api.pages.render import _chinese_messages, chinese_only

REQUIRED = {"hours_per_year": 90}


def named() -> Names:
    names = Names(None, date(2024, 1, 1))  # no database: the names a page has already read
    names.units.update({"QS-ZRJ": "县自然资源局", "QS-BGS": "县委办公室"})
    names.posts.update({("QS-ZRJ", "JZ"): "局长", ("QS-BGS", "KY"): "科员"})
    return names


def entry(entry_type: str, fields: dict[str, Any], day: str = "2020-01-01") -> dict[str, Any]:
    return {"type": entry_type, "effective_on": day, "retracted": False, "fields": {"effective_on": day, **fields}}


# ——— names instead of codes ———

def test_an_appointment_reads_as_unit_and_post_names_with_the_post_it_ends() -> None:
    item = entry("Appointed", {"unit_code": "QS-ZRJ", "post_code": "JZ", "manner": "提拔",
                               "ends_posts": ["QS-BGS/KY"]})
    rows = {r["label"]: r["text"] for r in readable(item["fields"], named())}
    assert rows["单位"] == "县自然资源局" and rows["职位"] == "局长"
    assert rows["同时免去的职务"] == "县委办公室科员"
    assert summary(item, named()) == "县自然资源局 · 局长 · 提拔"
    assert "QS-ZRJ" not in str(rows) and "JZ" not in str(rows)


def test_a_code_no_unit_ever_had_is_shown_as_it_is_rather_than_hidden() -> None:
    rows = {r["label"]: r["text"] for r in readable({"unit_code": "XX", "post_code": "YY"}, named())}
    assert rows == {"单位": "XX", "职位": "YY"}


def test_codes_of_the_code_tables_and_rules_are_named_in_chinese() -> None:
    assert code_name("grade", "142") == "乡科级副职" and code_name("gender", "2") == "女"
    assert code_name("grade", "999") == "999"  # unknown: as it is
    assert rule_name("R-POOL-REVIEW") == "后备干部一年未考察" and rule_name("R-NONE") == "R-NONE"
    assert summary(entry("PoolEntered", {"pool": "后备干部库", "target_grade": "142"})) == "后备干部库 · 乡科级副职"


def test_rule_ids_inside_a_finding_text_are_given_their_titles_and_unknown_ids_stay() -> None:
    said = rules_named("经批准例外放行：R-EST, R-PUBLICITY")
    assert said == "经批准例外放行：不得超职数配备（R-EST）, 任前公示不少于5个工作日（R-PUBLICITY）"
    assert rules_named("R-NONE 未知") == "R-NONE 未知" and rules_named(None) == ""


def test_an_entry_without_a_value_shows_no_row_even_when_the_empty_value_is_a_tuple() -> None:
    rows = readable({"unit_code": "QS-ZRJ", "ends_posts": (), "manner": "", "reason": None}, named())
    assert [r["label"] for r in rows] == ["单位"]


def test_posts_inside_a_finding_text_are_named_and_pairs_that_are_no_post_stay() -> None:
    said = named().posts_in("同时担任两个领导职务（QS-ZRJ/JZ、QS-BGS/KY），均非兼任")
    assert said == "同时担任两个领导职务（县自然资源局局长、县委办公室科员），均非兼任"
    assert named().posts_in("培训学时57/90，见XX/YY") == "培训学时57/90，见XX/YY"  # no unit XX: as it is


def test_the_audit_trail_shows_a_corrected_date_and_document_number_not_a_dash() -> None:
    assert audit_text("effective_on", "2020-01-22") == "2020-01-22"  # was "—": the row was hidden
    assert audit_text("document_no", "青组干〔2020〕1号") == "青组干〔2020〕1号"
    assert audit_text("effective_on", None) == "—" and audit_text("grade_code", "142") == "乡科级副职"


def test_a_unit_renamed_later_keeps_the_name_it_had_on_the_page_date() -> None:
    from api.pages.names import _as_of
    versions = [("U", date(2010, 1, 1), "县国土资源局"), ("U", date(2019, 3, 1), "县自然资源局")]
    assert _as_of(versions, date(2019, 2, 28)) == {"U": "县国土资源局"}
    assert _as_of(versions, date(2019, 3, 1)) == {"U": "县自然资源局"}
    assert _as_of(versions, date(2009, 12, 31)) == {"U": "县国土资源局"}  # not yet set up: its first name


def test_summaries_say_what_happened_in_one_line() -> None:
    assert summary(entry("Assessed", {"kind": "年度", "period": "2023", "grade": "优秀"})) == "2023年度考核：优秀"
    assert summary(entry("RankPromoted", {"from_rank": "二级主任科员", "to_rank": "一级主任科员"})) \
        == "二级主任科员 → 一级主任科员"
    assert summary(entry("TrainingCompleted", {"course": "依法行政专题班", "hours": "24.5"})) \
        == "依法行政专题班 · 24.5学时"
    assert summary(entry("PersonalMattersVerified", {"year": 2022, "result": "一致"})) == "2022年度 · 一致"
    long = summary(entry("PerformanceNoted", {"task": "防汛", "narrative": "连续奋战" * 30}))
    assert len(long) == 60 and long.endswith("…")


# ——— training from the record's beginning ———

def test_years_before_the_record_began_are_neither_drawn_nor_short() -> None:
    series = training_series({"2021": "95"}, REQUIRED, date(2022, 12, 31), began=date(2020, 1, 1))
    assert series["years"] == ["2020", "2021", "2022"] and series["hours"] == [0.0, 95.0, 0.0]
    assert series["short"] == ["2020", "2022"]
    without = training_series({"2021": "95"}, REQUIRED, date(2022, 12, 31))
    assert without["years"][0] == "2018"  # the old five-year window when the beginning is unknown


def test_the_year_the_record_began_counts_only_if_it_began_on_the_first_of_january() -> None:
    on_first = training_series({}, REQUIRED, date(2022, 12, 31), began=date(2021, 1, 1))
    on_second = training_series({}, REQUIRED, date(2022, 12, 31), began=date(2021, 1, 2))
    assert on_first["short"] == ["2021", "2022"] and on_first["partial"] is None
    assert on_second["short"] == ["2022"] and on_second["partial"] == "2021"
    assert on_second["years"] == ["2021", "2022"]  # drawn, not judged


def test_hours_recorded_before_the_registration_are_still_drawn() -> None:
    series = training_series({"2016": "40", "2018": "95"}, REQUIRED, date(2018, 12, 31), began=date(2017, 6, 1))
    assert series["years"] == ["2016", "2017", "2018"] and series["short"] == []


def test_hours_long_before_the_record_and_the_window_do_not_draw_the_years_between_as_zero() -> None:
    series = training_series({"2000": "108", "2017": "103", "2018": "197"}, REQUIRED, date(2019, 6, 30),
                             began=date(2017, 1, 1))
    assert series["years"] == ["2017", "2018", "2019"] and series["short"] == []


def test_the_record_begins_at_the_registration_not_at_a_backfilled_appointment() -> None:
    timeline = [entry("Appointed", {}, "2012-09-14"), entry("CadreRegistered", {}, "2017-01-01")]
    assert record_began(timeline) == date(2017, 1, 1)
    assert record_began([entry("Appointed", {}, "2012-09-14")]) == date(2012, 9, 14)
    assert record_began([]) is None


# ——— pages speak Chinese ———

def test_a_bilingual_message_keeps_only_its_chinese_half() -> None:
    assert chinese_only("须为0到150之间的整数 (a whole number from 0 to 150)") == "须为0到150之间的整数"
    assert chinese_only("干部不存在 (no such cadre): 42") == "干部不存在: 42"
    assert chinese_only("入年轻干部库满36个月未使用 (in 年轻干部库 36 months without promotion)") \
        == "入年轻干部库满36个月未使用"
    assert chinese_only("R-EST（不得超职数配备）：超出职数 (over the establishment (2 of 1))，请核对") \
        == "R-EST（不得超职数配备）：超出职数，请核对"


def test_brackets_that_are_chinese_or_figures_and_english_only_text_are_kept() -> None:
    assert chinese_only("学历（全日制）") == "学历（全日制）"
    assert chinese_only("学时 (105/90)") == "学时 (105/90)"
    assert chinese_only("Field required") == "Field required"  # nothing Chinese to show instead


@dataclass
class FakeField:
    value: str
    errors: list[str] = field(default_factory=list)


@dataclass
class FakeRefusal:
    fields: dict[str, list[str]]
    general: list[str]


def test_messages_lose_their_english_but_what_the_user_typed_is_shown_as_typed() -> None:
    typed = FakeField("见附件 (scan copy)", ["必填 (required)"])
    shown = _chinese_messages([typed])[0]
    assert shown.value == "见附件 (scan copy)" and shown.errors == ["必填"]
    assert typed.errors == ["必填 (required)"]  # the caller's object is not changed
    refusal = _chinese_messages(FakeRefusal({"grade": ["不在可选范围内 (not one of the choices)"]},
                                            ["表单已过期 (form expired)"]))
    assert refusal.fields == {"grade": ["不在可选范围内"]} and refusal.general == ["表单已过期"]
