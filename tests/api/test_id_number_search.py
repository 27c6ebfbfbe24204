"""按公民身份号码查询 (issue 21): only the roles that see ID numbers unmasked (hr, auditor) may search by a full
公民身份号码; for oversight, who see it masked, a match would confirm a number — the search is refused at
its field, in the API and on the pages alike."""

from __future__ import annotations

from typing import Any

from jishi.bootstrap import Runtime
from service.commands import RecordEntry
from tests import factories as f
from tests.api.test_scope_matrix import bearer
from tests.api.test_scope_matrix_pages import sign_in


def placed(runtime: Runtime) -> str:
    f.organisation(runtime.app)
    cadre = f.registered(runtime.app, "C1")
    runtime.app.handle(RecordEntry(cadre, "Appointed", f.appointment("2020-01-01")), f.HR)
    runtime.catch_up()
    return str(cadre)


def test_hr_and_auditors_find_a_cadre_by_full_id_number_and_oversight_is_refused_at_the_field(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    cadre, number = placed(runtime), f.cadre("C1")["id_number"]
    for role in ("hr", "auditor"):
        found = client.get("/api/v1/cadres", params={"q": number}, headers=bearer(tokens[role]))
        assert found.status_code == 200 and [i["cadre_id"] for i in found.json()["items"]] == [cadre], role
    refused = client.get("/api/v1/cadres", params={"q": number}, headers=bearer(tokens["oversight"]))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "q" and "公民身份号码" in refused.json()["errors"][0]["msg"]
    for q in (number[:-1], "王芳"):  # not a full number: an ordinary search, open to oversight
        assert client.get("/api/v1/cadres", params={"q": q}, headers=bearer(tokens["oversight"])).status_code == 200


def test_the_search_page_and_its_export_refuse_oversight_a_full_id_number_without_showing_a_match(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    placed(runtime)
    number = f.cadre("C1")["id_number"]
    sign_in(client, tokens["oversight"])
    page = client.get("/cadres", params={"q": number})
    assert page.status_code == 422 and "按公民身份号码查询仅限可见完整号码的角色" in page.text
    assert "王芳" not in page.text
    sheet = client.get("/cadres.xlsx", params={"q": number}, follow_redirects=False)
    assert sheet.status_code != 200 and "spreadsheet" not in sheet.headers.get("content-type", "")
    sign_in(client, tokens["hr"])
    assert "王芳" in client.get("/cadres", params={"q": number}).text
