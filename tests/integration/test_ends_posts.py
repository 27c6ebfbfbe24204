"""任…免… in one document, on SQLite and PostgreSQL: an appointment ends the cadre's other posts the
same day in the same transaction; corrections and retractions move or restore those ends; two
leadership posts held at once (neither 兼任) are an R-DUAL-POST finding."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolationError, ValidationError
from domain.post import OccupancyChanged
from jishi.bootstrap import Runtime
from service.commands import CorrectEntry, EstablishPost, RecordEntry, RetractEntry
from tests import factories as f

START, MOVE = date(2020, 1, 1), date(2023, 6, 1)


def placed(app: f.Jishi) -> f.UUID:
    """U1 with P1 and P2 (副部长, 142) and P3 (部长, 141); a cadre holding P1 since 2020."""
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P2")), f.HR)
    app.handle(EstablishPost("U1", f.post("P3", title="部长", grade="141")), f.HR)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(START.isoformat())), f.HR)
    return cadre_id


def occupancy(app: f.Jishi, post_code: str, cadre_id: f.UUID) -> tuple[tuple[date, date | None], ...]:
    return app.get_post("U1", post_code).occupancy.get(cadre_id, ())


def last_event(app: f.Jishi, post_code: str) -> object:
    return list(app.events.get(app.get_post("U1", post_code).id))[-1]


def test_an_appointment_ends_the_posts_it_names_that_day_and_the_posts_mirror_it(app: f.Jishi) -> None:
    cadre_id = placed(app)
    head = app.recorder.max_notification_id()
    result = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2",
                                                                   manner="轮岗", ends_posts=["U1/P1"])), f.HR)
    stored = app.get_cadre(cadre_id).entries[result.entry_id].values
    assert stored["ends_posts"] == ("U1/P1",) and stored["ends_reason"] == "调动"
    assert occupancy(app, "P1", cadre_id) == ((START, MOVE),) and occupancy(app, "P2", cadre_id) == ((MOVE, None),)
    assert [(t.post_code, t.end, t.ended_by) for t in app.history(cadre_id).tenures] == [
        ("P1", MOVE, result.entry_id), ("P2", None, None)]
    # the cadre's entry and both posts' occupancy in one transaction: three events, one after the other
    assert app.recorder.max_notification_id() == head + 3 == result.position + 2
    mirrored = last_event(app, "P1")
    assert isinstance(mirrored, OccupancyChanged) and mirrored.cause_entry_id == result.entry_id


def test_a_promotion_records_the_posts_it_ends_as_ended_by_promotion(app: f.Jishi) -> None:
    cadre_id = placed(app)
    result = f.promoted(app, cadre_id, "U1", "P3", MOVE, ends_posts=["U1/P1"])
    assert app.get_cadre(cadre_id).entries[result.entry_id].values["ends_reason"] == "提拔"
    assert occupancy(app, "P1", cadre_id) == ((START, MOVE),)


def test_ending_a_post_not_held_that_day_is_refused_and_nothing_is_stored(app: f.Jishi) -> None:
    cadre_id = placed(app)
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P3", manner="提拔",
                                                              ends_posts=["U1/P2"])), f.HR_OVERRIDE)
    assert "R-SEQ" in e.value.rules and any(v.field == "ends_posts" for v in e.value.violations)
    with pytest.raises(RuleViolationError):  # before it was taken
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2019-06-01", post_code="P2",
                                                                    ends_posts=["U1/P1"])), f.HR)
    assert app.recorder.max_notification_id() == head


def test_a_concurrent_post_takes_no_ends_posts_and_a_malformed_post_is_refused(app: f.Jishi) -> None:
    cadre_id = placed(app)
    for extra in ({"manner": "兼任", "ends_posts": ["U1/P1"]}, {"ends_posts": ["U1-P1"]}):
        with pytest.raises(ValidationError) as e:
            app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2", **extra)),
                       f.HR)
        assert [x.loc for x in e.value.errors] == ["ends_posts"]
    concurrent = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2",
                                                                       manner="兼任")), f.HR)
    assert concurrent.overrides == () and occupancy(app, "P1", cadre_id) == ((START, None),)


def test_retracting_the_appointment_restores_the_posts_it_ended(app: f.Jishi) -> None:
    cadre_id = placed(app)
    moved = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2",
                                                                  ends_posts=["U1/P1"])), f.HR)
    app.handle(RetractEntry(cadre_id, moved.entry_id, {"reason": "误录"}), f.HR)
    assert occupancy(app, "P1", cadre_id) == ((START, None),) and occupancy(app, "P2", cadre_id) == ()
    assert [(t.post_code, t.end) for t in app.history(cadre_id).tenures] == [("P1", None)]
    restored = last_event(app, "P1")
    assert isinstance(restored, OccupancyChanged) and restored.tenures == ((START, None),)


def test_correcting_the_date_or_the_posts_ended_moves_or_restores_the_ends(app: f.Jishi) -> None:
    cadre_id = placed(app)
    moved = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2",
                                                                  ends_posts=["U1/P1"])), f.HR)
    later = date(2023, 7, 3)
    app.handle(CorrectEntry(cadre_id, moved.entry_id, {"changes": {"effective_on": later.isoformat()},
                                                       "reason": "日期"}), f.HR)
    assert occupancy(app, "P1", cadre_id) == ((START, later),) and occupancy(app, "P2", cadre_id) == ((later, None),)
    corrected = app.handle(CorrectEntry(cadre_id, moved.entry_id, {"changes": {"ends_posts": []},
                                                                   "reason": "原职未免"}), f.HR)
    values = app.get_cadre(cadre_id).entries[moved.entry_id].values
    assert values["ends_posts"] == () and values["ends_reason"] is None
    assert occupancy(app, "P1", cadre_id) == ((START, None),)
    changes = app.get_cadre(cadre_id).entries[corrected.entry_id].values["changes"]
    assert changes == {"ends_posts": (), "ends_reason": None}
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectEntry(cadre_id, moved.entry_id, {"changes": {"ends_posts": ["U1/P2"]}, "reason": "x"}), f.HR)
    assert e.value.errors[0].loc == "changes.ends_posts"


def test_a_dismissal_and_an_appointment_ending_the_same_post_cannot_both_stand(app: f.Jishi) -> None:
    cadre_id = placed(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2",
                                                                ends_posts=["U1/P1"])), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2023-08-01")), f.HR)
    assert e.value.rules == ["R-SEQ"]


def test_the_read_models_and_findings_follow_the_ends_and_the_dual_posts(runtime: Runtime) -> None:
    app = runtime.app
    cadre_id = placed(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(MOVE.isoformat(), post_code="P2")), f.HR)
    runtime.catch_up()
    dual = [x for x in runtime.read_models.findings(as_of=MOVE, limit=100) if x["rule"] == "R-DUAL-POST"]
    assert len(dual) == 1 and dual[0]["status"] == "open" and dual[0]["due_on"] == MOVE.isoformat()
    app.handle(EstablishPost("U1", f.post("P4")), f.HR)
    ending = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-09-01", post_code="P4",
                                                                   ends_posts=["U1/P1", "U1/P2"])), f.HR)
    runtime.catch_up()
    dual = [x for x in runtime.read_models.findings(as_of=date(2023, 9, 1), limit=100) if x["rule"] == "R-DUAL-POST"]
    assert [(x["status"], x["resolved_on"], x["resolution"]) for x in dual] == [
        ("resolved", "2023-09-01", [str(ending.entry_id)])]
    roster = runtime.read_models.roster("U1", date(2023, 9, 1), None)
    held = {p["post_code"]: [h["cadre_id"] for h in p["holders"]] for p in roster["posts"]}
    assert held == {"P1": [], "P2": [], "P3": [], "P4": [str(cadre_id)]}
    talks = [x for x in runtime.read_models.findings(as_of=date(2023, 9, 1), limit=100)
             if x["rule"] == "R-TALK-DEPART" and x["evidence"] == [str(ending.entry_id)]]
    assert len(talks) == 1 and talks[0]["status"] == "open"
