"""Builders of valid input, so each test states only what matters to it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

__all__ = ["UUID", "Callable", "CommandResult", "Jishi", "entry_id_of"]

from collections.abc import Callable

from domain.application import CommandResult, Jishi
from domain.identity import make_id_number
from domain.recorded import Provenance, entry_id_of

HR = Provenance("hr-zhang", "hr", "req-1")
HR_OVERRIDE = Provenance("hr-chief", "hr", "req-2", can_override=True)


def unit(code: str = "U1", **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": f"单位{code}", "kind": "党委部门", **extra}


def post(post_code: str = "P1", **extra: Any) -> dict[str, Any]:
    return {"post_code": post_code, "title": "副部长", "grade": "142", "leadership": True,
            "establishment": 1, "probation": True, "effective_on": "2010-01-01", **extra}


def cadre(cadre_no: str = "C1", birth: date = date(1985, 6, 15), **extra: Any) -> dict[str, Any]:
    return {
        "cadre_no": cadre_no, "name": "王芳", "gender": "2", "birth_date": birth.isoformat(),
        "ethnicity": "01", "id_number": make_id_number("110105", birth, "042"),
        "political_status": "01", "education": "21", "full_time_education": True,
        "native_place": "河北保定", "work_started_on": "2008-07-01", "entry_channel": "考试录用",
        "rank": "一级科员", **extra,
    }


def appointment(day: str = "2020-01-01", unit_code: str = "U1", post_code: str = "P1",
                **extra: Any) -> dict[str, Any]:
    return {"effective_on": day, "unit_code": unit_code, "post_code": post_code,
            "manner": "平职交流", "document_no": "组干〔2020〕1号", **extra}


def dismissal(day: str = "2022-01-01", unit_code: str = "U1", post_code: str = "P1",
              **extra: Any) -> dict[str, Any]:
    return {"effective_on": day, "unit_code": unit_code, "post_code": post_code,
            "reason": "调动", **extra}


def organisation(app: Jishi, *, establishment: int = 1) -> None:
    """A unit U1 with post P1 (副部长, 142, probation) of the given establishment."""
    app.register_unit(unit("U1"), HR)
    app.establish_post("U1", post("P1", establishment=establishment), HR)


def registered(app: Jishi, cadre_no: str = "C1", **extra: Any) -> UUID:
    return app.register_cadre(cadre(cadre_no, **extra), HR).stream_id


def every_entry(app: Jishi, cadre_id: UUID) -> list[tuple[str, CommandResult]]:
    """Record one valid entry of every recordable type; returns (type, result) in order.

    Needs ``organisation(app)``; registers a mentor cadre ``M1``.
    """
    mentor = registered(app, "M1", birth=date(1970, 3, 1))
    done: list[tuple[str, CommandResult]] = []

    def rec(entry_type: str, payload: dict[str, Any]) -> CommandResult:
        result = app.record_entry(cadre_id, entry_type, payload, HR)
        done.append((entry_type, result))
        return result

    rec("EducationAttained", {"effective_on": "2012-06-30", "education": "14",
                              "institution": "中国人民大学", "full_time": False, "degree": "公共管理硕士"})
    rec("Appointed", appointment("2018-03-01"))
    rec("ProbationConcluded", {"effective_on": "2019-03-01", "post_code": "P1", "unit_code": "U1",
                               "outcome": "胜任"})
    rec("RankPromoted", {"effective_on": "2019-06-01", "from_rank": "一级科员",
                         "to_rank": "四级主任科员", "grounds": "一推三审三优先"})
    rec("RankDemoted", {"effective_on": "2019-09-01", "from_rank": "四级主任科员",
                        "to_rank": "一级科员", "grounds": "组织处理"})
    started = rec("SecondmentStarted", {"effective_on": "2020-02-01", "kind": "驻村帮扶",
                                        "host": "城关镇东村", "role": "第一书记",
                                        "planned_end_on": "2022-02-01"})
    rec("SecondmentEnded", {"effective_on": "2022-01-20",
                            "secondment_entry_id": str(started.entry_id),
                            "host_evaluation": "优秀", "feedback": "扎根基层"})
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
