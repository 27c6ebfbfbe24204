"""The 任免审批表 (.lrmx) format: what the form says from a growth file, and reading a file back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.errors import ValidationError
from service.lrmx import (
    FIELDS,
    FormContext,
    annual_results,
    build_person,
    parse,
    parse_month,
    resume,
    rewards_and_sanctions,
    to_xml,
)

CONTEXT = FormContext({"U1": "城关镇党委", "U2": "县委组织部"}, made_by="hr-zhang", made_on=date(2024, 3, 5))


def growth_file(**extra: Any) -> dict[str, Any]:
    profile = {"name": "王芳", "gender": "2", "gender_label": "女", "birth_date": "1985-06-15",
               "ethnicity": "01", "ethnicity_label": "汉族", "id_number": "110105198506150428",
               "political_status": "01", "political_status_label": "中共党员", "party_joined_on": "2007-06-01",
               "education": "21", "education_label": "大学本科毕业", "full_time_education": True,
               "native_place": "河北保定", "work_started_on": "2008-07-01", "major": None}
    return {"profile": profile, "posts": [], "secondments": [], "assessments": [], "rewards": [],
            "sanctions": [], "timeline": [], **extra}


def annual(period: str, grade: str) -> dict[str, Any]:
    return {"kind": "年度", "period": period, "grade": grade, "effective_on": f"{int(period) + 1}-01-15"}


def test_the_form_has_every_field_of_the_list_in_order_and_what_the_record_lacks_is_empty() -> None:
    xml = to_xml(build_person(growth_file(), date(2024, 3, 1), CONTEXT))
    fields = parse(xml)
    assert tuple(fields) == FIELDS
    assert fields["XingMing"] == "王芳" and fields["XingBie"] == "女" and fields["MinZu"] == "汉族"
    assert fields["ChuShengNianYue"] == "198506" and fields["RuDangShiJian"] == "200706"
    assert fields["CanJiaGongZuoShiJian"] == "200807" and fields["JiSuanNianLingShiJian"] == "202403"
    assert fields["QuanRiZhiJiaoYu_XueLi"] == "大学本科毕业" and fields["ZaiZhiJiaoYu_XueLi"] == ""
    for unheld in ("ChuShengDi", "JianKangZhuangKuang", "JiaTingChengYuan", "ChengBaoDanWei", "NiRenZhiWu",
                   "RenMianLiYou", "JianLi", "NianDuKaoHeJieGuo", "JiangChengQingKuang"):
        assert fields[unheld] == "", unheld
    assert fields["TianBiaoRen"] == "hr-zhang" and fields["TianBiaoShiJian"] == "20240305"


def test_a_member_of_another_party_has_the_status_itself_in_the_party_field() -> None:
    found = growth_file()
    found["profile"] |= {"political_status": "05", "political_status_label": "民盟盟员", "party_joined_on": None}
    assert build_person(found, date(2024, 3, 1), CONTEXT)["RuDangShiJian"] == "民盟盟员"


def test_the_resume_has_a_line_per_post_and_secondment_in_the_order_they_began() -> None:
    found = growth_file(
        posts=[{"unit_code": "U2", "post_code": "P9", "title": "科长", "since": "2019-05-10", "until": None},
               {"unit_code": "U1", "post_code": "P1", "title": "副书记", "since": "2012-03-01",
                "until": "2019-05-10"}],
        secondments=[{"host": "东村", "role": "第一书记", "kind": "驻村帮扶", "since": "2015-02-01",
                      "until": "2017-01-20"}])
    assert resume(found, CONTEXT.unit_names).split("\n") == [
        "2012.03--2019.05  城关镇党委副书记", "2015.02--2017.01  东村第一书记（驻村帮扶）", "2019.05--  县委组织部科长"]


@pytest.mark.parametrize(("on", "years"), [
    (date(2023, 12, 31), ["2020", "2021", "2022"]),  # the last day of 2023: 2023 itself is not over
    (date(2024, 1, 1), ["2021", "2022", "2023"]),  # the first day of 2024: 2020 drops out
])
def test_the_annual_results_are_those_of_the_three_years_before_the_forms_year(on: date, years: list[str]) -> None:
    found = growth_file(assessments=[annual(str(y), "称职") for y in range(2019, 2025)])
    assert annual_results(found, on) == "；".join(f"{y}年度称职" for y in years)


def test_a_year_without_an_annual_assessment_is_left_out_not_invented() -> None:
    found = growth_file(assessments=[annual("2021", "优秀"), {**annual("2022", "好"), "kind": "平时"}])
    assert annual_results(found, date(2024, 6, 1)) == "2021年度优秀"


def test_rewards_and_sanctions_are_listed_by_date_with_grantor_and_decision_number() -> None:
    found = growth_file(
        rewards=[{"type": "Commended", "effective_on": "2022-03-01",
                  "fields": {"kind": "嘉奖", "by": "县人民政府", "reason": "防汛表现突出"}}],
        sanctions=[{"type": "Sanctioned", "effective_on": "2021-06-01",
                    "fields": {"track": "政务", "kind": "警告", "decision_no": "监委〔2021〕3号"}},
                   {"type": "HandledOrganizationally", "effective_on": "2023-06-15",
                    "fields": {"kind": "诫勉", "decision_no": None}}])
    assert rewards_and_sanctions(found).split("\n") == [
        "2021.06 受政务警告处分（监委〔2021〕3号）", "2022.03 获县人民政府嘉奖（防汛表现突出）", "2023.06 受诫勉"]


@pytest.mark.parametrize(("data", "says"), [
    (b"\xff\xfe<Person/>", "UTF-8"),
    (b"<Person><XingMing>", "XML"),
    ("<Cadre><XingMing>王芳</XingMing></Cadre>".encode(), "Person"),
    (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "y">]><Person>&x;</Person>', "DOCTYPE"),
])
def test_a_file_that_is_not_a_utf8_person_form_is_refused_on_the_file(data: bytes, says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse(data)
    assert refused.value.errors[0].loc == "file" and says in refused.value.errors[0].msg


@pytest.mark.parametrize(("text", "parsed"), [
    ("197805", (1978, 5, None)), ("1978.05", (1978, 5, None)), ("1978年5月", (1978, 5, None)),
    ("19780520", (1978, 5, 20)), ("197813", None), ("一九七八", None),
])
def test_a_month_is_read_in_the_forms_offices_write_it(text: str, parsed: tuple[int, int, int | None] | None) -> None:
    assert parse_month(text) == parsed
