"""The simulation core: the dated action queue, the one write path, and the recording helpers
every phase uses (``rec`` for a cadre entry, ``step`` for a selection-case step, ``talk``, ``take``
for a seeded violation), with what the simulation keeps of the county (``Seat``, ``Case``) and
what it reports (``Report``).

The phases (``demo.staffing``, ``demo.yearly``, ``demo.careers``, ``demo.incidents``,
``demo.selection``, ``demo.seeds``) are mixins over ``SimCore``; ``demo.generator.CountySim``
composes them and schedules the years.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from demo.clock import SimClock
from demo.jurisdiction import County, PostSpec, UnitSpec
from demo.people import People, Person
from domain.errors import RuleViolationError
from domain.recorded import Provenance
from domain.rules.common import add_months
from domain.rules.config import RuleConfig
from domain.workdays import WorkingCalendar
from service.application import Jishi
from service.commands import Command, RecordCaseStep, RecordEntry
from service.results import CommandResult
from service.unit_of_work import Batch

START = date(2017, 1, 1)  # 建档: the record opens; earlier posts are back-filled
SEED_FROM = date(2023, 1, 1)  # seeded violations are recent, so they are still open today
DAY = timedelta(days=1)
SEEDED_STAY = timedelta(days=365)  # a cadre chosen for a seed is still in service this long after the end
# A cadre promoted fewer days ago than this is not moved on (transferred out, 调出): a promotion is
# followed by its probation year, its 任职培训 and its 提任回访 (a simulation choice).
SETTLED_AFTER_PROMOTION = 430
HR = Provenance("hr-zhou", "hr", "demo")
HR_CHIEF = Provenance("hr-chief-wang", "hr", "demo", can_override=True)


@dataclass
class Report:
    """What was generated: counts per entry type and stream, seeded violations, timings."""

    size: str
    seed: int
    cadres: int = 0
    counties: int = 0
    units: int = 0
    posts: int = 0
    entries: Counter[str] = field(default_factory=Counter)  # cadre entry types (incl. corrections)
    case_steps: Counter[str] = field(default_factory=Counter)
    post_events: Counter[str] = field(default_factory=Counter)
    seeded: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # commands the guards refused (0 expected)
    override_events: dict[str, int] = field(default_factory=lambda: {"cadre": 0, "other": 0})
    seconds: float = 0.0
    commands: int = 0

    @property
    def events(self) -> int:
        """Stored events: units, posts (with occupancy mirrors), cadre entries, case steps."""
        return self.units + sum(self.post_events.values()) + sum(self.entries.values()) + sum(
            self.case_steps.values())

    def as_dict(self) -> dict[str, Any]:
        return {"size": self.size, "seed": self.seed, "cadres": self.cadres, "counties": self.counties,
                "units": self.units, "posts": self.posts, "events": self.events, "commands": self.commands,
                "seconds": round(self.seconds, 1), "entries": dict(self.entries), "case_steps": dict(self.case_steps),
                "post_events": dict(self.post_events), "seeded": dict(self.seeded), "refused": dict(self.refused),
                "override_events": self.override_events}


@dataclass
class Seat:
    unit: UnitSpec
    spec: PostSpec
    establishment: int
    holders: list[UUID] = field(default_factory=list)
    reserved: int = 0
    vacated_on: date = START

    @property
    def key(self) -> tuple[str, str]:
        return (self.unit.code, self.spec.post_code)

    @property
    def vacancies(self) -> int:
        return self.establishment - len(self.holders) - self.reserved


@dataclass
class Case:
    seat: Seat
    winner: Person
    runner_up: Person | None
    appoint_on: date
    publicity: tuple[date, date]
    override: bool
    case_id: UUID | None = None
    failed: bool = False


class SimCore:
    """One county's simulation state, its queue of dated actions, and how it records."""

    end: date  # the last simulated day (set by ``run``)
    calendar: WorkingCalendar  # the working days as the store knows them (set by ``run``)

    def __init__(self, app: Jishi, batch: Batch, county: County, cadres: int, rng: random.Random, faker_seed: int,
                 clock: SimClock, report: Report, tick: Callable[[date], None], seeds: Counter[str]) -> None:
        self.app, self.batch, self.county, self.target, self.rng, self.clock = app, batch, county, cadres, rng, clock
        self.report, self.tick = report, tick
        self.people = People(rng, faker_seed)
        self.heap: list[tuple[date, int, Callable[..., None], tuple[Any, ...]]] = []
        self.sequence = 0
        self.today = START
        self.persons: list[Person] = []
        self.by_id: dict[UUID, Person] = {}
        self.seats: dict[tuple[str, str], Seat] = {}
        self.unit_promotions: dict[str, list[date]] = {}
        self.docs: Counter[tuple[int, str]] = Counter()
        self.seeds = seeds  # seeded violations still to place, by kind
        self.requests = 0

    def write(self, command: Command, by: Provenance) -> CommandResult:
        """Every write: the application's one write path, in this county's bulk batch (whole tree)."""
        return self.app.handle(command, by, batch=self.batch)

    @property
    def config(self) -> RuleConfig:
        """The rule thresholds in force: the simulation follows the same ones as the guards and monitors."""
        return self.app.config

    # ——— the queue ———

    def at(self, day: date, action: Callable[..., None], *args: Any) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, (max(day, self.today), self.sequence, action, args))

    def soon(self, day: date, low: int, high: int, within: int) -> date:
        """A day ``low``–``high`` days after ``day`` (as the simulation likes it), but never more
        than ``within`` days after it (a rule's due period)."""
        return day + timedelta(days=self.rng.randint(min(low, within), min(high, within)))

    def within_months(self, day: date, setting: str) -> int:
        """The days from ``day`` to the due date of a rule's period of ``setting`` months (calendar months)."""
        return (add_months(day, self.config.int(setting)) - day).days

    # ——— recording ———

    def by(self, chief: bool = False) -> Provenance:
        self.requests += 1
        base = HR_CHIEF if chief else HR
        return Provenance(base.actor, base.role, f"demo-{self.county.code}-{self.requests}", base.can_override)

    def doc(self, day: date, kind: str = "组干") -> str:
        self.docs[(day.year, kind)] += 1
        return f"{self.county.short}{kind}〔{day.year}〕{self.docs[(day.year, kind)]}号"

    def refused(self, what: str, error: RuleViolationError) -> None:
        self.report.refused[f"{what}: {', '.join(error.rules)}"] += 1

    def rec(self, p: Person, entry_type: str, day: date, *, chief: bool = False, **fields: Any) -> UUID | None:
        payload = {"effective_on": day.isoformat(), **fields}
        self.report.commands += 1
        try:
            result = self.write(RecordEntry(p.cid, entry_type, payload), self.by(chief))
        except RuleViolationError as error:
            self.refused(entry_type, error)
            return None
        self._count(entry_type, result.overrides, len(fields.get("ends_posts", ())))
        return result.entry_id

    def _count(self, entry_type: str, overrides: tuple[str, ...], ended: int = 0) -> None:
        self.report.entries[entry_type] += 1
        if entry_type in ("Appointed", "Dismissed", "Departed"):
            self.report.post_events["OccupancyChanged"] += 1 + ended
        if overrides:
            self.report.override_events["cadre"] += 1
            if "R-EST" in overrides:
                self.report.override_events["other"] += 1 + ended  # mirrored on every post it changes

    def step(self, case: Case, step_type: str, day: date, chief: bool = False, **fields: Any) -> bool:
        assert case.case_id is not None
        self.report.commands += 1
        payload = {"effective_on": day.isoformat(), **fields}
        if step_type == "PublicityHeld":
            payload.pop("effective_on")
        try:
            result = self.write(RecordCaseStep(case.case_id, step_type, payload), self.by(chief))
        except RuleViolationError as error:
            self.refused(step_type, error)
            return False
        self.report.case_steps[step_type] += 1
        if result.overrides:
            self.report.override_events["other"] += 1
        return True

    def talk(self, p: Person, day: date, kind: str, trigger: str | None = None, linked: UUID | None = None,
             interviewer: str = "县委组织部部长") -> None:
        summaries = {"任前谈话": "肯定成绩，指出不足，提出任职要求和廉洁从政要求", "任职谈话": "明确岗位职责和工作要求",
                     "离任谈话": "回顾任职期间工作，做好工作交接", "提任回访": "了解履职情况，本人适应新岗位",
                     "提醒谈话": "指出苗头性问题，本人表示立即整改", "诫勉谈话": "严肃指出问题，本人深刻认识并表示改正",
                     "五必谈": "谈心谈话，了解思想状况和实际困难", "谈心谈话": "了解思想动态，鼓励担当作为"}
        fields: dict[str, Any] = {"kind": kind, "interviewer": interviewer, "summary": summaries[kind]}
        if trigger:
            fields["trigger"] = trigger
        if linked:
            fields["trigger_entry_id"] = str(linked)
        self.rec(p, "ConversationHeld", day, **fields)

    def take(self, seed: str, day: date | None = None) -> bool:
        """Use one more of a seeded violation (only from SEED_FROM on)."""
        if (day is not None and day < SEED_FROM) or self.seeds[seed] <= 0:
            return False
        self.seeds[seed] -= 1
        self.report.seeded[seed] += 1
        return True

    # ——— who is there ———

    def unit_members(self, unit: UnitSpec, day: date) -> list[Person]:
        return [p for p in self.persons if p.active(day) and p.post is not None and p.post[0] == unit.code]

    def active_free(self, day: date) -> list[Person]:
        return [p for p in self.persons if p.free(day) and p.registered and p.registered < day]

    def stays(self, p: Person) -> bool:
        """Still in service a while after the end: a seeded finding on this cadre stays open."""
        return p.retire_on > self.end + SEEDED_STAY

    def counts_as_grassroots(self, unit: UnitSpec) -> bool:
        """A post in this unit is grassroots work (基层工作经历) for R-PROMO-YEARS."""
        return unit.kind in self.config.get("promotion.grassroots_unit_kinds")
