"""管辖范围 across a transfer between two counties (调动), and a secondment (挂职) into one of them.

County A's users see the cadre while the cadre serves in A — also later, asking about that period
(as_of inside it) — but not after; county B's users see the cadre from the transfer on; the city
above both sees all of it. The transfer is recorded late, so asking with ``known_at`` before it was
recorded shows what the record said then: the cadre still in A. A secondment makes a cadre visible
to the host county for its duration, and to the home county throughout.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.recorded import Provenance
from service.users import add_user
from tests import factories as f

SETUP = Provenance("test-setup", "admin", "setup")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def counties(client: Any, runtime: Any) -> dict[str, Any]:
    """City CITY with counties CA and CB; cadre X held CA/P1 from 2019-03-01 and was transferred to
    CB/P1 on 2023-07-01 — recorded only after the instant ``before_transfer``; cadre Y holds CB/P2
    and was seconded (驻村帮扶) to CA from 2024-03-01 to 2024-09-01."""
    def ok(path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    ok("/api/v1/units", f.unit("CITY"), bearer(add_user(runtime.app, "root", "hr", False, SETUP)))
    hr_city = add_user(runtime.app, "hr-CITY", "hr", False, SETUP, ["CITY"])
    for county in ("CA", "CB"):
        ok("/api/v1/units", f.unit(county, parent_code="CITY"), bearer(hr_city))
    users = {(role, scope): add_user(runtime.app, f"{role}-{scope}", role, False, SETUP, [scope])
             for role in ("hr", "auditor") for scope in ("CITY", "CA", "CB") if (role, scope) != ("hr", "CITY")}
    users[("hr", "CITY")] = hr_city
    city = bearer(hr_city)
    for county in ("CA", "CB"):
        ok(f"/api/v1/units/{county}/posts", f.post("P1"), city)
    ok("/api/v1/units/CB/posts", f.post("P2"), city)
    x = ok("/api/v1/cadres", f.cadre("X"), city)["cadre_id"]
    y = ok("/api/v1/cadres", f.cadre("Y"), city)["cadre_id"]
    ok(f"/api/v1/cadres/{x}/entries", {"type": "Appointed", **f.appointment("2019-03-01", "CA")}, city)
    ok(f"/api/v1/cadres/{x}/entries", {"type": "Assessed", "effective_on": "2022-01-15", "kind": "年度",
                                       "period": "2021", "grade": "称职"}, bearer(users[("hr", "CA")]))
    ok(f"/api/v1/cadres/{y}/entries", {"type": "Appointed", **f.appointment("2018-05-01", "CB", "P2")}, city)
    seconded = ok(f"/api/v1/cadres/{y}/entries", {
        "type": "SecondmentStarted", "effective_on": "2024-03-01", "kind": "驻村帮扶", "host": "CA",
        "role": "第一书记", "planned_end_on": "2024-09-01"}, bearer(users[("hr", "CB")]))
    ok(f"/api/v1/cadres/{y}/entries", {"type": "SecondmentEnded", "effective_on": "2024-09-01",
                                       "secondment_entry_id": seconded["entry_id"], "host_evaluation": "优秀",
                                       "feedback": "扎根基层"}, bearer(users[("hr", "CB")]))
    time.sleep(0.01)
    before_transfer = datetime.now(UTC)
    time.sleep(0.01)
    ok(f"/api/v1/cadres/{x}/entries", {"type": "Dismissed", **f.dismissal("2023-07-01", "CA")}, city)
    ok(f"/api/v1/cadres/{x}/entries", {"type": "Appointed", **f.appointment("2023-07-01", "CB")}, city)
    ok(f"/api/v1/cadres/{x}/entries", {"type": "Assessed", "effective_on": "2025-01-15", "kind": "年度",
                                       "period": "2024", "grade": "称职"}, bearer(users[("hr", "CB")]))
    return {"x": x, "y": y, "users": users, "before_transfer": before_transfer.isoformat()}


def sees(client: Any, world: dict[str, Any], who: tuple[str, str], cadre: str, as_of: str,
         known_at: str | None = None) -> bool:
    """Whether ``who`` can open the cadre's growth file on ``as_of`` (as known at ``known_at``); the
    search of that day must agree."""
    query = {"as_of": as_of, **({"known_at": known_at} if known_at else {})}
    headers = bearer(world["users"][who])
    file = client.get(f"/api/v1/cadres/{world[cadre]}/growth-file", params=query, headers=headers)
    assert file.status_code in (200, 404), file.text
    if known_at is None:
        found = client.get("/api/v1/cadres", params={"as_of": as_of, "q": "王"}, headers=headers).json()["items"]
        assert (world[cadre] in {i["cadre_id"] for i in found}) == (file.status_code == 200), (who, as_of)
    return bool(file.status_code == 200)


TRANSFER = (  # as_of, seen by county A, seen by county B
    ("2019-02-28", False, False),  # before the first appointment: no unit holds the cadre
    ("2019-03-01", True, False),
    ("2023-06-30", True, False),  # the last day in A
    ("2023-07-01", False, True),  # the transfer takes effect
    ("2025-06-01", False, True),
)


def test_a_transferred_cadre_is_visible_to_each_county_exactly_while_serving_there(
        client: Any, counties: dict[str, Any]) -> None:
    for as_of, in_a, in_b in TRANSFER:
        assert sees(client, counties, ("hr", "CA"), "x", as_of) is in_a, as_of
        assert sees(client, counties, ("auditor", "CA"), "x", as_of) is in_a, as_of
        assert sees(client, counties, ("hr", "CB"), "x", as_of) is in_b, as_of
        assert sees(client, counties, ("auditor", "CITY"), "x", as_of) is (in_a or in_b), as_of


def test_known_at_before_the_late_recorded_transfer_shows_the_cadre_still_in_the_old_county(
        client: Any, counties: dict[str, Any]) -> None:
    then = counties["before_transfer"]
    assert sees(client, counties, ("auditor", "CA"), "x", "2025-06-01", then)
    assert not sees(client, counties, ("auditor", "CB"), "x", "2025-06-01", then)
    assert not sees(client, counties, ("auditor", "CA"), "x", "2025-06-01")
    assert sees(client, counties, ("auditor", "CB"), "x", "2025-06-01")
    roster = client.get("/api/v1/units/CA/roster", params={"as_of": "2025-06-01", "known_at": then},
                        headers=bearer(counties["users"][("auditor", "CA")])).json()
    assert [h["cadre_id"] for p in roster["posts"] for h in p["holders"]] == [counties["x"]]


def test_the_old_county_reads_the_file_as_it_stood_in_their_period_and_nothing_after(
        client: Any, counties: dict[str, Any]) -> None:
    old = bearer(counties["users"][("auditor", "CA")])
    x = counties["x"]
    file = client.get(f"/api/v1/cadres/{x}/growth-file", params={"as_of": "2023-06-30"}, headers=old).json()
    assert [p["unit_code"] for p in file["posts"]] == ["CA"]
    assert max(i["effective_on"] for i in file["timeline"]) <= "2023-06-30"
    trail = client.get(f"/api/v1/audit/cadres/{x}", headers=old).json()["items"]
    assert {i["type"] for i in trail} == {"CadreRegistered", "Appointed", "Assessed", "Dismissed"}
    assert all(i["effective_on"] <= "2023-07-01" for i in trail)  # the dismissal names CA; B's entries stay hidden
    assert "2025-01-15" not in client.get("/api/v1/audit/actors/hr-CB", headers=old).text
    new = client.get(f"/api/v1/audit/cadres/{x}", headers=bearer(counties["users"][("auditor", "CB")])).json()
    assert len(new["items"]) == len(trail) + 2  # the appointment to CB and the 2024 assessment


def test_a_correction_is_placed_in_time_by_the_entry_it_corrects_not_by_its_own_date(
        client: Any, counties: dict[str, Any]) -> None:
    x, b = counties["x"], bearer(counties["users"][("hr", "CB")])
    trail = client.get(f"/api/v1/audit/cadres/{x}", headers=b).json()["items"]
    later = next(i for i in trail if i["type"] == "Assessed" and i["effective_on"] == "2025-01-15")
    corrected = client.post(f"/api/v1/cadres/{x}/entries/{later['entry_id']}/corrections", headers=b, json={
        "changes": {"grade": "基本称职"}, "reason": "考核结果更正", "effective_on": "2022-06-01"})
    assert corrected.status_code == 201, corrected.text
    old = bearer(counties["users"][("auditor", "CA")])
    for url in (f"/api/v1/audit/cadres/{x}", "/api/v1/events?limit=1000", "/api/v1/audit/actors/hr-CB"):
        assert corrected.json()["entry_id"] not in client.get(url, headers=old).text, url
    assert corrected.json()["entry_id"] in client.get(f"/api/v1/audit/cadres/{x}", headers=b).text


def test_each_county_writes_the_cadres_record_only_for_its_own_period(client: Any, counties: dict[str, Any]) -> None:
    x = counties["x"]
    assessed = {"type": "Assessed", "kind": "平时", "period": "2022-Q3", "grade": "好"}
    a, b = (bearer(counties["users"][("hr", c)]) for c in ("CA", "CB"))
    assert client.post(f"/api/v1/cadres/{x}/entries", json={**assessed, "effective_on": "2022-10-08"},
                       headers=a).status_code == 201
    assert client.post(f"/api/v1/cadres/{x}/entries", json={**assessed, "effective_on": "2024-10-08"},
                       headers=a).status_code == 404
    assert client.post(f"/api/v1/cadres/{x}/entries", json={**assessed, "effective_on": "2022-10-09"},
                       headers=b).status_code == 404
    assert client.post(f"/api/v1/cadres/{x}/entries", json={**assessed, "effective_on": "2024-10-08"},
                       headers=b).status_code == 201
    # a county cannot move the cadre back by itself: the city (their common parent) records transfers
    back = {"type": "Appointed", **f.appointment("2025-03-01", "CA")}
    assert client.post(f"/api/v1/cadres/{x}/entries", json=back, headers=a).status_code == 404


def test_a_county_cannot_stretch_its_reach_over_the_cadres_later_service_elsewhere(
        client: Any, counties: dict[str, Any]) -> None:
    x, a = counties["x"], bearer(counties["users"][("hr", "CA")])
    assert client.post("/api/v1/units/CA/posts", json=f.post("P3"), headers=a).status_code == 201
    trail = client.get(f"/api/v1/audit/cadres/{x}", headers=a).json()["items"]
    dismissal = next(i["entry_id"] for i in trail if i["type"] == "Dismissed")
    refused = {
        "a back-dated appointment, still open": client.post(f"/api/v1/cadres/{x}/entries", headers=a, json={
            "type": "Appointed", **f.appointment("2022-03-01", "CA", "P3")}),
        "a retracted dismissal": client.post(f"/api/v1/cadres/{x}/entries/{dismissal}/retractions", headers=a,
                                             json={"reason": "误录"}),
        "a dismissal moved later": client.post(f"/api/v1/cadres/{x}/entries/{dismissal}/corrections", headers=a,
                                               json={"changes": {"effective_on": "2025-01-01"}, "reason": "日期"}),
        "an open secondment into the county": client.post(f"/api/v1/cadres/{x}/entries", headers=a, json={
            "type": "SecondmentStarted", "effective_on": "2022-06-01", "kind": "跟班学习", "host": "CA",
            "role": "跟班", "planned_end_on": "2026-06-01"}),
    }
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 404)
    assert all("stretch your jurisdiction" in r.json()["detail"] for r in refused.values())
    assert not sees(client, counties, ("hr", "CA"), "x", "2025-06-01")
    fixed = client.post(f"/api/v1/cadres/{x}/entries/{dismissal}/corrections", headers=a,
                        json={"changes": {"document_no": "组干〔2023〕7号"}, "reason": "文号更正"})
    assert fixed.status_code == 201, fixed.text  # the dismissal itself stays theirs to correct


def test_a_seconded_cadre_is_visible_to_the_host_county_for_the_secondment_and_to_the_home_county_throughout(
        client: Any, counties: dict[str, Any]) -> None:
    for as_of, host_sees in (("2024-02-29", False), ("2024-03-01", True), ("2024-08-31", True),
                             ("2024-09-01", False)):
        assert sees(client, counties, ("auditor", "CA"), "y", as_of) is host_sees, as_of
        assert sees(client, counties, ("auditor", "CB"), "y", as_of), as_of
        roster = client.get("/api/v1/units/CA/roster", params={"as_of": as_of},
                            headers=bearer(counties["users"][("auditor", "CA")])).json()
        assert [s["cadre_id"] for s in roster["seconded_in"]] == ([counties["y"]] if host_sees else [])
