"""A unit's round of assessment (e.g. 年度考核 2023 of unit U1) and its 优秀 tally (R-EXCELLENT-QUOTA).

The round is an aggregate with a deterministic id (``ids.assessment_round_id``) holding the 优秀
entries counted in it and, when the office recorded one, the number of participants
(``AssessmentParticipantsRecorded``, with its 文号). Recording, correcting or retracting an
assessment saves the round in the same transaction as the cadre's entry, so two 优秀 racing at
the limit conflict on the round's stream and only one is stored.

Which round an assessment counts in: a 年度 assessment graded 优秀 with a year as its period
counts in the round of the cadre's unit on the period's last day — the unit of the post the cadre
held that day, the earliest taken if several (a concurrent post does not move the assessment). A
cadre holding no post that day belongs to no unit: the quota does not apply. The round is found
when the assessment is recorded, corrected or retracted; changing the cadre's posts afterwards
does not move an assessment already counted. Before a refusal the other counted entries are read
again from their cadres' records, so a refusal never rests on a stale count (stale ones are
dropped from the tally then).

Participants: the number recorded for the round if there is one, else the cadres holding a post
of the unit on the period's last day (the posts' occupancy, through the unit's post directory).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, AggregateCreated

from domain import ids
from domain.bounds import YEAR_PATTERN
from domain.cadre import Cadre
from domain.errors import FieldError
from domain.history import History, derive
from domain.post import OccupancyChanged, Post, UnitPosts
from domain.recorded import Provenance, RecordedEvent, provenance_fields
from domain.schema import Positive, Text

QUOTA_KIND, QUOTA_GRADE = "年度", "优秀"  # the quota concerns 年度考核 优秀 (§6.3)
A = TypeVar("A", bound=Aggregate)
Find = Callable[[type[A], UUID], A | None]


class AssessmentRound(Aggregate):
    TOPIC = "jishi.AssessmentRound"

    class Event(Aggregate.Event):
        TOPIC = "jishi.AssessmentRound.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.AssessmentRound.Created"

    def __init__(self) -> None:
        self.unit_code = ""
        self.kind = ""
        self.period = ""
        self.excellent: dict[UUID, UUID] = {}  # counted 优秀 entry id -> cadre id
        self.participants: int | None = None  # as recorded; None: count the post holders
        self.participants_document_no: str | None = None


class RoundOpened(RecordedEvent, AggregateCreated):
    """Bookkeeping (``jishi.system.*``), like the tally events below."""

    STREAM: ClassVar[str] = "system"
    LABEL: ClassVar[str] = "考核轮次"
    unit_code: str
    kind: str
    period: str

    def apply(self, round_: AssessmentRound) -> None:
        round_.unit_code, round_.kind, round_.period = self.unit_code, self.kind, self.period


class ExcellentCounted(RecordedEvent):
    STREAM: ClassVar[str] = "system"
    LABEL: ClassVar[str] = "优秀计入"
    assessment_entry_id: UUID
    cadre_id: UUID

    def apply(self, round_: AssessmentRound) -> None:
        round_.excellent[self.assessment_entry_id] = self.cadre_id


class ExcellentUncounted(RecordedEvent):
    STREAM: ClassVar[str] = "system"
    LABEL: ClassVar[str] = "优秀移出"
    assessment_entry_id: UUID

    def apply(self, round_: AssessmentRound) -> None:
        round_.excellent.pop(self.assessment_entry_id, None)


class AssessmentParticipantsRecorded(RecordedEvent):
    """参加考核人数: how many cadres took part in a unit's round of assessment, with the 文号 of the
    document that says so. The latest recorded number governs the round's quota."""

    STREAM: ClassVar[str] = "assessment"
    LABEL: ClassVar[str] = "参加考核人数"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date,
                                                 "document_no": Annotated[str, Text(100)]}
    unit_code: str
    kind: Literal["年度"]  # the one kind with a quota
    period: Annotated[str, Text(4, pattern=YEAR_PATTERN)]  # the year assessed
    participants: Annotated[int, Positive()]

    @staticmethod
    def cross_check(values: dict[str, Any]) -> list[FieldError]:
        period = str(values.get("period", ""))
        if len(period) == 4 and period.isdigit():
            return []
        return [FieldError("period", f"年度考核的期间须为年份，如 2023，不能为{period} "
                                     f"(an annual assessment's period is a year such as 2023: not {period})")]

    def apply(self, round_: AssessmentRound) -> None:
        round_.participants, round_.participants_document_no = self.participants, self.document_no


