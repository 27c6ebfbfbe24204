"""The entries of a cadre's record (DOMAIN.md §4), one typed event each.

Field names are the API's. ``Literal`` lists the allowed values (already in Chinese);
``Code`` names a national code table whose label is shown beside the code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from eventsourcing.domain import AggregateCreated

from domain.bounds import (
    CODE_LENGTH,
    EARLIEST_BIRTH_DAY,
    EARLIEST_RECORD_DAY,
    HOURS_STEP,
    LATEST_DAY,
    MAX_ENDED_POSTS,
    MAX_GOALS,
    MAX_TRAINING_HOURS,
    SCORE_STEP,
)
from domain.cadre import CadreEntry, EntryCorrected, EntryRetracted
from domain.entry_values import (
    GRADE_SCALES,
    PROMOTION_MANNERS,
    DismissalReason,
    DocumentNo,
    EvaluationGrade,
    Name,
    Note,
    Pool,
    PostRef,
    Rank,
    UnitCode,
)
from domain.errors import FieldError
from domain.recorded import RecordedEvent
from domain.schema import Code, Items, Positive, Range, Step, Text


# — profile —
class CadreRegistered(CadreEntry, AggregateCreated):
    LABEL: ClassVar[str] = "录用/建档"
    CATEGORY: ClassVar[str] = "基本信息"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {}  # effective_on defaults to work_started_on
    cadre_no: Annotated[str, Text(CODE_LENGTH)]
    name: Name
    gender: Annotated[str, Code("gender")]
    birth_date: Annotated[date, Range(EARLIEST_BIRTH_DAY, LATEST_DAY)]
    ethnicity: Annotated[str, Code("ethnicity")]
    id_number: Annotated[str, Text(18)]  # 公民身份号码 (GB 11643): R-ID checks it
    political_status: Annotated[str, Code("political_status")]
    education: Annotated[str, Code("education")]
    full_time_education: bool
    native_place: Name
    work_started_on: date
    entry_channel: Literal["考试录用", "定向选调生", "应届选调生", "调任", "转任", "军转安置"]
    rank: Rank
    party_joined_on: date | None = None
    major: Name | None = None
    # the registering user's 管辖范围 (root unit codes; None: the whole tree): an unplaced recruit
    # belongs to it until an appointment places them (service/jurisdiction.py)
    registrant_scope: tuple[str, ...] | None = None

    def apply(self, cadre: Any) -> None:
        cadre.cadre_no = self.cadre_no
        cadre.registrant_scope = None if self.registrant_scope is None else frozenset(self.registrant_scope)
        super().apply(cadre)


class EducationAttained(CadreEntry):
    LABEL: ClassVar[str] = "学历学位"
    CATEGORY: ClassVar[str] = "基本信息"
    education: Annotated[str, Code("education")]
    institution: Name
    full_time: bool
    degree: Name | None = None


# — posts and ranks —
class Appointed(CadreEntry):
    LABEL: ClassVar[str] = "任职"
    CATEGORY: ClassVar[str] = "职务职级"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {
        "effective_on": date, "document_no": DocumentNo,
    }
    unit_code: UnitCode
    post_code: UnitCode
    manner: Literal["提拔", "破格提拔", "平职交流", "轮岗", "调任", "转任", "复职", "兼任"]
    selection_case_id: UUID | None = None  # required when manner is a promotion
    calendar_used: dict[str, Any] | None = None  # a promotion: R-PUBLICITY's count (set by the command)
    # 任…免… in one document: the cadre's posts this appointment ends the same day ("UNIT/POST"),
    # and the 免职 reason recorded for them (default by manner: [appointment.ends_reason]).
    ends_posts: Annotated[tuple[PostRef, ...], Items(0, MAX_ENDED_POSTS, unique=True)] = ()
    ends_reason: DismissalReason | None = None

    @property
    def is_promotion(self) -> bool:
        return self.manner in PROMOTION_MANNERS


class Dismissed(CadreEntry):
    LABEL: ClassVar[str] = "免职"
    CATEGORY: ClassVar[str] = "职务职级"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {
        "effective_on": date,
        "reason": DismissalReason,
    }
    unit_code: UnitCode
    post_code: UnitCode


class ProbationConcluded(CadreEntry):
    LABEL: ClassVar[str] = "试用期满考核"
    CATEGORY: ClassVar[str] = "职务职级"
    post_code: UnitCode
    outcome: Literal["胜任", "不胜任"]
    unit_code: UnitCode | None = None


class RankPromoted(CadreEntry):
    LABEL: ClassVar[str] = "职级晋升"
    CATEGORY: ClassVar[str] = "职务职级"
    from_rank: Rank
    to_rank: Rank
    grounds: Note | None = None


class RankDemoted(CadreEntry):
    LABEL: ClassVar[str] = "职级降低"
    CATEGORY: ClassVar[str] = "职务职级"
    from_rank: Rank
    to_rank: Rank
    grounds: Note | None = None


class SecondmentStarted(CadreEntry):
    LABEL: ClassVar[str] = "挂职/交流锻炼"
    CATEGORY: ClassVar[str] = "挂职交流"
    kind: Literal["上挂", "下挂", "外派挂职", "跟班学习", "驻村帮扶", "重点工作一线", "互派任职", "对口支援"]
    host: Name
    role: Name  # the cadre's role at the host (not the recorder's role)
    planned_end_on: date
    relations_transferred: bool = False

    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date}


class SecondmentEnded(CadreEntry):
    LABEL: ClassVar[str] = "挂职期满"
    CATEGORY: ClassVar[str] = "挂职交流"
    secondment_entry_id: UUID
    host_evaluation: EvaluationGrade | None = None
    feedback: Note | None = None


# — assessment and training —
class Assessed(CadreEntry):
    LABEL: ClassVar[str] = "考核"
    CATEGORY: ClassVar[str] = "考核评价"
    kind: Literal["年度", "平时", "专项", "任期", "试用期满", "一线专项考察"]
    period: Annotated[str, Text(20)]
    grade: Literal["优秀", "称职", "基本称职", "不称职", "不定等次", "好", "较好", "一般", "较差", "良好",
                   "胜任", "不胜任"]
    tier: Literal[1, 2, 3, 4] | None = None  # 分类划档 1 巩固 · 2 提高 · 3 诫勉 · 4 调整
    democratic_score: Annotated[Decimal, Range(0, 100), Step(SCORE_STEP)] | None = None  # 民主测评 0–100
    remarks: Note | None = None

    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date}
    CROSS_FIELDS: ClassVar[frozenset[str]] = frozenset({"kind", "grade", "period"})

    @staticmethod
    def cross_check(values: dict[str, Any]) -> list[FieldError]:
        """The grade is on its kind's scale (§6.3); a 年度 period is a year ("2023")."""
        kind, grade, period = values.get("kind"), values.get("grade"), values.get("period")
        errors: list[FieldError] = []
        scale = GRADE_SCALES.get(str(kind), ())
        if grade is not None and kind is not None and grade not in scale:
            errors.append(FieldError("grade", f"{kind}考核的等次须为以下之一：{'、'.join(scale)}，不能为{grade} "
                                              f"(a {kind} assessment grades {', '.join(scale)}: not {grade})"))
        if kind == "年度" and period is not None and not (len(str(period)) == 4 and str(period).isdigit()):
            errors.append(FieldError("period", f"年度考核的期间须为年份，如 2023，不能为{period} "
                                               f"(an annual assessment's period is a year such as 2023: not {period})"))
        return errors


