"""选任纪实 pages over HTTP (both backends): the case list in the user's scope, opening a case with the unit
and post chosen from lists, each step's form with its cadres chosen from the case, refusals shown at
their fields, the override path, and what is not offered to a reader or out of scope."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from api.pages import case_forms
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import EstablishPost, OpenCase, RecordCaseStep, RecordEntry, RegisterUnit
from service.users import add_user
from tests import factories as f
from tests.e2e.test_web_reads import sign_in

DECIDE_ON = date(2024, 9, 20)


def page(client: Any, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    text: str = response.text
    return text


def keys(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf_token|form_key)" value="([^"]+)"', html))


def invalid(html: str, name: str) -> bool:
    """Whether the form marks the input ``name`` invalid and shows a message under it."""
    marked = re.search(rf'name="{name}" id="{name}"[^>]*aria-invalid="true"', html, re.S) is not None
    message = re.search(rf'id="err-{name}"><span>([^<]+)</span>', html)
    return marked and message is not None


@pytest.fixture
def county(runtime: Runtime) -> dict[str, Any]:
    """U1/P1 (副部长) and U2/P9 (科长); 王芳 (C1) and 李明 (C2) registered; a case for U1/P1 opened 2024-08-01,
    and one for U2/P9 that a user scoped to U1 must not see."""
    app = runtime.app
    f.organisation(app)
    app.handle(RegisterUnit(f.unit("U2", name="县财政局")), f.HR)
    app.handle(EstablishPost("U2", f.post("P9", title="科长", grade="132")), f.HR)
    wang, li = f.registered(app, "C1"), f.registered(app, "C2", name="李明", gender="1", birth=date(1988, 2, 3))
    case_id = UUID(app.handle(OpenCase(f.case_payload("2024-08-01")), f.HR).extra["case_id"])
    other = UUID(app.handle(OpenCase(f.case_payload("2024-08-02", unit_code="U2", post_code="P9")),
                            f.HR).extra["case_id"])
    runtime.catch_up()
    return {"wang": wang, "li": li, "case": case_id, "other": other}


def test_the_case_list_names_unit_post_and_current_step_and_a_scoped_user_sees_only_their_units(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    app = runtime.app
    app.handle(RecordCaseStep(county["case"], "Recommended", {"effective_on": "2024-08-05", "kind": "会议推荐",
                                                               "participants": 30, "votes": {str(county["wang"]): 20}}),
               f.HR)
    sign_in(client, tokens["auditor"])
    listing = page(client, "/cases")
    assert "单位U1" in listing and "副部长" in listing and "县财政局" in listing and "科长" in listing
    assert "民主推荐（2024-08-05）" in listing and "分析研判和动议（2024-08-02）" in listing
    assert "发起选任" not in listing  # an auditor reads, never opens
    assert "/cases/new" not in listing
    scoped = add_user(app, "hr-u1", "hr", False, Provenance("setup", "admin", "s"), scopes=["U1"])
    sign_in(client, scoped)
    mine = page(client, "/cases")
    assert f"/cases/{county['case']}" in mine and f"/cases/{county['other']}" not in mine
    assert "发起选任" in mine
    page(client, f"/cases/{county['other']}", 404)
    form = page(client, "/cases/new")
    assert '<option value="U1"' in form and '<option value="U2"' not in form
    assert page(client, "/cases?status=whatever", 422).count("状态须为进行中或已结束") == 1


def test_a_case_is_opened_from_lists_and_a_post_of_another_unit_is_refused_at_its_field(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    form = page(client, "/cases/new")
    assert re.search(r'<select name="unit_code" id="unit_code"', form)
    assert re.search(r'<optgroup label="县财政局" data-key="U2">\s*<option value="P9">科长</option>', form)
    entered = {**keys(form), "effective_on": "2024-10-01", "unit_code": "U1", "post_code": "P9", "method": "民主推荐",
               "reason": "岗位空缺"}
    refused = client.post("/cases/new", data=entered)
    assert refused.status_code == 422
    assert "R-SEQ" in refused.text and "未能记录" in refused.text
    assert invalid(refused.text, "post_code")  # at the post, the field to change
    opened = client.post("/cases/new", data={**entered, "post_code": "P1"}, follow_redirects=False)
    assert opened.status_code == 303
    case_page = page(client, opened.headers["location"])
    assert "单位U1 副部长" in case_page and "已记录" in case_page
    assert "下一步" in case_page and "type=Recommended" in case_page


def test_a_step_refused_by_its_fields_shows_each_message_at_its_input(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    app, case_id, wang = runtime.app, county["case"], county["wang"]
    f.case_through_decision(app, case_id, wang, DECIDE_ON, skip=("Decided",))
    sign_in(client, tokens["hr"])
    case_page = page(client, f"/cases/{case_id}")
    assert f"/cases/{case_id}/steps/new?type=Decided&amp;cadre_id={wang}" in case_page
    form = page(client, f"/cases/{case_id}/steps/new?type=Decided&cadre_id={wang}")
    assert re.search(rf'<option value="{wang}" selected>王芳</option>', form)
    decided = {**keys(form), "type": "Decided", "effective_on": DECIDE_ON.isoformat(), "cadre_id": str(wang),
               "members_total": "9", "present": "8", "votes_agree": "八"}
    not_a_number = client.post(f"/cases/{case_id}/steps", data=decided)
    assert not_a_number.status_code == 422 and invalid(not_a_number.text, "votes_agree")
    assert 'value="八"' in not_a_number.text  # what was typed stays, to be corrected
    refused = client.post(f"/cases/{case_id}/steps", data={**decided, "present": "10", "votes_agree": "8"})
    assert refused.status_code == 422
    assert invalid(refused.text, "present") and "到会人数不得超过应到会人数" in refused.text
    assert app.get_case(case_id).latest("Decided") is None
    recorded = client.post(f"/cases/{case_id}/steps", data={**decided, "present": "8", "votes_agree": "8"},
                           follow_redirects=False)
    assert recorded.status_code == 303
    decision = app.get_case(case_id).latest("Decided")
    assert decision is not None and decision.values["votes"] == {"同意": 8}


def test_a_recommendation_names_cadres_from_a_list_and_the_shortlist_offers_those_recommended(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    case_id, wang, li = county["case"], county["wang"], county["li"]
    sign_in(client, tokens["hr"])
    assert "未知选任环节" in page(client, f"/cases/{case_id}/steps/new?type=Appointed", 422)  # not a case step
    page(client, f"/cases/{case_id}/steps/{UUID(int=7)}/correction", 404)
    form = page(client, f"/cases/{case_id}/steps/new?type=Recommended")
    assert re.search(rf'<option value="{li}">李明</option>', form)
    entered = {**keys(form), "type": "Recommended", "effective_on": "2024-08-05", "kind": "会议推荐",
               "participants": "30", "rec_cadre_0": str(wang), "rec_votes_0": "20", "rec_cadre_1": str(li),
               "rec_votes_1": "31"}
    refused = client.post(f"/cases/{case_id}/steps", data=entered)
    assert refused.status_code == 422 and "得票数不得超过参加人数" in refused.text
    assert invalid(refused.text, "rec_votes_0")
    assert client.post(f"/cases/{case_id}/steps", data={**entered, "rec_votes_1": "12"},
                       follow_redirects=False).status_code == 303
    monkeypatch.setattr(case_forms, "SHARED_OPTIONS", 1)  # a long list: sent in the first row only
    long_list = page(client, f"/cases/{case_id}/steps/new?type=Recommended")
    first, second = (re.search(rf'<select name="rec_cadre_{i}"[^>]*>(.*?)</select>', long_list, re.S)
                     for i in (0, 1))
    assert first is not None and second is not None and str(li) in first.group(1) and str(li) not in second.group(1)
    assert re.search(r'<select name="rec_cadre_1" id="rec_cadre_1"[^>]* data-options-from="rec_cadre_0"', long_list)
    shortlist = page(client, f"/cases/{case_id}/steps/new?type=Shortlisted")
    assert re.findall(r'name="cadre_ids" value="([^"]+)"', shortlist) == sorted([str(wang), str(li)])
    done = client.post(f"/cases/{case_id}/steps", data={
        **keys(shortlist), "type": "Shortlisted", "effective_on": "2024-08-10", "cadre_ids": [str(wang), str(li)]},
        follow_redirects=False)
    assert done.status_code == 303
    [step] = runtime.app.get_case(case_id).steps_of("Shortlisted")
    assert set(step.values["cadre_ids"]) == {wang, li}
    case_page = page(client, f"/cases/{case_id}")
    assert case_page.count("凡提四必：档案审核") == 2  # offered for each 考察对象


def test_a_guard_refusal_names_the_rule_and_a_permitted_user_records_it_with_a_reason(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    app, case_id, wang = runtime.app, county["case"], county["wang"]
    f.case_through_decision(app, case_id, wang, DECIDE_ON)
    sign_in(client, tokens["hr"])  # the fixture's hr user may override
    form = page(client, f"/cases/{case_id}/steps/new?type=PublicityHeld&cadre_id={wang}")
    short = {**keys(form), "type": "PublicityHeld", "cadre_id": str(wang), "start_on": "2024-09-27",
             "end_on": "2024-10-08", "objections": "0"}  # 4 working days over National Day
    refused = client.post(f"/cases/{case_id}/steps", data=short)
    assert refused.status_code == 422
    assert "R-PUBLICITY（" in refused.text and "例外放行理由" in refused.text and "以上规则允许例外放行" in refused.text
    assert app.get_case(case_id).latest("PublicityHeld") is None
    reason = "换届时间紧，经市委组织部同意"
    stored = client.post(f"/cases/{case_id}/steps", data={**short, "override_reason": reason},
                         follow_redirects=False)
    assert stored.status_code == 303
    publicity = app.get_case(case_id).latest("PublicityHeld")
    assert publicity is not None and publicity.overrides == ("R-PUBLICITY",)
    plain = add_user(app, "hr-plain", "hr", False, Provenance("setup", "admin", "s"))
    sign_in(client, plain)
    conclude = page(client, f"/cases/{case_id}/steps/new?type=CaseConcluded&cadre_id={wang}")
    early = client.post(f"/cases/{case_id}/steps", data={
        **keys(conclude), "type": "CaseConcluded", "cadre_id": str(wang), "effective_on": "2024-10-08",
        "outcome": "任用", "override_reason": "无权也填"})
    assert early.status_code == 422 and "您没有该权限" in early.text and 'name="override_reason"' not in early.text


def test_after_the_conclusion_the_case_links_to_the_appointment_form_with_the_case_chosen(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    app, wang = runtime.app, county["wang"]
    case_id = f.completed_case(app, wang, date(2024, 6, 3))
    runtime.catch_up()
    sign_in(client, tokens["hr"])
    case_page = page(client, f"/cases/{case_id}")
    assert f"/cadres/{wang}/entries/new?type=Appointed&amp;case_id={case_id}" in case_page
    assert "记录任职（任用）" in case_page
    assert "已结束" in page(client, "/cases?status=closed") and str(case_id) in page(client, "/cases?status=closed")
    assert str(case_id) not in page(client, "/cases?status=open")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2024-06-03", manner="提拔",
                                                           selection_case_id=str(case_id))), f.HR)
    after = page(client, f"/cases/{case_id}")
    assert "记录任职（任用）" not in after and "已据本选任任职" in after  # the appointment is recorded


def test_a_reader_is_offered_no_step_and_cannot_open_a_step_form(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["oversight"])
    case_page = page(client, f"/cases/{county['case']}")
    assert "下一步" not in case_page and "/steps/new" not in case_page
    page(client, f"/cases/{county['case']}/steps/new?type=Recommended", 403)
    page(client, "/cases/new", 403)


def test_a_step_is_corrected_from_its_row_with_the_form_filled_and_a_bad_value_refused_at_its_field(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    app, case_id, wang = runtime.app, county["case"], county["wang"]
    f.case_through_decision(app, case_id, wang, DECIDE_ON)
    decided = app.get_case(case_id).latest("Decided")
    assert decided is not None
    sign_in(client, tokens["hr"])
    assert f"/cases/{case_id}/steps/{decided.entry_id}/correction" in page(client, f"/cases/{case_id}")
    form = page(client, f"/cases/{case_id}/steps/{decided.entry_id}/correction")
    assert re.search(r'name="present" id="present" value="8"', form)
    assert re.search(r'name="votes_agree" id="votes_agree" value="8"', form)
    entered = {**keys(form), "type": "Decided", "effective_on": DECIDE_ON.isoformat(), "cadre_id": str(wang),
               "members_total": "9", "present": "10", "votes_agree": "8", "votes_against": "0", "votes_defer": "0"}
    no_reason = client.post(f"/cases/{case_id}/steps/{decided.entry_id}/correction", data=entered)
    assert no_reason.status_code == 422 and invalid(no_reason.text, "reason_for_change")
    too_many = client.post(f"/cases/{case_id}/steps/{decided.entry_id}/correction",
                           data={**entered, "reason_for_change": "到会人数误记"})
    assert too_many.status_code == 422 and invalid(too_many.text, "present")
    refused = client.post(f"/cases/{case_id}/steps/{decided.entry_id}/correction",
                          data={**entered, "present": "9", "votes_agree": "x", "reason_for_change": "到会人数误记"})
    assert refused.status_code == 422 and invalid(refused.text, "votes_agree")
    corrected = client.post(f"/cases/{case_id}/steps/{decided.entry_id}/correction",
                            data={**entered, "present": "9", "reason_for_change": "到会人数误记"},
                            follow_redirects=False)
    assert corrected.status_code == 303
    case = app.get_case(case_id)
    [correction] = [r for r in case.records.values() if r.type == "StepCorrected"]
    assert correction.values["changes"] == {"present": 9}  # only what changed; the votes as they were
    assert case.latest("Decided").values["present"] == 9  # type: ignore[union-attr]
    shown = page(client, f"/cases/{case_id}")
    assert "已更正" in shown and "到会人数误记" in shown and "撤销这条更正" in shown


def test_a_step_another_relies_on_cannot_be_retracted_and_the_last_one_can(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    app, case_id, wang = runtime.app, county["case"], county["wang"]
    f.case_through_decision(app, case_id, wang, DECIDE_ON)
    case = app.get_case(case_id)
    inspected, decided = case.latest("Inspected"), case.latest("Decided")
    assert inspected is not None and decided is not None
    sign_in(client, tokens["hr"])
    opening = case.steps_of("CaseOpened")[0]
    shown = page(client, f"/cases/{case_id}")
    assert f"/steps/{opening.entry_id}/retraction" not in shown  # the opening is never retracted
    form = page(client, f"/cases/{case_id}/steps/{inspected.entry_id}/retraction")
    assert "选任纪实" in form and f'action="/cases/{case_id}/steps/{inspected.entry_id}/retraction"' in form
    assert "<dd>王芳</dd>" in form and f"<dd>{wang}</dd>" not in form  # the cadre by name, not by id
    refused = client.post(f"/cases/{case_id}/steps/{inspected.entry_id}/retraction",
                          data={**keys(form), "reason": "误记"})
    assert refused.status_code == 422 and "R-SEQ" in refused.text and "未能撤销" in refused.text
    assert "<dd>王芳</dd>" in refused.text  # named again when the refusal shows the form
    recommended = case.latest("Recommended")
    assert recommended is not None
    assert "<dd>王芳：25</dd>" in page(client, f"/cases/{case_id}/steps/{recommended.entry_id}/retraction")
    assert app.get_case(case_id).latest("Inspected") is not None
    form = page(client, f"/cases/{case_id}/steps/{decided.entry_id}/retraction")
    assert "<dd>同意：8；不同意：0；缓议：0</dd>" in form  # the votes the step recorded are shown
    done = client.post(f"/cases/{case_id}/steps/{decided.entry_id}/retraction",
                       data={**keys(form), "reason": "会议记录另案"}, follow_redirects=False)
    assert done.status_code == 303
    assert app.get_case(case_id).latest("Decided") is None
    assert "已撤销" in page(client, f"/cases/{case_id}")