@dataclass(frozen=True)
class QuotaCount:
    """What R-EXCELLENT-QUOTA judges: a round and its numbers (this entry included)."""

    unit_code: str
    kind: str
    period: str
    day: date  # the period's last day
    participants: int
    excellent: int
    document_no: str | None = None  # the participants were recorded under this 文号 (else: post holders)


def period_end(kind: Any, period: Any) -> date | None:
    """The last day of a 年度 period ("2023" → 2023-12-31); None for other kinds and periods."""
    text = str(period or "").strip()
    if kind != QUOTA_KIND or len(text) != 4 or not text.isdigit():
        return None
    return date(int(text), 12, 31)


def home_unit(history: History, day: date) -> str | None:
    """The cadre's unit on ``day``: that of the post held then, the earliest taken if several."""
    held = sorted(history.held_on(day), key=lambda t: (t.start, t.unit_code, t.post_code))
    return held[0].unit_code if held else None


RoundKey = tuple[str, str, str]  # unit code, kind, period


def round_key(values: Mapping[str, Any] | None, history: History | None) -> tuple[RoundKey, date] | None:
    """The round an assessment's 优秀 counts in, or None if it counts in none."""
    if values is None or history is None or values.get("grade") != QUOTA_GRADE:
        return None
    day = period_end(values.get("kind"), values.get("period"))
    unit = home_unit(history, day) if day is not None else None
    if day is None or unit is None:
        return None
    return (unit, QUOTA_KIND, str(values["period"]).strip()), day


class RoundBook:
    """Reads rounds and counts participants for one command (never shared between commands)."""

    def __init__(self, find: Find[Any], directory: Callable[[str], tuple[UnitPosts, bool]]) -> None:
        self.find = find
        self.directory = directory
        self.new_directories: list[UnitPosts] = []

    def round(self, key: RoundKey) -> AssessmentRound | None:
        found: AssessmentRound | None = self.find(AssessmentRound, ids.assessment_round_id(*key))
        return found

    def holders(self, unit_code: str, day: date) -> int:
        """Distinct cadres holding a post of the unit on ``day``."""
        directory, new = self.directory(unit_code)
        if new:
            self.new_directories.append(directory)
        cadres: set[UUID] = set()
        for post_code in directory.post_codes:
            post: Post | None = self.find(Post, ids.post_id(unit_code, post_code))
            if post is None:
                continue
            for cadre_id, tenures in post.occupancy.items():
                if OccupancyChanged.holders_on({cadre_id: tenures}, day):
                    cadres.add(cadre_id)
        return len(cadres)

    def count(self, key: RoundKey, day: date, round_: AssessmentRound | None, entry_id: UUID | None
              ) -> QuotaCount:
        """The round's numbers with ``entry_id`` counted (None: as the tally stands)."""
        counted = set(round_.excellent) if round_ is not None else set()
        if entry_id is not None:
            counted.add(entry_id)
        if round_ is not None and round_.participants is not None:
            return QuotaCount(*key, day, round_.participants, len(counted), round_.participants_document_no)
        return QuotaCount(*key, day, self.holders(key[0], day), len(counted))

    def stale(self, key: RoundKey, day: date, round_: AssessmentRound, keep: UUID | None) -> list[UUID]:
        """Counted entries that no longer count here: retracted, no longer 年度 优秀 of the period,
        or of a cadre whose unit on the period's last day is no longer this one."""
        found: list[UUID] = []
        histories: dict[UUID, tuple[Cadre | None, History | None]] = {}
        for entry_id, cadre_id in round_.excellent.items():
            if entry_id == keep:
                continue
            if cadre_id not in histories:
                cadre = self.find(Cadre, cadre_id)
                histories[cadre_id] = (cadre, derive(cadre.standing_entries()) if cadre is not None else None)
            cadre, history = histories[cadre_id]
            entry = cadre.entry(entry_id) if cadre is not None else None
            counts = (entry is not None and entry.stands and entry.type == "Assessed"
                      and round_key(entry.values, history) == (key, day))
            if not counts:
                found.append(entry_id)
        return found


