"""Builders of valid input, so each test states only what matters to it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from service.commands import (
    EstablishPost,
    OpenCase,
    RecordAssessmentParticipants,
    RecordCaseStep,
    RecordEntry,
    RegisterCadre,
    RegisterUnit,
)

__all__ = ["UUID", "Callable", "CommandResult", "Jishi", "entry_id_of"]

from collections.abc import Callable

from domain.identity import make_id_number
from domain.recorded import Provenance, entry_id_of
from service.application import Jishi
from service.results import CommandResult

HR = Provenance("hr-zhang", "hr", "req-1")
HR_OVERRIDE = Provenance("hr-chief", "hr", "req-2", can_override=True)


def unit(code: str = "U1", **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": f"单位{code}", "kind": "党委部门", **extra}


def post(post_code: str = "P1", **extra: Any) -> dict[str, Any]:
    return {"post_code": post_code, "title": "副部长", "grade": "142", "leadership": True,
            "establishment": 1, "probation": True, "effective_on": "2010-01-01", **extra}


_SEQUENCE: dict[str, int] = {}  # cadre_no -> sequence code: ID numbers are unique (R-ID, 409)


def id_number_of(cadre_no: str, birth: date) -> str:
    """A valid ID number of its own for each cadre_no (the same one every time it is asked for)."""
    n = _SEQUENCE.setdefault(cadre_no, len(_SEQUENCE))
    region, seq = ("110105", "110108", "110102")[n // 480], 42 + 2 * (n % 480)  # even: 女, as gender "2"
    return make_id_number(region, birth, f"{seq:03d}")


def cadre(cadre_no: str = "C1", birth: date = date(1985, 6, 15), **extra: Any) -> dict[str, Any]:
    """A cadre at the rank 四级主任科员 (乡科级副职 level, 职务与职级并行规定 第十九条), so that the default
    appointment — 平职交流 to the 副部长 post (142) of ``organisation`` — keeps the level (R-LATERAL)."""
    return {
        "cadre_no": cadre_no, "name": "王芳", "gender": "2", "birth_date": birth.isoformat(),
        "ethnicity": "01", "id_number": id_number_of(cadre_no, birth),
        "political_status": "01", "education": "21", "full_time_education": True,
        "native_place": "河北保定", "work_started_on": "2008-07-01", "entry_channel": "考试录用",
        "rank": "四级主任科员", **extra,
    }


def appointment(day: str = "2020-01-01", unit_code: str = "U1", post_code: str = "P1",
                **extra: Any) -> dict[str, Any]:
    return {"effective_on": day, "unit_code": unit_code, "post_code": post_code,
            "manner": "平职交流", "document_no": "组干〔2020〕1号", **extra}


def dismissal(day: str = "2022-01-01", unit_code: str = "U1", post_code: str = "P1",
              **extra: Any) -> dict[str, Any]:
    return {"effective_on": day, "unit_code": unit_code, "post_code": post_code,
            "reason": "调动", **extra}


def participants(period: str, number: int, document_no: str = "组考〔2021〕1号", **extra: Any) -> dict[str, Any]:
    """参加考核人数 of a unit's 年度考核 for ``period`` (R-EXCELLENT-QUOTA counts against it)."""
    return {"effective_on": f"{int(period) + 1}-01-10", "kind": "年度", "period": period,
            "participants": number, "document_no": document_no, **extra}


def organisation(app: Jishi, *, establishment: int = 1) -> None:
    """A unit U1 with post P1 (副部长, 142, probation) of the given establishment."""
    app.handle(RegisterUnit(unit("U1")), HR)
    app.handle(EstablishPost("U1", post("P1", establishment=establishment)), HR)


def registered(app: Jishi, cadre_no: str = "C1", **extra: Any) -> UUID:
    return app.handle(RegisterCadre(cadre(cadre_no, **extra)), HR).stream_id


