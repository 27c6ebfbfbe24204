"""GET /api/v1/findings: the status filter's halves of "open" — overdue and not_due — as of `as_of`,
without changing what an item's `status` says."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jishi.bootstrap import Runtime
from service.commands import RecordEntry
from tests import factories as f
from tests.api.test_bounds import _refused


def _talk(client: Any, token: str, status: str, as_of: date) -> list[dict[str, Any]]:
    response = client.get("/api/v1/findings", params={"status": status, "as_of": as_of.isoformat(),
                                                      "rule": "R-TALK-PROMO"},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_overdue_and_not_due_split_the_open_findings_at_the_due_date_and_items_still_say_open(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-01-01")), f.HR)
    runtime.catch_up()
    due = date(2023, 1, 1) + timedelta(days=app.config.int("monitors.talk_due_days"))
    token = tokens["oversight"]
    on_due, day_after = due, due + timedelta(days=1)
    assert [len(_talk(client, token, s, on_due)) for s in ("open", "not_due", "overdue")] == [1, 1, 0]
    assert [len(_talk(client, token, s, day_after)) for s in ("open", "not_due", "overdue")] == [1, 0, 1]
    late = _talk(client, token, "overdue", day_after)[0]
    assert late["status"] == "open" and late["overdue"] is True and late["cadre_id"] == str(cadre_id)


def test_an_unknown_status_is_refused_on_status(client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/findings", params={"status": "late"},
                          headers={"Authorization": f"Bearer {tokens['oversight']}"})
    _refused(response, "status")
