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


def test_an_open_finding_is_not_yet_due_on_its_due_date_and_overdue_the_day_after(runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-01-01")), f.HR)
    runtime.catch_up()
    due = date(2023, 1, 1) + timedelta(days=app.config.int("monitors.talk_due_days"))
    reads = runtime.read_models

    def talk_in(status: str, day: date) -> bool:
        return any(x["rule"] == "R-TALK-PROMO" for x in reads.findings(as_of=day, status=status))

    assert [talk_in("not_due", d) for d in (due - timedelta(days=1), due, due + timedelta(days=1))] == [
        True, True, False]
    assert [talk_in("overdue", d) for d in (due - timedelta(days=1), due, due + timedelta(days=1))] == [
        False, False, True]
    assert all(talk_in("open", d) for d in (due, due + timedelta(days=1)))  # "open" is still both halves
    before, after = (reads.finding_groups(d, rule="R-TALK-PROMO") for d in (due, due + timedelta(days=1)))
    assert (before["not_due"], before["overdue"], after["not_due"], after["overdue"]) == (1, 0, 0, 1)


def test_a_talk_owed_after_an_overriding_appointment_is_an_ordinary_finding_and_only_the_override_is_overridden(
        runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app, establishment=1)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    over = app.handle(RecordEntry(b, "Appointed", f.appointment("2020-02-01", override_reason="特批")), f.HR_OVERRIDE)
    app.handle(RecordEntry(b, "ConversationHeld", {
        "effective_on": "2020-02-10", "kind": "任职谈话", "interviewer": "组织部长", "summary": "任职谈话",
        "trigger_entry_id": str(over.entry_id)}), f.HR)
    runtime.catch_up()
    mine = [x for x in runtime.read_models.findings(as_of=date.today()) if x["cadre_id"] == str(b)]
    by_rule = {x["rule"]: x["status"] for x in mine}
    assert by_rule["R-OVERRIDE"] == "overridden" and by_rule["R-TALK-PROMO"] == "resolved"
    assert [x["rule"] for x in mine if x["status"] == "overridden"] == ["R-OVERRIDE"]
    assert runtime.read_models.finding_groups(date.today())["overridden"] == 1


def test_a_finding_resolved_on_a_day_is_open_the_day_before_and_not_open_that_day_or_after(runtime: Runtime) -> None:
    """The open filters on both backends (PostgreSQL asks "open on as_of" as a range of an index
    expression, SQLite as the two conditions): the same findings at the boundary."""
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app)
    appointed = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-01-01")), f.HR)
    app.handle(RecordEntry(cadre_id, "ConversationHeld", {
        "effective_on": "2023-01-10", "kind": "任职谈话", "interviewer": "组织部长", "summary": "任职谈话",
        "trigger_entry_id": str(appointed.entry_id)}), f.HR)
    runtime.catch_up()
    reads = runtime.read_models
    resolved = date.fromisoformat(str(talk_promo(runtime, cadre_id)["resolved_on"]))
    assert resolved == date(2023, 1, 10)
    days = (resolved - timedelta(days=1), resolved, resolved + timedelta(days=1))

    def talk_in(status: str, day: date) -> bool:
        return any(x["rule"] == "R-TALK-PROMO" for x in reads.findings(as_of=day, status=status, limit=100))

    assert [talk_in("open", d) for d in days] == [True, False, False]
    assert [talk_in("not_due", d) for d in days] == [True, False, False]
    assert [talk_in("resolved", d) for d in days] == [False, True, True]
    assert [x["status"] for x in reads.findings(as_of=days[0], rule="R-TALK-PROMO")] == ["open"]


def test_on_postgresql_open_on_a_day_is_an_index_condition_of_the_open_until_index(runtime: Runtime) -> None:
    """The page's query must spell the index's expression exactly, or PostgreSQL falls back to reading
    the table row of every resolved finding (at M, 200 ms a page). On this tiny table the planner
    would rather scan in due order, so the plan is asked with sequential scans off and, in a
    transaction rolled back, without the two indexes in due order: what ix_rm_finding_open_until serves."""
    from sqlalchemy import event

    engine = runtime.read_models.engine
    if engine.dialect.name != "postgresql":
        with engine.connect() as conn:
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars())
        assert "ix_rm_finding_open_until" not in names  # PostgreSQL's alone
        return
    statements: list[tuple[str, object]] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, params, context, many: statements.append((sql, params)))
    runtime.read_models.findings(status="open", as_of=date(2026, 1, 1), limit=100)
    (sql, params), = [s for s in statements if "FROM rm_finding" in s[0]]
    with engine.connect() as conn, conn.begin() as transaction:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("DROP INDEX ix_rm_finding_open_due")
        conn.exec_driver_sql("DROP INDEX ix_rm_finding_due")
        plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + sql, params).scalars())
        transaction.rollback()
    assert "Index Only Scan using ix_rm_finding_open_until" in plan  # the page's ids from the index alone
    conditions = [line for line in plan.splitlines() if "Index Cond:" in line]
    assert any("recorded_to = " in c and "COALESCE(resolved_on, '9999-12-31'::date)) >" in c for c in conditions), plan