class TrainingCompleted(CadreEntry):
    LABEL: ClassVar[str] = "培训"
    CATEGORY: ClassVar[str] = "教育培训"
    class_version: ClassVar[int] = 2
    kind: Literal["初任培训", "任职培训", "专门业务培训", "在职培训", "党校主体班", "中青班", "专题培训", "网络学习"]
    course: Name
    provider: Name
    started_on: date
    hours: Annotated[Decimal, Positive(), Range(0, MAX_TRAINING_HOURS), Step(HOURS_STEP)]  # 学时
    passed: bool
    makeup: bool = False  # 补训 (added in v2)

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """v1 stored hours as a whole number and had no 补训 flag."""
        state["hours"] = Decimal(state["hours"])
        state.setdefault("makeup", False)


# — conversations, mentoring, development —
class ConversationHeld(CadreEntry):
    LABEL: ClassVar[str] = "谈话"
    CATEGORY: ClassVar[str] = "谈心谈话"
    kind: Literal["谈心谈话", "五必谈", "提醒谈话", "诫勉谈话", "函询", "任前谈话", "任职谈话", "离任谈话", "提任回访"]
    interviewer: Name
    summary: Note  # sensitive: masked for roles that do not need it
    trigger: Literal["提拔交流调整", "苗头问题", "离任", "受处理处分", "重大困难"] | None = None
    trigger_entry_id: UUID | None = None


