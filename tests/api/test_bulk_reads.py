"""批量查阅留痕 (issue 21): every bulk read — a page of the event feed, a search, an Excel export, a printed
任免审批表 — is recorded with who, what and when, from the API and the pages alike, and shown to auditors
(the API's bulk-read log and the /reads page); a scoped auditor sees the reads within their scope only."""

from __future__ import annotations

import re
from typing import Any

from jishi.bootstrap import Runtime
from service.commands import RecordEntry
from tests import factories as f
from tests.api.test_scope_matrix import bearer, world  # noqa: F401 — the three townships' world
from tests.api.test_scope_matrix_pages import sign_in

LOG = "/api/v1/audit/bulk-reads"


def county(runtime: Runtime) -> str:
    f.organisation(runtime.app)
    cadre = f.registered(runtime.app, "C1")
    runtime.app.handle(RecordEntry(cadre, "Appointed", f.appointment("2020-01-01")), f.HR)
    runtime.catch_up()
    return str(cadre)


def test_each_feed_page_search_export_and_print_is_recorded_with_reader_request_and_time(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    cadre = county(runtime)
    hr, auditor = bearer(tokens["hr"]), bearer(tokens["auditor"])
    reads = {"feed": "/api/v1/events?limit=5", "search": "/api/v1/cadres?q=%E7%8E%8B%E8%8A%B3&limit=10",
             "export": "/api/v1/units/U1/roster?format=xlsx", "print": f"/api/v1/cadres/{cadre}/appointment-form"}
    request_ids = {}
    for kind, url in reads.items():
        response = client.get(url, headers=hr)
        assert response.status_code == 200, (url, response.text[:200])
        request_ids[kind] = response.headers["x-request-id"]
    assert client.get("/api/v1/units/NOPE/roster?format=xlsx", headers=hr).status_code == 404  # nothing read
    assert client.get(LOG, headers=hr).status_code == 403  # the log is the auditors'
    items = client.get(LOG, headers=auditor).json()["items"]
    shown = {**reads, "search": "/api/v1/cadres?q=王芳&limit=10"}  # the query decoded, as typed
    assert [(i["kind"], i["what"], i["reader"], i["role"], i["request_id"]) for i in items] == [
        (kind, url, "hr-user", "hr", request_ids[kind]) for kind, url in shown.items()]
    assert [i["cadre_id"] for i in items] == [None, None, None, cadre]
    assert all(i["read_at"] and i["reader_scope"] is None for i in items)
    # reading the log is no bulk read itself; the next page starts after the last position
    assert client.get(f"{LOG}?after={items[1]['position']}", headers=auditor).json()["items"] == items[2:]


def test_the_pages_record_their_searches_exports_and_prints_and_the_read_log_page_shows_them_in_chinese(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    cadre = county(runtime)
    sign_in(client, tokens["hr"])
    for url in ("/cadres?q=%E7%8E%8B", "/cadres.xlsx?q=%E7%8E%8B", f"/cadres/{cadre}/print"):
        assert client.get(url).status_code == 200, url
    assert client.get("/cadres/new").status_code == 200  # a form is no bulk read
    assert client.get("/cadres").status_code == 200  # nor the search page before anything is asked
    sign_in(client, tokens["auditor"])
    page = client.get("/reads")
    assert page.status_code == 200
    table = page.text[page.text.index('id="bulk-read-log"'):]
    rows = re.findall(r"<tr><td class=\"when nowrap\">.*?</tr>", table, re.S)
    assert len(rows) == 3
    kinds = [re.findall(r"<td>(干部查询|导出|打印/审批表)</td>", r) for r in rows]
    assert kinds == [["干部查询"], ["导出"], ["打印/审批表"]]
    assert all("hr-user" in r for r in rows) and f"/cadres/{cadre}/print" in rows[2]
    assert "search" not in table and "export" not in table  # the kinds are named in Chinese


def test_a_scoped_auditor_sees_the_bulk_reads_of_readers_within_their_scope_and_no_other(
        client: Any, tokens: dict[str, str], world: dict[str, Any]) -> None:  # noqa: F811
    for reader in (("hr", "UA"), ("hr", "UB"), ("oversight", "UP")):
        assert client.get("/api/v1/cadres?q=%E7%8E%8B", headers=bearer(world["users"][reader])).status_code == 200
    assert client.get("/api/v1/events?limit=1", headers=bearer(tokens["hr"])).status_code == 200  # whole tree
    cadre_b = world["ids"]["UB"]["cadre_id"]
    assert client.get(f"/api/v1/cadres/{cadre_b}/appointment-form",
                      headers=bearer(world["users"][("hr", "UB")])).status_code == 200

    def readers(scope: str) -> list[tuple[str, str]]:
        items = client.get(LOG, headers=bearer(world["users"][("auditor", scope)])).json()["items"]
        return [(i["reader"], i["kind"]) for i in items]

    assert readers("UA") == [("hr-UA", "search")]
    assert readers("UB") == [("hr-UB", "search"), ("hr-UB", "print")]
    assert readers("UP") == [("hr-UA", "search"), ("hr-UB", "search"), ("oversight-UP", "search"),
                             ("hr-UB", "print")]
    everything = client.get(LOG, headers=bearer(tokens["auditor"])).json()["items"]
    assert ("hr-user", "feed") in [(i["reader"], i["kind"]) for i in everything]
