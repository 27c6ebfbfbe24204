"""Response bodies of the reads (API.md "Reading"). Documented fields are typed; each object
may carry more (``extra="allow"``), as the contract allows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from api.schemas.common import Open


class Timeframe(Open):
    as_of: date
    known_at: datetime | None = None


class RosterUnit(Open):
    code: str
    name: str
    kind: str | None = None
    parent_code: str | None = None


class Holder(Open):
    cadre_id: UUID
    name: str
    since: date
    manner: str | None = None


class RosterPost(Open):
    post_code: str
    title: str
    grade: str
    establishment: int
    holders: list[Holder]
    vacancies: int


class Secondment(Open):
    cadre_id: UUID
    name: str | None = None
    host: str | None = None
    since: date | None = None


class Roster(Timeframe):
    """在职名册: posts, holders, vacancies, secondments out and in."""

    unit: RosterUnit
    posts: list[RosterPost]
    seconded_out: list[Secondment]
    seconded_in: list[Secondment]


class TimelineEntry(Open):
    entry_id: UUID
    type: str
    effective_on: date | None = None
    recorded_at: datetime
    actor: str | None = None
    corrected: bool
    retracted: bool


class Finding(Open):
    """监督发现: a monitor's or an override's finding with its evidence entries."""

    rule: str
    cadre_id: UUID | None = None
    unit_code: str | None = None
    due_on: date | None = None
    status: str
    evidence: list[Any] = Field(default_factory=list)


class GrowthFile(Timeframe):
    """成长档案: profile, posts, ranks, timeline, assessments, training, mentors, pools, sanctions, findings."""

    cadre_id: UUID
    profile: dict[str, Any]
    posts: list[dict[str, Any]]
    ranks: list[dict[str, Any]]
    timeline: list[TimelineEntry]
    assessments: list[dict[str, Any]]
    training: dict[str, Any]
    mentors: list[dict[str, Any]]
    pools: list[dict[str, Any]]
    sanctions: list[dict[str, Any]]
    findings: list[Finding]


class Person(Open):
    cadre_id: UUID
    cadre_no: str | None = None
    name: str | None = None
    age: int | None = None


class SearchPage(Open):
    """A page of cadres; pass `next_cursor` as `cursor` for the next page."""

    items: list[Person]
    next_cursor: str | None = None


class PoolMember(Person):
    pool: str
    entered_on: date
    last_review: date | None = None


class Pool(Timeframe):
    """人才库: members with entry date and last review."""

    pool: str
    members: list[PoolMember]


class Structure(Open):
    """队伍结构: counts by age band, gender, ethnicity, education, political status, grade, rank."""

    unit: str | None = None
    as_of: date
    counts: dict[str, dict[str, int]]


class AuditEntry(Open):
    position: int
    entry_id: UUID
    type: str
    effective_on: date | None = None
    recorded_at: datetime
    actor: str
    document_no: str | None = None
    reason: str | None = None
    corrects: UUID | None = None
    retracts: UUID | None = None
    overrides: list[str] = Field(default_factory=list)


class AuditTrail(Open):
    """审计轨迹: entries in recorded order; pass `next_after` as `after` for more."""

    items: list[AuditEntry]
    next_after: int | None = None


class Findings(Open):
    as_of: date
    items: list[Finding]


class ReadEntry(Open):
    position: int
    cadre_id: UUID
    reader: str
    role: str
    request_id: str
    read_at: datetime


class Reads(Open):
    """查阅留痕: who read which growth file, when."""

    items: list[ReadEntry]
    next_after: int | None = None


class BulkReadEntry(Open):
    position: int
    kind: str  # feed | search | export | print
    what: str  # the request as made: path and query
    cadre_id: UUID | None = None
    reader: str
    role: str
    reader_scope: list[str] | None = None
    request_id: str
    read_at: datetime


class BulkReads(Open):
    """批量查阅留痕: who read which feed page, search, export or printed form, when."""

    items: list[BulkReadEntry]
    next_after: int | None = None


class FeedEvent(Open):
    position: int
    entry_id: UUID
    stream_id: UUID
    version: int
    type: str
    topic: str
    recorded_at: datetime
    effective_on: date | None = None
    actor: str
    actor_role: str
    request_id: str
    document_no: str | None = None
    reason: str | None = None
    overrides: list[str] = Field(default_factory=list)
    data: dict[str, Any]


class Feed(Open):
    """The global event feed in recorded order; pass `next_after` as `after` for more."""

    items: list[FeedEvent]
    next_after: int
    head: int


class Check(Open):
    rule: str
    passed: bool


class Eligibility(Open):
    """资格测算: each guard, pass or fail with its reason."""

    cadre_id: UUID
    eligible: bool
    checks: list[Check]


class EligibilityFlip(Open):
    entry_id: UUID
    type: str
    on: date
    eligible_before: bool
    eligible_after: bool
    reasons: list[str]


class FindingChange(Open):
    rule: str
    key: str
    on: date
    status_before: str | None
    status_after: str | None


class RosterDays(Open):
    unit_code: str
    post_code: str
    cadre_id: UUID
    start_on: date
    end_on: date
    held_before: bool
    held_after: bool


class Impact(Open):
    """追溯影响: what a back-dated entry changed in the past (R-RETROACTIVE, DOMAIN.md §6.4)."""

    entry_id: UUID
    cadre_id: UUID
    effective_on: date | None
    recorded_at: datetime
    days_late: int | None
    late: bool
    eligibility: list[EligibilityFlip]
    findings: list[FindingChange]
    roster_days: list[RosterDays]
