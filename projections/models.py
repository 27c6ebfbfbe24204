"""Read-model tables. Every stateful row carries valid time (dates) and recorded time
(instants): ``recorded_from <= known_at < recorded_to`` selects what the record said at an
instant, ``valid_from <= as_of < valid_to`` what was true on a day. Only the projections
write these tables; queries read them with indexed range conditions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from projections.db import Base
from projections.sealed import LookupKey, SealedJSON, SealedText

FAR = date(9999, 12, 31)  # valid_to of what has no end yet
NEVER = datetime(9999, 12, 31, 23, 59, 59)  # recorded_to of what is still in the record (naive UTC)


class Position(Base):
    """Tracking: how far each projection has applied the event store (exactly-once)."""

    __tablename__ = "projection_position"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


class UnitRow(Base):
    """单位 versions: a rename opens a new valid-time version."""

    __tablename__ = "rm_unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(String(32), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    recorded_from: Mapped[datetime] = mapped_column(DateTime)
    recorded_to: Mapped[datetime] = mapped_column(DateTime)
    signature: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_rm_unit_sig", "signature", "recorded_to"),)


class PostRow(Base):
    """职位 with its establishment (职数) over valid time."""

    __tablename__ = "rm_post"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(String(32))
    post_code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(8))
    leadership: Mapped[bool] = mapped_column(Boolean)
    probation: Mapped[bool] = mapped_column(Boolean)
    establishment: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    recorded_from: Mapped[datetime] = mapped_column(DateTime)
    recorded_to: Mapped[datetime] = mapped_column(DateTime)
    signature: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_rm_post_unit", "unit_code", "post_code", "valid_from"),
                      Index("ix_rm_post_sig", "signature", "recorded_to"))


class EntryRow(Base):
    """One version of one entry of a cadre's record (corrections open new versions)."""

    __tablename__ = "rm_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cadre_id: Mapped[str] = mapped_column(String(36))
    entry_id: Mapped[str] = mapped_column(String(36), index=True)
    type: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    effective_on: Mapped[date | None] = mapped_column(Date)
    values: Mapped[dict[str, Any]] = mapped_column(SealedJSON)  # the ID number and notes sealed
    overrides: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)  # when the entry itself was recorded
    recorded_from: Mapped[datetime] = mapped_column(DateTime)  # when this version became the record
    recorded_to: Mapped[datetime] = mapped_column(DateTime)
    signature: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_rm_entry_cadre", "cadre_id", "recorded_from", "recorded_to"),
                      Index("ix_rm_entry_sig", "signature", "recorded_to"))


class SpanRow(Base):
    """A derived interval of a cadre's career: post held, secondment, pool membership, rank,
    mentor, or the profile itself (kind), with valid and recorded ranges."""

    __tablename__ = "rm_span"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cadre_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # post | secondment | pool | rank | mentor | profile
    unit_code: Mapped[str | None] = mapped_column(String(32))
    post_code: Mapped[str | None] = mapped_column(String(32))
    label: Mapped[str | None] = mapped_column(String(200))  # pool name, rank, host, mentor id
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON)  # the ID number and notes sealed
    entry_id: Mapped[str | None] = mapped_column(String(36))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    recorded_from: Mapped[datetime] = mapped_column(DateTime)
    recorded_to: Mapped[datetime] = mapped_column(DateTime)
    signature: Mapped[str] = mapped_column(String(64))  # identity of the span's content
    # profile spans only: searchable columns
    cadre_no: Mapped[str | None] = mapped_column(String(32))
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(2))
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    education: Mapped[str | None] = mapped_column(String(2))
    political_status: Mapped[str | None] = mapped_column(String(2))
    id_key: Mapped[str | None] = mapped_column(LookupKey(64))  # keyed hash of the 公民身份号码: exact search
    __table_args__ = (
        Index("ix_rm_span_unit", "kind", "unit_code", "valid_from", "valid_to"),
        Index("ix_rm_span_profile", "kind", "recorded_to", "label"),
        Index("ix_rm_span_cadre", "cadre_id", "kind", "recorded_to"),
        Index("ix_rm_span_label", "kind", "label", "valid_from"),
        Index("ix_rm_span_sig", "signature", "recorded_to"),
        Index("ix_rm_span_id_key", "id_key"),
    )


class SearchRow(Base):
    """干部查询的检索键: a cadre's name, its 全拼 and 首字母 (the surname read as a surname,
    ``projections/pinyin.py``) and 公民身份号码, over recorded time (a corrected name or number opens a
    new row). Projection ``search``; read models built before it fill it on their next catch-up."""

    __tablename__ = "rm_search"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cadre_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    pinyin: Mapped[str] = mapped_column(String(400))
    initials: Mapped[str] = mapped_column(String(100))
    id_key: Mapped[str | None] = mapped_column(LookupKey(64))  # keyed hash of the 公民身份号码: exact search
    recorded_from: Mapped[datetime] = mapped_column(DateTime)
    recorded_to: Mapped[datetime] = mapped_column(DateTime)
    signature: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        Index("ix_rm_search_pinyin", "pinyin", "recorded_to"),
        Index("ix_rm_search_initials", "initials", "recorded_to"),
        Index("ix_rm_search_id_key", "id_key", "recorded_to"),
        Index("ix_rm_search_cadre", "cadre_id", "recorded_to"),
        Index("ix_rm_search_sig", "signature", "recorded_to"),
    )


