"""What happens to cadres in a month, at realistic rates: secondments (挂职), concerns and hardships
(with the talks they call for), noted performance, complaints, further education, sanctions and
organisational handling with their influence periods, investigations, and transfers out."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from demo.core import SETTLED_AFTER_PROMOTION
from demo.people import Person
from demo.placement import Placement
from demo.thresholds import influence_until
from domain.rules.common import add_months

TASKS = (("重大任务", "脱贫攻坚", 2017, 2020), ("急难险重", "疫情防控", 2020, 2022),
         ("重大任务", "乡村振兴", 2021, 2026), ("急难险重", "防汛抢险", 2017, 2026),
         ("重大任务", "招商引资", 2017, 2026), ("一线实绩", "征地拆迁", 2017, 2026),
         ("重大任务", "污染防治攻坚", 2018, 2026), ("关键时刻", "森林防火", 2017, 2026))
VILLAGES = ("王家庄", "李村", "后沟", "西坡", "南河", "张家岭", "石门", "东峪", "柳树湾", "马家坪")
SECONDMENTS = (("驻村帮扶", 0.30, 24, "第一书记"), ("下挂", 0.15, 12, "副镇长（挂职）"), ("上挂", 0.12, 12, "挂职锻炼"),
               ("重点工作一线", 0.18, 9, "工作专班成员"), ("外派挂职", 0.07, 12, "挂职干部"),
               ("互派任职", 0.06, 18, "副局长（互派）"), ("跟班学习", 0.07, 6, "跟班学习"),
               ("对口支援", 0.05, 18, "援派干部"))


class Incidents(Placement):
    """A month's incidents, each an action of its own (``incident_<what>``)."""

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

    def incident_concern(self, day: date, p: Person, talk: bool = True) -> None:
        entry = self.rec(p, "ConcernRaised", day, description=self.rng.choice((
            "工作作风不够扎实，存在推诿现象", "八小时以外交往需注意", "对群众诉求回应不及时", "会风会纪不严")),
            reminded=["本人"], severity=self.rng.choice(("轻微", "一般")))
        if entry is not None and talk:
            self.at(self.soon(day, 3, 15, self.talk_due), self.linked_talk, p, "提醒谈话", "苗头问题", entry)

    @property
    def talk_due(self) -> int:
        """Days within which a concern, a hardship or a sanction calls for a talk (R-TALK-*)."""
        return self.config.int("monitors.talk_due_days")

    def linked_talk(self, day: date, p: Person, kind: str, trigger: str | None, entry: UUID) -> None:
        if p.departed is None:
            self.talk(p, day, kind, trigger, entry, interviewer="分管领导")

    def incident_hardship(self, day: date, p: Person, talk: bool = True) -> None:
        entry = self.rec(p, "HardshipRecorded", day, description=self.rng.choice((
            "直系亲属患重病，家庭负担较重", "家中遭遇自然灾害受损", "子女就学困难")))
        if entry is not None and talk:
            self.at(self.soon(day, 3, 15, self.talk_due), self.linked_talk, p, "五必谈", "重大困难", entry)

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

    def sanction(self, day: date, p: Person, track: str, kind: str, talk: bool = True) -> UUID | None:
        entry = self.rec(p, "Sanctioned", day, track=track, kind=kind, decision_no=self.doc(day, "纪"),
                         reason="违反工作纪律")
        if entry is None:
            return None
        self.influence(p, day, entry, "Sanctioned", track, kind)
        if talk:
            self.at(self.soon(day, 5, 20, self.talk_due), self.linked_talk, p, "五必谈", "受处理处分", entry)
        return entry

    def influence(self, p: Person, day: date, entry: UUID, entry_type: str, track: str, kind: str) -> None:
        """The sanction's influence period (影响期, R-SANCTION-PERIOD) as the rule computes it: no
        promotion of post or rank, nor a pool, until the day after it ends (a day's margin)."""
        p.sanctions.append((kind, day))
        until = influence_until(self.config, entry, entry_type, track, kind, day)
        p.no_promotion_until = max(p.no_promotion_until, until)

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
        self.influence(p, day, entry, "HandledOrganizationally", "组织处理", "诫勉")
        if talk:
            self.at(self.soon(day, 3, 15, self.talk_due), self.linked_talk, p, "诫勉谈话", None, entry)

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
        if p.last_promotion is not None and (day - p.last_promotion).days < SETTLED_AFTER_PROMOTION:
            return
        self.depart(day, p, self.rng.choices(("调出", "辞职"), (0.8, 0.2))[0])
