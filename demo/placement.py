"""任免 in the simulation: registering a cadre, placing them in a post (任…免…), vacating it, and
leaving (离职, 退休) — what every phase builds on, keeping the seats and each person's view in step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from demo.core import Seat, SimCore
from demo.people import Person
from demo.thresholds import days_of
from domain.errors import RuleViolationError
from domain.monitors.pools import RESERVE_POOLS
from service.commands import RegisterCadre


class Placement(SimCore):
    """Who holds which post, and who has left."""

    def new_no(self) -> str:
        return f"{self.county.code}{len(self.persons) + 1:05d}"

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
              document: str | None = None, case: UUID | None = None, override: str | None = None,
              recorded_on: date | None = None, probation: bool = True, ends: Seat | None = None) -> UUID | None:
        """Appointed (and the talk before it), ending the post of ``ends`` (任…免…), by the chief with
        ``override`` as the reason if given; the seat's and the person's state follow."""
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
        if override is not None:
            fields["override_reason"] = override
        entry = self.rec(p, "Appointed", recorded_on or day, chief=override is not None, **fields)
        if entry is None:
            return None
        seat.holders.append(p.cid)
        p.post, p.post_since, p.post_entry = seat.key, day, entry
        p.grade_since.setdefault(seat.spec.grade, day)
        if self.counts_as_grassroots(seat.unit):
            p.grassroots_since = day
        if seat.spec.probation and probation and seat.spec.leadership:
            concluded = day + timedelta(days=self.probation_days)
            self.at(concluded, self.conclude_probation, p, seat.key, entry, concluded)
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
        if self.counts_as_grassroots(seat.unit) and p.grassroots_since is not None:
            p.grassroots_days += (day - p.grassroots_since).days
            p.grassroots_since = None
        grade = seat.spec.grade
        p.post, p.post_since, p.post_entry = None, None, None
        self._leave_grade(p, grade)

    def _leave_grade(self, p: Person, grade: str) -> None:
        p.grade_since.pop(grade, None)

    @property
    def probation_days(self) -> int:
        """试用期: ``monitors.probation_months``, after which a 试用期满考核 is due (R-PROBATION)."""
        return days_of(self.config.int("monitors.probation_months"))

    def conclude_probation(self, day: date, p: Person, key: tuple[str, str], entry: UUID, when: date) -> None:
        """试用期满考核 when the probation (``monitors.probation_months``) ends (back-filled ones on their own date)."""
        if p.departed or p.post != key or p.post_entry != entry or "probation" in p.frozen:
            return
        if day >= date(2023, 6, 1) and not p.frozen and self.stays(p) and self.take("R-PROBATION"):
            p.frozen.add("probation")
            return
        self.rec(p, "ProbationConcluded", when, unit_code=key[0], post_code=key[1], outcome="胜任")

    def end_secondment(self, day: date, p: Person, entry: UUID) -> None:
        if p.secondment is None or p.secondment[0] != entry or p.departed:
            return
        _, kind, start, _ = p.secondment
        self.rec(p, "SecondmentEnded", day, secondment_entry_id=str(entry),
                 host_evaluation=self.rng.choices(("优秀", "良好", "一般"), (0.4, 0.55, 0.05))[0],
                 feedback="派驻期间工作扎实，群众评价好")
        if kind in self.config.get("promotion.grassroots_secondment_kinds"):
            p.grassroots_days += (day - start).days  # counts as grassroots work (R-PROMO-YEARS)
        p.secondment = None

    def exit_pools(self, p: Person, day: date, reason: str, reserve_only: bool = False) -> None:
        for pool in list(p.pools):
            if reserve_only and pool not in RESERVE_POOLS:
                continue
            self.rec(p, "PoolExited", day, pool=pool, reason=reason)
            del p.pools[pool]

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