def every_entry(app: Jishi, cadre_id: UUID) -> list[tuple[str, CommandResult]]:
    """Record one valid entry of every recordable type; returns (type, result) in order.

    Needs ``organisation(app)``; registers a mentor cadre ``M1``.
    """
    mentor = registered(app, "M1", birth=date(1970, 3, 1))
    done: list[tuple[str, CommandResult]] = []

    def rec(entry_type: str, payload: dict[str, Any]) -> CommandResult:
        result = app.handle(RecordEntry(cadre_id, entry_type, payload), HR)
        done.append((entry_type, result))
        return result

    rec("EducationAttained", {"effective_on": "2012-06-30", "education": "14",
                              "institution": "中国人民大学", "full_time": False, "degree": "公共管理硕士"})
    rec("Appointed", appointment("2018-03-01"))
    rec("ProbationConcluded", {"effective_on": "2019-03-01", "post_code": "P1", "unit_code": "U1",
                               "outcome": "胜任"})
    rec("RankPromoted", {"effective_on": "2019-06-01", "from_rank": "四级主任科员",
                         "to_rank": "三级主任科员", "grounds": "一推三审三优先"})
    rec("RankDemoted", {"effective_on": "2019-09-01", "from_rank": "三级主任科员",
                        "to_rank": "四级主任科员", "grounds": "组织处理"})
    started = rec("SecondmentStarted", {"effective_on": "2020-02-01", "kind": "驻村帮扶",
                                        "host": "城关镇东村", "role": "第一书记",
                                        "planned_end_on": "2022-02-01"})
    rec("SecondmentEnded", {"effective_on": "2022-01-20",
                            "secondment_entry_id": str(started.entry_id),
                            "host_evaluation": "优秀", "feedback": "扎根基层"})
    app.handle(RecordAssessmentParticipants("U1", participants("2020", 5)), HR)  # U1 alone holds 1: 优秀 needs 5
    rec("Assessed", {"effective_on": "2021-01-15", "kind": "年度", "period": "2020",
                     "grade": "优秀", "tier": 1, "democratic_score": "92.5"})
    rec("TrainingCompleted", {"effective_on": "2021-05-30", "kind": "任职培训",
                              "course": "新任领导干部培训班", "provider": "县委党校",
                              "started_on": "2021-05-10", "hours": "40", "passed": True})
    concern = rec("ConcernRaised", {"effective_on": "2021-07-01", "description": "工作作风漂浮",
                                    "reminded": ["本人", "导师"], "severity": "一般"})
    rec("ConversationHeld", {"effective_on": "2021-07-10", "kind": "五必谈", "trigger": "苗头问题",
                             "trigger_entry_id": str(concern.entry_id), "interviewer": "组织部长",
                             "summary": "谈话提醒，本人表示接受"})
    rec("MentorAssigned", {"effective_on": "2018-04-01", "mentor_cadre_id": str(mentor),
                           "role": "业务导师"})
    rec("MentorReleased", {"effective_on": "2020-04-01", "mentor_cadre_id": str(mentor),
                           "role": "业务导师"})
    rec("DevelopmentPlanSet", {"effective_on": "2021-01-01", "period": "2021-2023",
                               "goals": ["熟悉乡镇工作", "完成任职培训"]})
    rec("DevelopmentLogged", {"effective_on": "2021-08-01", "author": "导师李明",
                              "note": "参与防汛值守"})
    rec("PerformanceNoted", {"effective_on": "2021-08-15", "context": "急难险重", "task": "防汛抢险",
                             "narrative": "连续三昼夜坚守堤坝", "reported_by": "县应急局"})
    rec("HardshipRecorded", {"effective_on": "2021-09-01", "description": "家人重病"})
    rec("PoolEntered", {"effective_on": "2021-10-01", "pool": "年轻干部库", "grounds": "年度考核优秀",
                        "target_grade": "141"})
    rec("PoolReviewed", {"effective_on": "2022-10-01", "pool": "年轻干部库", "outcome": "保留"})
    rec("PoolExited", {"effective_on": "2022-12-01", "pool": "年轻干部库", "reason": "调整出库"})
    rec("Commended", {"effective_on": "2022-03-01", "kind": "嘉奖", "by": "县人民政府",
                      "reason": "防汛表现突出"})
    rec("Sanctioned", {"effective_on": "2022-06-01", "track": "政务", "kind": "警告",
                       "decision_no": "监委〔2022〕3号", "reason": "违反工作纪律"})
    rec("HandledOrganizationally", {"effective_on": "2022-06-15", "kind": "诫勉",
                                    "accountability": False, "decision_no": "组〔2022〕9号",
                                    "reason": "工作失职"})
    rec("InvestigationOpened", {"effective_on": "2022-07-01", "authority": "县纪委监委"})
    rec("InvestigationClosed", {"effective_on": "2022-09-01", "authority": "县纪委监委",
                                "outcome": "了结"})
    rec("PersonalMattersReported", {"effective_on": "2023-01-20", "year": 2022})
    rec("PersonalMattersVerified", {"effective_on": "2023-03-01", "year": 2022, "result": "一致"})
    complaint = rec("ComplaintReceived", {"effective_on": "2023-04-01", "channel": "12380",
                                          "specific": True, "summary": "反映其违规收受礼品"})
    rec("ComplaintConcluded", {"effective_on": "2023-05-01",
                               "complaint_entry_id": str(complaint.entry_id), "result": "不属实"})
    rec("Dismissed", dismissal("2023-06-01"))
    rec("Departed", {"effective_on": "2023-07-01", "reason": "调出"})
    return done