class MentorAssigned(CadreEntry):
    LABEL: ClassVar[str] = "导师帮带"
    CATEGORY: ClassVar[str] = "培养锻炼"
    mentor_cadre_id: UUID
    role: Literal["政治导师", "业务导师", "一对一帮带"]


class MentorReleased(CadreEntry):
    LABEL: ClassVar[str] = "导师帮带结束"
    CATEGORY: ClassVar[str] = "培养锻炼"
    mentor_cadre_id: UUID
    role: Literal["政治导师", "业务导师", "一对一帮带"]


class DevelopmentPlanSet(CadreEntry):
    LABEL: ClassVar[str] = "培养计划"
    CATEGORY: ClassVar[str] = "培养锻炼"
    period: Annotated[str, Text(40)]
    goals: Annotated[tuple[Annotated[str, Text(500)], ...], Items(1, MAX_GOALS)]


class DevelopmentLogged(CadreEntry):
    LABEL: ClassVar[str] = "培养日志"
    CATEGORY: ClassVar[str] = "培养锻炼"
    author: Name
    note: Note


class PerformanceNoted(CadreEntry):
    LABEL: ClassVar[str] = "关键时刻/重大任务表现"
    CATEGORY: ClassVar[str] = "实绩表现"
    context: Literal["关键时刻", "重大任务", "急难险重", "一线实绩"]
    task: Name
    narrative: Note
    reported_by: Name


class ConcernRaised(CadreEntry):
    LABEL: ClassVar[str] = "苗头性倾向性问题提醒"
    CATEGORY: ClassVar[str] = "监督管理"
    description: Note
    reminded: Annotated[tuple[Literal["本人", "导师"], ...], Items(1, 2, unique=True)]
    severity: Literal["轻微", "一般", "较重"]


class HardshipRecorded(CadreEntry):
    LABEL: ClassVar[str] = "遭遇重大困难"
    CATEGORY: ClassVar[str] = "关心关爱"
    description: Note


# — talent pools —
class PoolEntered(CadreEntry):
    LABEL: ClassVar[str] = "入库"
    CATEGORY: ClassVar[str] = "人才库"
    pool: Pool
    grounds: Note
    target_grade: Annotated[str, Code("grade")] | None = None


class PoolReviewed(CadreEntry):
    LABEL: ClassVar[str] = "在库考察"
    CATEGORY: ClassVar[str] = "人才库"
    pool: Pool
    outcome: Literal["保留", "调整出库"]


class PoolExited(CadreEntry):
    LABEL: ClassVar[str] = "出库"
    CATEGORY: ClassVar[str] = "人才库"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {
        "effective_on": date, "reason": Literal["提拔使用", "调整出库", "超龄", "离职", "处分"],
    }
    pool: Pool


# — rewards, sanctions, supervision —
class Commended(CadreEntry):
    LABEL: ClassVar[str] = "奖励"
    CATEGORY: ClassVar[str] = "奖惩"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date, "reason": Note}
    kind: Literal["嘉奖", "记三等功", "记二等功", "记一等功", "表彰", "授予称号"]
    by: Name


