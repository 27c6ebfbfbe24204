"""A seeded generator of a realistic jurisdiction, written through the real write path.

``generate(app, "S", seed=…)`` simulates ten years (2017 → today) of a county of about 1,000
cadres (S), or 10 / 100 such counties (M, L): units and posts with their establishment, cadres
with Faker ``zh_CN`` names, valid GB 11643 ID numbers and realistic code mixes, and careers that
follow the rules — promotions through complete selection cases (动议 → 民主推荐 → 考察 → 凡提四必
→ 双签字 → 讨论决定 → 任前公示 → 任用), yearly 年度 assessments with at most 20 % 优秀 per unit,
training hours met, rotations (交流轮岗), secondments (挂职), pools, mentors, talks (五必谈),
rank promotions, a few sanctions — plus a controlled number of seeded rule violations
(``SEEDS``), overrides, late entries and late corrections, so that every monitor of DOMAIN.md
§6.2 has findings and ``as_of``/``known_at`` differ.

Every write is a command handled by ``service.application.Jishi`` (guards and all), in a bulk batch
(many commands per transaction). The simulation keeps its own view of each cadre so that it
only asks for what the guards allow; for promotions it asks the application (``eligibility``).
A command the guards refuse anyway is not stored and is counted in ``Report.refused`` (zero in
the tests). Recorded time follows a simulated clock (``demo.clock``): entries look keyed in
on their day. The same seed gives the same events, except their timestamps' sub-second order
and selection-case ids (the application draws those at random).
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from demo.clock import SimClock, recording
from demo.jurisdiction import County, PostSpec, UnitSpec, build_county
from demo.people import People, Person
from domain.codes import RANKS, rank_above, rank_index
from domain.errors import RuleViolationError
from domain.recorded import Provenance
from domain.rules.assessment import excellent_allowed
from domain.rules.common import add_months
from domain.workdays import WorkingCalendar
from service.application import Jishi
from service.commands import (
    ChangeEstablishment,
    Command,
    CorrectEntry,
    EstablishPost,
    OpenCase,
    RecordCaseStep,
    RecordEntry,
    RegisterCadre,
    RegisterUnit,
    RetractEntry,
)
from service.results import CommandResult
from service.unit_of_work import Batch

SIZES: dict[str, int] = {"tiny": 60, "XS": 100, "S": 1_000, "M": 10_000, "L": 100_000}
COUNTY_CADRES = 1_000  # one county; bigger sizes are several counties
START = date(2017, 1, 1)  # 建档: the record opens; earlier posts are back-filled
SEED_FROM = date(2023, 1, 1)  # seeded violations are recent, so they are still open today
DAY = timedelta(days=1)
BAD_GRADES = ("基本称职", "不称职")
SOURCE_GRADE = {"142": "150", "141": "142", "132": "141", "131": "132"}  # 提拔: from the level below
RANK_CEILING = {"150": "一级主任科员", "142": "一级主任科员", "141": "一级主任科员", "132": "二级调研员",
                "131": "一级调研员"}
PROMOTION_AGE = {"142": 45, "141": 50, "132": 52, "131": 54}
GRADE_CAP = {"警告": "称职", "调整职务": "称职", "严重警告": "不定等次", "记过": "不定等次"}
INFLUENCE_MONTHS = {("政务", "警告"): 6, ("政务", "记过"): 12, ("党纪", "警告"): 12, ("党纪", "严重警告"): 18,
                    ("组织处理", "诫勉"): 6}
RESERVE_POOLS = ("年轻干部库", "后备干部库", "两型干部库")

# Seeded violations per county of 1,000 cadres (at least one each, whatever the size).
SEEDS: dict[str, int] = {
    "R-PUBLICITY (override)": 2, "R-EST (override)": 1, "R-RANK-YEARS (override)": 1,
    "R-TALK-PROMO": 2, "R-TALK-CONCERN": 2, "R-TALK-DEPART": 1, "R-TALK-SANCTION": 1, "R-TALK-HARDSHIP": 1,
    "R-TRAIN-INITIAL": 2, "R-TRAIN-POST": 2, "R-TRAIN-HOURS": 5, "R-PROBATION": 2, "R-FOLLOWUP": 2,
    "R-ROTATE": 2, "R-SECONDMENT-OVERDUE": 2, "R-POOL-REVIEW": 2, "R-POOL-STALE": 1, "R-MERIT": 1,
    "R-UNFIT": 1, "R-PERSONAL-MATTERS": 1, "R-RUSH": 1, "R-DUAL-POST": 1,
    "late correction (appointment date)": 3, "duplicate retracted": 2, "late entry (training)": 5,
}
# The overrides the seeds store: (seed, events with overrides on cadre streams, on other streams). The
# over-establishment move is one 任…免… appointment: its R-EST override is mirrored on both posts it changes.
OVERRIDE_EVENTS = {"R-PUBLICITY (override)": (1, 1), "R-EST (override)": (1, 2), "R-RANK-YEARS (override)": (1, 0)}

OVER_ESTABLISHMENT = "经县委常委会研究并报市委组织部同意，临时超职数配备，两年内消化"
SHORT_PUBLICITY = "因防汛救灾工作急需，公示期缩短为4个工作日，经市委组织部批准"
HR = Provenance("hr-zhou", "hr", "demo")
HR_CHIEF = Provenance("hr-chief-wang", "hr", "demo", can_override=True)

TASKS = (("重大任务", "脱贫攻坚", 2017, 2020), ("急难险重", "疫情防控", 2020, 2022),
         ("重大任务", "乡村振兴", 2021, 2026), ("急难险重", "防汛抢险", 2017, 2026),
         ("重大任务", "招商引资", 2017, 2026), ("一线实绩", "征地拆迁", 2017, 2026),
         ("重大任务", "污染防治攻坚", 2018, 2026), ("关键时刻", "森林防火", 2017, 2026))
VILLAGES = ("王家庄", "李村", "后沟", "西坡", "南河", "张家岭", "石门", "东峪", "柳树湾", "马家坪")
SECONDMENTS = (("驻村帮扶", 0.30, 24, "第一书记"), ("下挂", 0.15, 12, "副镇长（挂职）"), ("上挂", 0.12, 12, "挂职锻炼"),
               ("重点工作一线", 0.18, 9, "工作专班成员"), ("外派挂职", 0.07, 12, "挂职干部"),
               ("互派任职", 0.06, 18, "副局长（互派）"), ("跟班学习", 0.07, 6, "跟班学习"),
               ("对口支援", 0.05, 18, "援派干部"))


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


def size_of(size: str | int) -> int:
    if isinstance(size, int):
        return size
    if size in SIZES:
        return SIZES[size]
    return int(size)


def real_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def generate(app: Jishi, size: str | int = "S", *, seed: int = 2017, end: date | None = None,
             progress: Callable[[float], None] | None = None, commands_per_transaction: int = 500) -> Report:
    """Generate ``size`` (a name of ``SIZES`` or a number of cadres) into ``app``'s store, which
    should be empty (unit codes and cadre numbers are fixed by the size and seed)."""
    total = size_of(size)
    counties = max(1, math.ceil(total / COUNTY_CADRES))
    report = Report(str(size), seed, counties=counties)
    end = end or real_today()
    ceiling = datetime.now(UTC) - timedelta(minutes=1)
    started = time.perf_counter()
    span = max(1, (end - START).days)
    for index in range(counties):
        cadres = total // counties + (1 if index < total % counties else 0)
        county = build_county(index, cadres, single=counties == 1)
        clock = SimClock(START + timedelta(days=2), ceiling)

        def tick(day: date, index: int = index) -> None:
            if progress is not None:
                progress((index + min(1.0, (day - START).days / span)) / counties)

        with app.batch(commands_per_transaction, keep=6_000) as batch, recording(app, clock):
            CountySim(app, batch, county, cadres, random.Random(f"{seed}:{index}"), seed * 1000 + index, clock,
                      report, tick).run(end)
    report.seconds = time.perf_counter() - started
    if progress is not None:
        progress(1.0)
    return report


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


class CountySim:
    """Ten years of one county, as a queue of dated actions processed in date order."""

    def __init__(self, app: Jishi, batch: Batch, county: County, cadres: int, rng: random.Random, faker_seed: int,
                 clock: SimClock, report: Report, tick: Callable[[date], None]) -> None:
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
        self.seeds = Counter({k: max(1, round(v * cadres / COUNTY_CADRES)) for k, v in SEEDS.items()})
        self.requests = 0

    def write(self, command: Command, by: Provenance) -> CommandResult:
        """Every write: the application's one write path, in this county's bulk batch (whole tree)."""
        return self.app.handle(command, by, batch=self.batch)

    # ——— the queue ———

    def at(self, day: date, action: Callable[..., None], *args: Any) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, (max(day, self.today), self.sequence, action, args))

    def run(self, end: date) -> None:
        self.end = end
        # The working-day calendar as the store knows it (built in, or recorded 节假日安排); the
        # simulation records none, so it stays the same throughout. A year it does not know is
        # never counted: no case is opened whose publicity would fall in it.
        self.calendar = self.app.working_calendar(range(START.year, end.year + 2))
        self.at(START + timedelta(days=2), self.bootstrap)
        for year in range(START.year, end.year + 1):
            self.schedule_year(year)
        last_tick = START
        while self.heap:
            day, _, action, args = heapq.heappop(self.heap)
            if day > end:
                break
            self.today = day
            self.clock.at(day, self.rng.randint(0, 420))
            action(day, *args)
            if (day - last_tick).days >= 30:
                self.tick(day)
                last_tick = day

    def schedule_year(self, year: int) -> None:
        units = [u for u in self.county.units]
        for n, unit in enumerate(units):
            self.at(date(year, 1, 6 + n % 18), self.assess_unit, unit, year - 1)
            self.at(date(year, 6, 12 + n % 17), self.train_online, unit, year)
            self.at(date(year, 9, 1) + timedelta(days=(n * 5) % 70), self.train_focused, unit, year)
        self.at(date(year, 1, 22), self.report_personal_matters, year - 1)
        self.at(date(year, 7, 8), self.train_sweep, year, "online")
        self.at(date(year, 11, 18), self.train_sweep, year, "focused")
        self.at(date(year, 4, 12), self.verify_personal_matters, year - 1)
        self.at(date(year, 3, 15), self.pool_intake)
        self.at(date(year, 3, 31), self.rank_batch)
        self.at(date(year, 9, 30), self.rank_batch)
        self.at(date(year, 7, 10), self.plan_recruits)
        for month in range(1, 13):
            self.at(date(year, month, 1), self.monthly)
        if year == 2022:
            self.at(date(2022, 4, 8), self.seed_pool_stale)
        if year == 2024:
            for month, action in ((4, self.seed_establishment), (6, self.seed_pool_review),
                                  (3, self.seed_secondment_overdue), (9, self.seed_concern),
                                  (11, self.seed_sanction_talk), (8, self.seed_dual_post)):
                self.at(date(2024, month, 10), action)
        if year == 2025:
            for month, action in ((2, self.seed_rush), (3, self.seed_talk_promo), (5, self.seed_hardship),
                                  (7, self.seed_depart)):
                self.at(date(2025, month, 10), action)

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

    # ——— set-up: units, posts and the cadres in post when the record opened ———

    def bootstrap(self, day: date) -> None:
        by = self.by()
        for unit in self.county.units:
            self.write(RegisterUnit({"code": unit.code, "name": unit.name, "kind": unit.kind,
                                    "parent_code": unit.parent_code}), by)
            self.report.units += 1
            for spec in unit.posts:
                self.write(EstablishPost(unit.code, {
                    "post_code": spec.post_code, "title": spec.title, "grade": spec.grade,
                    "leadership": spec.leadership, "establishment": spec.establishment,
                    "probation": spec.probation}), by)
                self.report.posts += 1
                self.report.post_events["PostEstablished"] += 1
                self.seats[(unit.code, spec.post_code)] = Seat(unit, spec, spec.establishment)
            self.report.commands += 1 + len(unit.posts)
        initial = round(self.target * 0.84)
        leaders = [s for s in self.seats.values() if s.spec.leadership]
        staff = [s for s in self.seats.values() if not s.spec.leadership]
        filled = 0
        for seat in leaders:
            for _ in range(seat.establishment):
                if self.rng.random() < 0.95 and filled < initial:
                    self.veteran(seat, day)
                    filled += 1
        slots = [s for s in staff for _ in range(s.establishment)]
        self.rng.shuffle(slots)
        for seat in slots[:max(0, initial - filled)]:
            self.veteran(seat, day)
        rotate = [p for p in self.persons if p.post and p.post[1] in ("ZZ", "FZ") and p.age_on(day) <= 48
                  and not self.seats[p.post].unit.grassroots and not p.frozen]
        for p in self.rng.sample(rotate, min(len(rotate), self.seeds["R-ROTATE"])):
            self.take("R-ROTATE")
            p.frozen.add("rotate")  # seeded: never rotated

    def new_no(self) -> str:
        return f"{self.county.code}{len(self.persons) + 1:05d}"

    def veteran(self, seat: Seat, day: date) -> None:
        rng, grade = self.rng, seat.spec.grade
        low, high = {"131": (46, 56), "132": (40, 54), "141": (35, 54), "142": (30, 50), "150": (23, 57)}[grade]
        age = rng.randint(low, high) if grade != "150" else int(rng.triangular(23, 57, 34))
        birth = date(START.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        female = rng.random() < {"131": 0.1, "132": 0.18, "141": 0.2, "142": 0.28, "150": 0.45}[grade]
        start_age = rng.randint(21, 24)
        work = min(date(birth.year + start_age, rng.choice((7, 8)), 1), date(START.year - 2, 8, 1))
        political = "01" if seat.spec.leadership else None
        p = self.people.make(self.new_no(), self.county, birth, female=female, veteran=True, work_started=work,
                             political=political)
        years = (START - work).days // 365
        if grade == "150":
            ladder = ["一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员"]
            steps = min(len(ladder) - 1, max(0, (years - rng.randint(0, 3)) // 4))
            rank = ladder[steps] if p.payload["education"] != "31" or steps else "二级科员"
        else:
            rank = {"131": ("一级调研员", "二级调研员"), "132": ("三级调研员", "四级调研员"),
                    "141": ("一级主任科员", "二级主任科员"),
                    "142": ("三级主任科员", "四级主任科员")}[grade][rng.random() < 0.6]
        if seat.spec.leadership:
            since = START - timedelta(days=rng.randint(60, 4 * 365))
        else:
            since = START - timedelta(days=rng.randint(30, max(60, min(years, 12) * 365)))
        since = min(max(since, work + timedelta(days=365)), START - timedelta(days=30))
        self.register(p, day, rank, effective=START, leader=seat.spec.leadership)
        if p.registered is None:
            return
        manner = "平职交流" if seat.spec.leadership else "转任"
        self.place(p, seat, since, manner, talk="任职谈话", document=self.doc(since))
        if p.payload["entry_channel"] in ("考试录用", "定向选调生", "应届选调生"):
            done = work + timedelta(days=rng.randint(90, 200))
            self.rec(p, "TrainingCompleted", done, kind="初任培训", course="新录用公务员初任培训班",
                     provider="市委党校", started_on=(done - timedelta(days=12)).isoformat(),
                     hours=str(rng.randint(100, 120)), passed=True)
        if self.seeds["R-ROTATE"] > 0 and seat.spec.post_code in ("ZZ", "FZ") and not seat.unit.grassroots \
                and p.age_on(day) <= 48 and since < date(2016, 6, 1):
            self.take("R-ROTATE")
            p.frozen.add("rotate")

    def register(self, p: Person, day: date, rank: str, effective: date | None = None, leader: bool = False) -> None:
        payload = {**p.payload, "rank": rank}
        if effective is not None:
            payload["effective_on"] = effective.isoformat()
        self.report.commands += 1
        try:
            self.write(RegisterCadre(payload), self.by())
        except RuleViolationError as error:
            self.refused("CadreRegistered", error)
            return
        self._count("CadreRegistered", ())
        self.report.cadres += 1
        p.registered = effective or date.fromisoformat(p.payload["work_started_on"])
        p.rank, p.rank_since = rank, p.registered
        p.retire_on = p.retirement(leader)
        self.persons.append(p)
        self.by_id[p.cid] = p
        if p.retire_on <= self.end:
            self.at(p.retire_on, self.retire, p)

    def place(self, p: Person, seat: Seat, day: date, manner: str, *, talk: str | None = "任前谈话",
              document: str | None = None, case: UUID | None = None, chief: bool = False,
              recorded_on: date | None = None, probation: bool = True, ends: Seat | None = None) -> UUID | None:
        """Appointed (and the talk before it), ending the post of ``ends`` (任…免…); the seat's and the
        person's state follow."""
        if talk:
            when = day - timedelta(days=self.rng.randint(0, 4))
            if p.registered is not None and when < p.registered <= day:
                when = p.registered
            self.talk(p, when, talk)
        fields: dict[str, Any] = {"unit_code": seat.unit.code, "post_code": seat.spec.post_code, "manner": manner,
                                  "document_no": document or self.doc(day)}
        if case is not None:
            fields["selection_case_id"] = str(case)
        if ends is not None:
            fields["ends_posts"] = [f"{ends.unit.code}/{ends.spec.post_code}"]
        if chief:
            fields["override_reason"] = (OVER_ESTABLISHMENT if manner != "提拔" else SHORT_PUBLICITY)
        entry = self.rec(p, "Appointed", recorded_on or day, chief=chief, **fields)
        if entry is None:
            return None
        seat.holders.append(p.cid)
        p.post, p.post_since, p.post_entry = seat.key, day, entry
        p.grade_since.setdefault(seat.spec.grade, day)
        if seat.unit.grassroots:
            p.grassroots_since = day
        if seat.spec.probation and probation and seat.spec.leadership:
            self.at(day + timedelta(days=365), self.conclude_probation, p, seat.key, entry, day + timedelta(days=365))
        return entry

    def vacate(self, p: Person, day: date, reason: str | None, *, talk: bool = True) -> None:
        """Dismissed from the post held (reason None: the departure ends it) and the 离任谈话."""
        if p.post is None:
            return
        seat = self.seats[p.post]
        if talk:
            self.talk(p, day, "离任谈话")
        if reason is not None:
            self.rec(p, "Dismissed", day, unit_code=seat.unit.code, post_code=seat.spec.post_code, reason=reason)
        if p.cid in seat.holders:
            seat.holders.remove(p.cid)
        seat.vacated_on = day
        if seat.unit.grassroots and p.grassroots_since is not None:
            p.grassroots_days += (day - p.grassroots_since).days
            p.grassroots_since = None
        grade = seat.spec.grade
        p.post, p.post_since, p.post_entry = None, None, None
        self._leave_grade(p, grade)

    def _leave_grade(self, p: Person, grade: str) -> None:
        p.grade_since.pop(grade, None)

    # ——— yearly cycle ———

    def unit_members(self, unit: UnitSpec, day: date) -> list[Person]:
        return [p for p in self.persons if p.active(day) and p.post is not None and p.post[0] == unit.code]

    def assess_unit(self, day: date, unit: UnitSpec, year: int) -> None:
        """年度考核 of the unit's cadres for ``year``: 优秀 within R-EXCELLENT-QUOTA (§6.3, §6.4) as the guard
        counts it — of the participants (the holders of the unit's posts on 31 December), less the 优秀
        already counted; only a cadre who held a post of this unit that day (and none other) may be
        优秀 here, since that is the round the guard counts the grade in."""
        members = [p for p in self.unit_members(unit, day)
                   if date.fromisoformat(p.payload["work_started_on"]) <= date(year, 9, 30)]
        if not members:
            return
        year_end = date(year, 12, 31)
        standing = self.app.assessment_round(unit.code, str(year), batch=self.batch)
        room = excellent_allowed(standing.participants, self.app.config) - standing.excellent
        quota = min(room, excellent_allowed(len(members), self.app.config))  # and ≤ 20 % of those assessed
        counted_here = {p.cid for p in members if p.post_since is not None and p.post_since <= year_end}
        seeded_merit = [p for p in members if "merit" in p.frozen]
        if year == 2023 and not seeded_merit and quota >= 1 and len(members) >= 8 and self.take("R-MERIT"):
            chosen = [p for p in members if p.free(day) and p.annual.get(year - 1, ("", date.min))[0] != "优秀"
                      and p.retire_on > self.end + timedelta(days=365) and p.cid in counted_here]
            if chosen:
                pick = self.rng.choice(chosen)
                pick.frozen.add("merit")
                seeded_merit = [pick]
            else:
                self.seeds["R-MERIT"] += 1
                self.report.seeded["R-MERIT"] -= 1
        if year == 2024 and not any("unfit" in p.frozen for p in self.persons) and self.take("R-UNFIT"):
            chosen = [p for p in members
                      if p.free(day) and not p.leader and p.retire_on > self.end + timedelta(days=365)]
            if chosen:
                self.rng.choice(chosen).frozen.add("unfit")
            else:
                self.seeds["R-UNFIT"] += 1
                self.report.seeded["R-UNFIT"] -= 1
        capped = {p.cid: self.cap(p, year) for p in members}
        if year >= 2023 and len(seeded_merit) > quota:  # the unit shrank below the quota's reach: give up the seed
            for p in seeded_merit:
                p.frozen.discard("merit")
                self.seeds["R-MERIT"] += 1
                self.report.seeded["R-MERIT"] -= 1
            seeded_merit = []
        excellent: set[UUID] = {p.cid for p in seeded_merit if year >= 2023}
        target = min(quota, round(len(members) * self.rng.uniform(0.12, 0.2)))
        pool = sorted((p for p in members if p.cid not in excellent and capped[p.cid] is None and "unfit" not in
                       p.frozen and "merit" not in p.frozen and p.cid in counted_here),
                      key=lambda p: -(p.talent + self.rng.random() * 0.6))
        for p in pool:
            if len(excellent) >= target:
                break
            excellent.add(p.cid)
        for p in members:
            if "unfit" in p.frozen and year >= 2024:
                grade = "不称职"
            elif capped[p.cid] is not None:
                grade = str(capped[p.cid])
            elif p.cid in excellent:
                grade = "优秀"
            elif p.talent < 0.04 and p.busy_until < day and not p.frozen:
                grade = "基本称职"
            else:
                grade = "称职"
            tier = {"优秀": 1, "称职": 1 if p.talent > 0.5 else 2, "基本称职": 3, "不称职": 4}.get(grade)
            fields: dict[str, Any] = {"kind": "年度", "period": str(year), "grade": grade,
                                      "democratic_score":
                                          f"{self.rng.uniform(78, 98) if grade != '不称职' else 55:.1f}"}
            if tier is not None:
                fields["tier"] = tier
            if self.rec(p, "Assessed", day, **fields) is None:
                continue
            p.annual[year] = (grade, day)
            if grade == "优秀" and "merit" not in p.frozen:
                if self.merit_due(p):
                    self.at(day + timedelta(days=self.rng.randint(20, 60)), self.commend, p, "记三等功")
                else:
                    self.at(day + timedelta(days=self.rng.randint(20, 60)), self.commend, p, "嘉奖")

    def merit_due(self, p: Person) -> bool:
        """The monitor's reading: a run of three consecutive 优秀 years just completed."""
        run, previous = 0, None
        for year in sorted(p.annual):
            if previous is not None and year != previous + 1:
                run = 0
            previous = year
            run = run + 1 if p.annual[year][0] == "优秀" else 0
            if run >= 3:
                run = 0
                if year == max(p.annual):
                    return True
        return False

    def cap(self, p: Person, year: int) -> str | None:
        caps = [GRADE_CAP[k] for k, d in p.sanctions if d.year == year and k in GRADE_CAP]
        if not caps:
            return None
        return "不定等次" if "不定等次" in caps else "称职"

    def commend(self, day: date, p: Person, kind: str) -> None:
        if not p.active(day):
            return
        reason = "连续三年年度考核优秀" if kind == "记三等功" else "年度考核优秀"
        self.rec(p, "Commended", day, kind=kind, by=f"{self.county.name}人民政府", reason=reason)

    def county_level(self, p: Person, day: date) -> bool:
        if p.post is not None and self.seats[p.post].spec.grade in ("131", "132"):
            return True
        return rank_index(p.rank) <= rank_index("四级调研员")

    def report_personal_matters(self, day: date, year: int) -> None:
        """个人有关事项报告 by 31 January for those county level on 1 January."""
        jan1 = date(year + 1, 1, 1)
        due = [p for p in self.persons if p.active(day) and self.county_level(p, jan1)]
        for p in due:
            if year + 1 == self.end.year and self.end >= date(self.end.year, 2, 1) and self.take("R-PERSONAL-MATTERS"):
                continue
            self.at(day + timedelta(days=self.rng.randint(0, 6)), self.report_matters, p, year)

    def report_matters(self, day: date, p: Person, year: int) -> None:
        if p.active(day):
            self.rec(p, "PersonalMattersReported", day, year=year)
            p.payload.setdefault("reported", set()).add(year)

    def verify_personal_matters(self, day: date, year: int) -> None:
        for p in self.persons:
            if p.active(day) and year in p.payload.get("reported", ()) and self.rng.random() < 0.25:
                self.rec(p, "PersonalMattersVerified", day, year=year,
                         result="一致" if self.rng.random() < 0.95 else "漏报")

    def hours_needed(self, p: Person, year: int) -> int:
        return 110 if self.county_level(p, date(year, 1, 1)) else 90

    def train_sweep(self, day: date, year: int, which: str) -> None:
        """Those who changed unit between two units' training days still train once this year."""
        for unit in self.county.units:
            members = [p for p in self.unit_members(unit, day) if f"{which}-{year}" not in p.payload]
            if members:
                (self.train_online if which == "online" else self.train_focused)(day, unit, year, members)

    def train_online(self, day: date, unit: UnitSpec, year: int, members: list[Person] | None = None) -> None:
        for p in members if members is not None else self.unit_members(unit, day):
            if f"online-{year}" in p.payload:
                continue
            hours = self.rng.randint(50, 60)
            fields = {"kind": "网络学习", "course": f"{year}年度干部网络学院专题学习", "provider": "山西干部在线学院",
                      "started_on": max(date(year, 1, 10), p.registered or day).isoformat(), "hours": str(hours),
                      "passed": True}
            entry = self.rec(p, "TrainingCompleted", day, **fields)
            p.payload[f"online-{year}"] = hours if entry is not None else 0
            if entry is not None and year in (2021, 2022) and self.take("duplicate retracted"):
                duplicate = self.rec(p, "TrainingCompleted", day, **fields)
                if duplicate is not None:
                    self.at(day + timedelta(days=self.rng.randint(20, 60)), self.retract, p, duplicate)

    def retract(self, day: date, p: Person, entry: UUID) -> None:
        self.report.commands += 1
        result = self.write(RetractEntry(p.cid, entry, {"reason": "重复录入，予以撤销 (recorded twice)"}), self.by())
        self._count("EntryRetracted", result.overrides)

    def train_focused(self, day: date, unit: UnitSpec, year: int, members: list[Person] | None = None) -> None:
        courses = (("专题培训", "学习贯彻党的创新理论专题培训班", "县委党校", 0.55),
                   ("专门业务培训", "业务能力提升培训班", "县委组织部", 0.25),
                   ("党校主体班", "县委党校中青年干部培训班", "县委党校", 0.12),
                   ("在职培训", "干部履职能力在职培训", "市委党校", 0.08))
        for p in members if members is not None else self.unit_members(unit, day):
            if f"focused-{year}" in p.payload:
                continue
            p.payload[f"focused-{year}"] = True
            if year in (2022, 2023, 2024, 2025) and p.registered and p.registered.year < year \
                    and self.rng.random() < 0.05 and self.take("R-TRAIN-HOURS"):
                continue  # seeded: only the online hours this year
            kind, course, provider, _ = self.rng.choices(courses, weights=[c[3] for c in courses])[0]
            needed = self.hours_needed(p, year) - int(p.payload.get(f"online-{year}", 0))
            hours = max(needed + self.rng.randint(2, 16), 24)
            if kind == "党校主体班":
                hours = max(hours, self.rng.randint(120, 160))
            done = day
            fields = {"kind": kind, "course": course, "provider": provider,
                      "started_on": (done - timedelta(days=self.rng.randint(3, 20))).isoformat(),
                      "hours": str(hours), "passed": True}
            if year == 2023 and self.take("late entry (training)"):
                self.at(done + timedelta(days=self.rng.randint(70, 120)), self.late_training, p, done, fields)
                continue
            self.rec(p, "TrainingCompleted", done, **fields)

    def late_training(self, day: date, p: Person, done: date, fields: dict[str, Any]) -> None:
        if p.departed is None:
            self.rec(p, "TrainingCompleted", done, **fields)

    # ——— pools, ranks, recruits ———

    def pool_intake(self, day: date) -> None:
        rng = self.rng
        for p in self.persons:
            if not p.active(day) or p.frozen or p.busy_until >= day:
                continue
            grade = self.seats[p.post].spec.grade if p.post else "150"
            last = p.annual.get(day.year - 1, ("称职", day))[0]
            if last in BAD_GRADES or p.no_promotion_until >= day:
                continue
            age = p.age_on(day)
            if "年轻干部库" not in p.pools and age <= 34 and grade in ("150", "142") and p.talent > 0.55 \
                    and rng.random() < 0.12:
                self.enter_pool(p, day, "年轻干部库", "142" if grade == "150" else "141")
            elif "后备干部库" not in p.pools and age <= 45 and grade in ("142", "141") and p.talent > 0.6 \
                    and rng.random() < 0.12:
                self.enter_pool(p, day, "后备干部库", "141" if grade == "142" else "132")
            elif "两型干部库" not in p.pools and age <= 35 and p.payload.get("seconded") and rng.random() < 0.2:
                self.enter_pool(p, day, "两型干部库", "142")
            elif "女干部库" not in p.pools and p.gender == "2" and grade != "150" and age <= 45 and rng.random() < 0.15:
                self.enter_pool(p, day, "女干部库", None, reserve=False)
            elif "党外干部库" not in p.pools and p.payload["political_status"] not in ("01", "02", "03") \
                    and age <= 45 and rng.random() < 0.2:
                self.enter_pool(p, day, "党外干部库", None, reserve=False)
            elif "少数民族干部库" not in p.pools and p.payload["ethnicity"] != "01" and age <= 45 \
                    and rng.random() < 0.2:
                self.enter_pool(p, day, "少数民族干部库", None, reserve=False)
            elif "专业干部人才库" not in p.pools and p.payload["major"] in ("土木工程", "水利水电工程", "临床医学",
                                                                       "环境工程", "计算机科学与技术") \
                    and rng.random() < 0.04:
                self.enter_pool(p, day, "专业干部人才库", None, reserve=False)

    def enter_pool(self, p: Person, day: date, pool: str, target: str | None, *, reserve: bool = True,
                   review: bool = True) -> None:
        grounds = {"年轻干部库": "年轻优秀，年度考核优秀，民主推荐得票靠前",
                   "后备干部库": "政治素质好，实绩突出，经民主推荐和考察",
                   "两型干部库": "挂职锻炼表现突出，复合型、实干型", "女干部库": "女干部，工作实绩突出",
                   "党外干部库": "党外干部，履职能力较强", "少数民族干部库": "少数民族干部，群众基础好",
                   "专业干部人才库": "专业技术背景，业务能力突出"}[pool]
        fields: dict[str, Any] = {"pool": pool, "grounds": grounds}
        if target:
            fields["target_grade"] = target
        entry = self.rec(p, "PoolEntered", day, **fields)
        if entry is None:
            return
        p.pools[pool] = (day, entry)
        if reserve and review:
            self.at(day + timedelta(days=self.rng.randint(320, 355)), self.review_pool, p, pool, day)
            if self.rng.random() < 0.5:
                self.at(day + timedelta(days=self.rng.randint(10, 40)), self.plan_development, p)

    def plan_development(self, day: date, p: Person) -> None:
        if p.active(day):
            self.rec(p, "DevelopmentPlanSet", day, period=f"{day.year}-{day.year + 2}",
                     goals=["到基层一线或重点岗位锻炼", "完成党校主体班培训", "提升统筹协调和群众工作能力"])

    def review_pool(self, day: date, p: Person, pool: str, entered: date) -> None:
        if not p.active(day) or pool not in p.pools or p.pools[pool][0] != entered:
            return
        months = (day - entered).days / 30.4
        stale = "pool-stale" in p.frozen
        if not stale and (months > 30 or (months > 20 and self.rng.random() < 0.4)
                          or (pool == "年轻干部库" and p.age_on(day) > 35)):
            self.rec(p, "PoolReviewed", day, pool=pool, outcome="调整出库")
            del p.pools[pool]
            return
        self.rec(p, "PoolReviewed", day, pool=pool, outcome="保留")
        self.at(day + timedelta(days=self.rng.randint(320, 355)), self.review_pool, p, pool, entered)

    def exit_pools(self, p: Person, day: date, reason: str, reserve_only: bool = False) -> None:
        for pool in list(p.pools):
            if reserve_only and pool not in RESERVE_POOLS:
                continue
            self.rec(p, "PoolExited", day, pool=pool, reason=reason)
            del p.pools[pool]

    def rank_due(self, p: Person, upper: str, day: date) -> date:
        """R-RANK-YEARS as the guard reads it (years at the rank, 优秀 shortens, 基本称职/不称职 lengthen)."""
        since = p.rank_since or START
        years = {"一级巡视员": 4, "二级巡视员": 4, "一级调研员": 3}.get(upper, 2)
        counted = [g for y, (g, d) in p.annual.items() if y >= since.year and d <= day]
        excellent = sum(1 for g in counted if g == "优秀")
        lost = sum(1 for g in counted if g in BAD_GRADES)
        return add_months(since, years * 12 - excellent * 6 + lost * 12)

    def rank_batch(self, day: date) -> None:
        """职级晋升 in batches (end of March and September)."""
        for p in self.persons:
            if not p.active(day) or p.investigated or p.no_promotion_until >= day or p.busy_until >= day:
                continue
            upper = rank_above(p.rank)
            ceiling = RANK_CEILING[self.seats[p.post].spec.grade if p.post else "150"]
            if upper is None or rank_index(upper) < rank_index(ceiling):
                continue
            if p.annual.get(day.year - 1, ("称职", day))[0] in BAD_GRADES:
                continue
            due = self.rank_due(p, upper, day)
            if day >= due and self.rng.random() < 0.22:
                self.promote_rank(p, day, upper)
            elif day < due and p.rank_since and (day - p.rank_since).days > 330 and "unfit" not in p.frozen \
                    and p.talent > 0.8 and self.take("R-RANK-YEARS (override)", day):
                self.promote_rank(p, day, upper, chief=True)

    def promote_rank(self, p: Person, day: date, upper: str, chief: bool = False) -> None:
        fields: dict[str, Any] = {"from_rank": p.rank, "to_rank": upper,
                                  "grounds": "任职年限和考核结果符合条件，经审批"}
        if chief:
            fields["grounds"] = "担当作为表现突出，经批准提前晋升职级"
            fields["override_reason"] = "表现特别突出，经县委组织部批准，提前晋升职级"
        if self.rec(p, "RankPromoted", day, chief=chief, **fields) is not None:
            p.rank, p.rank_since = upper, day

    def plan_recruits(self, day: date) -> None:
        """考试录用 and 选调生 start on 1 August, 军转安置 on 1 December, into vacant 科员 seats."""
        open_seats = [s for s in self.seats.values() if not s.spec.leadership for _ in range(max(0, s.vacancies))]
        self.rng.shuffle(open_seats)
        room = self.target - len(self.persons)
        wanted = min(room, round(len(open_seats) * 0.85))
        for seat in open_seats[:max(0, wanted)]:
            seat.reserved += 1
            channel = self.rng.choices(("考试录用", "定向选调生", "应届选调生", "军转安置"),
                                       (0.78, 0.07, 0.07, 0.08))[0]
            start = date(day.year, 12, 1) if channel == "军转安置" else date(day.year, 8, 1)
            self.at(start, self.recruit, seat, channel)

    def recruit(self, day: date, seat: Seat, channel: str) -> None:
        seat.reserved -= 1
        rng = self.rng
        age = rng.randint(35, 42) if channel == "军转安置" else rng.randint(22, 24 if "选调" in channel else 28)
        birth = date(day.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        p = self.people.make(self.new_no(), self.county, birth, female=rng.random() < 0.48, veteran=False,
                             work_started=day, channel=channel)
        rank = "二级科员" if p.payload["education"] in ("31", "41") else "一级科员"
        if channel == "军转安置":
            rank = "四级主任科员"
        self.register(p, day, rank)
        if p.registered is None:
            return
        self.place(p, seat, day, "调任" if channel == "军转安置" else "转任", talk="任职谈话")
        if channel != "军转安置":
            if day >= date(2023, 8, 1) and self.take("R-TRAIN-INITIAL"):
                p.frozen.add("initial")
            else:
                self.at(day + timedelta(days=rng.randint(40, 150)), self.initial_training, p)
            self.at(day + timedelta(days=rng.randint(20, 40)), self.assign_mentor, p)

    def initial_training(self, day: date, p: Person) -> None:
        if p.active(day):
            self.rec(p, "TrainingCompleted", day, kind="初任培训", course="新录用公务员初任培训班", provider="市委党校",
                     started_on=(day - timedelta(days=14)).isoformat(), hours=str(self.rng.randint(96, 120)),
                     passed=True)

    def assign_mentor(self, day: date, p: Person) -> None:
        if not p.active(day) or p.post is None:
            return
        unit = p.post[0]
        mentors = [m for m in self.persons if m.active(day) and m.leader and m.post and m.post[0] == unit
                   and m.cid != p.cid]
        if not mentors:
            return
        mentor = self.rng.choice(mentors)
        role = self.rng.choice(("一对一帮带", "业务导师"))
        if self.rec(p, "MentorAssigned", day, mentor_cadre_id=str(mentor.cid), role=role) is None:
            return
        for months in (6, 18):
            self.at(add_months(day, months), self.log_development, p, mentor)
        self.at(add_months(day, 24), self.release_mentor, p, mentor, role)

    def log_development(self, day: date, p: Person, mentor: Person) -> None:
        if p.active(day):
            self.rec(p, "DevelopmentLogged", day, author=mentor.name,
                     note=self.rng.choice(("参与重点项目推进，能够独立承担材料起草", "下沉一线参与防汛值守，表现积极",
                                           "熟悉业务流程，群众工作能力有提升", "参与信访接待，沟通协调能力增强")))

    def release_mentor(self, day: date, p: Person, mentor: Person, role: str) -> None:
        if p.active(day):
            self.rec(p, "MentorReleased", day, mentor_cadre_id=str(mentor.cid), role=role)

    # ——— the month: vacancies, rotations, incidents ———

    def monthly(self, day: date) -> None:
        rng = self.rng
        seats = [s for s in self.seats.values() if s.spec.leadership and s.vacancies > 0
                 and (day - s.vacated_on).days >= 20]
        rng.shuffle(seats)
        for seat in seats:
            if rng.random() < 0.55 and not (
                    seat.spec.grade in ("141", "142") and rng.random() < 0.3 and self.lateral_fill(day, seat)):
                self.open_case(day, seat)
        for p in list(self.persons):
            if not p.free(day) or not p.leader or p.post_since is None:
                continue
            years = (day - p.post_since).days / 365.25
            grade = self.seats[p.post].spec.grade if p.post else ""
            if grade in ("131", "132"):
                if (years >= 4.7 or (years >= 4 and rng.random() < 0.08)) and (
                        p.last_promotion is None or (day - p.last_promotion).days > 430):
                    self.depart(day, p, "调出")  # county leaders are moved on by the city (市管干部)
            elif years >= 4.5 or (years >= 3 and rng.random() < 0.03):
                self.rotate(day, p)
        self.incidents(day)

    def active_free(self, day: date) -> list[Person]:
        return [p for p in self.persons if p.free(day) and p.registered and p.registered < day]

    def incidents(self, day: date) -> None:
        rng = self.rng
        people = self.active_free(day)
        if not people:
            return
        rates = (("secondment", 0.035), ("concern", 0.01), ("hardship", 0.006), ("performance", 0.04),
                 ("complaint", 0.01), ("education", 0.01), ("sanction", 0.003), ("admonish", 0.004),
                 ("investigation", 0.0015), ("transfer", 0.005))
        for what, rate in rates:
            expected = rate * len(people) / 12
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for p in rng.sample(people, min(count, len(people))):
                if p.free(day):
                    self.at(day + timedelta(days=rng.randint(0, 27)), self.incident, what, p)

    def incident(self, day: date, what: str, p: Person) -> None:
        if p.free(day):
            getattr(self, f"incident_{what}")(day, p)

    def incident_secondment(self, day: date, p: Person, talk: bool = True, overdue: bool = False) -> None:
        if not p.free(day) and not overdue:
            return
        if p.post and self.seats[p.post].spec.grade in ("131", "132"):
            return
        rng = self.rng
        kind, _, months, role = rng.choices(SECONDMENTS, weights=[s[1] for s in SECONDMENTS])[0]
        towns = [u.name for u in self.county.units if u.grassroots]
        host = {"驻村帮扶": f"{rng.choice(towns)}{rng.choice(VILLAGES)}村", "下挂": rng.choice(towns),
                "上挂": "市发展和改革委员会", "重点工作一线": "县重点项目建设指挥部", "外派挂职": "浙江省嘉兴市秀洲区",
                "互派任职": "邻县对口部门", "跟班学习": "省直机关对口处室", "对口支援": "新疆对口支援县"}[kind]
        planned = add_months(day, months)
        if overdue:
            planned = add_months(day, 12)
        entry = self.rec(p, "SecondmentStarted", day, kind=kind, host=host, role=role,
                         planned_end_on=planned.isoformat(), relations_transferred=kind == "互派任职")
        if entry is None:
            return
        p.secondment = (entry, kind, day, planned)
        p.payload["seconded"] = True
        if talk:
            self.talk(p, day, "五必谈", "提拔交流调整", entry)
        if not overdue:
            self.at(planned - timedelta(days=rng.randint(0, 7)), self.end_secondment, p, entry)
        p.busy_until = max(p.busy_until, planned)

    def end_secondment(self, day: date, p: Person, entry: UUID) -> None:
        if p.secondment is None or p.secondment[0] != entry or p.departed:
            return
        _, kind, start, _ = p.secondment
        self.rec(p, "SecondmentEnded", day, secondment_entry_id=str(entry),
                 host_evaluation=self.rng.choices(("优秀", "良好", "一般"), (0.4, 0.55, 0.05))[0],
                 feedback="派驻期间工作扎实，群众评价好")
        if kind in ("下挂", "驻村帮扶"):
            p.grassroots_days += (day - start).days
        p.secondment = None

    def incident_concern(self, day: date, p: Person, talk: bool = True) -> None:
        entry = self.rec(p, "ConcernRaised", day, description=self.rng.choice((
            "工作作风不够扎实，存在推诿现象", "八小时以外交往需注意", "对群众诉求回应不及时", "会风会纪不严")),
            reminded=["本人"], severity=self.rng.choice(("轻微", "一般")))
        if entry is not None and talk:
            self.at(day + timedelta(days=self.rng.randint(3, 15)), self.linked_talk, p, "提醒谈话", "苗头问题", entry)

    def linked_talk(self, day: date, p: Person, kind: str, trigger: str | None, entry: UUID) -> None:
        if p.departed is None:
            self.talk(p, day, kind, trigger, entry, interviewer="分管领导")

    def incident_hardship(self, day: date, p: Person, talk: bool = True) -> None:
        entry = self.rec(p, "HardshipRecorded", day, description=self.rng.choice((
            "直系亲属患重病，家庭负担较重", "家中遭遇自然灾害受损", "子女就学困难")))
        if entry is not None and talk:
            self.at(day + timedelta(days=self.rng.randint(3, 15)), self.linked_talk, p, "五必谈", "重大困难", entry)

    def incident_performance(self, day: date, p: Person) -> None:
        tasks = [t for t in TASKS if t[2] <= day.year <= t[3]]
        context, task, _, _ = self.rng.choice(tasks)
        self.rec(p, "PerformanceNoted", day, context=context, task=task,
                 narrative=f"在{task}工作中冲锋在前，连续奋战，圆满完成任务", reported_by=self.rng.choice((
                     "县委办公室", "县应急管理局", "县乡村振兴工作领导小组", "乡镇党委")))

    def incident_complaint(self, day: date, p: Person) -> None:
        entry = self.rec(p, "ComplaintReceived", day, channel=self.rng.choice(("12380", "来信", "网络举报")),
                         specific=self.rng.random() < 0.5, summary="反映其工作作风问题")
        if entry is not None:
            self.at(day + timedelta(days=self.rng.randint(30, 60)), self.conclude_complaint, p, entry)

    def conclude_complaint(self, day: date, p: Person, entry: UUID) -> None:
        if p.departed is None:
            self.rec(p, "ComplaintConcluded", day, complaint_entry_id=str(entry),
                     result=self.rng.choices(("不属实", "部分属实", "无法查实"), (0.7, 0.15, 0.15))[0])

    def incident_education(self, day: date, p: Person) -> None:
        if p.payload["education"] in ("21", "31") and p.age_on(day) < 45 and not p.payload.get("studied"):
            p.payload["studied"] = True
            self.rec(p, "EducationAttained", day, education="14", institution=self.rng.choice((
                "中共山西省委党校", "山西大学", "山西财经大学")), full_time=False, degree="公共管理硕士")

    def sanction(self, day: date, p: Person, track: str, kind: str, talk: bool = True) -> None:
        entry = self.rec(p, "Sanctioned", day, track=track, kind=kind, decision_no=self.doc(day, "纪"),
                         reason="违反工作纪律")
        if entry is None:
            return
        self.influence(p, day, track, kind)
        if talk:
            self.at(day + timedelta(days=self.rng.randint(5, 20)), self.linked_talk, p, "五必谈", "受处理处分", entry)

    def influence(self, p: Person, day: date, track: str, kind: str) -> None:
        p.sanctions.append((kind, day))
        months = INFLUENCE_MONTHS.get((track, kind), 12)
        p.no_promotion_until = max(p.no_promotion_until, add_months(day, months))

    def incident_sanction(self, day: date, p: Person) -> None:
        track, kind = self.rng.choices((("政务", "警告"), ("党纪", "警告"), ("政务", "记过"), ("党纪", "严重警告")),
                                       (0.5, 0.25, 0.15, 0.1))[0]
        if track == "党纪" and p.payload["political_status"] not in ("01", "02"):
            # a non-member gets the 政务处分 of like weight: 政务处分 has no 严重警告 (政务处分法 第七条)
            track, kind = "政务", {"严重警告": "记过"}.get(kind, kind)
        self.sanction(day, p, track, kind)

    def incident_admonish(self, day: date, p: Person, talk: bool = True) -> None:
        entry = self.rec(p, "HandledOrganizationally", day, kind="诫勉", accountability=False,
                         decision_no=self.doc(day, "组诫"), reason="落实工作不力")
        if entry is None:
            return
        self.influence(p, day, "组织处理", "诫勉")
        if talk:
            self.at(day + timedelta(days=self.rng.randint(3, 15)), self.linked_talk, p, "诫勉谈话", None, entry)

    def incident_investigation(self, day: date, p: Person) -> None:
        if self.rec(p, "InvestigationOpened", day, authority="县纪委监委") is None:
            return
        p.investigated = True
        p.busy_until = max(p.busy_until, day + timedelta(days=200))
        self.at(day + timedelta(days=self.rng.randint(60, 150)), self.close_investigation, p)

    def close_investigation(self, day: date, p: Person) -> None:
        if p.departed:
            return
        sanctioned = self.rng.random() < 0.5
        self.rec(p, "InvestigationClosed", day, authority="县纪委监委",
                 outcome="给予处分" if sanctioned else "予以了结")
        p.investigated = False
        if sanctioned:
            self.sanction(day, p, "政务", "记过")

    def incident_transfer(self, day: date, p: Person) -> None:
        if p.last_promotion is not None and (day - p.last_promotion).days < 430:
            return
        self.depart(day, p, self.rng.choices(("调出", "辞职"), (0.8, 0.2))[0])

    def depart(self, day: date, p: Person, reason: str, talk: bool = True) -> None:
        """离职: the 离任谈话 first (nothing may follow a departure), pools left, then Departed."""
        if p.departed is not None:
            return
        if p.secondment is not None:
            self.end_secondment(day, p, p.secondment[0])
        if talk:
            self.talk(p, max(day - timedelta(days=self.rng.randint(0, 5)), p.registered or day), "离任谈话")
        self.exit_pools(p, day, "离职")
        if self.rec(p, "Departed", day, reason=reason) is None:
            return
        self.vacate(p, day, None, talk=False)
        p.departed = day

    def retire(self, day: date, p: Person) -> None:
        self.depart(day, p, "退休")

    def conclude_probation(self, day: date, p: Person, key: tuple[str, str], entry: UUID, when: date) -> None:
        """试用期满考核 a year after taking the post (back-filled ones on their own date)."""
        if p.departed or p.post != key or p.post_entry != entry or "probation" in p.frozen:
            return
        if day >= date(2023, 6, 1) and not p.frozen and p.retire_on > self.end + timedelta(days=365) \
                and self.take("R-PROBATION"):
            p.frozen.add("probation")
            return
        self.rec(p, "ProbationConcluded", when, unit_code=key[0], post_code=key[1], outcome="胜任")

    # ——— moves (交流轮岗) ———

    def rotate(self, day: date, p: Person) -> None:
        assert p.post is not None
        seat = self.seats[p.post]
        grade = seat.spec.grade
        targets = [s for s in self.seats.values() if s.spec.grade == grade and s.spec.leadership and s.vacancies > 0
                   and s.unit.code != seat.unit.code]
        targets.sort(key=lambda s: (s.unit.grassroots == seat.unit.grassroots, self.rng.random()))
        if targets:
            self.move(day, p, targets[0])
            return
        if seat.vacancies < 0:
            return  # over the establishment (an override): exchanging would keep it over
        partners = [q for q in self.persons if q.free(day) and q.cid != p.cid and q.post and q.post_since
                    and self.seats[q.post].spec.grade == grade and q.post[0] != seat.unit.code
                    and self.seats[q.post].vacancies >= 0
                    and (day - q.post_since).days > 2.5 * 365]
        if partners:
            self.swap(day, p, self.rng.choice(partners))

    def lateral_fill(self, day: date, seat: Seat) -> bool:
        grade = seat.spec.grade
        movers = [p for p in self.persons if p.free(day) and p.post and p.post_since and p.leader
                  and self.seats[p.post].spec.grade == grade and p.post[0] != seat.unit.code
                  and (day - p.post_since).days > 2 * 365]
        if not movers:
            return False
        self.move(day, max(movers, key=lambda p: (day - (p.post_since or day)).days), seat)
        return True

    def move(self, day: date, p: Person, seat: Seat, *, chief: bool = False) -> None:
        """平职交流 / 轮岗: 任前谈话, then one 任…免… document (任新职 and 免去原职: ``ends_posts``), 离任谈话."""
        assert p.post is not None
        old = self.seats[p.post]
        manner = "轮岗" if old.unit.code == seat.unit.code else "平职交流"
        typo = 0
        if not chief and seat.vacated_on <= day - timedelta(days=20) and day >= date(2020, 1, 1) \
                and self.take("late correction (appointment date)"):
            typo = self.rng.randint(5, 15)
        self.talk(p, day - timedelta(days=self.rng.randint(0, 4)), "任前谈话")
        grade_since = p.grade_since.get(seat.spec.grade)
        self.vacate(p, day, None, talk=False)
        if grade_since is not None:
            p.grade_since[seat.spec.grade] = grade_since
        entry = self.place(p, seat, day, manner, talk=None, chief=chief, ends=old,
                           recorded_on=day - timedelta(days=typo) if typo else None)
        self.talk(p, day, "离任谈话")
        if entry is not None and typo:
            self.at(day + timedelta(days=self.rng.randint(60, 200)), self.correct_date, p, entry, day)

    def correct_date(self, day: date, p: Person, entry: UUID, right: date) -> None:
        self.report.commands += 1
        try:
            result = self.write(CorrectEntry(p.cid, entry, {
                "changes": {"effective_on": right.isoformat()}, "reason": "任职时间以任免文件为准，原录入有误",
                "document_no": self.doc(day, "组更")}), self.by())
        except RuleViolationError as error:
            self.refused("EntryCorrected", error)
            return
        self._count("EntryCorrected", result.overrides)
        self.report.post_events["OccupancyChanged"] += 2  # the posts mirror the tenures, the new and the one ended

    def swap(self, day: date, a: Person, b: Person) -> None:
        """Two leaders of the same grade exchange posts (both dismissals first: never over establishment)."""
        assert a.post is not None and b.post is not None
        seat_a, seat_b = self.seats[a.post], self.seats[b.post]
        since = {p.cid: p.grade_since.get(seat_a.spec.grade) for p in (a, b)}
        for p in (a, b):
            self.talk(p, day - timedelta(days=self.rng.randint(0, 4)), "任前谈话")
        for p, seat in ((a, seat_a), (b, seat_b)):
            self.rec(p, "Dismissed", day, unit_code=seat.unit.code, post_code=seat.spec.post_code, reason="调动")
            self.vacate(p, day, None, talk=False)
        for p, seat in ((a, seat_b), (b, seat_a)):
            if since[p.cid] is not None:
                p.grade_since[seat.spec.grade] = since[p.cid]  # type: ignore[assignment]
            self.place(p, seat, day, "平职交流", talk=None)
            self.talk(p, day, "离任谈话")

    # ——— promotions (选任全程纪实) ———

    def can_promote_into(self, unit: str, day: date) -> bool:
        """At most two promotions into a unit in any 90 days: never a 突击提拔 unless seeded."""
        return sum(1 for d in self.unit_promotions.get(unit, ()) if abs((d - day).days) < 95) < 2

    def candidates(self, seat: Seat, day: date, appoint_on: date) -> list[Person]:
        source = SOURCE_GRADE[seat.spec.grade]
        years = {"141": 2, "132": 3, "131": 2}.get(seat.spec.grade, 0)
        found = []
        for p in self.persons:
            if not p.free(day) or p.post is None or self.seats[p.post].spec.grade != source:
                continue
            if p.retire_on <= appoint_on + timedelta(days=3 * 365) or p.age_on(day) > PROMOTION_AGE[seat.spec.grade]:
                continue
            if p.no_promotion_until >= appoint_on or p.investigated or p.registered is None:
                continue
            if p.last_promotion is not None and (day - p.last_promotion).days < 2 * 365:
                continue
            if any(g in BAD_GRADES for y, (g, _) in p.annual.items() if y >= day.year - 2):
                continue
            since = p.grade_since.get(source)
            if years and (since is None or since > appoint_on - timedelta(days=int(years * 365.25) + 10)):
                continue
            if seat.spec.grade == "132":
                grassroots = p.grassroots_days + ((appoint_on - p.grassroots_since).days if p.grassroots_since else 0)
                if grassroots < 2 * 366:
                    continue
            found.append(p)
        pooled = {p.cid for p in found if set(p.pools) & set(RESERVE_POOLS)}
        found.sort(key=lambda p: -(p.talent + (0.3 if p.cid in pooled else 0) + self.rng.random() * 0.3))
        return found

    def eligible(self, p: Person, seat: Seat, days: tuple[date, ...]) -> bool:
        return all(self.app.eligibility(p.cid, post=seat.key, on=d, batch=self.batch).eligible for d in days)

    def open_case(self, day: date, seat: Seat, *, rush: bool = False) -> bool:
        if not rush and not self.can_promote_into(seat.unit.code, day):
            return False
        appoint_on = day + timedelta(days=self.rng.randint(45, 60))
        if not all(self.calendar.covers(year) for year in range(day.year, appoint_on.year + 1)):
            # Near the end of a year whose successor's holidays are not yet known the publicity
            # cannot be counted in working days: such a case is not opened.
            return False
        override = not rush and self.take("R-PUBLICITY (override)", day)
        start, end = publicity_span(appoint_on, 4 if override else 5, self.calendar)
        decide_on = start - DAY
        opened = max(day, decide_on - timedelta(days=30))
        shortlist_on = decide_on - timedelta(days=15)
        chosen: list[Person] = []
        for p in self.candidates(seat, day, appoint_on)[:8]:
            if self.eligible(p, seat, (shortlist_on, appoint_on)):
                chosen.append(p)
                if len(chosen) == 2:
                    break
        if not chosen:
            if override:
                self.seeds["R-PUBLICITY (override)"] += 1
                self.report.seeded["R-PUBLICITY (override)"] -= 1
            return False
        winner = chosen[0]
        runner = chosen[1] if len(chosen) > 1 and self.rng.random() < 0.6 else None
        seat.reserved += 1
        for p in (winner, runner):
            if p is not None:
                p.busy_until = appoint_on + DAY
        self.unit_promotions.setdefault(seat.unit.code, []).append(appoint_on)
        case = Case(seat, winner, runner, appoint_on, (start, end), override)
        self.at(opened, self.case_open, case, opened, decide_on)
        return True

    def case_open(self, day: date, case: Case, opened: date, decide_on: date) -> None:
        seat = case.seat
        self.report.commands += 1
        try:
            result = self.write(OpenCase({
                "effective_on": opened.isoformat(), "unit_code": seat.unit.code, "post_code": seat.spec.post_code,
                "method": self.rng.choices(("民主推荐", "竞争上岗"), (0.85, 0.15))[0],
                "reason": f"{seat.spec.title}职位空缺，经分析研判启动选任"}), self.by())
        except RuleViolationError as error:
            self.refused("CaseOpened", error)
            self.abandon(case)
            return
        self.report.case_steps["CaseOpened"] += 1
        case.case_id = UUID(result.extra["case_id"])
        people = [p for p in (case.winner, case.runner_up) if p is not None]
        self.at(decide_on - timedelta(days=20), self.case_recommend, case, people)
        self.at(decide_on - timedelta(days=15), self.case_shortlist, case, people)
        self.at(decide_on - timedelta(days=10), self.case_inspect, case)
        self.at(decide_on - timedelta(days=5), self.case_checks, case)
        self.at(decide_on - timedelta(days=3), self.case_sign, case)
        self.at(decide_on, self.case_decide, case)
        self.at(case.publicity[1], self.case_publicity, case)
        self.at(case.appoint_on, self.case_appoint, case)

    def abandon(self, case: Case) -> None:
        case.failed = True
        case.seat.reserved -= 1
        for p in (case.winner, case.runner_up):
            if p is not None:
                p.busy_until = self.today

    def case_recommend(self, day: date, case: Case, people: list[Person]) -> None:
        if case.failed:
            return
        participants = self.rng.randint(28, 45)
        votes = {str(people[0].cid): self.rng.randint(participants // 2 + 2, participants - 2)}
        if len(people) > 1:
            votes[str(people[1].cid)] = self.rng.randint(3, participants // 3)
        if not self.step(case, "Recommended", day, kind=self.rng.choice(("会议推荐", "谈话调研推荐")),
                         participants=participants, votes=votes):
            self.abandon(case)

    def case_shortlist(self, day: date, case: Case, people: list[Person]) -> None:
        if case.failed:
            return
        if not self.step(case, "Shortlisted", day, cadre_ids=[str(p.cid) for p in people]):
            self.abandon(case)

    def case_inspect(self, day: date, case: Case) -> None:
        if not case.failed:
            self.step(case, "Inspected", day, cadre_id=str(case.winner.cid),
                      findings="政治素质好，担当作为，工作实绩突出，群众公认度高，廉洁自律")

    def case_checks(self, day: date, case: Case) -> None:
        if case.failed:
            return
        for check in ("档案审核", "个人事项核查", "纪检意见", "信访查核"):
            self.step(case, "CheckCompleted", day, cadre_id=str(case.winner.cid), check=check, result="通过")

    def case_sign(self, day: date, case: Case) -> None:
        if not case.failed:
            self.step(case, "IntegrityOpinionSigned", day, cadre_id=str(case.winner.cid),
                      party_secretary="县委书记", discipline_secretary="县纪委书记")

    def case_decide(self, day: date, case: Case) -> None:
        if case.failed:
            return
        total = self.rng.randint(9, 13)
        present = self.rng.randint(math.ceil(total * 2 / 3) + 1, total)
        yes = present - self.rng.randint(0, 1)
        if not self.step(case, "Decided", day, cadre_id=str(case.winner.cid), members_total=total, present=present,
                         votes={"同意": yes, "不同意": present - yes, "缓议": 0}):
            self.abandon(case)

    def case_publicity(self, day: date, case: Case) -> None:
        if case.failed:
            return
        start, end = case.publicity
        fields: dict[str, Any] = {"cadre_id": str(case.winner.cid), "start_on": start.isoformat(),
                                  "end_on": end.isoformat(), "objections": 0}
        if case.override:
            fields["override_reason"] = SHORT_PUBLICITY
        if not self.step(case, "PublicityHeld", day, chief=case.override, **fields):
            self.abandon(case)

    def case_appoint(self, day: date, case: Case) -> None:
        if case.failed:
            return
        p, seat = case.winner, case.seat
        seat.reserved -= 1
        if not p.active(day):
            self.step(case, "CaseConcluded", day, cadre_id=str(p.cid), outcome="不予任用")
            return
        self.talk(p, day - timedelta(days=self.rng.randint(1, 3)), "任前谈话")
        if case.runner_up is not None:
            self.step(case, "CaseConcluded", day, cadre_id=str(case.runner_up.cid), outcome="不予任用")
            case.runner_up.busy_until = day
        if not self.step(case, "CaseConcluded", day, cadre_id=str(p.cid), outcome="任用"):
            return
        if p.post is not None:
            old = self.seats[p.post]
            self.rec(p, "Dismissed", day, unit_code=old.unit.code, post_code=old.spec.post_code, reason="提拔")
            self.vacate(p, day, None, talk=False)
            self.talk(p, day, "离任谈话")
        assert case.case_id is not None
        entry = self.place(p, seat, day, "提拔", talk=None, case=case.case_id, chief=case.override,
                           document=self.doc(day))
        p.busy_until = day
        if entry is None:
            return
        p.last_promotion = day
        self.exit_pools(p, day, "提拔使用", reserve_only=True)
        if not case.override and not p.frozen and p.retire_on > self.end + timedelta(days=365) \
                and self.take("R-TRAIN-POST", day):
            p.frozen.add("train-post")
        else:
            self.at(day + timedelta(days=self.rng.randint(30, 240)), self.post_training, p)
        if not case.override and not p.frozen and p.retire_on > self.end + timedelta(days=365) \
                and self.take("R-FOLLOWUP", day):
            p.frozen.add("followup")
        else:
            self.at(day + timedelta(days=self.rng.randint(80, 170)), self.followup, p, entry)

    def post_training(self, day: date, p: Person) -> None:
        if p.active(day):
            self.rec(p, "TrainingCompleted", day, kind="任职培训", course="新任职领导干部任职培训班",
                     provider="市委党校", started_on=(day - timedelta(days=10)).isoformat(),
                     hours=str(self.rng.randint(40, 60)),
                     passed=True)

    def followup(self, day: date, p: Person, entry: UUID) -> None:
        if p.active(day):
            self.talk(p, day, "提任回访", linked=entry, interviewer="县委组织部干部科")

    # ——— seeded situations that need a scene of their own ———

    def retry(self, day: date, action: Callable[..., None], *args: Any) -> None:
        self.at(day + timedelta(days=30), action, *args)

    def pick(self, day: date, test: Callable[[Person], bool]) -> Person | None:
        found = [p for p in self.active_free(day) if test(p) and p.retire_on > self.end + timedelta(days=365)]
        return self.rng.choice(found) if found else None

    def seed_pool_stale(self, day: date) -> None:
        for _ in range(self.seeds["R-POOL-STALE"]):
            p = self.pick(day, lambda p: not p.pools and p.age_on(day) <= 32 and not p.leader)
            if p is None:
                return self.retry(day, self.seed_pool_stale)
            self.take("R-POOL-STALE")
            p.frozen.add("pool-stale")
            self.enter_pool(p, day, "年轻干部库", "142")
        return None

    def seed_pool_review(self, day: date) -> None:
        for _ in range(self.seeds["R-POOL-REVIEW"]):
            p = self.pick(day, lambda p: "后备干部库" not in p.pools and p.age_on(day) <= 45)
            if p is None:
                return self.retry(day, self.seed_pool_review)
            self.take("R-POOL-REVIEW")
            p.frozen.add("pool-review")
            self.enter_pool(p, day, "后备干部库", "141" if p.leader else "142", review=False)
        return None

    def seed_secondment_overdue(self, day: date) -> None:
        for _ in range(self.seeds["R-SECONDMENT-OVERDUE"]):
            p = self.pick(day, lambda p: p.age_on(day) <= 50 and not (
                p.post and self.seats[p.post].spec.grade in ("131", "132")))
            if p is None:
                return self.retry(day, self.seed_secondment_overdue)
            self.take("R-SECONDMENT-OVERDUE")
            self.incident_secondment(day, p, overdue=True)
            p.frozen.add("secondment")
        return None

    def seed_concern(self, day: date) -> None:
        for _ in range(self.seeds["R-TALK-CONCERN"]):
            p = self.pick(day, lambda p: True)
            if p is None:
                return self.retry(day, self.seed_concern)
            self.take("R-TALK-CONCERN")
            self.incident_concern(day, p, talk=False)
        return None

    def seed_sanction_talk(self, day: date) -> None:
        for _ in range(self.seeds["R-TALK-SANCTION"]):
            p = self.pick(day, lambda p: True)
            if p is None:
                return self.retry(day, self.seed_sanction_talk)
            self.take("R-TALK-SANCTION")
            self.incident_admonish(day, p, talk=False)
        return None

    def seed_hardship(self, day: date) -> None:
        for _ in range(self.seeds["R-TALK-HARDSHIP"]):
            p = self.pick(day, lambda p: True)
            if p is None:
                return self.retry(day, self.seed_hardship)
            self.take("R-TALK-HARDSHIP")
            self.incident_hardship(day, p, talk=False)
        return None

    def seed_talk_promo(self, day: date) -> None:
        for _ in range(self.seeds["R-TALK-PROMO"]):
            p = self.pick(day, lambda p: p.age_on(day) <= 50 and not (
                p.post and self.seats[p.post].spec.grade in ("131", "132")))
            if p is None:
                return self.retry(day, self.seed_talk_promo)
            self.take("R-TALK-PROMO")
            self.incident_secondment(day, p, talk=False)
            p.frozen.add("talk-promo")
        return None

    def seed_depart(self, day: date) -> None:
        for _ in range(self.seeds["R-TALK-DEPART"]):
            p = self.pick(day, lambda p: p.last_promotion is None or (day - p.last_promotion).days > 430)
            if p is None:
                return self.retry(day, self.seed_depart)
            self.take("R-TALK-DEPART")
            self.depart(day, p, "调出", talk=False)
        return None

    def seed_dual_post(self, day: date) -> None:
        """两个领导职务（非兼任）: a leader given a second leadership post of the same grade (任职谈话 and a
        试用期满考核 a year later, so only R-DUAL-POST shows) without leaving the first."""
        for _ in range(self.seeds["R-DUAL-POST"]):
            pairs = [(p, s) for p in self.active_free(day) if p.post and p.leader and p.post_since
                     and (day - p.post_since).days > 400 and p.retire_on > self.end + timedelta(days=365)
                     for s in self.seats.values() if s.spec.leadership and s.vacancies > 0 and s.key != p.post
                     and s.spec.grade == self.seats[p.post].spec.grade]
            if not pairs:
                return self.retry(day, self.seed_dual_post)
            p, seat = self.rng.choice(pairs)
            self.take("R-DUAL-POST")
            p.frozen.add("dual-post")
            self.talk(p, day, "任职谈话")
            entry = self.rec(p, "Appointed", day, unit_code=seat.unit.code, post_code=seat.spec.post_code,
                             manner="平职交流", document_no=self.doc(day))
            if entry is not None:
                seat.holders.append(p.cid)
                if seat.spec.probation:
                    self.at(day + timedelta(days=365), self.rec_probation, p, seat.key)
        return None

    def rec_probation(self, day: date, p: Person, key: tuple[str, str]) -> None:
        if not p.departed:
            self.rec(p, "ProbationConcluded", day, unit_code=key[0], post_code=key[1], outcome="胜任")

    def seed_establishment(self, day: date) -> None:
        """超职数配备, stored with an R-EST override: a lateral move into a full 副职 post."""
        for _ in range(self.seeds["R-EST (override)"]):
            full = [s for s in self.seats.values() if s.spec.grade == "142" and s.vacancies == 0 and s.holders
                    and not s.unit.grassroots]
            movers = [p for p in self.active_free(day) if p.post and self.seats[p.post].spec.grade == "142"
                      and p.post_since and (day - p.post_since).days > 365]
            pairs = [(p, s) for s in full for p in movers if p.post and p.post[0] != s.unit.code]
            if not pairs:
                return self.retry(day, self.seed_establishment)
            p, seat = self.rng.choice(pairs)
            self.take("R-EST (override)")
            self.move(day, p, seat, chief=True)
        return None

    def seed_rush(self, day: date) -> None:
        """突击提拔: 职数 of a town's 副职 raised, three promotions into it within ~60 days, then
        the town's 正职 head is transferred out."""
        if self.seeds["R-RUSH"] <= 0:
            return None
        towns = [u for u in self.county.units if u.grassroots and (u.code, "SJ") in self.seats
                 and self.seats[(u.code, "SJ")].holders]
        staff = [p for p in self.active_free(day) if p.post and self.seats[p.post].spec.grade == "150"]
        for unit in self.rng.sample(towns, len(towns)):
            head = self.by_id[self.seats[(unit.code, "SJ")].holders[0]]
            if not head.active(day) or head.busy_until >= day or head.secondment is not None \
                    or not head.frozen <= {"followup", "train-post"} or head.retire_on <= day + timedelta(days=100) \
                    or len(staff) < 3:
                continue
            seat = self.seats[(unit.code, "FZ")]
            seat.establishment += 3
            self.report.commands += 1
            self.write(ChangeEstablishment(unit.code, "FZ", {"effective_on": day.isoformat(),
                                                             "establishment": seat.establishment}), self.by())
            self.report.post_events["EstablishmentChanged"] += 1
            opened = 0
            for offset in (0, 8, 16):
                if self.open_case(day + timedelta(days=offset), seat, rush=True):
                    opened += 1
            if opened < 3:
                continue
            self.take("R-RUSH")
            head.frozen.add("rush-head")
            self.at(day + timedelta(days=95), self.rush_head_leaves, head)
            return None
        return self.retry(day, self.seed_rush)

    def rush_head_leaves(self, day: date, head: Person) -> None:
        self.depart(day, head, "调出")


def publicity_span(appoint_on: date, working_days: int, calendar: WorkingCalendar) -> tuple[date, date]:
    """The latest publicity of ``working_days`` working days that ends before ``appoint_on``
    (``CalendarNotCoveredError`` if a day it would count is of a year ``calendar`` does not know)."""
    end = appoint_on - timedelta(days=1)
    while not calendar.is_working_day(end):
        end -= timedelta(days=1)
    start = end
    while calendar.working_days_inclusive(start, end) < working_days or not calendar.is_working_day(start):
        start -= timedelta(days=1)
    return start, end


__all__ = ["RANKS", "SIZES", "Report", "generate"]
