"""The yearly cycle: 年度考核 of each unit (优秀 within the quota), commendations, 个人有关事项报告
and its checks, and training (网络学习 and a focused course, so that each cadre's hours are met)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from demo.core import SimCore
from demo.jurisdiction import UnitSpec
from demo.people import Person
from demo.thresholds import annual_grade_cap, is_county_level, merit_due, personal_matters_due, training_hours
from domain.rules.assessment import excellent_allowed
from service.commands import RetractEntry

EXCELLENT_SHARE_LOW = 0.12  # a unit grades between this share and R-EXCELLENT-QUOTA's of its members 优秀
COUNTS_ZH = "一二三四五六七八九十"


def count_zh(n: int) -> str:
    """一 … 十 for 1 … 10, else the digits."""
    return COUNTS_ZH[n - 1] if 1 <= n <= len(COUNTS_ZH) else str(n)


class Yearly(SimCore):
    """Assessments, personal-matters reports and training, year by year."""

    # ——— 年度考核 ———

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
        room = excellent_allowed(standing.participants, self.config) - standing.excellent
        quota = min(room, excellent_allowed(len(members), self.config))  # and within the quota of those assessed
        counted_here = {p.cid for p in members if p.post_since is not None and p.post_since <= year_end}
        seeded_merit = [p for p in members if "merit" in p.frozen]
        if year == 2023 and not seeded_merit and quota >= 1 and len(members) >= 8 and self.take("R-MERIT"):
            chosen = [p for p in members if p.free(day) and p.annual.get(year - 1, ("", date.min))[0] != "优秀"
                      and self.stays(p) and p.cid in counted_here]
            if chosen:
                pick = self.rng.choice(chosen)
                pick.frozen.add("merit")
                seeded_merit = [pick]
            else:
                self.seeds["R-MERIT"] += 1
                self.report.seeded["R-MERIT"] -= 1
        if year == 2024 and not any("unfit" in p.frozen for p in self.persons) and self.take("R-UNFIT"):
            chosen = [p for p in members
                      if p.free(day) and not p.leader and self.stays(p)]
            if chosen:
                self.rng.choice(chosen).frozen.add("unfit")
            else:
                self.seeds["R-UNFIT"] += 1
                self.report.seeded["R-UNFIT"] -= 1
        capped = {p.cid: annual_grade_cap(self.config, p.sanctions, year) for p in members}  # R-GRADE-CAP
        if year >= 2023 and len(seeded_merit) > quota:  # the unit shrank below the quota's reach: give up the seed
            for p in seeded_merit:
                p.frozen.discard("merit")
                self.seeds["R-MERIT"] += 1
                self.report.seeded["R-MERIT"] -= 1
            seeded_merit = []
        excellent: set[UUID] = {p.cid for p in seeded_merit if year >= 2023}
        share = self.rng.uniform(EXCELLENT_SHARE_LOW, float(self.config.fraction("assessment.excellent_quota")))
        target = min(quota, round(len(members) * share))
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
                if merit_due(self.config, p.annual):  # R-MERIT
                    self.at(day + timedelta(days=self.rng.randint(20, 60)), self.commend, p, "记三等功")
                else:
                    self.at(day + timedelta(days=self.rng.randint(20, 60)), self.commend, p, "嘉奖")

    def commend(self, day: date, p: Person, kind: str) -> None:
        if not p.active(day):
            return
        run = count_zh(self.config.int("monitors.merit_consecutive_excellent"))
        reason = f"连续{run}年年度考核优秀" if kind == "记三等功" else "年度考核优秀"
        self.rec(p, "Commended", day, kind=kind, by=f"{self.county.name}人民政府", reason=reason)

    # ——— 个人有关事项 ———

    def county_level(self, p: Person) -> bool:
        """县处级 and above (by the post and rank held now), as the monitors class a cadre."""
        return is_county_level(self.seats[p.post].spec.grade if p.post is not None else None, p.rank)

    def report_personal_matters(self, day: date, year: int) -> None:
        """个人有关事项报告 of ``year`` by R-PERSONAL-MATTERS's due day (31 January) for those county level."""
        by = personal_matters_due(self.config, year + 1)
        due = [p for p in self.persons if p.active(day) and self.county_level(p)]
        for p in due:
            if year + 1 == self.end.year and self.end > by and self.take("R-PERSONAL-MATTERS"):
                continue
            self.at(self.soon(day, 0, 6, (by - day).days), self.report_matters, p, year)

    def report_matters(self, day: date, p: Person, year: int) -> None:
        if p.active(day):
            self.rec(p, "PersonalMattersReported", day, year=year)
            p.payload.setdefault("reported", set()).add(year)

    def verify_personal_matters(self, day: date, year: int) -> None:
        for p in self.persons:
            if p.active(day) and year in p.payload.get("reported", ()) and self.rng.random() < 0.25:
                self.rec(p, "PersonalMattersVerified", day, year=year,
                         result="一致" if self.rng.random() < 0.95 else "漏报")

    # ——— training ———

    def hours_needed(self, p: Person) -> int:
        """R-TRAIN-HOURS: the hours a year (a year's share of five for 县处级 and above)."""
        return training_hours(self.config, self.county_level(p))

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
            fields: dict[str, Any] = {"kind": "网络学习", "course": f"{year}年度干部网络学院专题学习",
                                      "provider": "山西干部在线学院",
                                      "started_on": max(date(year, 1, 10), p.registered or day).isoformat(),
                                      "hours": str(hours), "passed": True}
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
            needed = self.hours_needed(p) - int(p.payload.get(f"online-{year}", 0))
            hours = max(needed + self.rng.randint(2, 16), 24)
            if kind == "党校主体班":
                hours = max(hours, self.rng.randint(120, 160))
            done = day
            fields: dict[str, Any] = {"kind": kind, "course": course, "provider": provider,
                                      "started_on": (done - timedelta(days=self.rng.randint(3, 20))).isoformat(),
                                      "hours": str(hours), "passed": True}
            if year == 2023 and self.take("late entry (training)"):
                self.at(done + timedelta(days=self.rng.randint(70, 120)), self.late_training, p, done, fields)
                continue
            self.rec(p, "TrainingCompleted", done, **fields)

    def late_training(self, day: date, p: Person, done: date, fields: dict[str, Any]) -> None:
        if p.departed is None:
            self.rec(p, "TrainingCompleted", done, **fields)
