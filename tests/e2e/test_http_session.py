"""A working session over real HTTP (uvicorn on 127.0.0.1): what an HR officer, an auditor and an
oversight reviewer do on one day, with every response checked."""

from __future__ import annotations

from typing import Any

import httpx

from tests import factories as f


def test_an_hr_session_over_http_is_seen_bitemporally_by_the_auditor_and_oversight(
        live_server: str, tokens: dict[str, str]) -> None:
    hr = httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {tokens['hr']}"}, timeout=30)
    auditor = httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {tokens['auditor']}"},
                           timeout=30)
    oversight = httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {tokens['oversight']}"},
                             timeout=30)

    def created(response: httpx.Response) -> dict[str, Any]:
        assert response.status_code == 201, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-request-id"]
        body: dict[str, Any] = response.json()
        assert {"entry_id", "stream_id", "version", "position", "recorded_at"} <= body.keys()
        return body

    def ok(response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()

    # HR sets up the organisation and the cadre
    unit = created(hr.post("/api/v1/units", json=f.unit("XZ01", name="城关镇", kind="乡镇")))
    assert unit["unit_code"] == "XZ01"
    created(hr.post("/api/v1/units/XZ01/posts", json=f.post("FZZ", title="副镇长")))
    cadre = created(hr.post("/api/v1/cadres", json=f.cadre("C001"), headers={"X-Request-ID": "session-1"}))
    cadre_id = cadre["cadre_id"]
    assert cadre["stream_id"] == cadre_id and cadre["version"] == 1

    # appoint, assess, then fix the appointment date and withdraw the assessment
    appointed = created(hr.post(f"/api/v1/cadres/{cadre_id}/entries",
                                json={"type": "Appointed", **f.appointment("2020-01-01", "XZ01", "FZZ")}))
    created(hr.post("/api/v1/units/XZ01/assessment-participants", json=f.participants("2020", 20)))  # 优秀 quota
    assessed = created(hr.post(f"/api/v1/cadres/{cadre_id}/entries", json={
        "type": "Assessed", "effective_on": "2021-01-15", "kind": "年度", "period": "2020", "grade": "优秀"}))
    assert assessed["position"] > appointed["position"] and assessed["version"] == 3
    corrected = created(hr.post(f"/api/v1/cadres/{cadre_id}/entries/{appointed['entry_id']}/corrections", json={
        "changes": {"effective_on": "2020-02-01"}, "reason": "任职日期录入错误", "document_no": "组干〔2020〕1号"}))
    retracted = created(hr.post(f"/api/v1/cadres/{cadre_id}/entries/{assessed['entry_id']}/retractions",
                                json={"reason": "重复录入"}))
    assert retracted["version"] == 5

    # the roster: before the appointment, now, and as it was known before the correction
    before = ok(auditor.get("/api/v1/units/XZ01/roster", params={"as_of": "2019-12-31"}))
    assert before["posts"][0]["holders"] == [] and before["posts"][0]["vacancies"] == 1
    now = ok(auditor.get("/api/v1/units/XZ01/roster", params={"as_of": "2021-06-01"}))
    assert now["unit"]["name"] == "城关镇" and now["as_of"] == "2021-06-01"
    [holder] = now["posts"][0]["holders"]
    assert {k: holder[k] for k in ("cadre_id", "name", "since", "manner")} == {  # and the 干部名册 columns
        "cadre_id": cadre_id, "name": "王芳", "since": "2020-02-01", "manner": "平职交流"}
    then = ok(auditor.get("/api/v1/units/XZ01/roster",
                          params={"as_of": "2021-06-01", "known_at": appointed["recorded_at"]}))
    assert [h["since"] for h in then["posts"][0]["holders"]] == ["2020-01-01"]
    assert then["known_at"] is not None

    # the growth file shows the corrected appointment and the retracted assessment
    growth = ok(hr.get(f"/api/v1/cadres/{cadre_id}/growth-file", params={"as_of": "2021-06-01"}))
    assert growth["profile"]["name"] == "王芳"
    by_id = {item["entry_id"]: item for item in growth["timeline"]}
    assert by_id[appointed["entry_id"]]["corrected"] is True
    assert by_id[appointed["entry_id"]]["effective_on"] == "2020-02-01"
    assert by_id[assessed["entry_id"]]["retracted"] is True
    assert growth["assessments"] == []
    assert [p["post_code"] for p in growth["posts"]] == ["FZZ"]

    # the audit trail: every entry in recorded order, linked to what it corrects or retracts
    trail = ok(auditor.get(f"/api/v1/audit/cadres/{cadre_id}"))["items"]
    assert [t["entry_id"] for t in trail] == [cadre["entry_id"], appointed["entry_id"], assessed["entry_id"],
                                              corrected["entry_id"], retracted["entry_id"]]
    assert [t["position"] for t in trail] == sorted(t["position"] for t in trail)
    assert trail[3]["corrects"] == appointed["entry_id"] and trail[3]["reason"] == "任职日期录入错误"
    assert trail[4]["retracts"] == assessed["entry_id"]
    assert {t["actor"] for t in trail} == {"hr-user"}
    registration = ok(auditor.get(f"/api/v1/events?after={cadre['position'] - 1}&limit=1"))["items"][0]
    assert registration["request_id"] == "session-1" and registration["entry_id"] == cadre["entry_id"]

    # oversight sees findings with evidence, and the cadre's id number masked
    findings = ok(oversight.get("/api/v1/findings", params={"as_of": "2026-01-01"}))["items"]
    mine = [x for x in findings if x["cadre_id"] == cadre_id]
    assert mine and all(x["status"] in ("open", "resolved", "overridden") for x in mine)
    assert any(appointed["entry_id"] in x["evidence"] for x in mine)
    seen = ok(oversight.get(f"/api/v1/cadres/{cadre_id}/growth-file"))
    assert "*" in seen["profile"]["id_number"] and growth["profile"]["id_number"] == f.cadre("C001")["id_number"]

    # and the auditor sees who read the growth file
    reads = ok(auditor.get("/api/v1/audit/reads", params={"cadre_id": cadre_id}))["items"]
    assert [(r["reader"], r["role"]) for r in reads] == [("hr-user", "hr"), ("oversight-user", "oversight")]
    assert hr.get("/api/v1/audit/reads").status_code == 403
    for c in (hr, auditor, oversight):
        c.close()