def datetime_now() -> datetime:
    return datetime.now(UTC)


# — selection cases (选任全程纪实) and promotions —

from datetime import timedelta  # noqa: E402

from domain.cadre import EntryRecord  # noqa: E402
from domain.post import Post  # noqa: E402


def case_payload(day: str = "2023-01-04", unit_code: str = "U1", post_code: str = "P1",
                 **extra: Any) -> dict[str, Any]:
    return {"effective_on": day, "unit_code": unit_code, "post_code": post_code, "method": "民主推荐",
            "reason": "岗位空缺，经分析研判启动选任", **extra}


def publicity_span(app: Jishi, appoint_on: date) -> tuple[date, date]:
    """The latest publicity of the configured number of working days that ends before ``appoint_on``."""
    calendar = app.working_calendar(range(appoint_on.year - 1, appoint_on.year + 1))  # as the app knows it
    needed = app.config.int("selection.publicity_working_days")
    end = appoint_on - timedelta(days=1)
    while not calendar.is_working_day(end):
        end -= timedelta(days=1)
    start = end
    while calendar.working_days_inclusive(start, end) < needed or not calendar.is_working_day(start):
        start -= timedelta(days=1)
    return start, end


def case_through_decision(app: Jishi, case_id: UUID, cadre_id: UUID, decide_on: date, *,
                          skip: tuple[str, ...] = (), by: Provenance = HR) -> None:
    """民主推荐 → 考察对象 → 考察 → 凡提四必 → 双签字 → 讨论决定 (on ``decide_on``), leaving out the
    steps or checks named in ``skip`` (e.g. "信访查核", "IntegrityOpinionSigned", "Decided")."""
    def step(step_type: str, days_before: int, **values: Any) -> None:
        if step_type in skip or values.get("check") in skip:
            return
        app.handle(RecordCaseStep(case_id, step_type, {
            "effective_on": (decide_on - timedelta(days=days_before)).isoformat(), **values}), by)

    step("Recommended", 20, kind="会议推荐", participants=30, votes={str(cadre_id): 25})
    step("Shortlisted", 15, cadre_ids=[str(cadre_id)])
    step("Inspected", 10, cadre_id=str(cadre_id), findings="政治素质好，工作实绩突出")
    for check in ("档案审核", "个人事项核查", "纪检意见", "信访查核"):
        step("CheckCompleted", 5, cadre_id=str(cadre_id), check=check, result="通过")
    step("IntegrityOpinionSigned", 3, cadre_id=str(cadre_id), party_secretary="李书记",
         discipline_secretary="赵书记")
    step("Decided", 0, cadre_id=str(cadre_id), members_total=9, present=8,
         votes={"同意": 8, "不同意": 0, "缓议": 0})


def completed_case(app: Jishi, cadre_id: UUID, appoint_on: date, unit_code: str = "U1",
                   post_code: str = "P1", *, exceptional: bool = False) -> UUID:
    """A selection case that went through the whole procedure and concluded 任用 on
    ``appoint_on``: the publicity ends on the last working day before it."""
    start, end = publicity_span(app, appoint_on)
    decide_on = start - timedelta(days=1)
    case_id = UUID(app.handle(OpenCase(case_payload((decide_on - timedelta(days=30)).isoformat(), unit_code,
                                              post_code, exceptional=exceptional)), HR).extra["case_id"])
    case_through_decision(app, case_id, cadre_id, decide_on)
    app.handle(RecordCaseStep(case_id, "PublicityHeld", {"cadre_id": str(cadre_id), "start_on": start.isoformat(),
                                                    "end_on": end.isoformat(), "objections": 0}), HR)
    app.handle(RecordCaseStep(case_id, "CaseConcluded", {"effective_on": appoint_on.isoformat(),
                                                    "cadre_id": str(cadre_id), "outcome": "任用"}), HR)
    return case_id


