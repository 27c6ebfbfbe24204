"""干部任免审批表 (.lrmx) on SQLite and PostgreSQL: the export re-imports into a fresh store to the same
profile; an import goes through the registration command, lists what it cannot map, stores nothing
twice and nothing on a dry run; with a selection case the form says 拟任 / 拟免 / 任免理由."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.printing import appointment_form
from domain import ids
from domain.errors import NotFoundError, ValidationError
from domain.users import Principal
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from service.commands import EstablishPost, OpenCase, RecordEntry
from service.lrmx import parse, to_xml
from service.lrmx_import import import_lrmx
from tests import factories as f

HR = Principal("hr-zhang", "hr")
SUPPLIED = {"cadre_no": "C1", "entry_channel": "考试录用", "rank": "四级主任科员"}
PROFILE_KEYS = ("name", "gender", "birth_date", "ethnicity", "id_number", "political_status", "education",
                "full_time_education", "native_place", "work_started_on", "party_joined_on")


def exported(runtime: Runtime, cadre_id: UUID, as_of: date = date(2024, 3, 1), case_id: UUID | None = None
             ) -> bytes:
    _, person = appointment_form(runtime, HR, "req-test", cadre_id, as_of, None, case_id)
    return to_xml(person)


def profile(app: f.Jishi, cadre_id: UUID) -> dict[str, Any]:
    values = app.get_cadre(cadre_id).profile
    return {k: str(values.get(k)) for k in PROFILE_KEYS}


def form(**fields: str) -> bytes:
    base = {"XingMing": "李强", "XingBie": "男", "ChuShengNianYue": "198003", "MinZu": "汉族", "JiGuan": "山东济南",
            "RuDangShiJian": "2001.06", "CanJiaGongZuoShiJian": "200207", "QuanRiZhiJiaoYu_XueLi": "大学本科",
            "ShenFenZheng": "370102198003150011"} | fields
    return ("<?xml version='1.0' encoding='UTF-8'?><Person>" + "".join(
        f"<{k}>{v}</{k}>" for k, v in base.items()) + "</Person>").encode()


@pytest.fixture
def fresh(tmp_path: Path) -> Any:
    runtime = build_runtime(Settings(data_dir=tmp_path / "fresh"))
    yield runtime
    runtime.close()


def test_the_export_re_imports_into_a_fresh_store_to_the_same_profile(runtime: Runtime, fresh: Runtime) -> None:
    f.organisation(runtime.app)
    cadre_id = f.registered(runtime.app, "C1", party_joined_on="2007-06-01")
    runtime.app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)
    report = import_lrmx(fresh.app, exported(runtime, cadre_id), by=f.HR, file_name="c1.lrmx", supplied=SUPPLIED)
    assert (report.stored, report.refused, report.problems) == (1, 0, [])
    assert report.cadre_id == str(cadre_id)  # the same 干部编号, so the same id
    assert profile(fresh.app, cadre_id) == profile(runtime.app, cadre_id)
    assert {u["field"] for u in report.unmapped} == {"XianRenZhiWu", "JianLi"}  # said, not stored


def test_an_import_lists_the_fields_it_cannot_map_and_the_conventions_it_applied(runtime: Runtime) -> None:
    data = form(ChuShengDi="山东济南", JianKangZhuangKuang="健康", QuanRiZhiJiaoYu_XueWei="法学学士",
                ZaiZhiJiaoYu_XueLi="硕士研究生", JianLi="2002.07--  某局科员")
    report = import_lrmx(runtime.app, data, by=f.HR, file_name="li.lrmx", supplied=SUPPLIED)
    assert (report.stored, report.refused) == (1, 0)
    unmapped = {u["field"]: u["value"] for u in report.unmapped}
    assert unmapped == {"ChuShengDi": "山东济南", "JianKangZhuangKuang": "健康", "QuanRiZhiJiaoYu_XueWei": "法学学士",
                        "JianLi": "2002.07--  某局科员", "QuanRiZhiJiaoYu_XueLi": "大学本科"}
    stored = runtime.app.get_cadre(UUID(str(report.cadre_id))).profile
    assert (stored["education"], stored["full_time_education"]) == ("14", False)  # the higher: 在职 硕士
    assert str(stored["birth_date"]) == "1980-03-15"  # from the ID number
    assert str(stored["work_started_on"]) == "2002-07-01" and str(stored["party_joined_on"]) == "2001-06-01"
    assert len(report.notes) == 2  # both months recorded as their first day, said so


def test_what_the_form_does_not_hold_must_be_supplied_or_the_file_is_refused_naming_it(runtime: Runtime) -> None:
    report = import_lrmx(runtime.app, form(RuDangShiJian=""), by=f.HR, supplied={"cadre_no": "C9"})
    assert report.refused == 1 and report.stored == 0
    assert {p["column"] for p in report.problems} == {"entry_channel", "rank", "political_status"}
    with pytest.raises(NotFoundError):
        runtime.app.get_cadre(ids.cadre_id("C9"))


def test_a_birth_month_that_differs_from_the_id_number_is_refused_at_the_field(runtime: Runtime) -> None:
    report = import_lrmx(runtime.app, form(ChuShengNianYue="198004"), by=f.HR, supplied=SUPPLIED)
    assert report.refused == 1 and [p["column"] for p in report.problems] == ["ChuShengNianYue"]


def test_the_same_file_imported_again_stores_nothing_twice(runtime: Runtime) -> None:
    first = import_lrmx(runtime.app, form(), by=f.HR, supplied=SUPPLIED)
    again = import_lrmx(runtime.app, form(), by=f.HR, supplied=SUPPLIED)
    assert (first.stored, again.stored, again.already_stored, again.refused) == (1, 0, 1, 0)
    assert again.cadre_id == first.cadre_id


def test_a_dry_run_checks_through_the_same_guards_and_stores_nothing(runtime: Runtime) -> None:
    f.registered(runtime.app, "C1")  # holds 干部编号 C1: a registration of it again is a conflict
    clean = import_lrmx(runtime.app, form(), by=f.HR, supplied={**SUPPLIED, "cadre_no": "C2"}, dry_run=True)
    taken = import_lrmx(runtime.app, form(), by=f.HR, supplied=SUPPLIED, dry_run=True)
    assert (clean.stored, clean.refused, clean.cadre_id) == (1, 0, None)
    assert taken.refused == 1 and "C1" in taken.problems[0]["problem"]
    with pytest.raises(NotFoundError):
        runtime.app.get_cadre(ids.cadre_id("C2"))


def test_with_a_selection_case_the_form_says_the_proposed_post_and_the_grounds(runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P3", title="部长", grade="141")), f.HR)
    cadre_id = f.registered(app, "C1")
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)
    case_id = UUID(app.handle(OpenCase(f.case_payload("2023-01-04", "U1", "P3")), f.HR).extra["case_id"])
    f.case_through_decision(app, case_id, cadre_id, date(2023, 2, 10))
    fields = parse(exported(runtime, cadre_id, date(2023, 2, 20), case_id))
    assert fields["NiRenZhiWu"] == "单位U1部长" and fields["XianRenZhiWu"] == "单位U1副部长"
    assert fields["RenMianLiYou"] == "岗位空缺，经分析研判启动选任" and fields["NiMianZhiWu"] == ""
    other = f.registered(app, "C2", birth=date(1986, 1, 1))
    with pytest.raises(ValidationError) as refused:
        exported(runtime, other, date(2023, 2, 20), case_id)  # takes no part in the case
    assert refused.value.errors[0].loc == "case_id"
