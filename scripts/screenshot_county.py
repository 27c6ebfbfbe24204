"""The county the README's screenshots show, recorded through the application's own commands (every
guard runs): two roots, departments and towns with their posts, ~200 cadres with ten years of
assessments, training, talks, pools and secondments, the featured cadre 王晓东 (every section of the
growth file filled: a sanction, corrections, a retraction, a full selection case) and two holders of a
one-seat post, the second by an override. Each cadre's steps are scheduled by scripts/screenshot_schedule.py."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

# beside this module in scripts/ (run as scripts/screenshots.py)
from screenshot_schedule import HR, HR_CHIEF, Planner

from demo.clock import SimClock, recording
from domain.errors import JishiError
from domain.identity import make_id_number
from domain.recorded import Provenance
from service.application import Jishi
from service.commands import EstablishPost, RecordEntry, RegisterUnit

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "文静", "国庆", "红梅", "立新", "春华",
         "永刚", "雪梅", "思远", "子涵", "浩然", "欣怡", "宇航", "佳琪", "俊杰")
# (code, name, kind, parent, head title, deputy title, deputies, staff)
UNITS = (
    ("QS-XW", "中共青山县委员会", "党委部门", None, None, None, 0, 0),
    ("QS-ZZB", "县委组织部", "党委部门", "QS-XW", "部长", "副部长", 3, 14),
    ("QS-XCB", "县委宣传部", "党委部门", "QS-XW", "部长", "副部长", 2, 10),
    ("QS-BGS", "县委办公室", "党委部门", "QS-XW", "主任", "副主任", 3, 14),
    ("QS-CG", "城关镇", "乡镇", "QS-XW", "镇长", "副镇长", 3, 16),
    ("QS-DH", "东河镇", "乡镇", "QS-XW", "镇长", "副镇长", 3, 12),
    ("QS-XS", "西山乡", "乡镇", "QS-XW", "乡长", "副乡长", 2, 10),
    ("QS-ZF", "青山县人民政府", "政府部门", None, None, None, 0, 0),
    ("QS-CZJ", "县财政局", "政府部门", "QS-ZF", "局长", "副局长", 3, 14),
    ("QS-JYJ", "县教育局", "政府部门", "QS-ZF", "局长", "副局长", 3, 14),
    ("QS-FGJ", "县发展和改革局", "政府部门", "QS-ZF", "局长", "副局长", 2, 12),
    ("QS-SWJ", "县水务局", "政府部门", "QS-ZF", "局长", "副局长", 2, 10),
)
TRAINING = (("专门业务培训", "财政业务专题班", "县委党校"), ("在职培训", "乡村振兴专题培训", "市委党校"),
            ("网络学习", "干部网络学院年度课程", "干部网络学院"), ("专题培训", "依法行政专题班", "县委党校"),
            ("党校主体班", "科级干部进修班", "市委党校"))


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used or len(used) > 1500:
            used.add(name)
            return name


class Builder:
    """Records the demo county through the application's own commands (every guard runs), in the order
    HR would have keyed it in: each step on the day it is recorded (a few days after it took effect)."""

    def __init__(self, app: Jishi, cadres: int, seed: int = 7) -> None:
        self.app, self.count, self.rng = app, cadres, random.Random(seed)
        self.today = app.today()
        self.seats: list[tuple[str, str, str, int]] = []  # (unit, post, grade, establishment)
        self.taken: dict[tuple[str, str], int] = {}
        self.steps: list[tuple[date, int, int, Callable[[], object]]] = []
        self.ids: dict[str, Any] = {}
        self.featured: UUID | None = None
        self.refused = 0
        self.started: dict[str, date] = {}
        self.planners: list[Planner] = []

    # ——— scheduling ———

    def plan(self) -> Planner:
        return Planner(self)

    def add(self, day: date, minutes: int, action: Callable[[], object]) -> None:
        self.steps.append((day, minutes, len(self.steps), action))

    def rec(self, cadre_no: str, entry_type: str, payload: dict[str, Any], by: Provenance = HR,
            key: str | None = None) -> None:
        cadre = self.ids.get(cadre_no)
        if cadre is None:
            return
        try:
            result = self.app.handle(RecordEntry(cadre, entry_type, payload), by)
        except JishiError:
            self.refused += 1  # a generated entry the rules refuse is simply not part of the demo
            return
        if key:
            self.ids[key] = result.entry_id

    def units(self) -> None:
        for code, name, kind, parent, head, deputy, deputies, staff in UNITS:
            payload = {"code": code, "name": name, "kind": kind, "effective_on": "2010-01-01"}
            if parent:
                payload["parent_code"] = parent
            self.app.handle(RegisterUnit(payload), HR)
            if not head:
                continue
            town = kind == "乡镇"
            staff = max(staff, round(staff * self.count / 140))  # room for everyone
            posts = [("ZZ", head, "141", True, 1), ("FZ", deputy, "142", True, deputies),
                     ("KY", "四级主任科员及以下" if not town else "科员", "150", False, staff)]
            if town:
                posts.insert(0, ("SJ", "党委书记", "141", True, 1))
            for post_code, title, grade, leadership, establishment in posts:
                self.establish(code, post_code, str(title), grade, leadership, establishment)
        self.establish("QS-CG", "RD", "人大主席", "141", True, 1, track=False)
        self.establish("QS-XS", "FXZ", "副乡长（分管农业）", "142", True, 1, track=False)

    def establish(self, unit: str, post_code: str, title: str, grade: str, leadership: bool, establishment: int,
                  *, track: bool = True) -> None:
        self.app.handle(EstablishPost(unit, {"post_code": post_code, "title": title, "grade": grade,
                                             "leadership": leadership,
                                       "establishment": establishment, "probation": grade == "142",
                                       "effective_on": "2010-01-01"}), HR)
        if track:
            self.seats.append((unit, post_code, grade, establishment))

    def _seat(self, leader: bool) -> tuple[str, str, str] | None:
        choices = [s for s in self.seats if (s[2] != "150") == leader and self.taken.get((s[0], s[1]), 0) < s[3]]
        if not choices:
            choices = [s for s in self.seats if self.taken.get((s[0], s[1]), 0) < s[3]]
        if not choices:
            return None
        unit, post, grade, _ = self.rng.choice(choices)
        self.taken[(unit, post)] = self.taken.get((unit, post), 0) + 1
        return unit, post, grade

    # ——— people ———

    def cadre(self, index: int, used: set[str]) -> None:
        rng, p = self.rng, self.plan()
        leader = index % 4 == 0
        birth = date(rng.randint(1968 if leader else 1975, 1990 if leader else 1999), rng.randint(1, 12),
                     rng.randint(1, 28))
        female = rng.random() < 0.42
        started = date(max(2010, birth.year + rng.randint(22, 25)), 7, 1)
        if started > self.today - timedelta(days=400):
            started = date(self.today.year - 2, 7, 1)
        rank = "一级主任科员" if leader and birth.year < 1980 else "二级主任科员" if leader else \
            "四级主任科员" if birth.year < 1988 else "一级科员"
        young = birth.year >= 1985
        no = f"QS{index:05d}"
        self.started[no] = started
        payload = {
            "cadre_no": no, "name": _name(rng, used), "gender": "2" if female else "1",
            "birth_date": birth.isoformat(),
            "ethnicity": "01" if rng.random() < 0.93 else rng.choice(["03", "11", "02"]),
            "id_number": make_id_number("130581", birth,
                                        f"{rng.randint(10, 99)}{rng.choice('02468' if female else '13579')}"),
            "political_status": "01" if rng.random() < 0.85 else rng.choice(["13", "03", "12"]),
            "education": rng.choice(["14", "21", "21", "21"] if young else ["21", "21", "31", "14"]),
            "full_time_education": young or rng.random() < 0.5, "native_place": rng.choice(
                ["河北保定", "河北石家庄", "山西晋城", "河北衡水", "山东德州", "河南安阳"]),
            "work_started_on": started.isoformat(), "entry_channel": rng.choice(
                ["考试录用", "考试录用", "考试录用", "定向选调生", "调任", "军转安置"]), "rank": rank,
            "major": rng.choice(["法学", "汉语言文学", "行政管理", "经济学", "会计学", "农学", "计算机科学与技术"]),
        }
        if payload["political_status"] == "01":
            payload["party_joined_on"] = date(birth.year + 21, 6, 1).isoformat()
        p.register(started, payload)
        if rng.random() < 0.92:
            p.entry(started + timedelta(days=rng.randint(60, 300)), "TrainingCompleted", kind="初任培训",
                    course="新录用公务员初任培训", provider="市委党校", hours="100", passed=True,
                    started_on=(started + timedelta(days=30)).isoformat())
        seat = self._seat(leader)
        if seat is not None:
            unit, post, _ = seat
            first = started + timedelta(days=rng.randint(20, 200))
            p.entry(first, "Appointed", unit_code=unit, post_code=post,
                    manner=rng.choice(["平职交流", "转任", "调任", "轮岗"]),
                    document_no=f"青组干〔{first.year}〕{rng.randint(1, 90)}号")
            if rng.random() < 0.88:
                p.entry(first + timedelta(days=rng.randint(3, 20)), "ConversationHeld", kind="任职谈话",
                        interviewer="县委组织部副部长", summary="任职谈话，提出工作要求")
            if rng.random() < 0.05:
                p.entry(self.today - timedelta(days=rng.randint(60, 300)), "SecondmentStarted", kind="驻村帮扶",
                        host=rng.choice([t for t in ("QS-CG", "QS-DH", "QS-XS") if t != unit]), role="驻村工作队员",
                        planned_end_on=(self.today + timedelta(days=rng.randint(100, 500))).isoformat())
        for year in range(started.year, self.today.year):
            grade = rng.choices(["优秀", "称职", "基本称职", "不称职"], [0.2, 0.76, 0.035, 0.005])[0]
            p.entry(date(year + 1, 1, 15), "Assessed", kind="年度", period=str(year), grade=grade,
                    democratic_score=str(rng.randint(72, 98)))
        for year in range(started.year + 1, self.today.year + 1):
            sessions = [(56, 48), (40, 56), (48, 48), (64, 32)][rng.randint(0, 3)] if rng.random() < 0.92 else (32,)
            for n, hours in enumerate(sessions):
                kind, course, provider = TRAINING[(year + n) % len(TRAINING)]
                day = date(year, 4 + 5 * n, rng.randint(1, 28))
                p.entry(day, "TrainingCompleted", kind=kind, course=course, provider=provider,
                        started_on=(day - timedelta(days=4)).isoformat(), hours=str(hours), passed=True)
        if young and rng.random() < 0.3:
            entered = date(self.today.year - 2, 3, 1)
            p.entry(entered, "PoolEntered", pool="年轻干部库", grounds="年度考核优秀，群众公认", target_grade="142")
            p.entry(entered + timedelta(days=370), "PoolReviewed", pool="年轻干部库", outcome="保留")

    def featured_cadre(self, mentor_no: str) -> None:
        """王晓东: the growth file the README shows (every section filled)."""
        p = self.plan()
        birth = date(1986, 9, 12)
        p.register(date(2011, 7, 1), {
            "cadre_no": "QS09001", "name": "王晓东", "gender": "1", "birth_date": birth.isoformat(), "ethnicity": "01",
            "id_number": make_id_number("130581", birth, "031"), "political_status": "01",
            "party_joined_on": "2007-06-01", "education": "14", "full_time_education": True, "major": "公共管理",
            "native_place": "河北保定", "work_started_on": "2011-07-01", "entry_channel": "定向选调生",
            "rank": "一级科员"})
        e = p.entry
        e(date(2011, 8, 1), "Appointed", unit_code="QS-DH", post_code="KY", manner="转任",
          document_no="青组干〔2011〕12号")
        e(date(2011, 9, 1), "MentorAssigned", mentor_cadre_id=mentor_no, role="业务导师")
        e(date(2012, 3, 20), "TrainingCompleted", kind="初任培训", course="新录用公务员初任培训", provider="市委党校",
          started_on="2012-03-01", hours="100", passed=True)
        e(date(2014, 9, 1), "MentorReleased", mentor_cadre_id=mentor_no, role="业务导师")
        e(date(2016, 9, 1), "RankPromoted", from_rank="一级科员", to_rank="四级主任科员", grounds="一推三审三优先")
        e(date(2017, 12, 1), "RankPromoted", as_user=HR_CHIEF, from_rank="四级主任科员", to_rank="三级主任科员",
          grounds="援疆期满考核优秀", override_reason="经市委组织部批复同意，援疆干部期满按规定提前晋升职级")
        e(date(2018, 5, 10), "Sanctioned", track="政务", kind="警告", decision_no="青监〔2018〕6号",
          reason="违反工作纪律")
        e(date(2018, 5, 20), "ConversationHeld", kind="五必谈", trigger="受处理处分", interviewer="县委组织部部长",
          summary="处分后谈心谈话，本人认识深刻")
        e(date(2019, 3, 1), "Dismissed", unit_code="QS-DH", post_code="KY", reason="调动")
        e(date(2019, 3, 1), "Appointed", unit_code="QS-CZJ", post_code="KY", manner="平职交流",
          document_no="青组干〔2019〕8号")
        e(date(2019, 3, 5), "ConversationHeld", kind="五必谈", trigger="提拔交流调整", interviewer="县委组织部部长",
          summary="交流任职谈话")
        e(date(2020, 3, 1), "SecondmentStarted", kind="驻村帮扶", host="QS-XS", role="驻村第一书记",
          planned_end_on="2022-03-01", key="featured-secondment")
        e(date(2022, 2, 25), "SecondmentEnded", secondment_entry_id="featured-secondment", host_evaluation="优秀",
          feedback="扎根基层，带领村集体经济增收")
        grades = {2011: "称职", 2012: "称职", 2013: "称职", 2014: "优秀", 2015: "称职", 2016: "称职", 2017: "优秀",
                  2018: "称职", 2019: "称职", 2020: "优秀", 2021: "优秀", 2022: "称职", 2023: "优秀", 2024: "优秀",
                  2025: "称职"}
        for year, grade in grades.items():
            if year < self.today.year:
                e(date(year + 1, 1, 15), "Assessed", kind="年度", period=str(year), grade=grade,
                  democratic_score=str(80 + (year * 7) % 17), key=f"featured-assessed-{year}")
        # the unit's 2019 优秀 are at the 20 % quota: the corrected grade needs the committee's approval
        # (R-EXCELLENT-QUOTA: an override whose reason names the 文号)
        p.correct(date(2020, 4, 8), "featured-assessed-2019", {"grade": "优秀"},
                  "考核结果录入错误，按县考核委员会通知更正", "青考委〔2020〕3号", as_user=HR_CHIEF,
                  override_reason="县考核委员会批准该单位2019年度优秀比例超过20%（青考委〔2020〕3号）")
        hours = {2013: (56, 40), 2014: (48, 48), 2015: (64, 32), 2016: (40, 56), 2017: (72, 24), 2018: (32, 24),
                 2019: (56, 40), 2020: (48, 56), 2021: (40, 56), 2022: (32, 24), 2023: (64, 40), 2024: (48, 40, 16),
                 2025: (48, 40, 16), 2026: (56, 40)}
        for year, items in hours.items():
            for n, h in enumerate(items):
                kind, course, provider = TRAINING[(year + n) % len(TRAINING)]
                day = date(year, 3 + 3 * n, 18)
                if day < self.today:
                    e(day, "TrainingCompleted", kind=kind, course=course, provider=provider,
                      started_on=(day - timedelta(days=5)).isoformat(), hours=str(h), passed=True,
                      key=f"featured-training-{year}-{n}")
        p.retract(date(2024, 10, 9), "featured-training-2024-2", "重复录入")
        e(date(2023, 1, 10), "DevelopmentPlanSet", period="2023-2025",
          goals=["到乡镇一线岗位锻炼", "完成中青班培训", "熟悉财政预算管理"])
        e(date(2023, 7, 30), "PerformanceNoted", context="急难险重", task="防汛抢险",
          narrative="连续五昼夜坚守西山水库，组织转移群众三百余人", reported_by="县防汛指挥部")
        e(date(2023, 3, 1), "PoolEntered", pool="年轻干部库", grounds="连续两年考核优秀", target_grade="142")
        e(date(2024, 3, 5), "PoolReviewed", pool="年轻干部库", outcome="保留")
        e(date(2023, 9, 1), "Commended", kind="记三等功", by="青山县人民政府", reason="防汛抢险表现突出")
        promoted_on = self.today - timedelta(days=60)
        e(promoted_on, "Dismissed", unit_code="QS-CZJ", post_code="KY", reason="提拔")
        p.promote(promoted_on, "QS-XS", "FXZ")
        e(self.today - timedelta(days=25), "ConcernRaised", description="工作中存在急躁情绪", reminded=["本人", "导师"],
          severity="轻微")

    def override(self) -> None:
        """Two holders of a one-seat post: the second appointment overrides R-EST, with a reason."""
        for no, name, birth, seq, day, by, extra in (
                ("QS09002", "钱红梅", date(1975, 11, 3), "064", date(2021, 6, 1), HR, {}),
                ("QS09003", "赵立新", date(1979, 4, 2), "057", self.today - timedelta(days=40), HR_CHIEF,
                 {"override_reason": "上级批准临时超配，待机构改革后消化"})):
            p = self.plan()
            p.register(date(birth.year + 22, 7, 1), {
                "cadre_no": no, "name": name, "gender": "2" if int(seq) % 2 == 0 else "1",
                "birth_date": birth.isoformat(), "ethnicity": "01", "id_number": make_id_number("130581", birth, seq),
                "political_status": "01", "education": "21", "full_time_education": True, "native_place": "河北衡水",
                "work_started_on": f"{birth.year + 22}-07-01", "entry_channel": "考试录用", "rank": "二级主任科员"})
            p.entry(day, "Appointed", as_user=by, unit_code="QS-CG", post_code="RD", manner="调任",
                    document_no=f"青组干〔{day.year}〕31号", **extra)
            p.entry(date(birth.year + 23, 3, 1), "TrainingCompleted", kind="初任培训", course="新录用公务员初任培训",
                    provider="市委党校", started_on=f"{birth.year + 23}-02-01", hours="100", passed=True)
            for year in range(birth.year + 23, self.today.year):
                p.entry(date(year, 10, 20), "TrainingCompleted", kind="网络学习", course="干部网络学院年度课程",
                        provider="干部网络学院", started_on=f"{year}-01-10", hours="96", passed=True)

    def build(self) -> UUID:
        self.units()
        used: set[str] = set()
        for i in range(1, self.count + 1):
            self.cadre(i, used)
        self.featured_cadre(min(self.started, key=lambda no: self.started[no]))
        self.override()
        for planner in self.planners:
            planner.schedule()
        ceiling = datetime.now(UTC) - timedelta(minutes=5)
        clock = SimClock(date(2010, 1, 4), ceiling)  # from the first working Monday of 2010
        with recording(self.app, clock):
            for day, minutes, _, action in sorted(self.steps, key=lambda s: (s[0], s[2])):
                clock.at(day, minutes)
                action()
        featured = self.ids["QS09001"]
        assert isinstance(featured, UUID)
        return featured