class Sanctioned(CadreEntry):
    LABEL: ClassVar[str] = "处分"
    CATEGORY: ClassVar[str] = "奖惩"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date, "reason": Note}
    track: Literal["党纪", "政务"]
    kind: Literal["警告", "严重警告", "记过", "记大过", "降级", "撤职", "撤销党内职务", "留党察看", "开除党籍", "开除"]
    decision_no: DocumentNo
    months: Literal[12, 24] | None = None  # 留党察看 term


class HandledOrganizationally(CadreEntry):
    LABEL: ClassVar[str] = "组织处理/问责"
    CATEGORY: ClassVar[str] = "奖惩"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date, "reason": Note}
    kind: Literal["停职检查", "调整职务", "责令辞职", "免职", "降职", "诫勉", "引咎辞职"]
    accountability: bool
    decision_no: DocumentNo


class InvestigationOpened(CadreEntry):
    LABEL: ClassVar[str] = "立案审查"
    CATEGORY: ClassVar[str] = "监督管理"
    authority: Name


class InvestigationClosed(CadreEntry):
    LABEL: ClassVar[str] = "审查结束"
    CATEGORY: ClassVar[str] = "监督管理"
    authority: Name
    outcome: Note | None = None
    investigation_entry_id: UUID | None = None


class PersonalMattersReported(CadreEntry):
    LABEL: ClassVar[str] = "个人有关事项报告"
    CATEGORY: ClassVar[str] = "监督管理"
    year: Annotated[int, Range(EARLIEST_RECORD_DAY.year, LATEST_DAY.year)]


class PersonalMattersVerified(CadreEntry):
    LABEL: ClassVar[str] = "个人有关事项查核"
    CATEGORY: ClassVar[str] = "监督管理"
    year: Annotated[int, Range(EARLIEST_RECORD_DAY.year, LATEST_DAY.year)]
    result: Literal["一致", "漏报", "瞒报"]


class ComplaintReceived(CadreEntry):
    LABEL: ClassVar[str] = "信访举报"
    CATEGORY: ClassVar[str] = "监督管理"
    channel: Name
    specific: bool  # 线索具体
    summary: Note  # sensitive


class ComplaintConcluded(CadreEntry):
    LABEL: ClassVar[str] = "信访举报查核"
    CATEGORY: ClassVar[str] = "监督管理"
    complaint_entry_id: UUID
    result: Literal["属实", "部分属实", "不属实", "无法查实"]


class Departed(CadreEntry):
    LABEL: ClassVar[str] = "离职"
    CATEGORY: ClassVar[str] = "职务职级"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {
        "effective_on": date, "reason": Literal["退休", "辞职", "辞退", "调出", "开除", "死亡"],
    }


ENTRY_TYPES: dict[str, type[CadreEntry]] = {
    cls.__name__: cls
    for cls in (
        CadreRegistered, EducationAttained, Appointed, Dismissed, ProbationConcluded,
        RankPromoted, RankDemoted, SecondmentStarted, SecondmentEnded, Assessed,
        TrainingCompleted, ConversationHeld, MentorAssigned, MentorReleased,
        DevelopmentPlanSet, DevelopmentLogged, PerformanceNoted, ConcernRaised,
        HardshipRecorded, PoolEntered, PoolReviewed, PoolExited, Commended, Sanctioned,
        HandledOrganizationally, InvestigationOpened, InvestigationClosed,
        PersonalMattersReported, PersonalMattersVerified, ComplaintReceived,
        ComplaintConcluded, Departed, EntryCorrected, EntryRetracted,
    )
}
# Entry types a client records through POST …/entries (registration, corrections and
# retractions have routes of their own).
RECORDABLE_TYPES = {
    name: cls for name, cls in ENTRY_TYPES.items()
    if name not in ("CadreRegistered", "EntryCorrected", "EntryRetracted")
}
SENSITIVE_FIELDS = {"id_number", "summary"}

__all__ = ["ENTRY_TYPES", "RECORDABLE_TYPES", "RecordedEvent"]