class QuotaPlan:
    """What one change to an assessment does to the rounds: the count the guard judges (``world``)
    and, once the guards have passed, the tally events (``commit``)."""

    def __init__(self, book: RoundBook, cadre_id: UUID, entry_id: UUID,
                 before: tuple[Mapping[str, Any], History] | None,
                 after: tuple[Mapping[str, Any], History] | None, is_over: Callable[[QuotaCount], bool]) -> None:
        self.book, self.cadre_id, self.entry_id = book, cadre_id, entry_id
        old = round_key(*before) if before is not None else None
        new = round_key(*after) if after is not None else None
        self.remove_from: AssessmentRound | None = None
        if old is not None and (new is None or old[0] != new[0]):
            found = book.round(old[0])
            if found is not None and entry_id in found.excellent:
                self.remove_from = found
        self.add_to: tuple[RoundKey, AssessmentRound | None] | None = None
        self.drop: list[UUID] = []
        self.count: QuotaCount | None = None
        if new is not None:
            key, day = new
            round_ = book.round(key)
            self.add_to = (key, round_)
            self.count = book.count(key, day, round_, entry_id)
            if round_ is not None and is_over(self.count):  # a refusal must not rest on a stale tally
                self.drop = book.stale(key, day, round_, entry_id)
                if self.drop:
                    self.count = replace(self.count, excellent=self.count.excellent - len(self.drop))

    @property
    def world(self) -> dict[str, Any]:
        return {"quota": self.count} if self.count is not None else {}

    def commit(self, by: Provenance) -> list[Aggregate]:
        fields = {"effective_on": None, **provenance_fields(by)}
        changed: list[Aggregate] = list(self.book.new_directories)
        if self.remove_from is not None:
            self.remove_from.trigger_event(ExcellentUncounted, assessment_entry_id=self.entry_id, **fields)
            changed.append(self.remove_from)
        if self.add_to is not None:
            key, round_ = self.add_to
            if round_ is None:
                round_ = open_round(key, by)
            for stale in self.drop:
                round_.trigger_event(ExcellentUncounted, assessment_entry_id=stale, **fields)
            if self.entry_id not in round_.excellent:
                round_.trigger_event(ExcellentCounted, assessment_entry_id=self.entry_id, cadre_id=self.cadre_id,
                                     **fields)
            if round_.pending_events:
                changed.append(round_)
        return changed


def open_round(key: RoundKey, by: Provenance) -> AssessmentRound:
    return AssessmentRound._create(RoundOpened, id=ids.assessment_round_id(*key), unit_code=key[0],
                                   kind=key[1], period=key[2], effective_on=None, **provenance_fields(by))


class ParticipantsPlan:
    """Recording a round's participants: the count the guard judges (the tally against the new
    number) and, once the guards have passed, the event on the round (``commit``)."""

    def __init__(self, book: RoundBook, values: Mapping[str, Any], is_over: Callable[[QuotaCount], bool]) -> None:
        period = str(values["period"]).strip()
        self.key: RoundKey = (values["unit_code"], values["kind"], period)
        day = period_end(values["kind"], period) or date.max
        self.round = book.round(self.key)
        excellent = len(self.round.excellent) if self.round is not None else 0
        self.count = QuotaCount(*self.key, day, values["participants"], excellent, values.get("document_no"))
        self.drop: list[UUID] = []
        if self.round is not None and is_over(self.count):
            self.drop = book.stale(self.key, day, self.round, None)
            self.count = replace(self.count, excellent=excellent - len(self.drop))

    def commit(self, values: Mapping[str, Any], overrides: tuple[str, ...], override_reason: str | None,
               by: Provenance) -> AssessmentRound:
        round_ = self.round if self.round is not None else open_round(self.key, by)
        for stale in self.drop:
            round_.trigger_event(ExcellentUncounted, assessment_entry_id=stale, effective_on=None,
                                 **provenance_fields(by))
        round_.trigger_event(AssessmentParticipantsRecorded, **values, overrides=overrides,
                             override_reason=override_reason if overrides else None, **provenance_fields(by))
        return round_
