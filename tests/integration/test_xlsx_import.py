"""Excel 台账 import through the service layer, on SQLite and PostgreSQL: each template imports, a dry run
stores nothing, a re-run stores nothing twice, refusals name their row, column and rule, overrides need
the permission and a reason, jurisdiction holds, and the import itself is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import ids
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import EstablishPost, RecordEntry, RegisterCadre, RegisterUnit
from service.imports import ImportReport, import_file, read_file, run_import
from service.imports.records import recorded_import
from tests import factories as f
from tests.xlsx_files import filled, registration_row

C1 = ids.cadre_id("C1")
KIND_OF_TYPE = {"CadreRegistered": "registration", "Appointed": "appointments", "Assessed": "assessments",
                "TrainingCompleted": "training", "ConversationHeld": "conversations", "Commended": "rewards",
                "PoolEntered": "pools"}
ROWS: dict[str, list[dict[str, Any]]] = {
    "appointments": [{"干部编号": "C1", "类别": "任职", "单位代码": "U1", "职位代码": "P1", "任职方式": "平职交流",
                      "生效日期": "2020.1.1", "文号": "组干〔2020〕1号"}],
    "assessments": [{"干部编号": "C1", "考核类别": "年度", "考核期间": 2021, "等次": "称职", "考核日期": "2022/1/15"}],
    "training": [{"干部编号": "C1", "培训类别": "任职培训", "课程名称": "县处级干部任职培训", "主办单位": "县委党校",
                  "开始日期": "2021-03-01", "结业日期": "2021年3月20日", "学时": 40, "是否合格": "是"}],
    "conversations": [{"干部编号": "C1", "谈话类别": "谈心谈话", "谈话人": "李部长", "谈话日期": "2021.6.1",
                       "谈话要点": "工作思路清晰"}],
    "rewards": [{"干部编号": "C1", "类别": "奖励", "种类": "嘉奖", "批准机关": "县委", "事由": "防汛表现突出",
                 "生效日期": "2021-09-01", "文号": "县委〔2021〕9号"}],
    "pools": [{"干部编号": "C1", "类别": "入库", "库别": "年轻干部库", "入库依据": "年度考核称职，群众公认",
               "目标职务层次": "县处级副职", "生效日期": "2022-03-01"}],
}


def appoint(post: str, day: str, manner: str | None = "平职交流", unit: str = "U1", cadre: str = "C1",
            **cells: Any) -> dict[str, Any]:
    """A 任职 row of the 任免 sheet (``manner`` None: the cell left empty)."""
    row = {"干部编号": cadre, "类别": "任职", "单位代码": unit, "职位代码": post, "任职方式": manner, "生效日期": day,
           "文号": f"组干〔{day[:4]}〕5号", **cells}
    return {k: v for k, v in row.items() if v is not None}


def dismiss(post: str, day: str, unit: str = "U1") -> dict[str, Any]:
    """A 免职 row of the 任免 sheet."""
    return {"干部编号": "C1", "类别": "免职", "单位代码": unit, "职位代码": post, "免职原因": "调动", "生效日期": day}


def imported(app: f.Jishi, data: bytes, by: Provenance = f.HR, *, dry_run: bool = False,
             name: str = "台账.xlsx") -> ImportReport:
    rows = read_file(name, data)
    return run_import(app, rows, import_file(name, data, rows.kind), by, dry_run=dry_run)


def counts(report: ImportReport) -> tuple[int, int, int]:
    """(stored, refused, already stored)."""
    return report.stored, report.refused, report.already_stored


def problems(report: ImportReport) -> list[tuple[int, str | None, str | None]]:
    """(row, column, rule) of each problem."""
    return [(p.row, p.column, p.rule) for p in report.problems]


def county(app: f.Jishi) -> None:
    """U1 with P1 副部长 (142), P2 部长 (141), P3 副部长 (142)."""
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P2", title="部长", grade="141")), f.HR)
    app.handle(EstablishPost("U1", f.post("P3", title="副部长", grade="142")), f.HR)


def stored_events(app: f.Jishi, stream: f.UUID) -> list[Any]:
    return [app.mapper.to_domain_event(item) for item in app.recorder.select_events(stream)]


def test_each_template_imports_its_rows_onto_the_record_each_entry_linked_to_its_import(app: f.Jishi) -> None:
    county(app)
    reports = {"registration": imported(app, filled("registration", [registration_row(f.cadre("C1"))]))}
    for kind, rows in ROWS.items():
        reports[kind] = imported(app, filled(kind, rows))
    assert {kind: counts(r) for kind, r in reports.items()} == {kind: (1, 0, 0) for kind in reports}
    profile = app.get_cadre(C1).profile
    assert (profile["ethnicity"], profile["political_status"], profile["education"], profile["gender"]) == \
           ("01", "01", "21", "2")
    assert profile["birth_date"] == date(1985, 6, 15) and profile["work_started_on"] == date(2008, 7, 1)
    events = stored_events(app, C1)
    assert sorted(type(e).__name__ for e in events) == sorted(KIND_OF_TYPE)
    for event in events:
        assert event.request_id == f"import:{reports[KIND_OF_TYPE[type(event).__name__]].import_id}"
    pool = next(e for e in events if type(e).__name__ == "PoolEntered")
    assert pool.target_grade == "132"


def test_a_dry_run_stores_nothing_and_reports_what_a_real_run_then_does(app: f.Jishi) -> None:
    county(app)
    data = filled("registration", [registration_row(f.cadre("C1")), registration_row(f.cadre("C2"), 民族="火星族")])
    head = app.recorder.max_notification_id()
    dry = imported(app, data, dry_run=True)
    assert app.recorder.max_notification_id() == head
    assert dry.import_id is None and counts(dry) == (1, 1, 0) and problems(dry) == [(3, "民族", None)]
    real = imported(app, data)
    assert counts(real) == counts(dry) and problems(real) == problems(dry)


def test_a_dry_run_checks_each_row_against_the_rows_above_it(app: f.Jishi) -> None:
    county(app)
    f.registered(app, "C1")
    rows = [appoint("P1", "2020-01-01"), dismiss("P1", "2023-06-01"), appoint("P3", "2023-06-01", "轮岗")]
    head = app.recorder.max_notification_id()
    dry = imported(app, filled("appointments", rows), dry_run=True)
    assert counts(dry) == (3, 0, 0), dry.problems
    assert app.recorder.max_notification_id() == head and app.get_cadre(C1).version == 1


def test_a_re_run_of_the_same_file_stores_nothing_twice(app: f.Jishi) -> None:
    county(app)
    data = filled("registration", [registration_row(f.cadre("C1")), registration_row(f.cadre("C2"))])
    first = imported(app, data)
    head = app.recorder.max_notification_id()
    again = imported(app, data, dry_run=True)
    assert counts(first) == (2, 0, 0) and counts(again) == (0, 0, 2)
    assert app.recorder.max_notification_id() == head
    rerun = imported(app, data)
    assert counts(rerun) == (0, 0, 2)
    assert app.recorder.max_notification_id() == head + 1  # only the re-run's own import record
    training = filled("training", ROWS["training"] * 2)  # the same row twice in one file is one entry
    assert counts(imported(app, training)) == (1, 0, 1)


def test_a_refused_row_is_reported_with_its_row_column_and_rule(app: f.Jishi) -> None:
    county(app)
    f.registered(app, "C1")
    rows = [appoint("P1", "2020-01-01"), dismiss("P1", "2023-06-01"), appoint("P2", "2023-06-01", "调任"),
            appoint("P3", "2023-06-01", "轮岗", cadre="C9"), {**appoint("P3", "2023-06-01", None), "类别": "调岗"},
            appoint("P3", "2023-13-01", None), appoint("P3", "2023-06-01", None)]
    report = imported(app, filled("appointments", rows))
    assert counts(report) == (2, 5, 0)
    assert problems(report) == [(4, "职位代码", "R-LATERAL"), (5, "干部编号", None), (6, "类别", None),
                                (7, "生效日期", None), (8, "任职方式", None)]
    assert "变相提拔" in report.problems[0].problem and "日期不存在" in report.problems[3].problem


def test_an_override_in_a_row_needs_the_permission_and_a_reason(app: f.Jishi) -> None:
    county(app)
    f.registered(app, "C1")
    app.handle(RecordEntry(C1, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(C1, "Dismissed", f.dismissal("2023-06-01")), f.HR)
    move = appoint("P2", "2023-06-01", "调任")
    without_reason = imported(app, filled("appointments", [move]), f.HR_OVERRIDE)
    assert problems(without_reason) == [(2, "职位代码", "R-LATERAL")]
    with_reason = filled("appointments", [{**move, "例外放行理由": "市委组织部批复同意"}])
    not_permitted = imported(app, with_reason, f.HR)
    assert counts(not_permitted) == (0, 1, 0) and problems(not_permitted) == [(2, "例外放行理由", None)]
    assert "R-LATERAL" in not_permitted.problems[0].problem
    permitted = imported(app, with_reason, f.HR_OVERRIDE)
    assert counts(permitted) == (1, 0, 0)
    entry = next(e for e in app.get_cadre(C1).entries.values() if e.values.get("post_code") == "P2")
    assert entry.overrides == ("R-LATERAL",)


def test_a_row_for_a_unit_outside_the_users_jurisdiction_is_refused(runtime: Runtime) -> None:
    app = runtime.app
    county(app)
    app.handle(RegisterUnit(f.unit("U2")), f.HR)
    app.handle(EstablishPost("U2", f.post("P1")), f.HR)
    scoped = Provenance("hr-u2", "hr", "req-9", scopes=frozenset({"U2"}))
    app.handle(RegisterCadre(f.cadre("C1")), scoped)  # U2's own recruit: a whole-tree user's is not U2's to place
    runtime.catch_up()
    rows = [appoint("P1", "2020-01-01", unit="U2"), dismiss("P1", "2021-01-01", unit="U2"),
            appoint("P1", "2021-01-01", unit="U1")]
    report = imported(app, filled("appointments", rows), scoped)
    assert counts(report) == (2, 1, 0), report.problems
    assert problems(report) == [(4, "单位代码", None)] and report.problems[0].problem.startswith("单位不存在")


def test_the_import_is_recorded_with_its_file_and_counts_and_appears_in_the_audit_trail(runtime: Runtime) -> None:
    app = runtime.app
    county(app)
    data = filled("registration", [registration_row(f.cadre("C1")), registration_row(f.cadre("C2"), 性别="外星")])
    report = imported(app, data, name="2023年干部名册.xlsx")
    assert report.import_id is not None
    record = recorded_import(app, report.import_id)
    assert {k: record[k] for k in ("file_name", "kind", "actor", "rows", "stored", "refused", "already_stored")} == {
        "file_name": "2023年干部名册.xlsx", "kind": "registration", "actor": f.HR.actor, "rows": 2, "stored": 1,
        "refused": 1, "already_stored": 0}
    assert record["sha256"] == import_file("x.xlsx", data, "registration").sha256
    assert record["problems"] == [{"row": 3, "column": "性别", "problem": report.problems[0].problem}]
    runtime.catch_up()
    trail = runtime.read_models.audit_trail("actor", f.HR.actor)
    row = next(r for r in trail if r["type"] == "ImportRecorded")
    assert row["type_label"] == "导入台账" and row["stream_id"] == str(report.import_id)
    assert "2023年干部名册.xlsx" in row["reason"] and "存入 1 行" in row["reason"]


def test_a_registration_row_of_a_cadre_entered_by_hand_with_the_same_values_is_already_stored(app: f.Jishi) -> None:
    county(app)
    f.registered(app, "C1")  # through the form or the API: no import key
    head = app.recorder.max_notification_id()
    same = imported(app, filled("registration", [registration_row(f.cadre("C1"))]), dry_run=True)
    other = imported(app, filled("registration", [registration_row(f.cadre("C1"), 籍贯="山西大同")]), dry_run=True)
    assert counts(same) == (0, 0, 1) and app.recorder.max_notification_id() == head
    assert counts(other) == (0, 1, 0) and problems(other) == [(2, "干部编号", None)]
    assert other.problems[0].problem.startswith("干部编号已存在")
