"""The county's people: its units, posts and the cadres in post when the record opened (back-filled
careers, 建档), and each year's recruits (考试录用, 选调生, 军转安置) with their 初任培训 and mentors (导师帮带)."""

from __future__ import annotations

from datetime import date, timedelta

from demo.core import START, Seat
from demo.people import Person
from demo.placement import Placement
from domain.monitors.training import INITIAL_TRAINING_CHANNELS
from domain.rules.common import add_months, add_years
from service.commands import EstablishPost, RegisterUnit

# A seeded R-ROTATE (a veteran never rotated): a post whose must-rotate anniversary
# (``monitors.rotate_must_years``) falls before this day (a simulation choice).
ROTATE_SEED_DUE = date(2026, 6, 1)
INITIAL_TRAINING = "monitors.initial_training_months"  # 凡进必训: a new entrant's 初任培训 within these months


class Staffing(Placement):
    """Set-up, recruitment and mentoring."""

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
        if p.payload["entry_channel"] in INITIAL_TRAINING_CHANNELS:  # 凡进必训, back-filled
            done = self.soon(work, 90, 200, self.within_months(work, INITIAL_TRAINING))
            self.rec(p, "TrainingCompleted", done, kind="初任培训", course="新录用公务员初任培训班",
                     provider="市委党校", started_on=(done - timedelta(days=12)).isoformat(),
                     hours=str(rng.randint(100, 120)), passed=True)
        if self.seeds["R-ROTATE"] > 0 and seat.spec.post_code in ("ZZ", "FZ") and not seat.unit.grassroots \
                and p.age_on(day) <= 48 \
                and add_years(since, self.config.int("monitors.rotate_must_years")) < ROTATE_SEED_DUE:
            self.take("R-ROTATE")
            p.frozen.add("rotate")

    # ——— recruits ———

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
        if channel in INITIAL_TRAINING_CHANNELS:  # 凡进必训, and a mentor
            if day >= date(2023, 8, 1) and self.take("R-TRAIN-INITIAL"):
                p.frozen.add("initial")
            else:
                self.at(self.soon(day, 40, 150, self.within_months(day, INITIAL_TRAINING)), self.initial_training, p)
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
