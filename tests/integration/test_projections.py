"""Read models: bitemporal answers, exactly-once application, rebuild equals incremental."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from sqlalchemy import inspect

from domain.errors import JishiError
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from projections import maintenance
from projections.checksum import checksum, table_digests
from projections.db import Base
from projections.models import POSTGRES_ONLY_INDEXES
from service.commands import (
    ChangeEstablishment,
    CorrectCaseStep,
    CorrectEntry,
    EstablishPost,
    OpenCase,
    PublishCalendar,
    RecordCaseStep,
    RecordEntry,
    RegisterCadre,
    RenameUnit,
    RetractCaseStep,
    RetractEntry,
)
from tests import factories as f
from tests.conftest import RuntimeFactory

ADMIN = Provenance("admin-wang", "admin", "req-cal")


def holders(runtime: Runtime, as_of: str, known_at: datetime | None = None) -> list[str]:
    roster = runtime.read_models.roster("U1", date.fromisoformat(as_of), known_at)
    return [h["name"] for p in roster["posts"] for h in p["holders"]]


def test_the_roster_answers_as_of_a_day_and_as_known_at_an_instant(runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app, establishment=2)
    a, b = f.registered(app, "C1", name="甲"), f.registered(app, "C2", name="乙")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    appointed_b = app.handle(RecordEntry(b, "Appointed", f.appointment("2021-01-01")), f.HR)
    before_correction = datetime.now(UTC)
    app.handle(CorrectEntry(b, appointed_b.entry_id, {"changes": {"effective_on": "2021-06-01"}, "reason": "日期"}),
               f.HR)
    app.handle(RecordEntry(a, "Dismissed", f.dismissal("2022-01-01")), f.HR)
    runtime.catch_up()
    assert holders(runtime, "2019-12-31") == []
    assert holders(runtime, "2020-01-01") == ["甲"]
    assert holders(runtime, "2021-03-01") == ["甲"]  # B's start was corrected to June
    assert sorted(holders(runtime, "2021-03-01", before_correction)) == ["乙", "甲"]  # what HR saw then
    assert holders(runtime, "2022-01-01") == ["乙"]
    roster = runtime.read_models.roster("U1", date(2022, 1, 1), None)
    assert roster["posts"][0]["vacancies"] == 1


def test_the_growth_file_marks_corrected_and_retracted_entries(runtime: Runtime) -> None:
    app = runtime.app
    cadre_id = f.registered(app)
    hardship = app.handle(RecordEntry(cadre_id, "HardshipRecorded", {"effective_on": "2021-01-01",
                                                                     "description": "病"}), f.HR)
    talk = app.handle(RecordEntry(cadre_id, "ConversationHeld", {
        "effective_on": "2021-01-10", "kind": "谈心谈话", "interviewer": "部长", "summary": "关心"}), f.HR)
    app.handle(CorrectEntry(cadre_id, hardship.entry_id, {"changes": {"description": "家人重病"}, "reason": "补充"}),
               f.HR)
    app.handle(RetractEntry(cadre_id, talk.entry_id, {"reason": "误录"}), f.HR)
    runtime.catch_up()
    file = runtime.read_models.growth_file(cadre_id, date.today(), None)
    by_id = {i["entry_id"]: i for i in file["timeline"]}
    assert by_id[str(hardship.entry_id)]["corrected"] is True
    assert by_id[str(hardship.entry_id)]["fields"]["description"] == "家人重病"
    assert by_id[str(talk.entry_id)]["retracted"] is True
    assert file["profile"]["gender_label"] == "女"


def test_lag_is_the_distance_from_the_store_head_and_catch_up_closes_it(runtime: Runtime) -> None:
    f.registered(runtime.app)  # two events: the registration and its ID-number claim
    assert set(runtime.lag().values()) == {2}
    runtime.catch_up()
    assert set(runtime.lag().values()) == {0}


def test_the_follower_applies_what_another_writer_stored(make_runtime: RuntimeFactory) -> None:
    reader, writer = make_runtime(), make_runtime()
    reader.runner.start_follower(interval=0.05)
    f.registered(writer.app)
    deadline = datetime.now(UTC).timestamp() + 10
    while set(reader.lag().values()) != {0} and datetime.now(UTC).timestamp() < deadline:
        threading.Event().wait(0.05)
    assert set(reader.lag().values()) == {0}
    assert reader.read_models.search(as_of=date.today(), q="王")["items"]


def build_history(app: f.Jishi) -> None:
    f.organisation(app, establishment=2)
    ids = [f.registered(app, f"C{i}", name=n) for i, n in enumerate(("甲", "乙", "丙"))]
    results = [app.handle(RecordEntry(ids[0], "Appointed", f.appointment("2019-01-01")), f.HR)]
    results.append(app.handle(RecordEntry(ids[1], "Appointed", f.appointment("2020-01-01")), f.HR))
    app.handle(RecordEntry(ids[0], "Dismissed", f.dismissal("2021-01-01")), f.HR)
    app.handle(CorrectEntry(ids[1], results[1].entry_id, {"changes": {"effective_on": "2020-02-01"}, "reason": "x"}),
               f.HR)
    app.handle(RecordEntry(ids[2], "Appointed", f.appointment("2021-06-01")), f.HR)
    t = app.handle(RecordEntry(ids[2], "TrainingCompleted", {"effective_on": "2021-07-01", "kind": "任职培训",
                                                      "course": "班", "provider": "党校", "started_on": "2021-06-20",
                                                      "hours": "40", "passed": True}), f.HR)
    app.handle(RetractEntry(ids[2], t.entry_id, {"reason": "误录"}), f.HR)
    app.handle(RenameUnit("U1", {"effective_on": "2022-01-01", "name": "县委组织部"}), f.HR)
    app.handle(ChangeEstablishment("U1", "P1", {"effective_on": "2022-01-01", "establishment": 3}), f.HR)
    app.handle(EstablishPost("U1", f.post("P2", establishment=2)), f.HR)
    # 任…免…: ends P1 that day
    moved = app.handle(RecordEntry(ids[2], "Appointed", f.appointment("2022-03-01", post_code="P2",
                                                                      ends_posts=["U1/P1"])), f.HR)
    app.handle(CorrectEntry(ids[2], moved.entry_id, {"changes": {"effective_on": "2022-04-01"}, "reason": "日期"}),
               f.HR)
    app.handle(RecordEntry(ids[1], "Appointed", f.appointment("2022-05-01", post_code="P2")), f.HR)  # R-DUAL-POST
    app.handle(RetractEntry(ids[2], moved.entry_id, {"reason": "误录"}), f.HR)  # P1 is held again
    case_id = f.UUID(app.handle(OpenCase(f.case_payload("2022-06-01")), f.HR).extra["case_id"])
    recommended = app.handle(RecordCaseStep(case_id, "Recommended", {"effective_on": "2022-06-10", "kind": "会议推荐",
                                                                "participants": 20, "votes": {str(ids[0]): 15}}), f.HR)
    fixed = app.handle(CorrectCaseStep(case_id, recommended.entry_id, {"changes": {"participants": 21},
                                                                       "reason": "人数"}), f.HR)
    app.handle(RetractCaseStep(case_id, fixed.entry_id, {"reason": "误更正"}), f.HR)  # the case's trail links both
    with contextlib.suppress(JishiError):
        app.handle(RecordEntry(ids[0], "Dismissed", f.dismissal("2018-01-01")), f.HR)
    # a publicity counted with the built-in 2021; then a SYNTHETIC 2021 (made up, not the real schedule)
    # recorded over it, which shortens the publicity (R-CALENDAR-CHANGED), and corrected back within it
    case_id = UUID(app.handle(OpenCase(f.case_payload("2021-01-20")), f.HR).extra["case_id"])
    f.case_through_decision(app, case_id, ids[1], date(2021, 3, 5))
    app.handle(RecordCaseStep(case_id, "PublicityHeld", {"cadre_id": str(ids[1]), "start_on": "2021-03-08",
                                                    "end_on": "2021-03-15", "objections": 0}), f.HR)
    made_up = {"year": 2021, "holidays": ["2021-03-09", "2021-03-10"], "workdays": [],
               "notice_no": "虚构测试〔2020〕1号", "notice_date": "2020-12-01"}
    app.handle(PublishCalendar(made_up), ADMIN)
    app.handle(PublishCalendar({**made_up, "holidays": ["2021-03-09"], "reason": "更正（虚构）"}, correct=True), ADMIN)


def test_rebuilding_from_scratch_gives_exactly_the_incremental_read_models(runtime: Runtime) -> None:
    app = runtime.app

    class Stepping:  # catch up after every command, as the API does
        def __getattr__(self, name: str) -> object:
            method = getattr(app, name)

            def call(*args: object, **kwargs: object) -> object:
                result = method(*args, **kwargs)
                runtime.catch_up()
                return result
            return call

    build_history(Stepping())  # type: ignore[arg-type]
    incremental = table_digests(runtime.runner.engine)
    assert all(not v.startswith("0:") for k, v in incremental.items() if k != "rm_finding"), incremental
    runtime.runner.reset()
    runtime.catch_up()
    assert table_digests(runtime.runner.engine) == incremental
    runtime.runner.rebuild()  # aggregate by aggregate, in one transaction
    assert table_digests(runtime.runner.engine) == incremental
    inspector = inspect(runtime.runner.engine)  # SQLite's rebuild drops the indexes and builds them again
    engine = runtime.runner.engine
    only_elsewhere = POSTGRES_ONLY_INDEXES if engine.dialect.name != "postgresql" else frozenset()
    for table in Base.metadata.sorted_tables:
        assert {i["name"] for i in inspector.get_indexes(table.name)} >= \
            {i.name for i in table.indexes} - only_elsewhere, table.name


def test_an_interrupted_bulk_rebuild_leaves_the_read_models_and_positions_as_they_were(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    build_history(runtime.app)
    runtime.catch_up()
    before, positions = checksum(runtime.runner.engine), runtime.runner.positions()
    runner, apply, calls = runtime.runner, runtime.runner.applier.apply, []

    def crash_midway(*args: object) -> None:
        calls.append(1)
        if len(calls) == 7:
            raise RuntimeError("power cut")
        apply(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner.applier, "apply", crash_midway)
    with pytest.raises(RuntimeError, match="power cut"):
        runner.rebuild()
    assert checksum(runtime.runner.engine) == before
    assert runtime.runner.positions() == positions
    monkeypatch.setattr(runner.applier, "apply", apply)
    assert runner.rebuild() == runner.head()
    assert checksum(runtime.runner.engine) == before
    runtime.app.handle(RegisterCadre(f.cadre("C9")), f.HR)  # and following the log goes on from there
    runtime.catch_up()
    assert set(runtime.runner.positions().values()) == {runner.head()}


def test_rebuilding_one_projection_leaves_the_others_and_ends_identical(runtime: Runtime) -> None:
    build_history(runtime.app)
    runtime.catch_up()
    before = checksum(runtime.runner.engine)
    runtime.runner.reset(["spans"])
    assert runtime.runner.positions()["spans"] == 0
    assert runtime.runner.positions()["audit"] > 0
    runtime.catch_up()
    assert checksum(runtime.runner.engine) == before


def test_two_runners_catching_up_at_once_apply_every_event_exactly_once(make_runtime: RuntimeFactory) -> None:
    writer = make_runtime()
    build_history(writer.app)
    writer.catch_up()
    expected = checksum(writer.runner.engine)
    writer.runner.reset()
    first, second = make_runtime(), make_runtime()
    first.runner.page_size = second.runner.page_size = 3
    threads = [threading.Thread(target=r.catch_up) for r in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert checksum(writer.runner.engine) == expected


def test_a_bulk_catch_up_refreshes_the_planner_statistics(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    import projections.runner

    monkeypatch.setattr(projections.runner, "ANALYZE_AFTER", 5)  # a rebuild, in miniature
    build_history(runtime.app)
    runtime.runner.reset()
    runtime.catch_up()
    assert {"rm_span", "rm_entry", "rm_finding", "rm_unit", "rm_post"} <= analyzed_tables(runtime)


def test_a_short_catch_up_leaves_the_planner_statistics_alone(runtime: Runtime) -> None:
    build_history(runtime.app)  # far fewer events than ANALYZE_AFTER
    runtime.catch_up()
    assert analyzed_tables(runtime) == set()


def analyzed_tables(runtime: Runtime) -> set[str]:
    """The read-model tables the planner has statistics for (an explicit ANALYZE, not autovacuum's)."""
    with runtime.runner.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return set(conn.exec_driver_sql(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL").scalars())
        if not conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar():
            return set()
        return set(conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1").scalars())


def test_the_open_findings_page_is_an_ordered_scan_of_the_open_due_index_that_skips_resolved_rows(tmp_path) -> None:
    """SQLite: the page's status filters are read from the index (no table row for a resolved
    finding, no sort), which at M took the whole-jurisdiction page from ≈ 140 ms to ≈ 20 ms."""
    from sqlalchemy import event

    from jishi.bootstrap import build_runtime
    from jishi.settings import Settings

    runtime = build_runtime(Settings(data_dir=tmp_path))
    try:
        statements: list[tuple[str, object]] = []
        event.listen(runtime.read_models.engine, "before_cursor_execute",
                     lambda conn, cursor, sql, params, context, many: statements.append((sql, params)))
        runtime.read_models.findings(status="open", as_of=date(2026, 1, 1), limit=100)
        (sql, params), = [s for s in statements if "FROM rm_finding" in s[0]]
        with runtime.read_models.engine.connect() as conn:
            plan = " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
        assert "USING INDEX ix_rm_finding_open_due (recorded_to=?)" in plan
        assert "TEMP B-TREE" not in plan
    finally:
        runtime.close()


def test_read_models_built_before_the_open_due_index_get_it_on_open_with_fresh_statistics(
        make_runtime: RuntimeFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    import projections.runner

    runtime = make_runtime()
    build_history(runtime.app)
    runtime.catch_up()  # fewer events than ANALYZE_AFTER: no statistics yet
    with runtime.runner.engine.begin() as conn:  # the schema of an earlier version
        conn.exec_driver_sql("DROP INDEX ix_rm_finding_open_due")
        conn.exec_driver_sql("CREATE INDEX ix_rm_finding_current ON rm_finding (recorded_to, due_on, rule, id)")
    assert analyzed_tables(runtime) == set()
    monkeypatch.setattr(projections.runner, "ANALYZE_AFTER", 5)  # as if the store were large
    reopened = make_runtime()
    names = {i["name"] for i in inspect(reopened.runner.engine).get_indexes("rm_finding")}
    assert "ix_rm_finding_current" not in names and "ix_rm_finding_open_due" in names
    assert "rm_finding" in analyzed_tables(reopened)


def test_an_index_another_process_made_meanwhile_does_not_stop_the_store_opening(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's workers open the store at once: each may see an index missing that another
    has just created. Creating it again must be a no-op, not an error."""
    class Stale:  # what a worker saw before the other created every index
        def __init__(self, _: object) -> None:
            pass

        def get_indexes(self, _: str) -> list[dict[str, object]]:
            return []

    monkeypatch.setattr(maintenance, "inspect", Stale)
    added = maintenance.upgrade_indexes(runtime.runner.engine)
    assert "ix_rm_finding_open_due" in added
    names = {i["name"] for i in inspect(runtime.runner.engine).get_indexes("rm_finding")}
    assert "ix_rm_finding_open_due" in names


def test_read_models_built_before_the_calendar_projection_start_it_where_the_others_are(
        make_runtime: RuntimeFactory) -> None:
    runtime = make_runtime()
    f.organisation(runtime.app)  # a record as an earlier version kept it: no calendar events, no calendar projection
    runtime.app.handle(RecordEntry(f.registered(runtime.app), "Appointed", f.appointment("2020-01-01")), f.HR)
    runtime.catch_up()
    with runtime.runner.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM projection_position WHERE name = 'calendar'")
    upgraded = make_runtime()
    positions = upgraded.runner.positions()
    assert positions["calendar"] == positions["audit"] == upgraded.runner.head() > 0
    upgraded.app.handle(PublishCalendar({"year": 2031, "holidays": ["2031-03-04"], "notice_no": "虚构测试〔2026〕1号",
                                   "notice_date": "2026-01-05"}), ADMIN)  # SYNTHETIC
    upgraded.catch_up()
    assert [y["version"] for y in upgraded.read_models.calendar_years() if y["year"] == 2031] == [1]