def promoted(app: Jishi, cadre_id: UUID, unit_code: str = "U1", post_code: str = "P1",
             day: date = date(2023, 3, 1), *, manner: str = "提拔", exceptional: bool = False,
             **extra: Any) -> CommandResult:
    """A promotion (提拔) to the post on ``day`` after a complete selection case."""
    case_id = completed_case(app, cadre_id, day, unit_code, post_code, exceptional=exceptional)
    return app.handle(RecordEntry(cadre_id, "Appointed", appointment(
        day.isoformat(), unit_code, post_code, manner=manner, selection_case_id=str(case_id), **extra)), HR)


def sanction(day: str, track: str = "政务", kind: str = "记过", **extra: Any) -> dict[str, Any]:
    return {"effective_on": day, "track": track, "kind": kind, "decision_no": "纪〔2023〕5号",
            "reason": "违反工作纪律", **extra}


# — pure builders for unit tests of the rules —

_versions = iter(range(1, 1_000_000))


def record(entry_type: str, day: date, **values: Any) -> EntryRecord:
    """An entry as it stands on a cadre's record (no store needed)."""
    from uuid import uuid4

    values = {"effective_on": day, **values}
    return EntryRecord(uuid4(), entry_type, next(_versions), datetime_now(), values, values)


def registration(day: date = date(2008, 7, 1), rank: str = "一级科员", **extra: Any) -> EntryRecord:
    return record("CadreRegistered", day, name="王芳", work_started_on=extra.pop("work_started_on", day),
                  rank=rank, **extra)


def post_of(grade: str, unit_code: str = "U1", post_code: str = "P1", *, leadership: bool = True,
            established: date = date(2000, 1, 1)) -> Post:
    """A Post aggregate in memory (with the id the store would give it)."""
    from domain import ids
    from domain.post import PostEstablished

    return Post._create(PostEstablished, id=ids.post_id(unit_code, post_code), unit_code=unit_code,
                        post_code=post_code, title="职位",
                        grade=grade, leadership=leadership, establishment=1, probation=False,
                        effective_on=established)


class InMemory:
    """A fake of the unit of work's ``find`` over aggregates held in memory (posts, units, a case)."""

    def __init__(self, *aggregates: Any) -> None:
        self.found = {aggregate.id: aggregate for aggregate in aggregates}

    def find(self, cls: type, aggregate_id: UUID) -> Any:
        found = self.found.get(aggregate_id)
        return found if isinstance(found, cls) else None


def unit_of(code: str, kind: str) -> Any:
    """A Unit aggregate in memory."""
    from domain import ids
    from domain.unit import Unit, UnitRegistered

    return Unit._create(UnitRegistered, id=ids.unit_id(code), code=code, name=f"单位{code}", kind=kind,
                        effective_on=date(2000, 1, 1))


def judged(entries: list[EntryRecord], entry_type: str, values: dict[str, Any], *,
           target_post: Post | None = None, post_grades: dict[tuple[str, str], str] | None = None,
           leading_posts: frozenset[tuple[str, str]] | None = None, unit_kinds: dict[str, str] | None = None,
           case: Any = None, **context: Any) -> Any:
    """The GuardContext the application builds for an entry (``service.handlers.world.as_of_world``, the
    very function the handlers call), over a store of the posts, units and case given in memory: the
    posts held with their grades (leadership posts: ``leading_posts``, all of them when not given), the
    post appointed to, the kinds of the units, the selection case."""
    from domain.rules.context import GuardContext
    from service.handlers.world import as_of_world

    posts = [post_of(grade, unit, code, leadership=leading_posts is None or (unit, code) in leading_posts)
             for (unit, code), grade in (post_grades or {}).items()]
    if target_post is not None:
        posts.append(target_post)
    units = [unit_of(code, kind) for code, kind in (unit_kinds or {}).items()]
    cases = [case] if case is not None else []
    store = InMemory(*posts, *units, *cases)
    if case is not None and "selection_case_id" not in values:
        values = {**values, "selection_case_id": case.id}
    world = as_of_world(store, UUID(int=1), entry_type, values, entries, None)  # type: ignore[arg-type]
    return GuardContext(date(2030, 1, 1), entry_type, values, **{**world, **context})


def stored_state(app: Jishi, state: dict[str, Any]) -> bytes:
    """An event's state as the store holds it — encoded, then compressed and encrypted when the store is
    (encryption at rest is the default): for tests that store a record as an earlier version wrote it."""
    data: bytes = app.mapper.transcoder.encode(state)
    if app.mapper.compressor is not None:
        data = app.mapper.compressor.compress(data)
    if app.mapper.cipher is not None:
        data = app.mapper.cipher.encrypt(data)
    return data
