"""A seeded generator of a realistic jurisdiction, written through the real write path.

``generate(app, "S", seed=…)`` simulates ten years (2017 → today) of a county of about 1,000
cadres (S), or 10 / 100 such counties (M, L): units and posts with their establishment, cadres
with Faker ``zh_CN`` names, valid GB 11643 ID numbers and realistic code mixes, and careers that
follow the rules — promotions through complete selection cases (动议 → 民主推荐 → 考察 → 凡提四必
→ 双签字 → 讨论决定 → 任前公示 → 任用), yearly 年度 assessments within each unit's 优秀 quota,
training hours met, rotations (交流轮岗), secondments (挂职), pools, mentors, talks (五必谈),
rank promotions, a few sanctions — plus a controlled number of seeded rule violations
(``SEEDS``), overrides, late entries and late corrections, so that every monitor of DOMAIN.md
§6.2 has findings and ``as_of``/``known_at`` differ.

Every write is a command handled by ``service.application.Jishi`` (guards and all), in a bulk batch
(many commands per transaction). The simulation keeps its own view of each cadre so that it
only asks for what the guards allow; for promotions it asks the application (``eligibility``).
A command the guards refuse anyway is not stored and is counted in ``Report.refused`` (zero in
the tests). The rule thresholds it follows are those in force (``app.config``; ``demo.thresholds``).
Recorded time follows a simulated clock (``demo.clock``): entries look keyed in
on their day. The same seed gives the same events, except their timestamps' sub-second order
and selection-case ids (the application draws those at random).

The simulation is split by phase: ``demo.core`` (the queue, the write path, ``Report``),
``demo.placement`` (任免), ``demo.staffing`` (set-up and recruits), ``demo.yearly`` (assessments,
personal matters, training), ``demo.careers`` (pools, ranks, moves), ``demo.incidents`` (a month's
events), ``demo.selection`` (promotions through selection cases) and ``demo.seeds`` (seeded scenes);
``CountySim`` below composes them and schedules each year.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from demo.clock import SimClock, recording
from demo.core import SETTLED_AFTER_PROMOTION, START, Report
from demo.jurisdiction import County, build_county
from demo.seeds import SeededScenes
from demo.selection import publicity_span
from demo.staffing import Staffing
from demo.thresholds import personal_matters_due
from demo.yearly import Yearly
from domain.codes import RANKS
from service.application import Jishi
from service.unit_of_work import Batch

SIZES: dict[str, int] = {"tiny": 60, "XS": 100, "S": 1_000, "M": 10_000, "L": 100_000}
COUNTY_CADRES = 1_000  # one county; bigger sizes are several counties

# Seeded violations per county of 1,000 cadres (at least one each, whatever the size).
SEEDS: dict[str, int] = {
    "R-PUBLICITY (override)": 2, "R-EST (override)": 1, "R-RANK-YEARS (override)": 1,
    "R-TALK-PROMO": 2, "R-TALK-CONCERN": 2, "R-TALK-DEPART": 1, "R-TALK-SANCTION": 1, "R-TALK-HARDSHIP": 1,
    "R-TRAIN-INITIAL": 2, "R-TRAIN-POST": 2, "R-TRAIN-HOURS": 5, "R-PROBATION": 2, "R-FOLLOWUP": 2,
    "R-ROTATE": 2, "R-SECONDMENT-OVERDUE": 2, "R-POOL-REVIEW": 2, "R-POOL-STALE": 1, "R-MERIT": 1,
    "R-UNFIT": 1, "R-PERSONAL-MATTERS": 1, "R-RUSH": 1, "R-DUAL-POST": 1,
    "late correction (appointment date)": 3, "duplicate retracted": 2, "late entry (training)": 5,
    "R-RETROACTIVE": 1,  # a late sanction (demo.seeds); each late correction of an appointment date is one too
}
# The overrides the seeds store: (seed, events with overrides on cadre streams, on other streams). The
# over-establishment move is one 任…免… appointment: its R-EST override is mirrored on both posts it changes.
OVERRIDE_EVENTS = {"R-PUBLICITY (override)": (1, 1), "R-EST (override)": (1, 2), "R-RANK-YEARS (override)": (1, 0)}

# Leaders move on before R-ROTATE's rotation-plan anniversary (``monitors.rotate_plan_years``), so that
# only the seeded posts are held too long: this many years before it (simulation choices) …
ROTATE_AHEAD = 0.5  # … a leader is rotated (交流轮岗); now and then up to ROTATE_EARLY before it
ROTATE_EARLY = 2.0
MOVED_ON_AHEAD = 0.3  # … a county leader (县处级, 市管干部) is moved on by the city; now and then up to a year before
PERSONAL_MATTERS_AHEAD = timedelta(days=9)  # the reports are asked for this long before they are due


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


class CountySim(SeededScenes, Staffing, Yearly):
    """Ten years of one county, as a queue of dated actions processed in date order."""

    def __init__(self, app: Jishi, batch: Batch, county: County, cadres: int, rng: random.Random, faker_seed: int,
                 clock: SimClock, report: Report, tick: Callable[[date], None]) -> None:
        seeds = Counter({k: max(1, round(v * cadres / COUNTY_CADRES)) for k, v in SEEDS.items()})
        super().__init__(app, batch, county, cadres, rng, faker_seed, clock, report, tick, seeds)

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
        asked = personal_matters_due(self.config, year) - PERSONAL_MATTERS_AHEAD
        self.at(asked, self.report_personal_matters, year - 1)
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
                                  (7, self.seed_depart), (9, self.seed_retroactive)):
                self.at(date(2025, month, 10), action)

    # ——— the month: vacancies, rotations, incidents ———

    def monthly(self, day: date) -> None:
        """Vacant leadership posts filled (a selection case, or a lateral move), leaders moved on
        before R-ROTATE's rotation-plan anniversary, and the month's incidents."""
        rng = self.rng
        plan = self.config.int("monitors.rotate_plan_years")
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
                if (years >= plan - MOVED_ON_AHEAD or (years >= plan - 1 and rng.random() < 0.08)) and (
                        p.last_promotion is None or (day - p.last_promotion).days > SETTLED_AFTER_PROMOTION):
                    self.depart(day, p, "调出")  # county leaders are moved on by the city (市管干部)
            elif years >= plan - ROTATE_AHEAD or (years >= plan - ROTATE_EARLY and rng.random() < 0.03):
                self.rotate(day, p)
        self.incidents(day)


__all__ = ["OVERRIDE_EVENTS", "RANKS", "SEEDS", "SIZES", "CountySim", "Report", "generate", "publicity_span"]
