"""R-RETROACTIVE (DOMAIN.md §6.4) on both backends: an entry recorded more than ``retroactive_days`` after
its effective date that changes the past — a recorded promotion's eligibility, a finding, a roster day —
is a finding due at once naming the entry and what it changed; ``GET /api/v1/entries/{id}/impact`` says
the same, within the caller's scope; a rebuild writes the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from demo.clock import SimClock, recording
from domain.recorded import Provenance
from domain.rules.catalog import RULES
from jishi.bootstrap import Runtime
from projections.checksum import table_digests
from service.commands import CorrectEntry, RecordEntry, RegisterUnit, RetractEntry
from service.users import add_user
from tests import factories as f
from tests import signin

RULE = "R-RETROACTIVE"


def late_days(app: f.Jishi) -> int:
    return app.config.int("monitors.retroactive_days")


def found(runtime: Runtime) -> list[dict[str, Any]]:
    runtime.catch_up()
    return runtime.read_models.findings(rule=RULE, as_of=runtime.app.today())


@contextmanager
def recorded_on(app: f.Jishi, day: date) -> Iterator[SimClock]:
    """Within the block, entries are recorded on ``day`` (a simulated clock, as the demo keeps; move it
    on with ``at``)."""
    clock = SimClock(day, datetime.now(UTC) - timedelta(minutes=1))
    with recording(app, clock):
        yield clock


def rank_promoted(app: f.Jishi, day: date) -> tuple[UUID, UUID]:
    """A cadre promoted to 四级主任科员 on ``day`` (recorded now)."""
    cadre_id = f.registered(app, rank="一级科员")
    promotion = app.handle(RecordEntry(cadre_id, "RankPromoted", {
        "effective_on": day.isoformat(), "from_rank": "一级科员", "to_rank": "四级主任科员"}), f.HR)
    return cadre_id, promotion.entry_id


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_sanction_recorded_just_under_at_or_just_over_the_limit_is_a_finding_only_over_it(
        runtime: Runtime, offset: int) -> None:
    app = runtime.app
    today = app.today()
    days = late_days(app) + offset
    cadre_id, promotion = rank_promoted(app, today - timedelta(days=3))
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned",
                                      f.sanction((today - timedelta(days=days)).isoformat())), f.HR)
    impact = app.impact(cadre_id, sanction.entry_id)
    assert impact is not None and impact.days_late == days
    findings = found(runtime)
    if offset <= 0:
        assert not impact.late and impact.eligibility == () and findings == []
        return
    assert impact.late and [flip.entry_id for flip in impact.eligibility] == [promotion]
    [finding] = findings
    assert finding["key"] == str(sanction.entry_id) and finding["cadre_id"] == str(cadre_id)
    assert finding["evidence"] == [str(sanction.entry_id), str(promotion)]
    assert finding["trigger_on"] == finding["due_on"] == today.isoformat()  # due at once
    assert "职级晋升资格由符合变为不符合" in finding["detail"]


def test_a_late_entry_that_changes_nothing_in_the_past_is_no_finding(runtime: Runtime) -> None:
    app = runtime.app
    cadre_id = f.registered(app)
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(
        (app.today() - timedelta(days=late_days(app) + 60)).isoformat())), f.HR)
    impact = app.impact(cadre_id, sanction.entry_id)
    assert impact is not None and impact.late and not impact.changes_the_past
    assert found(runtime) == []


def test_a_late_sanction_that_makes_a_recorded_promotion_ineligible_names_that_promotion(runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    promotion = f.promoted(app, cadre_id, day=date(2023, 6, 1))
    # learnt later: a 记过 of 2023-03-15, whose influence period covers the promotion
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction("2023-03-15")), f.HR)
    [finding] = found(runtime)
    assert finding["evidence"] == [str(sanction.entry_id), str(promotion.entry_id)]
    assert finding["unit_code"] == "U1" and finding["status"] == "open"
    assert "2023年6月1日的晋升资格由符合变为不符合" in finding["detail"]
    impact = app.impact(cadre_id, sanction.entry_id)
    assert impact is not None
    [flip] = impact.eligibility
    assert (flip.entry_id, flip.on, flip.before, flip.after) == (promotion.entry_id, date(2023, 6, 1), True, False)
    assert any("影响期" in reason for reason in flip.reasons)
    # the sanction retracted (it should never have been recorded): its finding goes; the retraction,
    # late in its turn, makes the promotion eligible again
    retraction = app.handle(RetractEntry(cadre_id, sanction.entry_id, {"reason": "误录"}), f.HR)
    [again] = found(runtime)
    assert again["key"] == str(retraction.entry_id) and "2023年6月1日的晋升资格由不符合变为符合" in again["detail"]


def test_a_late_correction_of_an_appointment_date_changes_the_roster_days_in_between(runtime: Runtime) -> None:
    app = runtime.app
    begun, typed, right = date(2025, 5, 20), date(2025, 6, 1), date(2025, 6, 20)
    with recorded_on(app, begun) as clock:
        f.organisation(app)
        cadre_id = f.registered(app)
        clock.at(typed)
        appointed = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(typed.isoformat())), f.HR)
    correction = app.handle(CorrectEntry(cadre_id, appointed.entry_id, {
        "changes": {"effective_on": right.isoformat()}, "reason": "任职时间以任免文件为准"}), f.HR)
    impact = app.impact(cadre_id, correction.entry_id)
    assert impact is not None and impact.effective_on == typed and impact.late
    [days] = impact.roster_days
    assert (days.unit_code, days.post_code, days.start_on, days.end_on) == ("U1", "P1", typed, right - timedelta(1))
    assert (days.held_before, days.held_after) == (True, False)
    [finding] = found(runtime)
    assert finding["key"] == str(correction.entry_id)
    assert "2025年6月1日至2025年6月19日在单位U1副部长职位由在任变为不在任" in finding["detail"]


def test_a_late_sanction_opens_a_finding_in_the_past_of_a_record_begun_before_it(runtime: Runtime) -> None:
    app = runtime.app
    with recorded_on(app, app.today() - timedelta(days=400)):
        cadre_id = f.registered(app)
    sanctioned_on = app.today() - timedelta(days=late_days(app) + 90)
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(sanctioned_on.isoformat())), f.HR)
    impact = app.impact(cadre_id, sanction.entry_id)
    assert impact is not None
    talk = [c for c in impact.findings if c.rule == "R-TALK-SANCTION"]
    assert talk and talk[0].before is None and talk[0].after in ("open", "overdue")
    assert sanctioned_on <= talk[0].on < app.today()
    [finding] = found(runtime)
    title = RULES["R-TALK-SANCTION"].title_zh
    assert f"“{title}”的发现由无此发现变为" in finding["detail"]


def test_a_rebuild_writes_the_rows_the_event_by_event_catch_up_wrote(runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    f.promoted(app, cadre_id, day=date(2023, 6, 1))
    runtime.catch_up()
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction("2023-03-15")), f.HR)
    runtime.catch_up()
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction("2022-01-04", kind="警告")), f.HR)  # over by then
    retraction = app.handle(RetractEntry(cadre_id, sanction.entry_id, {"reason": "误录"}), f.HR)
    runtime.catch_up()
    incremental = table_digests(runtime.runner.engine)
    assert [g["key"] for g in found(runtime)] == [str(retraction.entry_id)]
    runtime.runner.rebuild()
    assert table_digests(runtime.runner.engine) == incremental


# — the API: GET /api/v1/entries/{entry_id}/impact —

def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_impact_endpoint_answers_what_a_late_entry_changed_within_the_callers_scope(
        runtime: Runtime, client: Any, tokens: dict[str, str]) -> None:
    app = runtime.app
    f.organisation(app)
    app.handle(RegisterUnit(f.unit("U2")), f.HR)
    cadre_id = f.registered(app, rank="一级科员")
    promotion = f.promoted(app, cadre_id, day=date(2023, 6, 1))
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction("2023-03-15")), f.HR)
    response = client.get(f"/api/v1/entries/{sanction.entry_id}/impact", headers=bearer(tokens["oversight"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["entry_id"], body["effective_on"], body["late"]) == (str(sanction.entry_id), "2023-03-15", True)
    assert body["days_late"] == (app.today() - date(2023, 3, 15)).days
    assert [e["entry_id"] for e in body["eligibility"]] == [str(promotion.entry_id)]
    assert body["eligibility"][0]["eligible_before"] is True and body["eligibility"][0]["eligible_after"] is False
    assert body["findings"] == [] and body["roster_days"] == []  # the record began when the sanction came

    by = Provenance("test-setup", "admin", "setup")
    inside = add_user(app, "u1-oversight", "oversight", False, by, ["U1"])
    outside = add_user(app, "u2-oversight", "oversight", False, by, ["U2"])
    assert client.get(f"/api/v1/entries/{sanction.entry_id}/impact", headers=bearer(inside)).status_code == 200
    hidden = client.get(f"/api/v1/entries/{sanction.entry_id}/impact", headers=bearer(outside))
    missing = client.get(f"/api/v1/entries/{uuid4()}/impact", headers=bearer(outside))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.headers["content-type"].startswith("application/problem+json")
    assert hidden.json()["title"] == missing.json()["title"] and "记录不存在" in hidden.json()["detail"]


def test_the_impact_of_an_entry_recorded_on_time_is_not_late_and_compares_nothing(
        runtime: Runtime, client: Any, tokens: dict[str, str]) -> None:
    app = runtime.app
    cadre_id, _ = rank_promoted(app, app.today() - timedelta(days=3))
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(
        (app.today() - timedelta(days=5)).isoformat())), f.HR)
    body = client.get(f"/api/v1/entries/{sanction.entry_id}/impact", headers=bearer(tokens["auditor"])).json()
    assert (body["late"], body["days_late"], body["eligibility"]) == (False, 5, [])


def test_the_findings_page_says_in_chinese_what_a_late_sanction_changed_and_links_the_promotion(
        runtime: Runtime, client: Any, tokens: dict[str, str]) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    promotion = f.promoted(app, cadre_id, day=date(2023, 6, 1))
    sanction = app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction("2023-03-15")), f.HR)
    runtime.catch_up()
    signin.sign_in(client, tokens["oversight"])  # name, password and TOTP (tests/signin.py)
    page = client.get("/findings", params={"rule": RULE, "status": "open"})
    assert page.status_code == 200
    html = page.text
    assert "“处分”记录（2023年3月15日生效）晚" in html and "2023年6月1日的晋升资格由符合变为不符合" in html
    assert f'href="/cadres/{cadre_id}#entry-{sanction.entry_id}">补录记录</a>' in html
    assert f'href="/cadres/{cadre_id}#entry-{promotion.entry_id}">受影响的晋升记录1</a>' in html
