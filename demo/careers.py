"""Careers between promotions: pools (后备干部, 年轻干部 …) with their yearly reviews, rank promotions
(职级晋升) in batches, and moves at the same level (交流轮岗: rotations, lateral fills, exchanges)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from demo.core import START, Seat
from demo.people import Person
from demo.placement import Placement
from demo.thresholds import disqualifying_grades, rank_due
from domain.codes import rank_above, rank_index
from domain.errors import RuleViolationError
from service.commands import CorrectEntry

# Simulation choices (no rule of the configuration decides them):
# the highest rank a cadre is promoted to, by the grade of the post held (150: no post)
RANK_CEILING = {"150": "一级主任科员", "142": "一级主任科员", "141": "一级主任科员", "132": "二级调研员",
                "131": "一级调研员"}
YOUNG_POOL_AGE = 35  # 年轻干部库: entered up to a year before this age, left after it
RESERVE_POOL_AGE = 45  # 后备干部库 and the pools that register who a cadre is (女, 党外, 少数民族 …)
POOL_LEFT_BEFORE_STALE = 6  # months: a member not promoted leaves this long before R-POOL-STALE's mark
LATERAL_AFTER_DAYS = 2 * 365  # a leader fills a vacant post of the same grade after this long in post …
EXCHANGE_AFTER_DAYS = 2.5 * 365  # … and is a partner in an exchange of posts (对调) after this long
POOL_REVIEW = "monitors.pool_review_months"  # 一年一考察: a reserve pool member is reviewed within these months
OVER_ESTABLISHMENT = "经县委常委会研究并报市委组织部同意，临时超职数配备，两年内消化"


class Careers(Placement):
    """Pools, ranks and moves."""

    # ——— pools ———

    def pool_intake(self, day: date) -> None:
        rng = self.rng
        barred = disqualifying_grades(self.config)
        for p in self.persons:
            if not p.active(day) or p.frozen or p.busy_until >= day:
                continue
            grade = self.seats[p.post].spec.grade if p.post else "150"
            last = p.annual.get(day.year - 1, ("称职", day))[0]
            if last in barred or p.no_promotion_until >= day:
                continue
            age = p.age_on(day)
            if "年轻干部库" not in p.pools and age < YOUNG_POOL_AGE and grade in ("150", "142") and p.talent > 0.55 \
                    and rng.random() < 0.12:
                self.enter_pool(p, day, "年轻干部库", "142" if grade == "150" else "141")
            elif "后备干部库" not in p.pools and age <= RESERVE_POOL_AGE and grade in ("142", "141") \
                    and p.talent > 0.6 and rng.random() < 0.12:
                self.enter_pool(p, day, "后备干部库", "141" if grade == "142" else "132")
            elif "两型干部库" not in p.pools and age <= YOUNG_POOL_AGE and p.payload.get("seconded") \
                    and rng.random() < 0.2:
                self.enter_pool(p, day, "两型干部库", "142")
            elif "女干部库" not in p.pools and p.gender == "2" and grade != "150" and age <= RESERVE_POOL_AGE \
                    and rng.random() < 0.15:
                self.enter_pool(p, day, "女干部库", None, reserve=False)
            elif "党外干部库" not in p.pools and p.payload["political_status"] not in ("01", "02", "03") \
                    and age <= RESERVE_POOL_AGE and rng.random() < 0.2:
                self.enter_pool(p, day, "党外干部库", None, reserve=False)
            elif "少数民族干部库" not in p.pools and p.payload["ethnicity"] != "01" and age <= RESERVE_POOL_AGE \
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
            self.at(self.soon(day, 320, 355, self.within_months(day, POOL_REVIEW)), self.review_pool, p, pool, day)
            if self.rng.random() < 0.5:
                self.at(day + timedelta(days=self.rng.randint(10, 40)), self.plan_development, p)

    def plan_development(self, day: date, p: Person) -> None:
        if p.active(day):
            self.rec(p, "DevelopmentPlanSet", day, period=f"{day.year}-{day.year + 2}",
                     goals=["到基层一线或重点岗位锻炼", "完成党校主体班培训", "提升统筹协调和群众工作能力"])

    def review_pool(self, day: date, p: Person, pool: str, entered: date) -> None:
        """The yearly review (一年一考察): kept in the pool, or taken out before R-POOL-STALE's mark
        (three years unused), unless seeded to stay."""
        if not p.active(day) or pool not in p.pools or p.pools[pool][0] != entered:
            return
        months = (day - entered).days / 30.4
        stale = "pool-stale" in p.frozen
        leave_after = self.config.int("monitors.pool_stale_months") - POOL_LEFT_BEFORE_STALE
        if not stale and (months > leave_after or (months > 20 and self.rng.random() < 0.4)
                          or (pool == "年轻干部库" and p.age_on(day) > YOUNG_POOL_AGE)):
            self.rec(p, "PoolReviewed", day, pool=pool, outcome="调整出库")
            del p.pools[pool]
            return
        self.rec(p, "PoolReviewed", day, pool=pool, outcome="保留")
        self.at(self.soon(day, 320, 355, self.within_months(day, POOL_REVIEW)), self.review_pool, p, pool, entered)

    # ——— ranks (职级晋升) ———

    def rank_batch(self, day: date) -> None:
        """职级晋升 in batches (end of March and September), when R-RANK-YEARS allows it; one seeded
        early promotion is stored with an override."""
        barred = disqualifying_grades(self.config)
        for p in self.persons:
            if not p.active(day) or p.investigated or p.no_promotion_until >= day or p.busy_until >= day:
                continue
            upper = rank_above(p.rank)
            ceiling = RANK_CEILING[self.seats[p.post].spec.grade if p.post else "150"]
            if upper is None or rank_index(upper) < rank_index(ceiling):
                continue
            if p.annual.get(day.year - 1, ("称职", day))[0] in barred:
                continue
            due = rank_due(self.config, p.rank_since or START, upper, p.annual, day)
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
                    and (day - q.post_since).days > EXCHANGE_AFTER_DAYS]
        if partners:
            self.swap(day, p, self.rng.choice(partners))

    def lateral_fill(self, day: date, seat: Seat) -> bool:
        grade = seat.spec.grade
        movers = [p for p in self.persons if p.free(day) and p.post and p.post_since and p.leader
                  and self.seats[p.post].spec.grade == grade and p.post[0] != seat.unit.code
                  and (day - p.post_since).days > LATERAL_AFTER_DAYS]
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
        entry = self.place(p, seat, day, manner, talk=None, override=OVER_ESTABLISHMENT if chief else None, ends=old,
                           recorded_on=day - timedelta(days=typo) if typo else None)
        self.talk(p, day, "离任谈话")
        if entry is not None and typo:
            self.at(day + timedelta(days=self.rng.randint(60, 200)), self.correct_date, p, entry, day,
                    day - timedelta(days=typo))

    def correct_date(self, day: date, p: Person, entry: UUID, right: date, wrong: date) -> None:
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
        # it changes who held both posts on the days in between: if late, an R-RETROACTIVE finding
        if (day - wrong).days > self.config.int("monitors.retroactive_days"):
            self.report.seeded["R-RETROACTIVE"] += 1

    def swap(self, day: date, a: Person, b: Person) -> None:
        """Two leaders of the same grade exchange posts (both dismissals first: never over establishment)."""
        assert a.post is not None and b.post is not None
        seat_a, seat_b = self.seats[a.post], self.seats[b.post]
        since = {p.cid: p.grade_since.get(seat_a.spec.grade) for p in (a, b)}
        for p in (a, b):
            self.talk(p, day - timedelta(days=self.rng.randint(0, 4)), "任前谈话")
        for p, seat in ((a, seat_a), (b, seat_b)):
            self.rec(p, "Dismissed", day, unit_code=seat.unit.code, post_code=seat.spec.post_code,
                     reason=self.config.get("appointment.ends_reason")["平职交流"])
            self.vacate(p, day, None, talk=False)
        for p, seat in ((a, seat_b), (b, seat_a)):
            if since[p.cid] is not None:
                p.grade_since[seat.spec.grade] = since[p.cid]  # type: ignore[assignment]
            self.place(p, seat, day, "平职交流", talk=None)
            self.talk(p, day, "离任谈话")
