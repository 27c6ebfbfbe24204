"""Findings in the read model: a finding resolves when the missing thing is recorded,
reopens when that entry is retracted, and known_at shows each state as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from jishi.bootstrap import Runtime
from service.commands import RecordEntry, RetractEntry
from tests import factories as f


def talk_promo(runtime: Runtime, cadre_id: f.UUID, known_at: datetime | None = None) -> dict[str, object]:
    found = [x for x in runtime.read_models.findings(rule="R-TALK-PROMO", as_of=date.today(), known_at=known_at)
             if x["cadre_id"] == str(cadre_id)]
    assert len(found) == 1, found
    return found[0]


def test_a_missing_talk_is_an_open_finding_until_recorded_and_reopens_when_the_talk_is_retracted(
        runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app)
    appointed = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-01-01")), f.HR)
    runtime.catch_up()
    finding = talk_promo(runtime, cadre_id)
    assert finding["status"] == "open" and finding["overdue"] is True
    assert finding["evidence"] == [str(appointed.entry_id)]
    due = date.fromisoformat(str(finding["due_on"]))
    assert due == date(2023, 1, 1) + timedelta(days=app.config.int("monitors.talk_due_days"))
    assert finding["unit_code"] == "U1"

    talk = app.handle(RecordEntry(cadre_id, "ConversationHeld", {
        "effective_on": "2023-01-10", "kind": "任职谈话", "interviewer": "组织部长", "summary": "任职谈话",
        "trigger_entry_id": str(appointed.entry_id)}), f.HR)
    runtime.catch_up()
    resolved_at = datetime.now(UTC)
    assert talk_promo(runtime, cadre_id)["status"] == "resolved"

    app.handle(RetractEntry(cadre_id, talk.entry_id, {"reason": "谈话记录有误"}), f.HR)
    runtime.catch_up()
    assert talk_promo(runtime, cadre_id)["status"] == "open"
    assert talk_promo(runtime, cadre_id, known_at=resolved_at)["status"] == "resolved"


def test_an_overridden_guard_appears_as_an_overridden_finding(runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app, establishment=1)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    over = app.handle(RecordEntry(b, "Appointed", f.appointment("2020-02-01", override_reason="特批")), f.HR_OVERRIDE)
    runtime.catch_up()
    found = runtime.read_models.findings(rule="R-OVERRIDE", as_of=date.today())
    assert [x["status"] for x in found] == ["overridden"]
    assert found[0]["evidence"] == [str(over.entry_id)]
    assert "R-EST" in str(found[0]["detail"])
