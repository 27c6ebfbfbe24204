"""Promotions through complete selection cases (选任全程纪实): 动议 → 民主推荐 → 考察 → 凡提四必 →
双签字 → 讨论决定 → 任前公示 → 任用, then the 任职培训 and the 提任回访 the promotion calls for.

The simulation picks candidates it believes eligible and asks the application (``eligibility``)
before it shortlists them; a case is opened only when its publicity can be counted in working days.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from demo.core import DAY, Case, Seat
from demo.people import Person
from demo.placement import Placement
from demo.thresholds import disqualifying_grades, enters_county_level, grade_below, promotion_years
from domain.errors import RuleViolationError
from domain.monitors.pools import RESERVE_POOLS
from domain.selection import CHECKS
from domain.workdays import WorkingCalendar
from service.commands import OpenCase

# Simulation choices (no rule of the configuration decides them):
PROMOTION_AGE = {"142": 45, "141": 50, "132": 52, "131": 54}  # the oldest promoted to each grade
SERVES_AFTER_PROMOTION = timedelta(days=3 * 365)  # … who must not retire sooner than this after it
BETWEEN_PROMOTIONS = timedelta(days=2 * 365)  # nobody is promoted twice within this
YEARS_MARGIN_DAYS = 10  # days beyond R-PROMO-YEARS's years at the grade below before a cadre is a candidate
RUSH_MARGIN_DAYS = 5  # days beyond R-RUSH's window within which a unit never gets its count of promotions


def short_publicity(working_days: int) -> str:
    """The override reason of a seeded publicity shorter than R-PUBLICITY's."""
    return f"因防汛救灾工作急需，公示期缩短为{working_days}个工作日，经市委组织部批准"


class Selection(Placement):
    """Selection cases, from the vacancy to the follow-up."""

    @property
    def publicity_days(self) -> int:
        """R-PUBLICITY: the working days of a 任前公示."""
        return self.config.int("selection.publicity_working_days")

    def can_promote_into(self, unit: str, day: date) -> bool:
        """Fewer promotions into a unit than R-RUSH counts (``monitors.rush_promotions``) in any of its
        windows (``monitors.rush_window_days``, and a margin): never a 突击提拔 unless seeded."""
        window = self.config.int("monitors.rush_window_days") + RUSH_MARGIN_DAYS
        near = sum(1 for d in self.unit_promotions.get(unit, ()) if abs((d - day).days) < window)
        return near < self.config.int("monitors.rush_promotions") - 1

    def candidates(self, seat: Seat, day: date, appoint_on: date) -> list[Person]:
        """Who the simulation believes may be promoted to ``seat`` (R-PROMO-YEARS, R-ELIGIBLE,
        R-SANCTION-PERIOD, R-INVESTIGATION as it sees them), the likeliest first."""
        source = grade_below(seat.spec.grade)
        years = promotion_years(self.config, seat.spec.grade)
        barred = disqualifying_grades(self.config)
        grassroots_days = self.config.int("promotion.county_level_grassroots_years") * 366
        found = []
        for p in self.persons:
            if not p.free(day) or p.post is None or self.seats[p.post].spec.grade != source:
                continue
            if p.retire_on <= appoint_on + SERVES_AFTER_PROMOTION or p.age_on(day) > PROMOTION_AGE[seat.spec.grade]:
                continue
            if p.no_promotion_until >= appoint_on or p.investigated or p.registered is None:
                continue
            if p.last_promotion is not None and day - p.last_promotion < BETWEEN_PROMOTIONS:
                continue
            if any(g in barred for y, (g, _) in p.annual.items() if y >= day.year - 2):
                continue
            since = p.grade_since.get(source)
            if years and (since is None or since > appoint_on - timedelta(
                    days=int(years * 365.25) + YEARS_MARGIN_DAYS)):
                continue
            if enters_county_level(seat.spec.grade):
                grassroots = p.grassroots_days + ((appoint_on - p.grassroots_since).days if p.grassroots_since else 0)
                if grassroots < grassroots_days:
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
        start, end = publicity_span(appoint_on, self.publicity_days - (1 if override else 0), self.calendar)
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
        for held in (winner, runner):
            if held is not None:
                held.busy_until = appoint_on + DAY
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
        for check in CHECKS:  # 凡提四必
            self.step(case, "CheckCompleted", day, cadre_id=str(case.winner.cid), check=check, result="通过")

    def case_sign(self, day: date, case: Case) -> None:
        if not case.failed:
            self.step(case, "IntegrityOpinionSigned", day, cadre_id=str(case.winner.cid),
                      party_secretary="县委书记", discipline_secretary="县纪委书记")

    def case_decide(self, day: date, case: Case) -> None:
        if case.failed:
            return
        total = self.rng.randint(9, 13)
        quorum = self.config.fraction("selection.quorum_present_fraction")  # R-QUORUM
        present = self.rng.randint(math.ceil(total * quorum) + 1, total)
        approving = math.floor(total * self.config.fraction("selection.approval_fraction")) + 1
        yes = min(present, max(present - self.rng.randint(0, 1), approving))
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
            fields["override_reason"] = short_publicity(self.publicity_days - 1)
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
            self.rec(p, "Dismissed", day, unit_code=old.unit.code, post_code=old.spec.post_code,
                     reason=self.config.get("appointment.ends_reason")["提拔"])
            self.vacate(p, day, None, talk=False)
            self.talk(p, day, "离任谈话")
        assert case.case_id is not None
        entry = self.place(p, seat, day, "提拔", talk=None, case=case.case_id, document=self.doc(day),
                           override=short_publicity(self.publicity_days - 1) if case.override else None)
        p.busy_until = day
        if entry is None:
            return
        p.last_promotion = day
        self.exit_pools(p, day, "提拔使用", reserve_only=True)
        if not case.override and not p.frozen and self.stays(p) and self.take("R-TRAIN-POST", day):
            p.frozen.add("train-post")
        else:  # 任职培训 within R-TRAIN-POST's months
            within = self.within_months(day, "monitors.post_training_months")
            self.at(self.soon(day, 30, 240, within), self.post_training, p)
        if not case.override and not p.frozen and self.stays(p) and self.take("R-FOLLOWUP", day):
            p.frozen.add("followup")
        else:  # 提任回访 within R-FOLLOWUP's months
            within = self.within_months(day, "monitors.followup_months")
            self.at(self.soon(day, 80, 170, within), self.followup, p, entry)

    def post_training(self, day: date, p: Person) -> None:
        if p.active(day):
            self.rec(p, "TrainingCompleted", day, kind="任职培训", course="新任职领导干部任职培训班",
                     provider="市委党校", started_on=(day - timedelta(days=10)).isoformat(),
                     hours=str(self.rng.randint(40, 60)),
                     passed=True)

    def followup(self, day: date, p: Person, entry: UUID) -> None:
        if p.active(day):
            self.talk(p, day, "提任回访", linked=entry, interviewer="县委组织部干部科")


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
