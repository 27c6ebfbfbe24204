"""The web pages over HTTP without a browser (both backends): sign-in and sessions, jurisdiction,
the audit trail's links, the findings dashboard, the selection-case page, headers and local assets."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import (
    CorrectCaseStep,
    CorrectEntry,
    EstablishPost,
    RecordAssessmentParticipants,
    RecordCaseStep,
    RecordEntry,
    RegisterUnit,
    RetractCaseStep,
)
from service.users import add_user, disable_user, issue_token
from tests import factories as f
from tests import signin

ADMIN = Provenance("test-setup", "admin", "setup")


def sign_in(client: Any, token: str) -> Any:
    """Through the sign-in form with the token's user's password and TOTP code (``tests/signin.py``)."""
    return signin.sign_in(client, token)


@pytest.fixture
def county(runtime: Runtime) -> dict[str, Any]:
    """U1/P1 held by 王芳 (C1) from 2020, with a corrected assessment and an overridden second holder;
    U2/P1 held by 李明 (C2); a promotion of 张伟 (C3) to U2/P2 after a whole selection case."""
    app = runtime.app
    f.organisation(app)
    app.handle(RegisterUnit(f.unit("U2")), f.HR)
    app.handle(EstablishPost("U2", f.post("P1")), f.HR)
    app.handle(EstablishPost("U2", f.post("P2", grade="142")), f.HR)
    wang = f.registered(app, "C1")
    li = f.registered(app, "C2", name="李明", gender="1", birth=date(1988, 2, 3))
    zhang = f.registered(app, "C3", name="张伟", gender="1", birth=date(1984, 5, 6))
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordAssessmentParticipants("U1", f.participants("2020", 5)), f.HR)  # 优秀 1 of 5 (R-EXCELLENT-QUOTA)
    assessed = app.handle(RecordEntry(wang, "Assessed", {"effective_on": "2021-01-15", "kind": "年度", "period": "2020",
                                                   "grade": "优秀"}), f.HR)
    correction = app.handle(CorrectEntry(wang, assessed.entry_id, {"changes": {"grade": "称职"},
                                                                   "reason": "录入错误"}), f.HR)
    app.handle(RecordEntry(li, "Appointed", f.appointment("2020-01-01", "U2")), f.HR)
    app.handle(RecordEntry(zhang, "Appointed", f.appointment("2021-03-01", "U1", manner="平职交流",
                                                        override_reason="临时超配")), f.HR_OVERRIDE)
    app.handle(RecordEntry(zhang, "Dismissed", f.dismissal("2022-12-31", "U1")), f.HR)
    f.promoted(app, zhang, "U2", "P2", date(2023, 3, 1))
    runtime.catch_up()
    case_id = app.get_cadre(zhang).standing_entries()[-1].values["selection_case_id"]
    return {"wang": wang, "li": li, "zhang": zhang, "assessed": assessed.entry_id,
            "correction": correction.entry_id, "case": case_id}


def test_without_a_session_every_page_sends_you_to_sign_in_and_only_back_to_this_site(
        client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/findings?status=open", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Ffindings%3Fstatus%3Dopen"
    assert client.post("/cadres/new", data={}, follow_redirects=False).headers["location"].startswith("/login")
    form = client.get("/login?next=//evil.example/steal").text
    assert 'name="next" value="/"' in form  # no open redirect
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    hr = signin.prepare(client.app.state.runtime.app, tokens["hr"])
    refused = client.post("/login", data={"csrf_token": "forged", "name": hr.name, "password": hr.password,
                                          "totp": signin.code_for(client.app.state.runtime.app, hr)})
    assert "登录表单已过期" in refused.text and "jishi_session" not in refused.cookies
    signed = client.post("/login", data={"csrf_token": csrf.group(1), "name": hr.name, "password": hr.password,
                                         "totp": signin.code_for(client.app.state.runtime.app, hr),
                                         "next": "https://evil.example/"}, follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie


def test_a_session_ends_at_once_when_its_user_is_disabled_but_outlives_a_new_api_token(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["auditor"])
    assert client.get("/audit").status_code == 200
    issue_token(runtime.app, "auditor-user", ADMIN)  # the program's token, not the person's sign-in
    assert client.get("/audit").status_code == 200
    sign_in(client, tokens["oversight"])
    disable_user(runtime.app, "oversight-user", ADMIN)
    assert client.get("/findings", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session_only_with_the_forms_csrf_token(client: Any, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["hr"])
    page = client.get("/units").text
    csrf = re.search(r'action="/logout" class="logout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    client.post("/logout", data={"csrf_token": "forged"})
    assert client.get("/units", follow_redirects=False).status_code == 200  # a forged sign-out does nothing
    client.post("/logout", data={"csrf_token": csrf.group(1)})
    assert client.get("/units", follow_redirects=False).status_code == 303


def test_the_roster_as_known_at_an_earlier_instant_leaves_out_what_was_recorded_later(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    f.organisation(runtime.app)
    wang = f.registered(runtime.app, "C1")
    time.sleep(1.1)  # the page takes known_at to the second (Beijing time)
    before = datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0, tzinfo=None)
    time.sleep(1.1)
    runtime.app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    runtime.catch_up()
    sign_in(client, tokens["auditor"])
    assert "王芳" in client.get("/units/U1/roster", params={"as_of": "2021-01-01"}).text
    then = client.get("/units/U1/roster", params={"as_of": "2021-01-01", "known_at": before.isoformat()}).text
    assert "王芳" not in then and "空缺 1" in then and "（北京时间）时的纪实所载" in then
    bad = client.get("/units/U1/roster", params={"as_of": "2021-13-01"})
    assert bad.status_code == 422 and "须为日期 YYYY-MM-DD" in bad.text  # shown at its input, answered 422


def test_the_audit_trail_links_each_correction_to_what_it_changed_and_highlights_overrides(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["auditor"])
    page = client.get("/audit", params={"cadre": "C1"}).text
    target, correction = str(county["assessed"]), str(county["correction"])
    assert f'id="entry-{target}"' in page and f'id="entry-{correction}"' in page
    row = page[page.index(f'id="entry-{correction}"'):]
    row = row[:row.index("</tr>")]
    assert f'href="#entry-{target}"' in row and "等次：<del>优秀</del> → <ins>称职</ins>" in row and "录入错误" in row
    target_row = page[page.index(f'id="entry-{target}"'):]
    assert f'href="#entry-{correction}"' in target_row[:target_row.index("</tr>")]  # 被更正 back-link

    overridden = client.get("/audit", params={"cadre": str(county["zhang"])}).text
    assert overridden.count('class="row-override') == 1
    assert "经批准例外放行 R-EST" in overridden and "放行理由：临时超配" in overridden
    assert "单位U1</a> · 副部长" in overridden and "/P1" not in overridden  # the post named, not coded
    assert "共 0 条记录" in client.get("/audit", params={"cadre": "C1", "from": "2099-01-01"}).text
    everything = client.get("/audit", params={"cadre": "C1"}).text
    assert "共 0 条记录" not in everything and "共 0 条记录" in client.get(
        "/audit", params={"cadre": "C1", "to": "2020-01-01"}).text  # recorded today, none before 2020
    bad = client.get("/audit", params={"post": "P1"})
    assert bad.status_code == 422 and "职位须写作 单位代码/职位代码" in bad.text


def test_the_findings_dashboard_splits_findings_into_four_groups_and_counts_open_ones_by_rule_and_unit(
        client: Any, runtime: Runtime, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["oversight"])
    response = client.get("/findings")
    assert response.status_code == 200
    page = response.text
    today = runtime.app.today()
    groups = runtime.read_models.finding_groups(today)
    every = runtime.read_models.findings(as_of=today, limit=10_000)
    assert groups == {"overdue": sum(1 for i in every if i["overdue"]),
                      "not_due": sum(1 for i in every if i["status"] == "open" and not i["overdue"]),
                      "resolved": sum(1 for i in every if i["status"] == "resolved"),
                      "overridden": sum(1 for i in every if i["status"] == "overridden")}
    assert groups["overdue"] and groups["overridden"] == 1, "the county data should raise overdue findings"
    for group, label in (("overdue", "逾期"), ("not_due", "未到期"), ("resolved", "已整改"),
                         ("overridden", "经批准例外放行")):
        assert re.search(rf'data-group="{group}"><span>{label}</span> <strong>{groups[group]}</strong>', page)
    assert page.index('id="list-title"') < page.index("按规则")  # the list comes before the summary tables
    assert f"逾期共 {groups['overdue']} 项" in page  # the page opens on the overdue ones
    counts = runtime.read_models.finding_counts(today)
    for rule in {c["rule"] for c in counts}:
        late = sum(c["overdue"] for c in counts if c["rule"] == rule)
        assert re.search(rf'rule={rule}&amp;status=open">[^<]*</a></th><td class="num">{late}<', page)
    overdue = runtime.read_models.findings(as_of=today, status="overdue")
    evidence = next(i for i in overdue if i["cadre_id"] and i["evidence"])
    assert f'href="/cadres/{evidence["cadre_id"]}#entry-{evidence["evidence"][0]}"' in page
    overridden = client.get("/findings", params={"status": "overridden"}).text
    assert "经批准例外放行" in overridden and "张伟" in overridden and "/overrides/" in overridden
    assert "未知规则" in client.get("/findings", params={"rule": "R-NOPE"}).text


def test_the_selection_case_page_shows_its_steps_and_the_four_checks_for_each_candidate(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["oversight"])
    page = client.get(f"/cases/{county['case']}").text
    for step in ("分析研判和动议", "民主推荐", "确定考察对象", "考察", "凡提四必", "廉洁自律情况双签字", "讨论决定",
                 "任前公示", "任用/不予任用/缓议"):
        assert step in page
    checklist = page[page.index('class="data checklist"'):page.index("</table>", page.index("checklist"))]
    assert "张伟" in checklist and checklist.count("✔ 通过") == 4 and "李书记、赵书记" in checklist
    assert "任用" in checklist
    growth = client.get(f"/cadres/{county['zhang']}").text
    assert f'href="/cases/{county["case"]}"' in growth  # the promotion links to its case
    assert client.get("/cases/00000000-0000-0000-0000-000000000000").status_code == 404


def test_the_selection_case_page_marks_corrected_and_retracted_steps_and_links_their_changes(
        client: Any, tokens: dict[str, str], county: dict[str, Any], runtime: Runtime) -> None:
    app, case_id = runtime.app, county["case"]
    inspected = next(s for s in app.get_case(case_id).steps if s.type == "Inspected")
    corrected = app.handle(CorrectCaseStep(case_id, inspected.entry_id, {"changes": {"findings": "政治坚定，担当作为"},
                                                                    "reason": "考察材料录入有误"}), f.HR)
    twice = {"effective_on": inspected.day.isoformat(), "cadre_id": str(county["zhang"]), "findings": "重复录入"}
    extra = app.handle(RecordCaseStep(case_id, "Inspected", twice), f.HR)
    retracted = app.handle(RetractCaseStep(case_id, extra.entry_id, {"reason": "重复录入"}), f.HR)
    runtime.catch_up()
    sign_in(client, tokens["oversight"])
    page = client.get(f"/cases/{case_id}").text
    step = page[page.index(f'id="entry-{inspected.entry_id}"'):]
    step = step[:step.index("</li>")]
    assert "is-corrected" in step and "已更正" in step and "政治坚定，担当作为" in step
    assert f'href="#entry-{corrected.entry_id}"' in step
    gone = page[page.index(f'id="entry-{extra.entry_id}"'):]
    gone = gone[:gone.index("</li>")]
    assert "is-retracted" in gone and "已撤销" in gone and "<del" in gone
    assert f'href="#entry-{retracted.entry_id}"' in gone
    changes = page[page.index('id="changes-title"'):]
    assert f'id="entry-{corrected.entry_id}"' in changes and "考察材料录入有误" in changes
    assert f'href="#entry-{inspected.entry_id}"' in changes and "Inspected" not in changes


def test_a_scoped_user_sees_only_their_jurisdiction_on_every_page(
        client: Any, runtime: Runtime, county: dict[str, Any]) -> None:
    token = add_user(runtime.app, "hr-u1", "hr", False, ADMIN, scopes=["U1"])
    sign_in(client, token)
    units = client.get("/units").text
    assert "单位U1" in units and "单位U2" not in units
    assert client.get("/units/U2/roster").status_code == 404
    assert client.get(f"/cadres/{county['li']}").status_code == 404
    assert client.get(f"/cadres/{county['li']}/entries/new?type=Assessed").status_code == 404
    assert client.get(f"/cadres/{county['wang']}").status_code == 200
    found = client.get("/cadres", params={"q": "李"}).text
    assert "找到 0" in found
    assert client.get(f"/cases/{county['case']}").status_code == 404  # a case for a post in U2
    findings = client.get("/findings", params={"status": ""}).text
    assert "李明" not in findings


def test_pages_send_server_timing_and_no_store_and_load_only_local_assets(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    for path in ("/units", "/units/U1/roster", f"/cadres/{county['wang']}", "/cadres?q=王", "/audit?cadre=C1",
                 "/findings", f"/cases/{county['case']}", f"/cadres/{county['wang']}/entries/new?type=Assessed",
                 "/cadres/new"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert re.fullmatch(r'app;dur=[\d.]+;desc="page"(, \w+;dur=[\d.]+)*', response.headers["server-timing"]), path
        assert response.headers["cache-control"] == "no-store"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert not re.search(r'(src|href)="(https?:)?//', response.text), path  # no CDN, nothing remote
        assert '<html lang="zh-CN">' in response.text
    growth = client.get(f"/cadres/{county['wang']}").text
    scripts = re.findall(r'<script src="([^"]+)"', growth)
    assert [s.split("?")[0] for s in scripts] == ["/static/vendor/echarts.min.js", "/static/js/growth.js"]
    for src in scripts:
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 500
    assert client.get("/static/vendor/echarts.LICENSE").status_code == 200
    for path in ("/cadres/not-an-id", f"/cadres/{county['wang']}/entries/nope/correction", "/cases/42"):
        missing = client.get(path)  # a malformed id is a page that does not exist, in HTML
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html"), path


def test_hr_corrects_and_retracts_entries_through_the_forms(
        client: Any, runtime: Runtime, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    wang = county["wang"]
    form = client.get(f"/cadres/{wang}/entries/{county['assessed']}/correction").text
    assert 'option value="称职" selected' in form  # the values as they stand, corrections applied
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    key = re.search(r'name="form_key" value="([^"]+)"', form)
    assert csrf and key
    fields = {"csrf_token": csrf.group(1), "form_key": key.group(1), "type": "Assessed",
              "effective_on": "2021-01-15", "kind": "年度", "period": "2020", "grade": "基本称职"}
    missing_reason = client.post(f"/cadres/{wang}/entries/{county['assessed']}/correction", data=fields)
    assert missing_reason.status_code == 422 and 'id="err-reason_for_change"><span>必填' in missing_reason.text
    done = client.post(f"/cadres/{wang}/entries/{county['assessed']}/correction",
                       data={**fields, "reason_for_change": "复核更正"})
    assert done.status_code == 200 and "已记录" in done.text
    assessed = runtime.app.get_cadre(wang).entries[county["assessed"]]
    assert assessed.values["grade"] == "基本称职" and len(assessed.corrections) == 2

    training = runtime.app.handle(RecordEntry(wang, "TrainingCompleted", {
        "effective_on": "2021-05-30", "kind": "专题培训", "course": "依法行政", "provider": "县委党校",
        "started_on": "2021-05-20", "hours": "16", "passed": True}), f.HR).entry_id
    runtime.catch_up()
    form = client.get(f"/cadres/{wang}/entries/{training}/retraction").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    retracted = client.post(f"/cadres/{wang}/entries/{training}/retraction",
                            data={"csrf_token": csrf.group(1), "form_key": "retract-once", "reason": "重复录入"})
    assert retracted.status_code == 200
    assert not runtime.app.get_cadre(wang).entries[training].stands
    item = retracted.text[retracted.text.index(f'id="entry-{training}"'):]
    assert "is-retracted" in retracted.text[retracted.text.index(f'id="entry-{training}"') - 80:][:200]
    assert "已撤销" in item[:item.index("</li>")]


def test_an_emptied_field_on_the_correction_form_is_refused_if_required_and_cleared_if_optional(
        client: Any, runtime: Runtime, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    wang = county["wang"]
    entry = runtime.app.handle(RecordEntry(wang, "Assessed", {
        "effective_on": "2021-07-01", "kind": "平时", "period": "2021年第二季度", "grade": "好",
        "remarks": "按时完成季度任务"}), f.HR).entry_id
    runtime.catch_up()
    path = f"/cadres/{wang}/entries/{entry}/correction"
    form = client.get(path).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    as_a_browser_sends_it = {"csrf_token": csrf.group(1), "type": "Assessed", "effective_on": "2021-07-01",
                             "kind": "平时", "period": "2021年第二季度", "grade": "好", "tier": "",
                             "democratic_score": "", "remarks": "按时完成季度任务", "document_no": "", "reason": "",
                             "reason_for_change": "复核更正"}
    refused = client.post(path, data={**as_a_browser_sends_it, "form_key": "emptied-period", "period": ""})
    assert refused.status_code == 422 and 'id="err-period"><span>必填，更正不能清空此项' in refused.text
    assert runtime.app.get_cadre(wang).entries[entry].corrections == []  # nothing stored
    done = client.post(path, data={**as_a_browser_sends_it, "form_key": "emptied-remarks", "remarks": ""})
    assert done.status_code == 200 and "已记录" in done.text
    corrected = runtime.app.get_cadre(wang).entries[entry]
    assert len(corrected.corrections) == 1 and corrected.values.get("remarks") is None
    assert corrected.values["period"] == "2021年第二季度"  # the optional field alone was cleared
