"""``GET /api/v1/calendar`` and ``POST /api/v1/calendar/years`` (API.md v1.1) with a SYNTHETIC year
(tests/synthetic_calendar.py): who may write, idempotency, problem+json naming the field, the list
of years with where each came from, and the missing years."""

from __future__ import annotations

from typing import Any

import pytest

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.users import add_user
from tests import synthetic_calendar as syn
from tests.conftest import RuntimeFactory


@pytest.fixture
def runtime(make_runtime: RuntimeFactory) -> Runtime:
    return make_runtime(clock=syn.clock())  # 16 June 2031


@pytest.fixture
def calendar_hr(runtime: Runtime) -> dict[str, str]:
    token = add_user(runtime.app, "hr-cal", "hr", False, Provenance("setup", "admin", "s"), can_publish_calendar=True)
    return {"Authorization": f"Bearer {token}"}


def bearer(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("role", ["hr", "auditor", "oversight", "admin"])
def test_every_role_reads_the_years_known_with_where_each_came_from(client: Any, tokens: dict[str, str],
                                                                    role: str) -> None:
    body = client.get("/api/v1/calendar", headers=bearer(tokens, role)).json()
    years = {y["year"]: y for y in body["years"]}
    assert set(range(2004, 2027)) <= set(years)
    assert years[2024]["source"] == "built-in" and years[2024]["package"].startswith("chinese-calendar")
    assert body["today"] == "2031-06-16" and body["missing"] == [2031]  # June: next year not yet due


def test_an_admin_publishes_a_year_and_the_list_names_its_notice_and_when_it_was_recorded(
        client: Any, tokens: dict[str, str]) -> None:
    admin = bearer(tokens, "admin")
    created = client.post("/api/v1/calendar/years", json=syn.payload(), headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["year"] == 2031 and created.json()["version"] == 1
    body = client.get("/api/v1/calendar", headers=bearer(tokens, "auditor")).json()
    [year] = [y for y in body["years"] if y["year"] == 2031]
    assert (year["source"], year["version"], year["notice_no"], year["notice_date"], year["recorded_by"]) == (
        "recorded", 1, syn.NOTICE_NO, syn.NOTICE_DATE, "admin-user")
    assert year["recorded_at"] and (year["holidays"], year["workdays"]) == (3, 1)
    assert body["missing"] == []
    detail = client.get("/api/v1/calendar/years/2031", headers=admin).json()
    assert detail["holidays"] == syn.HOLIDAYS and detail["workdays"] == syn.WORKDAYS
    assert [v["version"] for v in detail["versions"]] == [1]


def test_an_hr_user_needs_the_permission_and_other_roles_may_not_write(
        client: Any, tokens: dict[str, str], calendar_hr: dict[str, str]) -> None:
    for role in ("hr", "auditor", "oversight"):
        body = problem(client.post("/api/v1/calendar/years", json=syn.payload(), headers=bearer(tokens, role)), 403)
        assert "节假日" in body["detail"] or "role" in body["detail"]
    assert client.post("/api/v1/calendar/years", json=syn.payload(), headers=calendar_hr).status_code == 201


def test_the_same_idempotency_key_records_once_and_another_body_under_it_conflicts(
        client: Any, tokens: dict[str, str]) -> None:
    admin = {**bearer(tokens, "admin"), "Idempotency-Key": "cal-2031"}
    first = client.post("/api/v1/calendar/years", json=syn.payload(), headers=admin)
    again = client.post("/api/v1/calendar/years", json=syn.payload(), headers=admin)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    problem(client.post("/api/v1/calendar/years", json=syn.payload(notice_no="另一文号"), headers=admin), 409)


@pytest.mark.parametrize(("change", "field"), [
    ({"workdays": ["2031-03-07"]}, "workdays"),  # a Friday
    ({"holidays": ["2032-01-01"]}, "holidays"),  # another year
    ({"holidays": ["2031-03-08"]}, "workdays"),  # both a holiday and a working day
    ({"notice_date": "2031-06-17"}, "notice_date"),  # after today
    ({"year": 1900}, "year"),
    ({"holidays": []}, "holidays"),
    ({"notice_no": ""}, "notice_no"),
])
def test_a_bad_schedule_is_a_422_naming_the_field(client: Any, tokens: dict[str, str], change: dict[str, Any],
                                                   field: str) -> None:
    body = problem(client.post("/api/v1/calendar/years", json=syn.payload(**change),
                               headers=bearer(tokens, "admin")), 422)
    assert any(field in e["loc"].split(".") for e in body["errors"]), body
    assert client.get("/api/v1/calendar/years/2031", headers=bearer(tokens, "admin")).status_code == 404


def test_a_year_is_published_once_and_then_corrected_as_a_new_version(client: Any, tokens: dict[str, str]) -> None:
    admin = bearer(tokens, "admin")
    url = "/api/v1/calendar/years/2031/corrections"
    fix = {k: v for k, v in syn.correction(document_no="虚构更正〔2031〕2号").items() if k != "year"}
    problem(client.post(url, json=fix, headers=admin), 404)
    assert client.post("/api/v1/calendar/years", json=syn.payload(), headers=admin).status_code == 201
    problem(client.post("/api/v1/calendar/years", json=syn.payload(), headers=admin), 409)
    corrected = client.post(url, json=fix, headers=admin)
    assert corrected.status_code == 201 and corrected.json()["version"] == 2
    detail = client.get("/api/v1/calendar/years/2031", headers=admin).json()
    assert detail["holidays"] == syn.CORRECTED_HOLIDAYS and detail["version"] == 2
    assert [(v["kind"], v["reason"], v["document_no"]) for v in detail["versions"]] == [
        ("published", None, None), ("corrected", fix["reason"], "虚构更正〔2031〕2号")]
    no_reason = problem(client.post(url, json={k: v for k, v in fix.items() if k != "reason"}, headers=admin), 422)
    assert any(e["loc"].endswith("reason") for e in no_reason["errors"])


def test_an_admin_grants_an_hr_user_the_permission_over_the_api(client: Any, tokens: dict[str, str]) -> None:
    admin = bearer(tokens, "admin")
    added = client.post("/api/v1/users", json={"name": "hr-new", "role": "hr"}, headers=admin).json()
    hr_new = {"Authorization": f"Bearer {added['token']}"}
    problem(client.post("/api/v1/calendar/years", json=syn.payload(), headers=hr_new), 403)
    granted = client.post("/api/v1/users/hr-new/permissions", json={"grant": ["can_publish_calendar"]}, headers=admin)
    assert granted.status_code == 200 and granted.json()["can_publish_calendar"] is True
    assert client.post("/api/v1/calendar/years", json=syn.payload(), headers=hr_new).status_code == 201
    problem(client.post("/api/v1/users/auditor-user/permissions", json={"grant": ["can_publish_calendar"]},
                        headers=admin), 422)