class AuditRow(Base):
    """Every stored event in recorded order, with what it corrects or retracts."""

    __tablename__ = "rm_audit"
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(36), index=True)
    stream_id: Mapped[str] = mapped_column(String(36))
    stream: Mapped[str] = mapped_column(String(16))  # cadre | unit | post | case | …
    type: Mapped[str] = mapped_column(String(40))
    effective_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    actor_role: Mapped[str] = mapped_column(String(20))
    document_no: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(SealedText)  # may quote what it corrects: sealed
    corrects: Mapped[str | None] = mapped_column(String(36))
    retracts: Mapped[str | None] = mapped_column(String(36))
    overrides: Mapped[list[str]] = mapped_column(JSON)
    override_reason: Mapped[str | None] = mapped_column(SealedText)
    cadre_id: Mapped[str | None] = mapped_column(String(36), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(32), index=True)
    post_code: Mapped[str | None] = mapped_column(String(32))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    __table_args__ = (Index("ix_rm_audit_post", "unit_code", "post_code"),)


class FindingRow(Base):
    """监督发现: a monitor's finding fact, as known over recorded time."""

    __tablename__ = "rm_finding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(32))
    cadre_id: Mapped[str | None] = mapped_column(String(36), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(80))
    trigger_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    overridden: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[list[str]] = mapped_column(JSON)
    resolution: Mapped[list[str]] = mapped_column(JSON)
    detail: Mapped[str] = mapped_column(Text)
    recorded_from: Mapped[datetime] = mapped_column(DateTime)
    recorded_to: Mapped[datetime] = mapped_column(DateTime)
    signature: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_rm_finding_rule", "rule", "unit_code", "recorded_to"),
        Index("ix_rm_finding_due", "due_on"),
        # the findings page as known now, in due order: an index scan that stops at the page's end;
        # the status columns let SQLite skip the (mostly resolved) rows without reading the table
        Index("ix_rm_finding_open_due", "recorded_to", "due_on", "rule", "id", "overridden", "resolved_on",
              "trigger_on"),
        Index("ix_rm_finding_unit_due", "unit_code", "recorded_to", "due_on", "rule", "id"),
        Index("ix_rm_finding_sig", "signature", "recorded_to"),
    )


# PostgreSQL: "open on as_of" as an index condition. ``resolved_on IS NULL OR resolved_on > as_of``
# cannot be one, and PostgreSQL (unlike SQLite) reads the table row of every index entry an ordered
# scan filters — at M, every resolved finding due before the first open one. On this expression the
# open rows are one index range; the page sorts them (top-N) and reads only its own rows.
OPEN_UNTIL = "coalesce(resolved_on, DATE '9999-12-31')"  # FAR: the query must spell it exactly so
POSTGRES_ONLY_INDEXES = frozenset({"ix_rm_finding_open_until"})
Index("ix_rm_finding_open_until", FindingRow.recorded_to, text(OPEN_UNTIL), FindingRow.due_on, FindingRow.rule,
      FindingRow.id, postgresql_where=text("NOT overridden"),
      postgresql_include=["trigger_on", "recorded_from", "resolved_on", "unit_code", "cadre_id"],
      ).ddl_if(dialect="postgresql")


class CalendarRow(Base):
    """节假日安排: every recorded version of a year's schedule (DOMAIN.md §6.4). Never closed: version
    N + 1 supersedes N, so the calendar as known at an instant is the latest version recorded by then."""

    __tablename__ = "rm_calendar"
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(36))
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)  # 1 = as published, then one per correction
    kind: Mapped[str] = mapped_column(String(16))  # published | corrected
    holidays: Mapped[list[str]] = mapped_column(JSON)  # ISO dates
    workdays: Mapped[list[str]] = mapped_column(JSON)
    notice_no: Mapped[str] = mapped_column(String(200))
    notice_date: Mapped[date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    document_no: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (Index("ix_rm_calendar_year", "year", "version"),)


class JudgedPublicityRow(Base):
    """R-CALENDAR-CHANGED's memory: each stored count of a publicity's working days (a PublicityHeld
    step, a promotion and each correction of it), with the calendar it counted with. The latest row
    of an entry (``root_id``) not retracted (``void``) is the judgement that stands."""

    __tablename__ = "rm_judged_publicity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    position: Mapped[int] = mapped_column(BigInteger)
    root_id: Mapped[str] = mapped_column(String(36))  # the step or appointment judged
    judged_id: Mapped[str] = mapped_column(String(36))  # the event carrying the count (it, or a correction)
    cadre_id: Mapped[str] = mapped_column(String(36))
    unit_code: Mapped[str | None] = mapped_column(String(32))
    start_on: Mapped[date | None] = mapped_column(Date)  # None: the entry no longer counts a publicity
    end_on: Mapped[date | None] = mapped_column(Date)
    working_days: Mapped[int | None] = mapped_column(Integer)  # None: a year of the span was not known
    years: Mapped[dict[str, Any]] = mapped_column(JSON)  # calendar_used["years"]
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    void: Mapped[bool] = mapped_column(Boolean)  # the judging event was retracted
    __table_args__ = (Index("ix_rm_judged_root", "root_id", "position"),
                      Index("ix_rm_judged_span", "end_on", "start_on"))
