"""Seeded situations that need a scene of their own (``demo.generator.SEEDS``): a cadre left in a
pool unreviewed, a secondment never ended, a concern or hardship without its talk, a departure
without a 离任谈话, a second leadership post, an over-establishment move (an override), and a
突击提拔 — as many promotions into a unit as R-RUSH counts, shortly before its head leaves. The
other seeds are placed where the simulation does the thing they skip (``take``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from demo.careers import Careers
from demo.core import SETTLED_AFTER_PROMOTION
from demo.incidents import Incidents
from demo.people import Person
from demo.selection import Selection
from service.commands import ChangeEstablishment

# 突击提拔: the rush's cases are opened this many days apart, and the unit's head leaves this many days
# after the first is opened — after the last appointment (45–60 days after its case is opened), within
# R-RUSH's window (``monitors.rush_window_days``) of the first. Simulation choices.
RUSH_CASES_APART = 8
RUSH_HEAD_LEAVES_AFTER = 95
# R-RETROACTIVE's scene: a cadre promoted this many days ago (at least, at most), and a sanction decided
# this many days before that promotion. Simulation choices; the influence period of a 警告 (six months by
# default) must cover the promotion, so the gap stays well inside it.
RETRO_PROMOTED_WITHIN = (60, 330)
RETRO_DECIDED_BEFORE = 20


class SeededScenes(Careers, Incidents, Selection):
    """One action per scene, scheduled in the recent years (from ``SEED_FROM``); a scene that finds
    nobody to play it tries again a month later."""

    def retry(self, day: date, action: Callable[..., None], *args: Any) -> None:
        self.at(day + timedelta(days=30), action, *args)

    def pick(self, day: date, test: Callable[[Person], bool]) -> Person | None:
        found = [p for p in self.active_free(day) if test(p) and self.stays(p)]
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
        """A departure without a 离任谈话, of a cadre who has not just taken a post: that move's
        离任谈话 would fall in R-TALK-DEPART's window, which opens ``monitors.talk_due_days`` before
        the departure (and resolve the seed). Such a cadre, if drawn, is drawn again from the others."""
        window = self.config.int("monitors.talk_due_days")

        def settled(p: Person) -> bool:
            return p.last_promotion is None or (day - p.last_promotion).days > SETTLED_AFTER_PROMOTION

        def just_placed(p: Person) -> bool:
            return p.post_since is not None and (day - p.post_since).days <= window

        for _ in range(self.seeds["R-TALK-DEPART"]):
            p = self.pick(day, settled)
            if p is not None and just_placed(p):
                p = self.pick(day, lambda q: settled(q) and not just_placed(q))
            if p is None:
                return self.retry(day, self.seed_depart)
            self.take("R-TALK-DEPART")
            self.depart(day, p, "调出", talk=False)
        return None

    def seed_retroactive(self, day: date) -> None:
        """R-RETROACTIVE: a 警告 learnt late — decided a month before a promotion of the past year, recorded
        only now (its influence period covered the promotion: the promotion's eligibility flips). Its
        talk follows at once, late (R-TALK-SANCTION resolved, not open)."""
        for _ in range(self.seeds["R-RETROACTIVE"]):
            p = self.pick(day, lambda p: p.last_promotion is not None
                          and RETRO_PROMOTED_WITHIN[0] <= (day - p.last_promotion).days <= RETRO_PROMOTED_WITHIN[1]
                          and not p.investigated and not p.sanctions)
            if p is None:
                return self.retry(day, self.seed_retroactive)
            assert p.last_promotion is not None
            decided = p.last_promotion - timedelta(days=RETRO_DECIDED_BEFORE)
            self.take("R-RETROACTIVE")
            entry = self.sanction(decided, p, "政务", "警告", talk=False)
            if entry is not None:
                self.at(day + timedelta(days=self.rng.randint(2, 6)), self.linked_talk, p, "五必谈", "受处理处分",
                        entry)
        return None

    def seed_dual_post(self, day: date) -> None:
        """两个领导职务（非兼任）: a leader given a second leadership post of the same grade (任职谈话 and a
        试用期满考核 when the probation ends, so only R-DUAL-POST shows) without leaving the first."""
        for _ in range(self.seeds["R-DUAL-POST"]):
            pairs = [(p, s) for p in self.active_free(day) if p.post and p.leader and p.post_since
                     and (day - p.post_since).days > 400 and self.stays(p)
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
                    self.at(day + timedelta(days=self.probation_days), self.rec_probation, p, seat.key)
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
        """突击提拔: 职数 of a town's 副职 raised, ``monitors.rush_promotions`` promotions into it within
        a few weeks, then the town's 正职 head is transferred out."""
        if self.seeds["R-RUSH"] <= 0:
            return None
        rush = self.config.int("monitors.rush_promotions")
        towns = [u for u in self.county.units if u.grassroots and (u.code, "SJ") in self.seats
                 and self.seats[(u.code, "SJ")].holders]
        staff = [p for p in self.active_free(day) if p.post and self.seats[p.post].spec.grade == "150"]
        for unit in self.rng.sample(towns, len(towns)):
            head = self.by_id[self.seats[(unit.code, "SJ")].holders[0]]
            if not head.active(day) or head.busy_until >= day or head.secondment is not None \
                    or not head.frozen <= {"followup", "train-post"} or head.retire_on <= day + timedelta(days=100) \
                    or len(staff) < rush:
                continue
            seat = self.seats[(unit.code, "FZ")]
            seat.establishment += rush
            self.report.commands += 1
            self.write(ChangeEstablishment(unit.code, "FZ", {"effective_on": day.isoformat(),
                                                             "establishment": seat.establishment}), self.by())
            self.report.post_events["EstablishmentChanged"] += 1
            opened = 0
            for n in range(rush):
                if self.open_case(day + timedelta(days=n * RUSH_CASES_APART), seat, rush=True):
                    opened += 1
            if opened < rush:
                continue
            self.take("R-RUSH")
            head.frozen.add("rush-head")
            self.at(day + timedelta(days=RUSH_HEAD_LEAVES_AFTER), self.rush_head_leaves, head)
            return None
        return self.retry(day, self.seed_rush)

    def rush_head_leaves(self, day: date, head: Person) -> None:
        self.depart(day, head, "调出")
