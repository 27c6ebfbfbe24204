"""cadre_findings kept exactly as it was while it was made fast.

Two nets: golden cases — random realistic cadre histories with the findings the implementation
produced *before* the performance work, frozen below as literals — and properties every result
must have on fresh random histories (ordering, provenance, recorded-order independence, posts
the cadre never held, and the horizon only adding calendar periods). The indexes the timeline
keeps for speed (level, unit and rank on a day as change points) are checked against the
definitions they stand for.
"""

from __future__ import annotations

import inspect
import random
from dataclasses import MISSING, FrozenInstanceError, astuple, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.codes import GRADES, RANKS, grade_level
from domain.monitors.facts import EntryFact, FindingFact, PostInfo
from domain.monitors.registry import CADRE_MONITORS, cadre_findings
from domain.monitors.timeline import Timeline
from domain.rules.config import RuleConfig

CADRE = UUID(int=7)
CALENDAR_RULES = {"R-TRAIN-HOURS", "R-PERSONAL-MATTERS"}

POSTS: dict[tuple[str, str], PostInfo] = {
    ("U1", "HEAD"): PostInfo("U1", "HEAD", "141", True, False, "镇长"),
    ("U1", "DEP"): PostInfo("U1", "DEP", "142", True, True, "副镇长"),
    ("U1", "CLERK"): PostInfo("U1", "CLERK", "150", False, False, "科员"),
    ("U1", "STAFF"): PostInfo("U1", "STAFF", "142", False, True, "副主任科员"),
    ("U2", "COUNTY"): PostInfo("U2", "COUNTY", "132", True, True, "副县长"),
    ("U2", "CHIEF"): PostInfo("U2", "CHIEF", "131", True, False, "县长"),
    ("U3", "PREF"): PostInfo("U3", "PREF", "122", True, False, "副市长"),
    ("U3", "ODD"): PostInfo("U3", "ODD", "", True, False, "无等级"),
}
GHOST = ("U9", "GHOST")  # a post the mapping does not know
POST_KEYS = [*POSTS, GHOST]
CONFIGS = (
    RuleConfig.defaults(),
    RuleConfig.from_toml(
        '[monitors]\ntalk_due_days = 10\nfollowup_months = 3\nrotate_plan_years = 2\nrotate_must_years = 4\n'
        'pool_review_months = 6\npool_stale_months = 12\nmerit_consecutive_excellent = 2\nunfit_consecutive = 1\n'
        'personal_matters_due = "02-29"\nprobation_months = 6\nprobation_grace_days = 0\n'
        '[training]\ntownship_hours_per_year = 40\ncounty_hours_per_5_years = 120\n'),
)
POOLS = ("后备干部库", "年轻干部库", "两型干部库", "专业干部人才库", "女干部库")
TALK_KINDS = ("谈心谈话", "五必谈", "提醒谈话", "诫勉谈话", "函询", "任前谈话", "任职谈话", "离任谈话", "提任回访")
TALK_TRIGGERS = ("提拔交流调整", "苗头问题", "离任", "受处理处分", "重大困难")
TRAINING_KINDS = ("初任培训", "任职培训", "专门业务培训", "在职培训", "党校主体班", "网络学习")
MANNERS = ("提拔", "提拔", "破格提拔", "平职交流", "轮岗", "调任", "转任", "复职", "兼任")
DISMISSAL_REASONS = ("调动", "调动", "提拔", "退休", "辞职", "问责", "试用期不胜任", "组织处理")
DEPARTURE_REASONS = ("退休", "辞职", "辞退", "调出", "开除", "死亡")
GRADES_OF_YEAR = ("优秀", "优秀", "优秀", "称职", "称职", "称职", "基本称职", "不称职", "不称职", "不定等次")
ACTIONS = (
    ("appoint", 10), ("dismiss", 7), ("probation", 3), ("rank", 5), ("annual", 14), ("assessed_other", 2),
    ("training", 14), ("talk", 14), ("concern", 3), ("hardship", 2), ("sanction", 2), ("handled", 2),
    ("secondment", 3), ("secondment_end", 3), ("pool_enter", 3), ("pool_review", 4), ("pool_exit", 2),
    ("personal", 6), ("commended", 3), ("noise", 3), ("depart", 1), ("annual_run", 3), ("training_burst", 3),
)
STEPS = (0, 0, 1, 3, 10, 30, 45, 60, 90, 120, 200, 300, 365, 366, 400, 700, 1100)


def random_history(rng: random.Random, size: int | None = None) -> tuple[list[EntryFact], date, int]:
    """(entries in recorded order, horizon, config index) for one random cadre: registration,
    appointments and dismissals, ranks, assessments, trainings, talks, concerns, hardships,
    sanctions, secondments, pools, personal matters, commendations and departures."""
    counter = iter(range(1, 10_000))
    out: list[EntryFact] = []

    def make(type_: str, on: date | None, **values: Any) -> EntryFact:
        if on is not None and rng.random() < 0.015 and type_ not in ("Appointed", "Dismissed", "Departed"):
            on = None  # an entry without an effective date
        overrides = (rng.choice(("R-SEQ", "R-FUTURE", "R-LEAP")),) if rng.random() < 0.04 else ()
        fact = EntryFact(UUID(int=next(counter)), type_, on, {**values, "effective_on": on}, overrides)
        out.append(fact)
        return fact

    day = date(rng.randint(1982, 2022), rng.randint(1, 12), rng.randint(1, 28))
    rank = rng.choice(RANKS[3:]) if rng.random() > 0.02 else "科长"
    if rng.random() > 0.04:
        make("CadreRegistered", day, cadre_no="C1", name="王芳",
             entry_channel=rng.choice(("考试录用", "定向选调生", "应届选调生", "调任", "转任", "军转安置")),
             rank=rank, work_started_on=day)
    if rank not in RANKS:
        rank = "一级科员"
    held: list[tuple[str, str]] = []
    secondments: list[EntryFact] = []
    pools: list[str] = []
    weights = [w for _, w in ACTIONS]
    names = [n for n, _ in ACTIONS]
    if rng.random() < 0.8:
        key = rng.choice(POST_KEYS)
        make("Appointed", day + timedelta(days=rng.choice((0, 0, 30))), unit_code=key[0], post_code=key[1],
             manner=rng.choice(MANNERS))
        held.append(key)
    for _ in range(size if size is not None else rng.randint(0, 45)):
        day += timedelta(days=rng.choice(STEPS))
        if day.year > 2032:
            break
        action = rng.choices(names, weights)[0]
        if action == "appoint":
            key = rng.choice(POST_KEYS)
            ends: tuple[str, ...] = ()
            roll = rng.random()
            if held and roll < 0.35:
                old = rng.choice(held)
                make("Dismissed", day, unit_code=old[0], post_code=old[1], reason=rng.choice(DISMISSAL_REASONS))
                held.remove(old)
            elif held and roll < 0.55:  # 任…免…: the appointment ends posts itself (now and then one not held)
                ended = rng.sample(held, rng.randint(1, len(held)))
                if rng.random() < 0.1:
                    ended.append(rng.choice(POST_KEYS))
                ends = tuple(dict.fromkeys(f"{u}/{p}" for u, p in ended))
                held = [k for k in held if k not in ended]
            make("Appointed", day, unit_code=key[0], post_code=key[1], manner=rng.choice(MANNERS),
                 **({"ends_posts": ends, "ends_reason": "调动"} if ends else {}))
            if key not in held:
                held.append(key)
        elif action == "dismiss":
            key = rng.choice(held) if held and rng.random() < 0.9 else rng.choice(POST_KEYS)
            make("Dismissed", day, unit_code=key[0], post_code=key[1], reason=rng.choice(DISMISSAL_REASONS))
            if key in held:
                held.remove(key)
        elif action == "probation":
            key = rng.choice(held) if held and rng.random() < 0.85 else rng.choice(POST_KEYS)
            make("ProbationConcluded", day, post_code=key[1], outcome="胜任",
                 unit_code=key[0] if rng.random() < 0.7 else None)
        elif action == "rank":
            position = RANKS.index(rank)
            up = position > 0 and (position == len(RANKS) - 1 or rng.random() < 0.85)
            to_rank = RANKS[position - 1] if up else RANKS[position + 1]
            from_rank = rank if rng.random() < 0.95 else rng.choice(RANKS)
            make("RankPromoted" if up else "RankDemoted", day, from_rank=from_rank, to_rank=to_rank)
            rank = to_rank
        elif action == "annual":
            year = day.year - 1 if rng.random() < 0.9 else day.year - rng.randint(2, 4)
            period: Any = str(year) if rng.random() < 0.95 else rng.choice((year, f"{year}年", " 2019 "))
            make("Assessed", day, kind="年度", period=period, grade=rng.choice(GRADES_OF_YEAR))
        elif action == "annual_run":
            grade = rng.choice(("优秀", "优秀", "不称职", "称职"))
            for _ in range(rng.randint(2, 4)):
                make("Assessed", day, kind="年度", period=str(day.year - 1), grade=grade)
                day += timedelta(days=rng.choice((365, 366, 370)))
        elif action == "training_burst":
            for _ in range(rng.randint(2, 6)):
                make("TrainingCompleted", day, kind="在职培训", course="课程", provider="党校", started_on=day,
                     hours=Decimal(rng.choice((20, 30, 50))), passed=True, makeup=rng.random() < 0.2)
                day += timedelta(days=rng.choice((10, 40, 90)))
        elif action == "assessed_other":
            make("Assessed", day, kind=rng.choice(("平时", "专项", "试用期满")), period=f"{day.year}Q1",
                 grade=rng.choice(GRADES_OF_YEAR))
        elif action == "training":
            make("TrainingCompleted", day, kind=rng.choice(TRAINING_KINDS), course="课程", provider="党校",
                 started_on=day - timedelta(days=5), hours=Decimal(rng.choice((4, 8, 16, 24.5, 40, 60, 90, 120))),
                 passed=rng.random() < 0.9, makeup=rng.random() < 0.15)
        elif action == "talk":
            roll = rng.random()
            link: UUID | None = None
            if roll < 0.45 and out:
                link = rng.choice(out[-6:]).entry_id
            elif roll < 0.5:
                link = UUID(int=9_999_999)  # an entry no longer on the record
            when = day - timedelta(days=rng.choice((0, 0, 5, 20, 40))) if rng.random() < 0.3 else day
            make("ConversationHeld", when, kind=rng.choice(TALK_KINDS), interviewer="李书记", summary="……",
                 trigger=rng.choice(TALK_TRIGGERS) if rng.random() < 0.5 else None, trigger_entry_id=link)
        elif action == "concern":
            make("ConcernRaised", day, description="迟到", reminded=("本人",), severity="轻微")
        elif action == "hardship":
            make("HardshipRecorded", day, description="家庭变故")
        elif action == "sanction":
            make("Sanctioned", day, track="党纪", kind=rng.choice(("警告", "记过", "留党察看")), decision_no="1",
                 months=None)
        elif action == "handled":
            make("HandledOrganizationally", day, kind="诫勉", accountability=rng.random() < 0.5, decision_no="2")
        elif action == "secondment":
            planned = day + timedelta(days=rng.choice((-3, 90, 365, 730)))
            secondments.append(make("SecondmentStarted", day, kind="下挂", host="某镇", role="副镇长",
                                    planned_end_on=planned))
        elif action == "secondment_end" and secondments:
            target = secondments.pop(0) if rng.random() < 0.9 else rng.choice(out)
            make("SecondmentEnded", day, secondment_entry_id=target.entry_id)
        elif action == "pool_enter":
            pool = rng.choice(POOLS)
            make("PoolEntered", day, pool=pool, grounds="表现突出")
            pools.append(pool)
        elif action == "pool_review":
            pool = rng.choice(pools) if pools and rng.random() < 0.9 else rng.choice(POOLS)
            make("PoolReviewed", day, pool=pool, outcome="保留" if rng.random() < 0.8 else "调整出库")
        elif action == "pool_exit":
            pool = rng.choice(pools) if pools and rng.random() < 0.9 else rng.choice(POOLS)
            make("PoolExited", day, pool=pool, reason="提拔使用")
        elif action == "personal":
            make("PersonalMattersReported", day, year=day.year - 1 if rng.random() < 0.9 else day.year)
        elif action == "commended":
            make("Commended", day, kind=rng.choice(("记三等功", "记三等功", "嘉奖")), by="县委")
        elif action == "noise":
            make(rng.choice(("DevelopmentLogged", "PerformanceNoted", "MentorAssigned")), day, note="……")
        elif action == "depart":
            make("Departed", day, reason=rng.choice(DEPARTURE_REASONS))
            if rng.random() < 0.8:
                break
    # Recorded order: mostly effective order, with a few entries recorded late (back-dated).
    for _ in range(rng.choice((0, 0, 1, 3))):
        if len(out) > 2:
            out.append(out.pop(rng.randrange(1, len(out) - 1)))
    horizon = date(rng.randint(2012, 2030), rng.randint(1, 12), rng.randint(1, 28))
    return out, horizon, rng.choice((0, 0, 0, 1))


def _findings(entries: list[EntryFact], horizon: date, config: int,
              posts: dict[tuple[str, str], PostInfo] | None = None) -> list[FindingFact]:
    return cadre_findings(CADRE, entries, POSTS if posts is None else posts, CONFIGS[config], horizon)


def _same_day_order_kept(entries: list[EntryFact], rng: random.Random) -> list[EntryFact]:
    """Another recorded order of the same entries that keeps the order of entries of one day."""
    groups: dict[date, list[EntryFact]] = {}
    for e in entries:
        groups.setdefault(e.effective_on or date.min, []).append(e)
    queues = [list(reversed(group)) for group in groups.values()]
    mixed: list[EntryFact] = []
    while queues:
        queue = rng.choice(queues)
        mixed.append(queue.pop())
        if not queue:
            queues.remove(queue)
    return mixed


RANDOM = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RANDOM
@given(st.randoms(use_true_random=False))
def test_findings_are_ordered_unique_and_point_at_the_cadres_own_entries(rng: random.Random) -> None:
    entries, horizon, config = random_history(rng)
    found = _findings(entries, horizon, config)
    known = {e.entry_id: e for e in entries}
    assert found == sorted(found, key=lambda f: (f.rule, f.key, f.trigger_on))
    assert len({(f.rule, f.key) for f in found}) == len(found)
    for f in found:
        assert f.rule in CADRE_MONITORS and f.cadre_id == CADRE and f.detail
        assert set(f.evidence) <= set(known) and set(f.resolution) <= set(known)
        assert bool(f.evidence) is (f.rule not in CALENDAR_RULES)  # a calendar period follows no entry
        assert (f.resolved_on is None) == (not f.resolution)
        if f.resolution:
            assert f.resolved_on == known[f.resolution[-1]].effective_on
    assert _findings(entries, horizon, config) == found  # a pure function


@RANDOM
@given(st.randoms(use_true_random=False))
def test_recorded_order_only_matters_among_entries_of_the_same_day(rng: random.Random) -> None:
    entries, horizon, config = random_history(rng)
    assert _findings(_same_day_order_kept(entries, rng), horizon, config) == _findings(entries, horizon, config)


@RANDOM
@given(st.randoms(use_true_random=False))
def test_posts_the_cadre_never_held_do_not_change_its_findings(rng: random.Random) -> None:
    entries, horizon, config = random_history(rng)
    named = {(e.values.get("unit_code"), e.values.get("post_code")) for e in entries if e.type == "Appointed"}
    held = {key: info for key, info in POSTS.items() if key in named}
    extra = {**held, ("U7", "X"): PostInfo("U7", "X", "131", True, True, "县长")}
    assert _findings(entries, horizon, config, extra) == _findings(entries, horizon, config)


@RANDOM
@given(st.randoms(use_true_random=False), st.integers(min_value=0, max_value=3000))
def test_a_later_horizon_only_adds_calendar_periods(rng: random.Random, days: int) -> None:
    entries, horizon, config = random_history(rng)
    earlier = _findings(entries, horizon, config)
    later = _findings(entries, horizon + timedelta(days=days), config)
    assert set(earlier) <= set(later)
    assert {f.rule for f in set(later) - set(earlier)} <= CALENDAR_RULES


# — the indexes the timeline keeps, against the definitions they stand for —

def _held_on(tl: Timeline, day: date) -> list[Any]:
    return [t for t in tl.tenures if t.start <= day and (t.end is None or day < t.end)]


def _rank_by_scan(tl: Timeline, day: date) -> str | None:
    rank: str | None = None
    for when, e in tl.dated("CadreRegistered", "RankPromoted", "RankDemoted"):
        if when > day:
            break
        value = e.values.get("rank" if e.type == "CadreRegistered" else "to_rank")
        rank = value if isinstance(value, str) else rank
    return rank


def _position(rank: str | None) -> int:
    return RANKS.index(rank) if rank in RANKS else 1_000


def _grade_level(grade: str) -> int:
    return grade_level(grade) if grade in GRADES else 0


def _county_by_definition(tl: Timeline, day: date) -> bool:
    grades = [info.grade for t in _held_on(tl, day)
              if (info := tl.post(t.unit_code, t.post_code)) is not None and info.leadership]
    return (any(_grade_level(g) >= grade_level("132") for g in grades)
            or _position(_rank_by_scan(tl, day)) <= RANKS.index("四级调研员"))


def _township_by_definition(tl: Timeline, day: date) -> bool:
    if _county_by_definition(tl, day):
        return False
    grades = [info.grade for t in _held_on(tl, day)
              if (info := tl.post(t.unit_code, t.post_code)) is not None and info.leadership]
    return (any(g in ("141", "142") for g in grades)
            or RANKS.index("一级主任科员") <= _position(_rank_by_scan(tl, day)) < 1_000)


def _unit_by_definition(tl: Timeline, day: date) -> str | None:
    def seniority(t: Any) -> int:  # a post unknown or of an unknown grade ranks lowest
        info = tl.post(t.unit_code, t.post_code)
        return 0 if info is None or info.grade not in GRADES else grade_level(info.grade) * 2 + info.leadership

    held = _held_on(tl, day)
    if held:
        return str(min(held, key=lambda t: (-seniority(t), t.start, t.unit_code, t.post_code)).unit_code)
    ended = [t for t in tl.tenures if t.end is not None and t.end <= day]
    if ended:
        return str(max(ended, key=lambda t: (t.end, t.start, t.unit_code, t.post_code)).unit_code)
    return None


def _days_to_probe(tl: Timeline, rng: random.Random) -> list[date]:
    """Every change point, the day before it, 1 January around it, and some days at random."""
    days = {date(2000, 1, 1), date.min, date.max}
    for e in tl.entries:
        if e.effective_on is not None:
            days |= {e.effective_on, e.effective_on - timedelta(days=1) if e.effective_on > date.min else date.min,
                     date(e.effective_on.year, 1, 1)}
    days |= {date(rng.randint(1980, 2032), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(10)}
    return sorted(days)


@RANDOM
@given(st.randoms(use_true_random=False))
def test_the_level_and_unit_on_a_day_are_those_the_definitions_give(rng: random.Random) -> None:
    entries, _, _ = random_history(rng)
    tl = Timeline.build(CADRE, entries, POSTS)
    for day in _days_to_probe(tl, rng):
        assert tl.rank_on(day) == _rank_by_scan(tl, day)
        assert tl.is_county_level_on(day) is _county_by_definition(tl, day)
        assert tl.is_township_level_on(day) is _township_by_definition(tl, day)
        assert tl.unit_on(day) == _unit_by_definition(tl, day)


@RANDOM
@given(st.randoms(use_true_random=False))
def test_the_years_in_service_and_their_levels_are_those_of_each_first_of_january(rng: random.Random) -> None:
    entries, horizon, _ = random_history(rng)
    tl = Timeline.build(CADRE, entries, POSTS)
    first = rng.randint(1980, 2030)
    years = tl.years_in_service(first, horizon.year)
    assert list(years) == [y for y in range(first, horizon.year + 1) if tl.active_on(date(y, 1, 1))]
    expected = [2 if _county_by_definition(tl, date(y, 1, 1)) else 1 if _township_by_definition(tl, date(y, 1, 1))
                else 0 for y in years]
    assert tl.levels_on_jan1(years) == expected


def test_finding_facts_take_the_fields_in_order_with_their_defaults_and_stay_frozen() -> None:
    parameters = list(inspect.signature(FindingFact.__init__).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == [
        (f.name, inspect.Parameter.empty if f.default is MISSING else f.default) for f in fields(FindingFact)]
    values = ("R-MERIT", CADRE, "U1", "2020", date(2021, 1, 1), None, None, True, (CADRE,), (), "详情 (detail)")
    fact = FindingFact(*values)
    assert astuple(fact) == values and replace(fact, key="2021").key == "2021"
    assert fact == FindingFact(**{f.name: v for f, v in zip(fields(FindingFact), values, strict=True)})
    with pytest.raises(FrozenInstanceError):
        fact.key = "2021"  # type: ignore[misc]


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_a_decimal_reads_the_same_formatted_or_converted_to_text(value: Decimal) -> None:
    # R-TRAIN-HOURS writes str(hours) where it wrote f"{hours}"
    assert str(value) == f"{value}"


# — golden cases, frozen from the implementation before the performance work —
# (since frozen, one deliberate change: only R-OVERRIDE's own findings are overridden; a monitor's
# finding that follows an entry stored with an override is judged like any other)
# A case: (entries in recorded order, horizon, config index, findings). An entry: (id as UUID int,
# type, effective date or None, values without effective_on — only the fields the monitors and
# ``derive`` read —, overrides). A finding: (rule, unit_code, key, trigger_on, due_on, resolved_on,
# overridden, evidence ids, resolution ids, index into DETAILS); a key that names an entry is its
# UUID int, or (UUID int, suffix). Dates are ISO strings; ("date" | "decimal" | "uuid", raw) tags
# typed values.


def _decode(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] in ("date", "decimal", "uuid"):
        kind, raw = value
        return date.fromisoformat(raw) if kind == "date" else Decimal(raw) if kind == "decimal" else UUID(int=raw)
    if isinstance(value, tuple):
        return tuple(_decode(v) for v in value)
    return value


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw is not None else None


def _entry(row: tuple[Any, ...]) -> EntryFact:
    number, type_, day, values, overrides = row
    on = _day(day)
    return EntryFact(UUID(int=number), type_, on, {**{k: _decode(v) for k, v in values.items()}, "effective_on": on},
                     overrides)


def _key(raw: int | str | tuple[int, str]) -> str:
    if isinstance(raw, int):
        return str(UUID(int=raw))
    if isinstance(raw, tuple):
        return f"{UUID(int=raw[0])}:{raw[1]}"
    return raw


def _fact(row: tuple[Any, ...]) -> FindingFact:
    rule, unit_code, key, trigger_on, due_on, resolved_on, overridden, evidence, resolution, detail = row
    return FindingFact(rule, CADRE, unit_code, _key(key), date.fromisoformat(trigger_on), _day(due_on),
                       _day(resolved_on), overridden, tuple(UUID(int=n) for n in evidence),
                       tuple(UUID(int=n) for n in resolution), DETAILS[detail])


DETAILS: tuple[str, ...] = (
    '提拔后6个月内应回访谈话 (follow-up talk due within 6 months of a promotion)',
    '经批准例外放行：R-LEAP (guards overridden: R-LEAP)',
    '2015年度个人有关事项应于2016-01-31前报告 (personal matters for 2015 due by 2016-01-31)',
    '2016年度个人有关事项应于2017-01-31前报告 (personal matters for 2016 due by 2017-01-31)',
    '年轻干部库人选应每12个月考察一次 (pool member to be reviewed every 12 months)',
    '入年轻干部库满36个月未使用 (in 年轻干部库 36 months without promotion)',
    '试用期12个月满后30日内应作试用期满考核 (probation of 12 months to be concluded within 30 days of its end)',
    '同一领导岗位任职满10年，必须轮岗 (same leadership post for 10 years: must rotate)',
    '同一领导岗位任职满5年，应计划轮岗 (same leadership post for 5 years: plan a rotation)',
    '离任后30日内应谈话 (a talk is due within 30 days of leaving a post)',
    '提拔交流调整后30日内应谈话 (a talk is due within 30 days of a promotion, transfer or secondment)',
    '2016—2020年培训学时100/550 (training hours 100 of 550 in 2016-2020)',
    '新录用人员12个月内应完成初任培训 (initial training due within 12 months of entry)',
    '提拔后12个月内应完成任职培训 (post training due within 12 months of a promotion)',
    '提拔后3个月内应回访谈话 (follow-up talk due within 3 months of a promotion)',
    '连续2年年度考核优秀（至2022年），应记三等功 (2 consecutive excellent years to 2022: merit citation due)',
    '试用期6个月满后0日内应作试用期满考核 (probation of 6 months to be concluded within 0 days of its end)',
    '同一领导岗位任职满2年，应计划轮岗 (same leadership post for 2 years: plan a rotation)',
    '同一领导岗位任职满4年，必须轮岗 (same leadership post for 4 years: must rotate)',
    '苗头性倾向性问题后10日内应谈话 (a talk is due within 10 days of a concern raised)',
    '离任后10日内应谈话 (a talk is due within 10 days of leaving a post)',
    '遭遇重大困难后10日内应谈话 (a talk is due within 10 days of a hardship)',
    '提拔交流调整后10日内应谈话 (a talk is due within 10 days of a promotion, transfer or secondment)',
    '受处理处分后10日内应谈话 (a talk is due within 10 days of a sanction or organisational handling)',
    '连续1年年度考核不称职（至2027年），应启动辞退程序 (1 consecutive unfit years to 2027: dismissal procedure due)',
    '经批准例外放行：R-FUTURE (guards overridden: R-FUTURE)',
    '2017年度个人有关事项应于2018-02-28前报告 (personal matters for 2017 due by 2018-02-28)',
    '2018年度个人有关事项应于2019-02-28前报告 (personal matters for 2018 due by 2019-02-28)',
    '2019年度个人有关事项应于2020-02-29前报告 (personal matters for 2019 due by 2020-02-29)',
    '2020年度个人有关事项应于2021-02-28前报告 (personal matters for 2020 due by 2021-02-28)',
    '2021年度个人有关事项应于2022-02-28前报告 (personal matters for 2021 due by 2022-02-28)',
    '2022年度个人有关事项应于2023-02-28前报告 (personal matters for 2022 due by 2023-02-28)',
    '年轻干部库人选应每6个月考察一次 (pool member to be reviewed every 6 months)',
    '入年轻干部库满12个月未使用 (in 年轻干部库 12 months without promotion)',
    '挂职已过计划结束日期2019-02-24，应于30日内办理结束 (secondment past its planned end 2019-02-24: end it within '
    '30 days)',
    '挂职已过计划结束日期2032-07-30，应于30日内办理结束 (secondment past its planned end 2032-07-30: end it within '
    '30 days)',
    '2018—2022年培训学时120/120 (training hours 120 of 120 in 2018-2022)',
    '2023—2027年培训学时0/120 (training hours 0 of 120 in 2023-2027)',
    '连续1年年度考核不称职（至2004年），应启动辞退程序 (1 consecutive unfit years to 2004: dismissal procedure due)',
    '经批准例外放行：R-SEQ (guards overridden: R-SEQ)',
    '连续3年年度考核优秀（至2022年），应记三等功 (3 consecutive excellent years to 2022: merit citation due)',
    '苗头性倾向性问题后30日内应谈话 (a talk is due within 30 days of a concern raised)',
    '受处理处分后30日内应谈话 (a talk is due within 30 days of a sanction or organisational handling)',
    '后备干部库人选应每12个月考察一次 (pool member to be reviewed every 12 months)',
    '挂职已过计划结束日期2023-06-30，应于30日内办理结束 (secondment past its planned end 2023-06-30: end it within '
    '30 days)',
    '2015年度培训学时0/90 (training hours 0 of 90 in 2015)',
    '2016年度培训学时0/90 (training hours 0 of 90 in 2016)',
    '2017年度培训学时0/90 (training hours 0 of 90 in 2017)',
    '2018年度培训学时0/90 (training hours 0 of 90 in 2018)',
    '2019年度培训学时0/90 (training hours 0 of 90 in 2019)',
    '2020年度培训学时0/90 (training hours 0 of 90 in 2020)',
    '2021年度培训学时0/90 (training hours 0 of 90 in 2021)',
    '2022年度培训学时0/90 (training hours 0 of 90 in 2022)',
    '2023年度培训学时0/90 (training hours 0 of 90 in 2023)',
    '2024年度培训学时0/90 (training hours 0 of 90 in 2024)',
    '2025年度培训学时0/90 (training hours 0 of 90 in 2025)',
    '2026年度培训学时0/90 (training hours 0 of 90 in 2026)',
    '2027年度培训学时0/90 (training hours 0 of 90 in 2027)',
    '连续2年年度考核不称职（至2017年），应启动辞退程序 (2 consecutive unfit years to 2017: dismissal procedure due)',
    '2026年度个人有关事项应于2027-01-31前报告 (personal matters for 2026 due by 2027-01-31)',
    '2027年度个人有关事项应于2028-01-31前报告 (personal matters for 2027 due by 2028-01-31)',
    '2028年度个人有关事项应于2029-01-31前报告 (personal matters for 2028 due by 2029-01-31)',
    '2017年度培训学时8/90 (training hours 8 of 90 in 2017)',
    '2026年度培训学时24.5/90 (training hours 24.5 of 90 in 2026)',
    '2027—2031年培训学时4/550 (training hours 4 of 550 in 2027-2031)',
    '连续2年年度考核不称职（至2030年），应启动辞退程序 (2 consecutive unfit years to 2030: dismissal procedure due)',
    '2023年度个人有关事项应于2024-02-29前报告 (personal matters for 2023 due by 2024-02-29)',
    '2024年度个人有关事项应于2025-02-28前报告 (personal matters for 2024 due by 2025-02-28)',
    '挂职已过计划结束日期2029-10-10，应于30日内办理结束 (secondment past its planned end 2029-10-10: end it within '
    '30 days)',
    '挂职已过计划结束日期2031-07-15，应于30日内办理结束 (secondment past its planned end 2031-07-15: end it within '
    '30 days)',
    '后备干部库人选应每6个月考察一次 (pool member to be reviewed every 6 months)',
    '入后备干部库满12个月未使用 (in 后备干部库 12 months without promotion)',
    '挂职已过计划结束日期2020-11-22，应于30日内办理结束 (secondment past its planned end 2020-11-22: end it within '
    '30 days)',
    '两型干部库人选应每6个月考察一次 (pool member to be reviewed every 6 months)',
    '入两型干部库满12个月未使用 (in 两型干部库 12 months without promotion)',
    '挂职已过计划结束日期2025-08-16，应于30日内办理结束 (secondment past its planned end 2025-08-16: end it within '
    '30 days)',
    '连续1年年度考核不称职（至2019年），应启动辞退程序 (1 consecutive unfit years to 2019: dismissal procedure due)',
    '入后备干部库满36个月未使用 (in 后备干部库 36 months without promotion)',
    '1993年度个人有关事项应于1994-01-31前报告 (personal matters for 1993 due by 1994-01-31)',
    '1994年度个人有关事项应于1995-01-31前报告 (personal matters for 1994 due by 1995-01-31)',
    '1995年度个人有关事项应于1996-01-31前报告 (personal matters for 1995 due by 1996-01-31)',
    '挂职已过计划结束日期1995-01-22，应于30日内办理结束 (secondment past its planned end 1995-01-22: end it within '
    '30 days)',
    '挂职已过计划结束日期2025-05-28，应于30日内办理结束 (secondment past its planned end 2025-05-28: end it within '
    '30 days)',
    '连续3年年度考核优秀（至2028年），应记三等功 (3 consecutive excellent years to 2028: merit citation due)',
    '2017年度个人有关事项应于2018-01-31前报告 (personal matters for 2017 due by 2018-01-31)',
    '2018年度个人有关事项应于2019-01-31前报告 (personal matters for 2018 due by 2019-01-31)',
    '2019年度个人有关事项应于2020-01-31前报告 (personal matters for 2019 due by 2020-01-31)',
    '2020年度个人有关事项应于2021-01-31前报告 (personal matters for 2020 due by 2021-01-31)',
    '2021年度个人有关事项应于2022-01-31前报告 (personal matters for 2021 due by 2022-01-31)',
    '2022年度个人有关事项应于2023-01-31前报告 (personal matters for 2022 due by 2023-01-31)',
    '2023年度个人有关事项应于2024-01-31前报告 (personal matters for 2023 due by 2024-01-31)',
    '2024年度个人有关事项应于2025-01-31前报告 (personal matters for 2024 due by 2025-01-31)',
    '2025年度个人有关事项应于2026-01-31前报告 (personal matters for 2025 due by 2026-01-31)',
    '2029年度个人有关事项应于2030-01-31前报告 (personal matters for 2029 due by 2030-01-31)',
    '2016—2020年培训学时52/550 (training hours 52 of 550 in 2016-2020)',
    '2021—2025年培训学时144.5/550 (training hours 144.5 of 550 in 2021-2025)',
    '2026—2030年培训学时0/550 (training hours 0 of 550 in 2026-2030)',
    '挂职已过计划结束日期2021-03-16，应于30日内办理结束 (secondment past its planned end 2021-03-16: end it within '
    '30 days)',
    '遭遇重大困难后30日内应谈话 (a talk is due within 30 days of a hardship)',
    '2021—2025年培训学时0/550 (training hours 0 of 550 in 2021-2025)',
    '连续2年年度考核不称职（至2024年），应启动辞退程序 (2 consecutive unfit years to 2024: dismissal procedure due)',
    '连续2年年度考核不称职（至2026年），应启动辞退程序 (2 consecutive unfit years to 2026: dismissal procedure due)',
    '1997年度培训学时0/90 (training hours 0 of 90 in 1997)',
    '1998年度培训学时0/90 (training hours 0 of 90 in 1998)',
    '1999年度培训学时150/90 (training hours 150 of 90 in 1999)',
    '2000年度培训学时40/90 (training hours 40 of 90 in 2000)',
    '2001年度培训学时0/90 (training hours 0 of 90 in 2001)',
    '2002年度培训学时0/90 (training hours 0 of 90 in 2002)',
    '2003年度培训学时0/90 (training hours 0 of 90 in 2003)',
    '2004年度培训学时0/90 (training hours 0 of 90 in 2004)',
    '2005年度培训学时0/90 (training hours 0 of 90 in 2005)',
    '2006年度培训学时0/90 (training hours 0 of 90 in 2006)',
    '2007年度培训学时0/90 (training hours 0 of 90 in 2007)',
    '2008年度培训学时0/90 (training hours 0 of 90 in 2008)',
    '2009年度培训学时0/90 (training hours 0 of 90 in 2009)',
    '2010年度培训学时0/90 (training hours 0 of 90 in 2010)',
    '2011年度培训学时0/90 (training hours 0 of 90 in 2011)',
    '2012年度培训学时0/90 (training hours 0 of 90 in 2012)',
    '2021—2025年培训学时106/550 (training hours 106 of 550 in 2021-2025)',
    '连续3年年度考核优秀（至2029年），应记三等功 (3 consecutive excellent years to 2029: merit citation due)',
    '2011年度个人有关事项应于2012-01-31前报告 (personal matters for 2011 due by 2012-01-31)',
    '2012年度个人有关事项应于2013-01-31前报告 (personal matters for 2012 due by 2013-01-31)',
    '2013年度个人有关事项应于2014-01-31前报告 (personal matters for 2013 due by 2014-01-31)',
    '2012—2016年培训学时4/550 (training hours 4 of 550 in 2012-2016)',
    '2019—2023年培训学时49.0/550 (training hours 49.0 of 550 in 2019-2023)',
    '2024年度培训学时16/90 (training hours 16 of 90 in 2024)',
    '2028年度培训学时0/90 (training hours 0 of 90 in 2028)',
    '2029年度培训学时0/90 (training hours 0 of 90 in 2029)',
    '2001年度培训学时90/90 (training hours 90 of 90 in 2001)',
    '2002年度培训学时46/90 (training hours 46 of 90 in 2002)',
    '2003年度培训学时4/90 (training hours 4 of 90 in 2003)',
    '2005年度培训学时130/90 (training hours 130 of 90 in 2005)',
    '2013年度培训学时0/90 (training hours 0 of 90 in 2013)',
    '2014年度培训学时0/90 (training hours 0 of 90 in 2014)',
    '2006年度个人有关事项应于2007-01-31前报告 (personal matters for 2006 due by 2007-01-31)',
    '2007年度个人有关事项应于2008-01-31前报告 (personal matters for 2007 due by 2008-01-31)',
    '2008年度个人有关事项应于2009-01-31前报告 (personal matters for 2008 due by 2009-01-31)',
    '2009年度个人有关事项应于2010-01-31前报告 (personal matters for 2009 due by 2010-01-31)',
    '2010年度个人有关事项应于2011-01-31前报告 (personal matters for 2010 due by 2011-01-31)',
    '挂职已过计划结束日期2015-02-08，应于30日内办理结束 (secondment past its planned end 2015-02-08: end it within '
    '30 days)',
    '2007—2011年培训学时0/550 (training hours 0 of 550 in 2007-2011)',
    '2012—2016年培训学时0/550 (training hours 0 of 550 in 2012-2016)',
    '连续2年年度考核不称职（至2009年），应启动辞退程序 (2 consecutive unfit years to 2009: dismissal procedure due)',
)

GOLDEN: tuple[tuple[Any, ...], ...] = (
    (  # random_history(random.Random(3835))
        (
            (1, 'CadreRegistered', '2015-03-08', {'entry_channel': '考试录用', 'rank': '三级调研员'}, ('R-LEAP',)),
            (2, 'Appointed', '2015-04-07', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '轮岗'}, ()),
            (3, 'TrainingCompleted', '2016-04-11',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (4, 'TrainingCompleted', '2016-04-21',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (5, 'PersonalMattersReported', '2016-05-11', {'year': 2015}, ()),
            (7, 'Assessed', '2020-06-19', {'kind': '年度', 'period': '2019', 'grade': '优秀'}, ()),
            (8, 'Dismissed', '2021-01-05', {'unit_code': 'U1', 'post_code': 'STAFF', 'reason': '辞职'}, ()),
            (9, 'Appointed', '2021-01-05', {'unit_code': 'U2', 'post_code': 'COUNTY', 'manner': '破格提拔'}, ()),
            (10, 'ConversationHeld', '2021-01-06',
             {'kind': '诫勉谈话', 'trigger': '苗头问题', 'trigger_entry_id': None}, ()),
            (11, 'TrainingCompleted', '2021-01-06',
             {'kind': '任职培训', 'hours': ('decimal', '60'), 'passed': True, 'makeup': False}, ()),
            (13, 'PoolEntered', '2021-02-06', {'pool': '年轻干部库'}, ()),
            (14, 'PersonalMattersReported', '2021-02-09', {'year': 2020}, ()),
            (15, 'ConversationHeld', '2024-02-14', {'kind': '任前谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (16, 'Dismissed', '2024-04-14', {'unit_code': 'U2', 'post_code': 'COUNTY', 'reason': '试用期不胜任'}, ()),
            (17, 'Appointed', '2024-04-14', {'unit_code': 'U1', 'post_code': 'DEP', 'manner': '复职'}, ()),
            (18, 'Appointed', '2024-05-14', {'unit_code': 'U2', 'post_code': 'COUNTY', 'manner': '提拔'}, ()),
            (20, 'TrainingCompleted', '2024-06-28',
             {'kind': '初任培训', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (12, 'PoolExited', '2021-02-05', {'pool': '后备干部库', 'reason': '提拔使用'}, ()),
            (19, 'PoolReviewed', '2024-05-14', {'pool': '年轻干部库', 'outcome': '保留'}, ()),
            (6, 'ConversationHeld', '2017-05-26',
             {'kind': '提任回访', 'trigger': None, 'trigger_entry_id': ('uuid', 5)}, ()),
        ),
        '2017-12-07', 0,
        (
            ('R-FOLLOWUP', 'U2', 9, '2021-01-05', '2021-07-05', None, False, (9,), (), 0),
            ('R-FOLLOWUP', 'U2', 18, '2024-05-14', '2024-11-14', None, False, (18,), (), 0),
            ('R-OVERRIDE', None, 1, '2015-03-08', None, None, True, (1,), (), 1),
            ('R-PERSONAL-MATTERS', 'U1', '2015', '2016-01-01', '2016-01-31', '2016-05-11', False, (), (5,), 2),
            ('R-PERSONAL-MATTERS', 'U1', '2016', '2017-01-01', '2017-01-31', None, False, (), (), 3),
            ('R-POOL-REVIEW', 'U2', 13, '2021-02-06', '2022-02-06', '2024-05-14', False, (13,), (19,), 4),
            ('R-POOL-REVIEW', 'U2', 19, '2024-05-14', '2025-05-14', None, False, (13, 19), (), 4),
            ('R-POOL-STALE', 'U2', 13, '2024-02-06', None, '2024-05-14', False, (13,), (18,), 5),
            ('R-PROBATION', 'U1', 2, '2015-04-07', '2016-05-07', '2021-01-05', False, (2,), (8,), 6),
            ('R-PROBATION', 'U2', 9, '2021-01-05', '2022-02-04', '2024-04-14', False, (9,), (16,), 6),
            ('R-PROBATION', 'U1', 17, '2024-04-14', '2025-05-14', None, False, (17,), (), 6),
            ('R-PROBATION', 'U2', 18, '2024-05-14', '2025-06-13', None, False, (18,), (), 6),
            ('R-ROTATE', 'U1', (17, 'must'), '2034-04-14', None, None, False, (17,), (), 7),
            ('R-ROTATE', 'U1', (17, 'plan'), '2029-04-14', None, None, False, (17,), (), 8),
            ('R-ROTATE', 'U2', (18, 'must'), '2034-05-14', None, None, False, (18,), (), 7),
            ('R-ROTATE', 'U2', (18, 'plan'), '2029-05-14', None, None, False, (18,), (), 8),
            ('R-TALK-DEPART', 'U1', 8, '2021-01-05', '2021-02-04', None, False, (8,), (), 9),
            ('R-TALK-DEPART', 'U2', 16, '2024-04-14', '2024-05-14', None, False, (16,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '2015-04-07', '2015-05-07', '2024-02-14', False, (2,), (15,), 10),
            ('R-TALK-PROMO', 'U2', 9, '2021-01-05', '2021-02-04', '2024-02-14', False, (9,), (15,), 10),
            ('R-TALK-PROMO', 'U1', 17, '2024-04-14', '2024-05-14', None, False, (17,), (), 10),
            ('R-TALK-PROMO', 'U2', 18, '2024-05-14', '2024-06-13', None, False, (18,), (), 10),
            ('R-TRAIN-HOURS', 'U1', '2016-2020', '2016-01-01', '2020-12-31', None, False, (), (), 11),
            ('R-TRAIN-INITIAL', None, 1, '2015-03-08', '2016-03-08', '2024-06-28', False, (1,), (20,), 12),
            ('R-TRAIN-POST', 'U2', 9, '2021-01-05', '2022-01-05', '2021-01-06', False, (9,), (11,), 13),
            ('R-TRAIN-POST', 'U2', 18, '2024-05-14', '2025-05-14', None, False, (18,), (), 13),
        ),
    ),
    (  # random_history(random.Random(2264))
        (
            (1, 'CadreRegistered', '2019-01-21', {'entry_channel': '应届选调生', 'rank': '二级调研员'}, ()),
            (2, 'Appointed', '2019-01-21', {'unit_code': 'U2', 'post_code': 'CHIEF', 'manner': '提拔'}, ('R-LEAP',)),
            (3, 'RankPromoted', '2019-08-09', {'from_rank': '二级调研员', 'to_rank': '一级调研员'}, ()),
            (4, 'TrainingCompleted', '2019-11-07',
             {'kind': '专门业务培训', 'hours': ('decimal', '120'), 'passed': True, 'makeup': False}, ()),
            (5, 'PoolReviewed', '2019-11-17', {'pool': '两型干部库', 'outcome': '调整出库'}, ('R-LEAP',)),
            (6, 'ConcernRaised', '2019-11-27', {}, ()),
            (7, 'Assessed', '2020-02-25', {'kind': '年度', 'period': '2019', 'grade': '称职'}, ()),
            (8, 'HandledOrganizationally', '2020-02-26', {'kind': '诫勉', 'accountability': False}, ()),
            (9, 'Dismissed', '2021-02-25', {'unit_code': 'U2', 'post_code': 'CHIEF', 'reason': '辞职'}, ()),
            (10, 'ConcernRaised', '2021-02-25', {}, ()),
            (11, 'TrainingCompleted', None,
             {'kind': '专门业务培训', 'hours': ('decimal', '4'), 'passed': True, 'makeup': True}, ()),
            (12, 'Assessed', '2022-03-01', {'kind': '年度', 'period': '2021', 'grade': '优秀'}, ()),
            (13, 'Assessed', '2023-03-02', {'kind': '年度', 'period': '2022', 'grade': '优秀'}, ()),
            (14, 'Assessed', '2024-03-01', {'kind': '年度', 'period': '2023', 'grade': '优秀'}, ()),
            (15, 'ConversationHeld', '2026-02-09',
             {'kind': '谈心谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 9)}, ()),
            (16, 'TrainingCompleted', '2026-03-04',
             {'kind': '专门业务培训', 'hours': ('decimal', '60'), 'passed': True, 'makeup': True}, ()),
            (17, 'Assessed', '2028-02-02', {'kind': '年度', 'period': '2027', 'grade': '不称职'}, ()),
            (18, 'Appointed', '2028-08-20', {'unit_code': 'U1', 'post_code': 'HEAD', 'manner': '转任'}, ()),
            (19, 'HardshipRecorded', '2029-08-20', {}, ()),
            (20, 'ConcernRaised', '2029-10-19', {}, ()),
            (21, 'Appointed', '2029-10-20', {'unit_code': 'U1', 'post_code': 'DEP', 'manner': '提拔'}, ()),
            (22, 'ConversationHeld', '2029-10-30', {'kind': '函询', 'trigger': '苗头问题', 'trigger_entry_id': None},
             ()),
            (23, 'Assessed', '2029-12-14', {'kind': '年度', 'period': '2028', 'grade': '称职'}, ()),
            (24, 'Sanctioned', '2029-12-14', {'track': '党纪', 'kind': '留党察看'}, ()),
            (25, 'Assessed', '2030-03-14', {'kind': '年度', 'period': '2029', 'grade': '不定等次'}, ()),
        ),
        '2014-12-18', 1,
        (
            ('R-FOLLOWUP', 'U2', 2, '2019-01-21', '2019-04-21', None, False, (2,), (), 14),
            ('R-FOLLOWUP', 'U1', 21, '2029-10-20', '2030-01-20', None, False, (21,), (), 14),
            ('R-MERIT', 'U2', '2022', '2023-03-02', '2023-12-31', None, False, (12, 13), (), 15),
            ('R-OVERRIDE', 'U2', 2, '2019-01-21', None, None, True, (2,), (), 1),
            ('R-OVERRIDE', 'U2', 5, '2019-11-17', None, None, True, (5,), (), 1),
            ('R-PROBATION', 'U1', 21, '2029-10-20', '2030-04-20', None, False, (21,), (), 16),
            ('R-ROTATE', 'U2', (2, 'plan'), '2021-01-21', None, '2021-02-25', False, (2,), (9,), 17),
            ('R-ROTATE', 'U1', (18, 'must'), '2032-08-20', None, None, False, (18,), (), 18),
            ('R-ROTATE', 'U1', (18, 'plan'), '2030-08-20', None, None, False, (18,), (), 17),
            ('R-ROTATE', 'U1', (21, 'must'), '2033-10-20', None, None, False, (21,), (), 18),
            ('R-ROTATE', 'U1', (21, 'plan'), '2031-10-20', None, None, False, (21,), (), 17),
            ('R-TALK-CONCERN', 'U2', 6, '2019-11-27', '2019-12-07', '2029-10-30', False, (6,), (22,), 19),
            ('R-TALK-CONCERN', 'U2', 10, '2021-02-25', '2021-03-07', '2029-10-30', False, (10,), (22,), 19),
            ('R-TALK-CONCERN', 'U1', 20, '2029-10-19', '2029-10-29', '2029-10-30', False, (20,), (22,), 19),
            ('R-TALK-DEPART', 'U2', 9, '2021-02-25', '2021-03-07', '2026-02-09', False, (9,), (15,), 20),
            ('R-TALK-HARDSHIP', 'U1', 19, '2029-08-20', '2029-08-30', None, False, (19,), (), 21),
            ('R-TALK-PROMO', 'U2', 2, '2019-01-21', '2019-01-31', None, False, (2,), (), 22),
            ('R-TALK-PROMO', 'U1', 18, '2028-08-20', '2028-08-30', None, False, (18,), (), 22),
            ('R-TALK-PROMO', 'U1', 21, '2029-10-20', '2029-10-30', None, False, (21,), (), 22),
            ('R-TALK-SANCTION', 'U2', 8, '2020-02-26', '2020-03-07', None, False, (8,), (), 23),
            ('R-TALK-SANCTION', 'U1', 24, '2029-12-14', '2029-12-24', None, False, (24,), (), 23),
            ('R-TRAIN-INITIAL', 'U2', 1, '2019-01-21', '2020-01-21', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U2', 2, '2019-01-21', '2020-01-21', None, False, (2,), (), 13),
            ('R-TRAIN-POST', 'U1', 21, '2029-10-20', '2030-10-20', None, False, (21,), (), 13),
            ('R-UNFIT', 'U2', '2027', '2028-02-02', None, None, False, (17,), (), 24),
        ),
    ),
    (  # random_history(random.Random(2025))
        (
            (1, 'CadreRegistered', '2017-02-21', {'entry_channel': '应届选调生', 'rank': '四级调研员'}, ()),
            (2, 'Appointed', '2017-02-21', {'unit_code': 'U3', 'post_code': 'PREF', 'manner': '提拔'}, ()),
            (3, 'TrainingCompleted', '2017-02-24',
             {'kind': '党校主体班', 'hours': ('decimal', '4'), 'passed': True, 'makeup': True}, ()),
            (4, 'SecondmentStarted', '2017-02-24', {'kind': '下挂', 'planned_end_on': ('date', '2019-02-24')}, ()),
            (5, 'ConversationHeld', '2017-02-24',
             {'kind': '谈心谈话', 'trigger': '苗头问题', 'trigger_entry_id': None}, ()),
            (6, 'PoolEntered', '2018-03-31', {'pool': '专业干部人才库'}, ()),
            (7, 'ConversationHeld', '2018-10-17', {'kind': '任职谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (8, 'PoolEntered', '2018-10-17', {'pool': '女干部库'}, ()),
            (9, 'ConversationHeld', '2021-10-21',
             {'kind': '函询', 'trigger': '重大困难', 'trigger_entry_id': ('uuid', 5)}, ()),
            (10, 'ConversationHeld', '2021-12-10', {'kind': '提任回访', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (11, 'PerformanceNoted', '2025-01-23', {}, ()),
            (12, 'ConversationHeld', '2025-01-23',
             {'kind': '诫勉谈话', 'trigger': '苗头问题', 'trigger_entry_id': None}, ()),
            (13, 'Assessed', '2025-02-02', {'kind': '年度', 'period': '2024', 'grade': '称职'}, ()),
            (14, 'SecondmentEnded', '2025-04-03', {'secondment_entry_id': ('uuid', 4)}, ()),
            (15, 'TrainingCompleted', '2025-10-30',
             {'kind': '任职培训', 'hours': ('decimal', '120'), 'passed': True, 'makeup': True}, ()),
            (16, 'Assessed', '2026-10-31', {'kind': '年度', 'period': '2025', 'grade': '不定等次'}, ('R-FUTURE',)),
            (17, 'Assessed', '2029-11-04', {'kind': '试用期满', 'period': '2029Q1', 'grade': '不称职'}, ()),
            (18, 'Assessed', '2029-11-14', {'kind': '年度', 'period': '2028', 'grade': '不定等次'}, ()),
            (19, 'PoolReviewed', '2029-11-17', {'pool': '女干部库', 'outcome': '保留'}, ()),
            (20, 'ConversationHeld', '2029-11-27',
             {'kind': '五必谈', 'trigger': '离任', 'trigger_entry_id': ('uuid', 18)}, ()),
            (21, 'DevelopmentLogged', '2029-11-27', {}, ()),
            (22, 'PoolEntered', '2030-06-15', {'pool': '年轻干部库'}, ()),
            (23, 'ConcernRaised', '2030-07-30', {}, ()),
            (24, 'SecondmentStarted', '2031-07-31', {'kind': '下挂', 'planned_end_on': ('date', '2032-07-30')}, ()),
            (25, 'Commended', '2031-09-14', {'kind': '记三等功'}, ()),
        ),
        '2023-01-25', 1,
        (
            ('R-FOLLOWUP', 'U3', 2, '2017-02-21', '2017-05-21', '2021-12-10', False, (2,), (10,), 14),
            ('R-OVERRIDE', 'U3', 16, '2026-10-31', None, None, True, (16,), (), 25),
            ('R-PERSONAL-MATTERS', 'U3', '2017', '2018-01-01', '2018-02-28', None, False, (), (), 26),
            ('R-PERSONAL-MATTERS', 'U3', '2018', '2019-01-01', '2019-02-28', None, False, (), (), 27),
            ('R-PERSONAL-MATTERS', 'U3', '2019', '2020-01-01', '2020-02-29', None, False, (), (), 28),
            ('R-PERSONAL-MATTERS', 'U3', '2020', '2021-01-01', '2021-02-28', None, False, (), (), 29),
            ('R-PERSONAL-MATTERS', 'U3', '2021', '2022-01-01', '2022-02-28', None, False, (), (), 30),
            ('R-PERSONAL-MATTERS', 'U3', '2022', '2023-01-01', '2023-02-28', None, False, (), (), 31),
            ('R-POOL-REVIEW', 'U3', 22, '2030-06-15', '2030-12-15', None, False, (22,), (), 32),
            ('R-POOL-STALE', 'U3', 22, '2031-06-15', None, None, False, (22,), (), 33),
            ('R-ROTATE', 'U3', (2, 'must'), '2021-02-21', None, None, False, (2,), (), 18),
            ('R-ROTATE', 'U3', (2, 'plan'), '2019-02-21', None, None, False, (2,), (), 17),
            ('R-SECONDMENT-OVERDUE', 'U3', 4, '2019-02-25', '2019-03-26', '2025-04-03', False, (4,), (14,), 34),
            ('R-SECONDMENT-OVERDUE', 'U3', 24, '2032-07-31', '2032-08-29', None, False, (24,), (), 35),
            ('R-TALK-CONCERN', 'U3', 23, '2030-07-30', '2030-08-09', None, False, (23,), (), 19),
            ('R-TALK-PROMO', 'U3', 2, '2017-02-21', '2017-03-03', '2018-10-17', False, (2,), (7,), 22),
            ('R-TALK-PROMO', 'U3', 4, '2017-02-24', '2017-03-06', '2018-10-17', False, (4,), (7,), 22),
            ('R-TALK-PROMO', 'U3', 24, '2031-07-31', '2031-08-10', None, False, (24,), (), 22),
            ('R-TRAIN-HOURS', 'U3', '2018-2022', '2018-01-01', '2022-12-31', '2025-10-30', False, (), (15,), 36),
            ('R-TRAIN-HOURS', 'U3', '2023-2027', '2023-01-01', '2027-12-31', None, False, (), (), 37),
            ('R-TRAIN-INITIAL', 'U3', 1, '2017-02-21', '2018-02-21', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U3', 2, '2017-02-21', '2018-02-21', '2025-10-30', False, (2,), (15,), 13),
        ),
    ),
    (  # random_history(random.Random(5059))
        (
            (1, 'Appointed', '1999-12-25', {'unit_code': 'U2', 'post_code': 'CHIEF', 'manner': '调任'}, ()),
            (2, 'TrainingCompleted', '2000-12-24',
             {'kind': '专门业务培训', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (3, 'TrainingCompleted', '2002-01-28',
             {'kind': '在职培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': True}, ()),
            (4, 'DevelopmentLogged', '2002-04-28', {}, ()),
            (5, 'PoolReviewed', '2005-05-02', {'pool': '年轻干部库', 'outcome': '调整出库'}, ()),
            (6, 'Assessed', '2005-08-30', {'kind': '年度', 'period': '2004', 'grade': '不称职'}, ()),
            (7, 'TrainingCompleted', '2005-09-29',
             {'kind': '专门业务培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (8, 'Departed', '2006-04-17', {'reason': '辞退'}, ()),
        ),
        '2018-03-16', 1,
        (
            ('R-ROTATE', 'U2', (1, 'must'), '2003-12-25', None, '2006-04-17', False, (1,), (8,), 18),
            ('R-ROTATE', 'U2', (1, 'plan'), '2001-12-25', None, '2006-04-17', False, (1,), (8,), 17),
            ('R-TALK-DEPART', 'U2', 8, '2006-04-17', '2006-04-27', None, False, (8,), (), 20),
            ('R-TALK-PROMO', 'U2', 1, '1999-12-25', '2000-01-04', None, False, (1,), (), 22),
            ('R-UNFIT', 'U2', '2004', '2005-08-30', None, '2006-04-17', False, (6,), (8,), 38),
        ),
    ),
    (  # random_history(random.Random(3231))
        (
            (1, 'CadreRegistered', '2012-10-07', {'entry_channel': '定向选调生', 'rank': '科长'}, ()),
            (2, 'Appointed', '2012-10-07', {'unit_code': 'U1', 'post_code': 'CLERK', 'manner': '复职'}, ()),
            (3, 'Appointed', '2013-10-07', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '提拔'}, ()),
            (4, 'PoolReviewed', '2013-10-10', {'pool': '女干部库', 'outcome': '保留'}, ('R-SEQ',)),
            (5, 'Assessed', '2013-12-09', {'kind': '年度', 'period': '2012', 'grade': '优秀'}, ()),
            (6, 'ConversationHeld', '2014-04-08',
             {'kind': '诫勉谈话', 'trigger': '重大困难', 'trigger_entry_id': ('uuid', 5)}, ()),
            (7, 'HardshipRecorded', '2014-04-08', {}, ()),
            (8, 'Sanctioned', '2014-04-08', {'track': '党纪', 'kind': '警告'}, ()),
            (9, 'ConversationHeld', '2014-06-07',
             {'kind': '诫勉谈话', 'trigger': '重大困难', 'trigger_entry_id': None}, ()),
            (10, 'PoolReviewed', '2014-12-24', {'pool': '年轻干部库', 'outcome': '调整出库'}, ()),
            (11, 'PoolEntered', '2016-11-23', {'pool': '专业干部人才库'}, ()),
            (13, 'Departed', '2019-12-08', {'reason': '调出'}, ()),
            (12, 'TrainingCompleted', '2016-12-03',
             {'kind': '专门业务培训', 'hours': ('decimal', '40'), 'passed': True, 'makeup': False}, ()),
        ),
        '2029-09-13', 1,
        (
            ('R-FOLLOWUP', 'U9', 3, '2013-10-07', '2014-01-07', None, False, (3,), (), 14),
            ('R-OVERRIDE', 'U1', 4, '2013-10-10', None, None, True, (4,), (), 39),
            ('R-TALK-DEPART', 'U9', 13, '2019-12-08', '2019-12-18', None, False, (13,), (), 20),
            ('R-TALK-HARDSHIP', 'U1', 7, '2014-04-08', '2014-04-18', '2014-06-07', False, (7,), (9,), 21),
            ('R-TALK-PROMO', 'U1', 2, '2012-10-07', '2012-10-17', None, False, (2,), (), 22),
            ('R-TALK-PROMO', 'U9', 3, '2013-10-07', '2013-10-17', None, False, (3,), (), 22),
            ('R-TALK-SANCTION', 'U1', 8, '2014-04-08', '2014-04-18', '2014-06-07', False, (8,), (9,), 23),
            ('R-TRAIN-INITIAL', 'U1', 1, '2012-10-07', '2013-10-07', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U9', 3, '2013-10-07', '2014-10-07', None, False, (3,), (), 13),
        ),
    ),
    (  # random_history(random.Random(3065))
        (
            (1, 'CadreRegistered', '2021-02-06', {'entry_channel': '军转安置', 'rank': '二级科员'}, ()),
            (2, 'Dismissed', '2021-02-07', {'unit_code': 'U1', 'post_code': 'HEAD', 'reason': '问责'}, ()),
            (3, 'Assessed', '2021-06-07', {'kind': '年度', 'period': '2020', 'grade': '优秀'}, ()),
            (4, 'Assessed', '2022-06-08', {'kind': '年度', 'period': '2021', 'grade': '优秀'}, ()),
            (5, 'Assessed', '2023-06-08', {'kind': '年度', 'period': '2022', 'grade': '优秀'}, ()),
            (6, 'Assessed', '2024-06-07', {'kind': '年度', 'period': '2023', 'grade': '优秀'}, ()),
            (7, 'ConcernRaised', '2025-06-13', {}, ()),
            (8, 'Assessed', '2026-07-18', {'kind': '年度', 'period': '2023', 'grade': '不定等次'}, ()),
            (9, 'ProbationConcluded', '2026-07-18', {'post_code': 'PREF', 'outcome': '胜任', 'unit_code': 'U3'}, ()),
            (10, 'HandledOrganizationally', '2026-11-15', {'kind': '诫勉', 'accountability': True}, ()),
            (11, 'Commended', '2027-03-15', {'kind': '记三等功'}, ()),
            (12, 'DevelopmentLogged', '2027-03-15', {}, ()),
            (13, 'PersonalMattersReported', '2030-03-19', {'year': 2029}, ()),
            (14, 'PersonalMattersReported', '2030-05-18', {'year': 2029}, ()),
            (15, 'PoolEntered', '2030-05-18', {'pool': '女干部库'}, ()),
            (16, 'ProbationConcluded', '2030-05-18', {'post_code': 'HEAD', 'outcome': '胜任', 'unit_code': 'U1'}, ()),
        ),
        '2020-01-21', 0,
        (
            ('R-MERIT', None, '2022', '2023-06-08', '2023-12-31', '2027-03-15', False, (3, 4, 5), (11,), 40),
            ('R-TALK-CONCERN', None, 7, '2025-06-13', '2025-07-13', None, False, (7,), (), 41),
            ('R-TALK-DEPART', 'U1', 2, '2021-02-07', '2021-03-09', None, False, (2,), (), 9),
            ('R-TALK-SANCTION', None, 10, '2026-11-15', '2026-12-15', None, False, (10,), (), 42),
        ),
    ),
    (  # random_history(random.Random(2426))
        (
            (1, 'CadreRegistered', '2016-11-16', {'entry_channel': '军转安置', 'rank': '科长'}, ()),
            (2, 'Appointed', '2016-11-16', {'unit_code': 'U2', 'post_code': 'CHIEF', 'manner': '调任'}, ()),
            (3, 'RankDemoted', '2016-12-31', {'from_rank': '一级科员', 'to_rank': '二级科员'}, ()),
            (4, 'Assessed', '2016-12-31', {'kind': '年度', 'period': '2015', 'grade': '优秀'}, ()),
            (5, 'Dismissed', '2020-01-05', {'unit_code': 'U2', 'post_code': 'CHIEF', 'reason': '调动'}, ()),
            (6, 'TrainingCompleted', '2020-04-04',
             {'kind': '初任培训', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': True}, ()),
            (7, 'ConcernRaised', '2020-12-05', {}, ()),
            (8, 'Appointed', '2021-04-04', {'unit_code': 'U3', 'post_code': 'ODD', 'manner': '提拔'}, ()),
            (9, 'PersonalMattersReported', '2022-01-29', {'year': 2021}, ()),
            (10, 'Dismissed', '2022-08-17', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '辞职'}, ()),
            (11, 'TrainingCompleted', '2022-08-27',
             {'kind': '专门业务培训', 'hours': ('decimal', '40'), 'passed': True, 'makeup': True}, ()),
            (12, 'Assessed', '2023-03-15', {'kind': '年度', 'period': '2022', 'grade': '优秀'}, ()),
            (13, 'Assessed', '2024-03-15', {'kind': '年度', 'period': '2023', 'grade': '不称职'}, ()),
            (15, 'Assessed', '2025-04-29', {'kind': '年度', 'period': '2024', 'grade': '称职'}, ()),
            (16, 'Assessed', '2026-04-30', {'kind': '年度', 'period': '2025', 'grade': '称职'}, ()),
            (17, 'Assessed', '2027-05-01', {'kind': '年度', 'period': '2026', 'grade': '称职'}, ()),
            (18, 'Assessed', '2028-04-30', {'kind': '年度', 'period': '2027', 'grade': '称职'}, ()),
            (19, 'PoolReviewed', '2030-05-06', {'pool': '年轻干部库', 'outcome': '调整出库'}, ()),
            (20, 'ConcernRaised', '2031-05-06', {}, ()),
            (21, 'Dismissed', '2032-05-05', {'unit_code': 'U2', 'post_code': 'CHIEF', 'reason': '组织处理'}, ()),
            (22, 'PerformanceNoted', '2032-07-04', {}, ()),
            (14, 'Assessed', '2024-03-25', {'kind': '年度', 'period': '2023', 'grade': '称职'}, ()),
        ),
        '2016-10-14', 0,
        (
            ('R-FOLLOWUP', 'U3', 8, '2021-04-04', '2021-10-04', None, False, (8,), (), 0),
            ('R-TALK-CONCERN', 'U2', 7, '2020-12-05', '2021-01-04', None, False, (7,), (), 41),
            ('R-TALK-CONCERN', 'U3', 20, '2031-05-06', '2031-06-05', None, False, (20,), (), 41),
            ('R-TALK-DEPART', 'U2', 5, '2020-01-05', '2020-02-04', None, False, (5,), (), 9),
            ('R-TALK-DEPART', 'U3', 10, '2022-08-17', '2022-09-16', None, False, (10,), (), 9),
            ('R-TALK-DEPART', 'U2', 21, '2032-05-05', '2032-06-04', None, False, (21,), (), 9),
            ('R-TALK-PROMO', 'U2', 2, '2016-11-16', '2016-12-16', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U2', 5, '2020-01-05', '2020-02-04', None, False, (5,), (), 10),
            ('R-TALK-PROMO', 'U3', 8, '2021-04-04', '2021-05-04', None, False, (8,), (), 10),
            ('R-TRAIN-POST', 'U3', 8, '2021-04-04', '2022-04-04', None, False, (8,), (), 13),
        ),
    ),
    (  # random_history(random.Random(2817))
        (
            (1, 'CadreRegistered', '2014-06-27', {'entry_channel': '定向选调生', 'rank': '二级主任科员'}, ()),
            (2, 'HandledOrganizationally', '2015-04-23', {'kind': '诫勉', 'accountability': False}, ()),
            (3, 'ConversationHeld', '2017-03-23',
             {'kind': '提醒谈话', 'trigger': '提拔交流调整', 'trigger_entry_id': None}, ()),
            (4, 'Assessed', '2017-05-22', {'kind': '年度', 'period': '2016', 'grade': '不称职'}, ()),
            (5, 'Assessed', '2018-05-22', {'kind': '年度', 'period': '2017', 'grade': '不称职'}, ()),
            (6, 'Assessed', '2019-05-27', {'kind': '年度', 'period': '2018', 'grade': '不称职'}, ()),
            (7, 'Dismissed', '2020-05-26', {'unit_code': 'U1', 'post_code': 'STAFF', 'reason': '退休'}, ()),
            (8, 'ProbationConcluded', '2021-06-30', {'post_code': 'COUNTY', 'outcome': '胜任', 'unit_code': 'U2'},
             ()),
            (9, 'SecondmentStarted', '2022-06-30', {'kind': '下挂', 'planned_end_on': ('date', '2023-06-30')}, ()),
            (10, 'Assessed', '2023-04-26', {'kind': '年度', 'period': '2020', 'grade': '基本称职'}, ()),
            (11, 'PoolEntered', '2024-04-25', {'pool': '后备干部库'}, ()),
            (12, 'ConcernRaised', '2024-04-26', {}, ('R-LEAP',)),
            (13, 'Appointed', '2024-04-27', {'unit_code': 'U1', 'post_code': 'CLERK', 'manner': '破格提拔'}, ()),
            (14, 'ProbationConcluded', '2025-04-27', {'post_code': 'CLERK', 'outcome': '胜任', 'unit_code': 'U1'},
             ()),
            (15, 'ConversationHeld', '2025-04-28', {'kind': '任前谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (16, 'PoolReviewed', '2025-08-26', {'pool': '后备干部库', 'outcome': '调整出库'}, ()),
            (18, 'ProbationConcluded', '2026-03-14', {'post_code': 'CLERK', 'outcome': '胜任', 'unit_code': 'U1'},
             ()),
            (19, 'Assessed', '2026-03-14', {'kind': '年度', 'period': '2025', 'grade': '称职'}, ()),
            (20, 'PoolReviewed', '2026-09-30', {'pool': '后备干部库', 'outcome': '保留'}, ()),
            (21, 'Dismissed', '2027-11-04', {'unit_code': 'U1', 'post_code': 'CLERK', 'reason': '调动'}, ()),
            (23, 'PersonalMattersReported', '2027-12-04', {'year': 2026}, ()),
            (22, 'Appointed', '2027-11-04', {'unit_code': 'U2', 'post_code': 'CHIEF', 'manner': '轮岗'}, ()),
            (17, 'TrainingCompleted', '2025-08-26',
             {'kind': '在职培训', 'hours': ('decimal', '24.5'), 'passed': False, 'makeup': False}, ()),
            (24, 'RankPromoted', '2028-01-18', {'from_rank': '二级主任科员', 'to_rank': '一级主任科员'}, ()),
        ),
        '2027-02-06', 0,
        (
            ('R-FOLLOWUP', 'U1', 13, '2024-04-27', '2024-10-27', None, False, (13,), (), 0),
            ('R-OVERRIDE', None, 12, '2024-04-26', None, None, True, (12,), (), 1),
            ('R-POOL-REVIEW', None, 11, '2024-04-25', '2025-04-25', '2025-08-26', False, (11,), (16,), 43),
            ('R-ROTATE', 'U2', (22, 'must'), '2037-11-04', None, None, False, (22,), (), 7),
            ('R-ROTATE', 'U2', (22, 'plan'), '2032-11-04', None, None, False, (22,), (), 8),
            ('R-SECONDMENT-OVERDUE', None, 9, '2023-07-01', '2023-07-30', None, False, (9,), (), 44),
            ('R-TALK-CONCERN', None, 12, '2024-04-26', '2024-05-26', None, False, (12,), (), 41),
            ('R-TALK-DEPART', 'U1', 7, '2020-05-26', '2020-06-25', None, False, (7,), (), 9),
            ('R-TALK-DEPART', 'U1', 21, '2027-11-04', '2027-12-04', None, False, (21,), (), 9),
            ('R-TALK-PROMO', None, 9, '2022-06-30', '2022-07-30', '2025-04-28', False, (9,), (15,), 10),
            ('R-TALK-PROMO', 'U1', 13, '2024-04-27', '2024-05-27', '2025-04-28', False, (13,), (15,), 10),
            ('R-TALK-PROMO', 'U2', 22, '2027-11-04', '2027-12-04', None, False, (22,), (), 10),
            ('R-TALK-SANCTION', None, 2, '2015-04-23', '2015-05-23', None, False, (2,), (), 42),
            ('R-TRAIN-HOURS', None, '2015', '2015-01-01', '2015-12-31', None, False, (), (), 45),
            ('R-TRAIN-HOURS', None, '2016', '2016-01-01', '2016-12-31', None, False, (), (), 46),
            ('R-TRAIN-HOURS', None, '2017', '2017-01-01', '2017-12-31', None, False, (), (), 47),
            ('R-TRAIN-HOURS', None, '2018', '2018-01-01', '2018-12-31', None, False, (), (), 48),
            ('R-TRAIN-HOURS', None, '2019', '2019-01-01', '2019-12-31', None, False, (), (), 49),
            ('R-TRAIN-HOURS', None, '2020', '2020-01-01', '2020-12-31', None, False, (), (), 50),
            ('R-TRAIN-HOURS', None, '2021', '2021-01-01', '2021-12-31', None, False, (), (), 51),
            ('R-TRAIN-HOURS', None, '2022', '2022-01-01', '2022-12-31', None, False, (), (), 52),
            ('R-TRAIN-HOURS', None, '2023', '2023-01-01', '2023-12-31', None, False, (), (), 53),
            ('R-TRAIN-HOURS', None, '2024', '2024-01-01', '2024-12-31', None, False, (), (), 54),
            ('R-TRAIN-HOURS', 'U1', '2025', '2025-01-01', '2025-12-31', None, False, (), (), 55),
            ('R-TRAIN-HOURS', 'U1', '2026', '2026-01-01', '2026-12-31', None, False, (), (), 56),
            ('R-TRAIN-HOURS', 'U1', '2027', '2027-01-01', '2027-12-31', None, False, (), (), 57),
            ('R-TRAIN-INITIAL', None, 1, '2014-06-27', '2015-06-27', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U1', 13, '2024-04-27', '2025-04-27', None, False, (13,), (), 13),
            ('R-UNFIT', None, '2017', '2018-05-22', None, None, False, (4, 5), (), 58),
        ),
    ),
    (  # random_history(random.Random(3223))
        (
            (1, 'CadreRegistered', '2018-11-16', {'entry_channel': '定向选调生', 'rank': '四级主任科员'}, ()),
            (2, 'Appointed', '2018-11-16', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '轮岗'}, ()),
            (3, 'MentorAssigned', '2018-11-17', {}, ('R-SEQ',)),
            (4, 'Appointed', '2019-12-22', {'unit_code': 'U1', 'post_code': 'DEP', 'manner': '破格提拔'}, ()),
            (5, 'Dismissed', '2019-12-22', {'unit_code': 'U1', 'post_code': 'DEP', 'reason': '调动'}, ()),
            (6, 'Appointed', '2019-12-22', {'unit_code': 'U2', 'post_code': 'COUNTY', 'manner': '提拔'}, ()),
            (7, 'RankPromoted', '2020-02-05', {'from_rank': '四级主任科员', 'to_rank': '三级主任科员'}, ()),
            (8, 'RankPromoted', '2022-01-05', {'from_rank': '三级主任科员', 'to_rank': '二级主任科员'}, ()),
            (9, 'Sanctioned', '2022-01-06', {'track': '党纪', 'kind': '留党察看'}, ()),
            (10, 'Assessed', '2022-05-06', {'kind': '年度', 'period': '2021', 'grade': '称职'}, ()),
            (11, 'Assessed', '2023-05-06', {'kind': '年度', 'period': '2022', 'grade': '称职'}, ()),
            (12, 'Departed', '2024-11-21', {'reason': '辞职'}, ()),
        ),
        '2016-08-22', 0,
        (
            ('R-FOLLOWUP', 'U1', 4, '2019-12-22', '2020-06-22', None, False, (4,), (), 0),
            ('R-FOLLOWUP', 'U2', 6, '2019-12-22', '2020-06-22', None, False, (6,), (), 0),
            ('R-OVERRIDE', 'U9', 3, '2018-11-17', None, None, True, (3,), (), 39),
            ('R-PROBATION', 'U1', 4, '2019-12-22', '2021-01-21', '2019-12-22', False, (4,), (5,), 6),
            ('R-PROBATION', 'U2', 6, '2019-12-22', '2021-01-21', '2024-11-21', False, (6,), (12,), 6),
            ('R-TALK-DEPART', 'U1', 5, '2019-12-22', '2020-01-21', None, False, (5,), (), 9),
            ('R-TALK-DEPART', 'U2', 12, '2024-11-21', '2024-12-21', None, False, (12,), (), 9),
            ('R-TALK-PROMO', 'U9', 2, '2018-11-16', '2018-12-16', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U1', 4, '2019-12-22', '2020-01-21', None, False, (4,), (), 10),
            ('R-TALK-PROMO', 'U2', 6, '2019-12-22', '2020-01-21', None, False, (6,), (), 10),
            ('R-TALK-SANCTION', 'U2', 9, '2022-01-06', '2022-02-05', None, False, (9,), (), 42),
            ('R-TRAIN-INITIAL', 'U9', 1, '2018-11-16', '2019-11-16', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U1', 4, '2019-12-22', '2020-12-22', None, False, (4,), (), 13),
            ('R-TRAIN-POST', 'U2', 6, '2019-12-22', '2020-12-22', None, False, (6,), (), 13),
        ),
    ),
    (  # random_history(random.Random(3620))
        (
            (1, 'CadreRegistered', '2014-07-15', {'entry_channel': '军转安置', 'rank': '三级主任科员'}, ()),
            (2, 'TrainingCompleted', '2017-07-19',
             {'kind': '网络学习', 'hours': ('decimal', '8'), 'passed': True, 'makeup': False}, ()),
            (3, 'Dismissed', '2020-07-23', {'unit_code': 'U2', 'post_code': 'CHIEF', 'reason': '问责'}, ()),
            (4, 'Assessed', '2020-07-26', {'kind': '年度', 'period': '2019', 'grade': '称职'}, ()),
            (6, 'PersonalMattersReported', '2021-10-24', {'year': 2020}, ()),
            (7, 'RankPromoted', '2022-01-22', {'from_rank': '三级主任科员', 'to_rank': '二级主任科员'}, ()),
            (8, 'Assessed', '2023-12-23', {'kind': '年度', 'period': '2022', 'grade': '不称职'}, ()),
            (10, 'PersonalMattersReported', '2026-12-27', {'year': 2025}, ()),
            (11, 'PerformanceNoted', '2026-12-27', {}, ()),
            (12, 'Appointed', '2026-12-30', {'unit_code': 'U2', 'post_code': 'COUNTY', 'manner': '提拔'}, ()),
            (13, 'TrainingCompleted', '2027-02-28',
             {'kind': '党校主体班', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (14, 'PersonalMattersReported', '2027-02-28', {'year': 2026}, ()),
            (15, 'Assessed', '2030-03-04', {'kind': '年度', 'period': '2029', 'grade': '不称职'}, ()),
            (16, 'Assessed', '2031-03-04', {'kind': '年度', 'period': '2030', 'grade': '不称职'}, ()),
            (17, 'Assessed', '2032-03-07', {'kind': '专项', 'period': '2032Q1', 'grade': '称职'}, ()),
            (9, 'TrainingCompleted', '2026-12-27',
             {'kind': '任职培训', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': False}, ()),
            (5, 'ConversationHeld', '2021-07-26',
             {'kind': '任职谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 1)}, ()),
            (18, 'HandledOrganizationally', '2032-04-21', {'kind': '诫勉', 'accountability': False}, ()),
        ),
        '2029-05-10', 0,
        (
            ('R-FOLLOWUP', 'U2', 12, '2026-12-30', '2027-06-30', None, False, (12,), (), 0),
            ('R-PERSONAL-MATTERS', 'U2', '2026', '2027-01-01', '2027-01-31', '2027-02-28', False, (), (14,), 59),
            ('R-PERSONAL-MATTERS', 'U2', '2027', '2028-01-01', '2028-01-31', None, False, (), (), 60),
            ('R-PERSONAL-MATTERS', 'U2', '2028', '2029-01-01', '2029-01-31', None, False, (), (), 61),
            ('R-PROBATION', 'U2', 12, '2026-12-30', '2028-01-29', None, False, (12,), (), 6),
            ('R-ROTATE', 'U2', (12, 'must'), '2036-12-30', None, None, False, (12,), (), 7),
            ('R-ROTATE', 'U2', (12, 'plan'), '2031-12-30', None, None, False, (12,), (), 8),
            ('R-TALK-DEPART', 'U2', 3, '2020-07-23', '2020-08-22', None, False, (3,), (), 9),
            ('R-TALK-PROMO', 'U2', 12, '2026-12-30', '2027-01-29', None, False, (12,), (), 10),
            ('R-TALK-SANCTION', 'U2', 18, '2032-04-21', '2032-05-21', None, False, (18,), (), 42),
            ('R-TRAIN-HOURS', None, '2015', '2015-01-01', '2015-12-31', None, False, (), (), 45),
            ('R-TRAIN-HOURS', None, '2016', '2016-01-01', '2016-12-31', None, False, (), (), 46),
            ('R-TRAIN-HOURS', None, '2017', '2017-01-01', '2017-12-31', None, False, (), (), 62),
            ('R-TRAIN-HOURS', None, '2018', '2018-01-01', '2018-12-31', None, False, (), (), 48),
            ('R-TRAIN-HOURS', None, '2019', '2019-01-01', '2019-12-31', None, False, (), (), 49),
            ('R-TRAIN-HOURS', None, '2020', '2020-01-01', '2020-12-31', None, False, (), (), 50),
            ('R-TRAIN-HOURS', None, '2021', '2021-01-01', '2021-12-31', None, False, (), (), 51),
            ('R-TRAIN-HOURS', None, '2022', '2022-01-01', '2022-12-31', None, False, (), (), 52),
            ('R-TRAIN-HOURS', None, '2023', '2023-01-01', '2023-12-31', None, False, (), (), 53),
            ('R-TRAIN-HOURS', None, '2024', '2024-01-01', '2024-12-31', None, False, (), (), 54),
            ('R-TRAIN-HOURS', None, '2025', '2025-01-01', '2025-12-31', None, False, (), (), 55),
            ('R-TRAIN-HOURS', None, '2026', '2026-01-01', '2026-12-31', None, False, (), (), 63),
            ('R-TRAIN-HOURS', 'U2', '2027-2031', '2027-01-01', '2031-12-31', None, False, (), (), 64),
            ('R-TRAIN-POST', 'U2', 12, '2026-12-30', '2027-12-30', '2026-12-27', False, (12,), (9,), 13),
            ('R-UNFIT', 'U2', '2030', '2031-03-04', None, None, False, (15, 16), (), 65),
        ),
    ),
    (  # random_history(random.Random(4014))
        (
            (1, 'CadreRegistered', '2020-07-20', {'entry_channel': '定向选调生', 'rank': '四级调研员'}, ()),
            (2, 'Appointed', '2020-07-20', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '轮岗'}, ('R-LEAP',)),
            (3, 'Assessed', '2020-07-20', {'kind': '年度', 'period': '2019年', 'grade': '称职'}, ()),
            (4, 'DevelopmentLogged', '2020-07-30', {}, ()),
            (5, 'TrainingCompleted', '2020-08-09',
             {'kind': '在职培训', 'hours': ('decimal', '30'), 'passed': True, 'makeup': False}, ()),
            (6, 'TrainingCompleted', '2020-11-07',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': True}, ()),
            (7, 'TrainingCompleted', '2020-12-17',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (8, 'Appointed', '2022-12-27', {'unit_code': 'U3', 'post_code': 'PREF', 'manner': '提拔'}, ()),
            (9, 'DevelopmentLogged', '2023-02-25', {}, ()),
            (10, 'RankPromoted', '2023-06-25', {'from_rank': '四级调研员', 'to_rank': '三级调研员'}, ()),
            (11, 'PoolReviewed', '2023-09-23', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
            (12, 'Assessed', '2023-09-23', {'kind': '年度', 'period': '2022', 'grade': '不称职'}, ()),
            (13, 'PersonalMattersReported', '2023-12-22', {'year': 2022}, ()),
            (14, 'PoolEntered', '2026-12-26', {'pool': '后备干部库'}, ()),
            (15, 'Departed', '2028-11-25', {'reason': '辞职'}, ()),
        ),
        '2014-08-23', 0,
        (
            ('R-FOLLOWUP', 'U3', 8, '2022-12-27', '2023-06-27', None, False, (8,), (), 0),
            ('R-OVERRIDE', 'U1', 2, '2020-07-20', None, None, True, (2,), (), 1),
            ('R-POOL-REVIEW', 'U3', 14, '2026-12-26', '2027-12-26', '2028-11-25', False, (14,), (15,), 43),
            ('R-PROBATION', 'U1', 2, '2020-07-20', '2021-08-19', '2028-11-25', False, (2,), (15,), 6),
            ('R-ROTATE', 'U3', (8, 'plan'), '2027-12-27', None, '2028-11-25', False, (8,), (15,), 8),
            ('R-TALK-DEPART', 'U3', 15, '2028-11-25', '2028-12-25', None, False, (15,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '2020-07-20', '2020-08-19', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U3', 8, '2022-12-27', '2023-01-26', None, False, (8,), (), 10),
            ('R-TRAIN-INITIAL', 'U1', 1, '2020-07-20', '2021-07-20', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U3', 8, '2022-12-27', '2023-12-27', None, False, (8,), (), 13),
        ),
    ),
    (  # random_history(random.Random(4428))
        (
            (1, 'CadreRegistered', '2022-05-21', {'entry_channel': '考试录用', 'rank': '二级调研员'}, ()),
            (3, 'PoolReviewed', '2022-06-30', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
            (4, 'Assessed', '2023-07-01', {'kind': '年度', 'period': '2019', 'grade': '基本称职'}, ()),
            (5, 'HardshipRecorded', '2023-07-04', {}, ()),
            (6, 'Dismissed', '2023-07-04', {'unit_code': 'U9', 'post_code': 'GHOST', 'reason': '退休'}, ()),
            (7, 'ConversationHeld', '2026-07-08',
             {'kind': '诫勉谈话', 'trigger': '重大困难', 'trigger_entry_id': None}, ()),
            (8, 'SecondmentStarted', '2029-07-12', {'kind': '下挂', 'planned_end_on': ('date', '2029-10-10')}, ()),
            (9, 'Commended', '2029-07-12', {'kind': '嘉奖'}, ()),
            (10, 'SecondmentStarted', '2029-07-15', {'kind': '下挂', 'planned_end_on': ('date', '2031-07-15')}, ()),
            (11, 'PerformanceNoted', '2029-07-25', {}, ()),
            (12, 'Assessed', '2029-07-25', {'kind': '年度', 'period': '2028', 'grade': '称职'}, ()),
            (2, 'ConversationHeld', '2022-06-20',
             {'kind': '提任回访', 'trigger': '离任', 'trigger_entry_id': ('uuid', 1)}, ()),
        ),
        '2025-08-27', 1,
        (
            ('R-PERSONAL-MATTERS', None, '2022', '2023-01-01', '2023-02-28', None, False, (), (), 31),
            ('R-PERSONAL-MATTERS', None, '2023', '2024-01-01', '2024-02-29', None, False, (), (), 66),
            ('R-PERSONAL-MATTERS', None, '2024', '2025-01-01', '2025-02-28', None, False, (), (), 67),
            ('R-SECONDMENT-OVERDUE', None, 8, '2029-10-11', '2029-11-09', None, False, (8,), (), 68),
            ('R-SECONDMENT-OVERDUE', None, 10, '2031-07-16', '2031-08-14', None, False, (10,), (), 69),
            ('R-TALK-DEPART', 'U9', 6, '2023-07-04', '2023-07-14', None, False, (6,), (), 20),
            ('R-TALK-HARDSHIP', None, 5, '2023-07-04', '2023-07-14', '2026-07-08', False, (5,), (7,), 21),
            ('R-TALK-PROMO', None, 8, '2029-07-12', '2029-07-22', None, False, (8,), (), 22),
            ('R-TALK-PROMO', None, 10, '2029-07-15', '2029-07-25', None, False, (10,), (), 22),
            ('R-TRAIN-HOURS', None, '2023-2027', '2023-01-01', '2027-12-31', None, False, (), (), 37),
            ('R-TRAIN-INITIAL', None, 1, '2022-05-21', '2023-05-21', None, False, (1,), (), 12),
        ),
    ),
    (  # random_history(random.Random(4898))
        (
            (1, 'Appointed', '2018-08-03', {'unit_code': 'U3', 'post_code': 'PREF', 'manner': '轮岗'}, ()),
            (2, 'PoolExited', '2019-05-30', {'pool': '女干部库', 'reason': '提拔使用'}, ()),
            (3, 'ProbationConcluded', '2019-09-27', {'post_code': 'PREF', 'outcome': '胜任', 'unit_code': None}, ()),
            (4, 'Appointed', '2020-09-26', {'unit_code': 'U1', 'post_code': 'DEP', 'manner': '提拔'}, ()),
            (5, 'Assessed', '2020-09-26', {'kind': '年度', 'period': '2019', 'grade': '称职'}, ()),
            (6, 'SecondmentStarted', '2020-11-25', {'kind': '下挂', 'planned_end_on': ('date', '2020-11-22')}, ()),
            (7, 'PoolEntered', '2020-12-25', {'pool': '后备干部库'}, ()),
            (8, 'SecondmentEnded', '2021-02-08', {'secondment_entry_id': ('uuid', 1)}, ()),
            (9, 'TrainingCompleted', '2021-06-08',
             {'kind': '专门业务培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (10, 'ConversationHeld', '2021-11-15', {'kind': '诫勉谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (11, 'Assessed', '2023-01-29', {'kind': '年度', 'period': '2022年', 'grade': '不称职'}, ('R-SEQ',)),
            (12, 'Dismissed', '2024-12-29', {'unit_code': 'U3', 'post_code': 'PREF', 'reason': '提拔'}, ()),
            (13, 'Appointed', '2024-12-29', {'unit_code': 'U1', 'post_code': 'HEAD', 'manner': '提拔'}, ()),
            (14, 'Assessed', '2028-01-03', {'kind': '年度', 'period': '2027', 'grade': '优秀'}, ()),
            (15, 'DevelopmentLogged', None, {}, ()),
            (16, 'PoolReviewed', '2029-02-06', {'pool': '后备干部库', 'outcome': '保留'}, ()),
            (17, 'TrainingCompleted', '2029-02-06',
             {'kind': '网络学习', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (18, 'Sanctioned', '2030-02-07', {'track': '党纪', 'kind': '留党察看'}, ()),
            (19, 'HardshipRecorded', '2032-01-08', {}, ()),
        ),
        '2014-12-28', 1,
        (
            ('R-FOLLOWUP', 'U1', 4, '2020-09-26', '2020-12-26', None, False, (4,), (), 14),
            ('R-FOLLOWUP', 'U1', 13, '2024-12-29', '2025-03-29', None, False, (13,), (), 14),
            ('R-OVERRIDE', 'U3', 11, '2023-01-29', None, None, True, (11,), (), 39),
            ('R-POOL-REVIEW', 'U3', 7, '2020-12-25', '2021-06-25', '2029-02-06', False, (7,), (16,), 70),
            ('R-POOL-REVIEW', 'U1', 16, '2029-02-06', '2029-08-06', None, False, (7, 16), (), 70),
            ('R-POOL-STALE', 'U3', 7, '2021-12-25', None, '2024-12-29', False, (7,), (13,), 71),
            ('R-PROBATION', 'U1', 4, '2020-09-26', '2021-03-26', None, False, (4,), (), 16),
            ('R-ROTATE', 'U3', (1, 'must'), '2022-08-03', None, '2024-12-29', False, (1,), (12,), 18),
            ('R-ROTATE', 'U3', (1, 'plan'), '2020-08-03', None, '2024-12-29', False, (1,), (12,), 17),
            ('R-ROTATE', 'U1', (4, 'must'), '2024-09-26', None, None, False, (4,), (), 18),
            ('R-ROTATE', 'U1', (4, 'plan'), '2022-09-26', None, None, False, (4,), (), 17),
            ('R-ROTATE', 'U1', (13, 'must'), '2028-12-29', None, None, False, (13,), (), 18),
            ('R-ROTATE', 'U1', (13, 'plan'), '2026-12-29', None, None, False, (13,), (), 17),
            ('R-SECONDMENT-OVERDUE', 'U3', 6, '2020-11-23', '2020-12-22', None, False, (6,), (), 72),
            ('R-TALK-DEPART', 'U3', 12, '2024-12-29', '2025-01-08', None, False, (12,), (), 20),
            ('R-TALK-HARDSHIP', 'U1', 19, '2032-01-08', '2032-01-18', None, False, (19,), (), 21),
            ('R-TALK-PROMO', 'U3', 1, '2018-08-03', '2018-08-13', None, False, (1,), (), 22),
            ('R-TALK-PROMO', 'U1', 4, '2020-09-26', '2020-10-06', None, False, (4,), (), 22),
            ('R-TALK-PROMO', 'U3', 6, '2020-11-25', '2020-12-05', None, False, (6,), (), 22),
            ('R-TALK-PROMO', 'U1', 13, '2024-12-29', '2025-01-08', None, False, (13,), (), 22),
            ('R-TALK-SANCTION', 'U1', 18, '2030-02-07', '2030-02-17', None, False, (18,), (), 23),
            ('R-TRAIN-POST', 'U1', 4, '2020-09-26', '2021-09-26', None, False, (4,), (), 13),
            ('R-TRAIN-POST', 'U1', 13, '2024-12-29', '2025-12-29', None, False, (13,), (), 13),
        ),
    ),
    (  # random_history(random.Random(5334))
        (
            (1, 'CadreRegistered', '2019-01-18', {'entry_channel': '调任', 'rank': '三级调研员'}, ()),
            (2, 'Appointed', '2019-02-17', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '提拔'}, ()),
            (3, 'Assessed', '2019-01-21', {'kind': '年度', 'period': '2018', 'grade': '称职'}, ()),
            (4, 'TrainingCompleted', '2019-01-24',
             {'kind': '网络学习', 'hours': ('decimal', '8'), 'passed': True, 'makeup': False}, ()),
            (5, 'HandledOrganizationally', '2020-01-25', {'kind': '诫勉', 'accountability': False}, ()),
            (6, 'HardshipRecorded', '2021-12-25', {}, ()),
            (7, 'PoolEntered', '2023-01-29', {'pool': '专业干部人才库'}, ()),
            (8, 'SecondmentStarted', '2023-08-17', {'kind': '下挂', 'planned_end_on': ('date', '2025-08-16')}, ()),
            (9, 'Assessed', '2023-08-20', {'kind': '年度', 'period': ' 2019 ', 'grade': '不称职'}, ()),
            (10, 'TrainingCompleted', '2024-06-15',
             {'kind': '网络学习', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (11, 'PoolEntered', '2026-05-16', {'pool': '两型干部库'}, ()),
            (12, 'Dismissed', '2027-06-20', {'unit_code': 'U1', 'post_code': 'STAFF', 'reason': '提拔'}, ('R-SEQ',)),
            (13, 'Commended', '2028-06-19', {'kind': '嘉奖'}, ()),
            (14, 'Appointed', '2028-06-20', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '破格提拔'},
             ('R-SEQ',)),
            (15, 'Dismissed', '2028-07-20', {'unit_code': 'U9', 'post_code': 'GHOST', 'reason': '退休'}, ()),
            (16, 'TrainingCompleted', '2028-11-17',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': False}, ()),
            (17, 'TrainingCompleted', '2028-11-27',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (18, 'Sanctioned', '2029-09-13', {'track': '党纪', 'kind': '记过'}, ()),
            (19, 'RankPromoted', '2030-01-11', {'from_rank': '三级调研员', 'to_rank': '二级调研员'}, ()),
            (20, 'Assessed', '2030-04-11', {'kind': '平时', 'period': '2030Q1', 'grade': '优秀'}, ()),
            (21, 'Sanctioned', '2031-04-12', {'track': '党纪', 'kind': '留党察看'}, ()),
            (22, 'PoolReviewed', '2032-02-06', {'pool': '专业干部人才库', 'outcome': '调整出库'}, ()),
        ),
        '2014-02-22', 1,
        (
            ('R-FOLLOWUP', 'U1', 2, '2019-02-17', '2019-05-17', None, False, (2,), (), 14),
            ('R-FOLLOWUP', 'U9', 14, '2028-06-20', '2028-09-20', None, False, (14,), (), 14),
            ('R-OVERRIDE', 'U1', 12, '2027-06-20', None, None, True, (12,), (), 39),
            ('R-OVERRIDE', 'U9', 14, '2028-06-20', None, None, True, (14,), (), 39),
            ('R-POOL-REVIEW', 'U1', 11, '2026-05-16', '2026-11-16', None, False, (11,), (), 73),
            ('R-POOL-STALE', 'U1', 11, '2027-05-16', None, '2028-06-20', False, (11,), (14,), 74),
            ('R-PROBATION', 'U1', 2, '2019-02-17', '2019-08-17', '2027-06-20', False, (2,), (12,), 16),
            ('R-SECONDMENT-OVERDUE', 'U1', 8, '2025-08-17', '2025-09-15', None, False, (8,), (), 75),
            ('R-TALK-DEPART', 'U1', 12, '2027-06-20', '2027-06-30', None, False, (12,), (), 20),
            ('R-TALK-DEPART', 'U9', 15, '2028-07-20', '2028-07-30', None, False, (15,), (), 20),
            ('R-TALK-HARDSHIP', 'U1', 6, '2021-12-25', '2022-01-04', None, False, (6,), (), 21),
            ('R-TALK-PROMO', 'U1', 2, '2019-02-17', '2019-02-27', None, False, (2,), (), 22),
            ('R-TALK-PROMO', 'U1', 8, '2023-08-17', '2023-08-27', None, False, (8,), (), 22),
            ('R-TALK-PROMO', 'U9', 14, '2028-06-20', '2028-06-30', None, False, (14,), (), 22),
            ('R-TALK-SANCTION', 'U1', 5, '2020-01-25', '2020-02-04', None, False, (5,), (), 23),
            ('R-TALK-SANCTION', 'U9', 18, '2029-09-13', '2029-09-23', None, False, (18,), (), 23),
            ('R-TALK-SANCTION', 'U9', 21, '2031-04-12', '2031-04-22', None, False, (21,), (), 23),
            ('R-TRAIN-POST', 'U1', 2, '2019-02-17', '2020-02-17', None, False, (2,), (), 13),
            ('R-TRAIN-POST', 'U9', 14, '2028-06-20', '2029-06-20', None, False, (14,), (), 13),
            ('R-UNFIT', 'U1', '2019', '2023-08-20', None, None, False, (9,), (), 76),
        ),
    ),
    (  # random_history(random.Random(5782))
        (
            (1, 'CadreRegistered', '2018-07-25', {'entry_channel': '考试录用', 'rank': '二级科员'}, ()),
            (2, 'Appointed', '2018-07-25', {'unit_code': 'U1', 'post_code': 'DEP', 'manner': '复职'}, ()),
            (3, 'RankPromoted', '2018-09-08', {'from_rank': '二级科员', 'to_rank': '一级科员'}, ()),
            (4, 'Assessed', '2018-09-08', {'kind': '年度', 'period': '2017', 'grade': '不定等次'}, ()),
            (5, 'TrainingCompleted', '2018-12-07',
             {'kind': '初任培训', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (6, 'Assessed', '2019-01-21', {'kind': '年度', 'period': '2018', 'grade': '优秀'}, ()),
            (7, 'Appointed', '2019-04-21', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '调任'}, ()),
            (8, 'ConversationHeld', '2019-04-22',
             {'kind': '任前谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 4)}, ()),
            (9, 'Assessed', '2019-05-02', {'kind': '年度', 'period': '2018', 'grade': '优秀'}, ()),
            (10, 'TrainingCompleted', '2019-07-01',
             {'kind': '任职培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (11, 'Assessed', '2019-07-11', {'kind': '年度', 'period': '2018', 'grade': '不称职'}, ()),
            (12, 'Assessed', '2019-07-11', {'kind': '年度', 'period': '2018', 'grade': '优秀'}, ()),
            (13, 'TrainingCompleted', '2019-08-10',
             {'kind': '在职培训', 'hours': ('decimal', '8'), 'passed': True, 'makeup': False}, ()),
            (14, 'ConversationHeld', '2020-06-05', {'kind': '任职谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (15, 'PoolEntered', '2020-06-05', {'pool': '后备干部库'}, ()),
            (16, 'Assessed', '2023-06-10', {'kind': '年度', 'period': '2022', 'grade': '基本称职'}, ()),
            (17, 'TrainingCompleted', '2024-07-14',
             {'kind': '在职培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (18, 'ConversationHeld', '2024-11-11',
             {'kind': '任前谈话', 'trigger': '受处理处分', 'trigger_entry_id': None}, ()),
        ),
        '2015-12-15', 0,
        (
            ('R-POOL-REVIEW', 'U1', 15, '2020-06-05', '2021-06-05', None, False, (15,), (), 43),
            ('R-POOL-STALE', 'U1', 15, '2023-06-05', None, None, False, (15,), (), 77),
            ('R-PROBATION', 'U1', 2, '2018-07-25', '2019-08-24', None, False, (2,), (), 6),
            ('R-ROTATE', 'U1', (2, 'must'), '2028-07-25', None, None, False, (2,), (), 7),
            ('R-ROTATE', 'U1', (2, 'plan'), '2023-07-25', None, None, False, (2,), (), 8),
            ('R-TALK-PROMO', 'U1', 2, '2018-07-25', '2018-08-24', '2020-06-05', False, (2,), (14,), 10),
            ('R-TALK-PROMO', 'U9', 7, '2019-04-21', '2019-05-21', '2020-06-05', False, (7,), (14,), 10),
            ('R-TRAIN-INITIAL', 'U1', 1, '2018-07-25', '2019-07-25', '2018-12-07', False, (1,), (5,), 12),
        ),
    ),
    (  # random_history(random.Random(166))
        (
            (1, 'CadreRegistered', '1993-11-20', {'entry_channel': '考试录用', 'rank': '二级调研员'}, ()),
            (2, 'Appointed', '1993-11-20', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '提拔'}, ()),
            (3, 'Dismissed', '1993-11-23', {'unit_code': 'U1', 'post_code': 'STAFF', 'reason': '组织处理'}, ()),
            (4, 'Appointed', '1993-11-23', {'unit_code': 'U1', 'post_code': 'CLERK', 'manner': '复职'}, ()),
            (5, 'Assessed', '1993-12-23', {'kind': '年度', 'period': '1992', 'grade': '优秀'}, ()),
            (6, 'SecondmentStarted', '1994-01-22', {'kind': '下挂', 'planned_end_on': ('date', '1995-01-22')}, ()),
            (7, 'PoolEntered', '1994-01-25', {'pool': '后备干部库'}, ()),
            (8, 'TrainingCompleted', '1994-01-25',
             {'kind': '专门业务培训', 'hours': ('decimal', '60'), 'passed': True, 'makeup': False}, ()),
            (9, 'Assessed', '1994-08-13', {'kind': '年度', 'period': '1990年', 'grade': '不称职'}, ()),
            (10, 'PoolReviewed', '1994-08-13', {'pool': '后备干部库', 'outcome': '保留'}, ()),
            (11, 'RankPromoted', '1994-12-11', {'from_rank': '二级调研员', 'to_rank': '一级调研员'}, ()),
            (12, 'TrainingCompleted', '1996-01-15',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': False}, ()),
            (13, 'TrainingCompleted', '1996-01-25',
             {'kind': '在职培训', 'hours': ('decimal', '30'), 'passed': True, 'makeup': False}, ()),
            (14, 'TrainingCompleted', '1996-02-04',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': False}, ()),
            (15, 'Dismissed', '1996-03-15', {'unit_code': 'U1', 'post_code': 'CLERK', 'reason': '问责'}, ()),
            (16, 'Appointed', '1996-03-15', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '平职交流'}, ()),
            (17, 'SecondmentStarted', '1996-03-15', {'kind': '下挂', 'planned_end_on': ('date', '1998-03-15')}, ()),
            (18, 'Assessed', '1996-03-15', {'kind': '年度', 'period': '1995', 'grade': '称职'}, ()),
            (19, 'TrainingCompleted', '1996-05-14',
             {'kind': '任职培训', 'hours': ('decimal', '4'), 'passed': False, 'makeup': False}, ()),
            (20, 'Dismissed', '1996-05-15', {'unit_code': 'U1', 'post_code': 'HEAD', 'reason': '辞职'}, ()),
            (21, 'Departed', '1996-06-29', {'reason': '调出'}, ()),
        ),
        '2018-06-10', 0,
        (
            ('R-FOLLOWUP', 'U1', 2, '1993-11-20', '1994-05-20', None, False, (2,), (), 0),
            ('R-PERSONAL-MATTERS', 'U1', '1993', '1994-01-01', '1994-01-31', None, False, (), (), 78),
            ('R-PERSONAL-MATTERS', 'U1', '1994', '1995-01-01', '1995-01-31', None, False, (), (), 79),
            ('R-PERSONAL-MATTERS', 'U1', '1995', '1996-01-01', '1996-01-31', None, False, (), (), 80),
            ('R-POOL-REVIEW', 'U1', 7, '1994-01-25', '1995-01-25', '1994-08-13', False, (7,), (10,), 43),
            ('R-POOL-REVIEW', 'U1', 10, '1994-08-13', '1995-08-13', '1996-06-29', False, (7, 10), (21,), 43),
            ('R-PROBATION', 'U1', 2, '1993-11-20', '1994-12-20', '1993-11-23', False, (2,), (3,), 6),
            ('R-SECONDMENT-OVERDUE', 'U1', 6, '1995-01-23', '1995-02-21', '1996-06-29', False, (6,), (21,), 81),
            ('R-TALK-DEPART', 'U1', 3, '1993-11-23', '1993-12-23', None, False, (3,), (), 9),
            ('R-TALK-DEPART', 'U1', 15, '1996-03-15', '1996-04-14', None, False, (15,), (), 9),
            ('R-TALK-DEPART', 'U1', 20, '1996-05-15', '1996-06-14', None, False, (20,), (), 9),
            ('R-TALK-DEPART', 'U9', 21, '1996-06-29', '1996-07-29', None, False, (21,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '1993-11-20', '1993-12-20', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U1', 4, '1993-11-23', '1993-12-23', None, False, (4,), (), 10),
            ('R-TALK-PROMO', 'U1', 6, '1994-01-22', '1994-02-21', None, False, (6,), (), 10),
            ('R-TALK-PROMO', 'U9', 16, '1996-03-15', '1996-04-14', None, False, (16,), (), 10),
            ('R-TALK-PROMO', 'U9', 17, '1996-03-15', '1996-04-14', None, False, (17,), (), 10),
            ('R-TRAIN-INITIAL', 'U1', 1, '1993-11-20', '1994-11-20', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U1', 2, '1993-11-20', '1994-11-20', None, False, (2,), (), 13),
        ),
    ),
    (  # random_history(random.Random(565))
        (
            (1, 'CadreRegistered', '2022-08-26', {'entry_channel': '调任', 'rank': '四级主任科员'}, ()),
            (2, 'Appointed', '2022-08-26', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '转任'}, ()),
            (4, 'Assessed', '2023-01-03', {'kind': '年度', 'period': '2022', 'grade': '优秀'}, ()),
            (6, 'ConcernRaised', '2023-03-05', {}, ()),
            (7, 'PoolExited', '2023-03-15', {'pool': '女干部库', 'reason': '提拔使用'}, ()),
            (8, 'Dismissed', '2023-04-14', {'unit_code': 'U9', 'post_code': 'GHOST', 'reason': '调动'}, ()),
            (9, 'SecondmentStarted', '2023-05-29', {'kind': '下挂', 'planned_end_on': ('date', '2025-05-28')}, ()),
            (10, 'ProbationConcluded', '2024-03-24', {'post_code': 'DEP', 'outcome': '胜任', 'unit_code': None}, ()),
            (12, 'ConcernRaised', '2024-11-09', {}, ()),
            (5, 'TrainingCompleted', '2023-01-04',
             {'kind': '任职培训', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (11, 'Assessed', '2024-04-23', {'kind': '年度', 'period': '2023', 'grade': '称职'}, ('R-LEAP',)),
            (3, 'Assessed', '2022-09-05', {'kind': '年度', 'period': '2021', 'grade': '不称职'}, ()),
        ),
        '2016-01-08', 0,
        (
            ('R-OVERRIDE', 'U9', 11, '2024-04-23', None, None, True, (11,), (), 1),
            ('R-SECONDMENT-OVERDUE', 'U9', 9, '2025-05-29', '2025-06-27', None, False, (9,), (), 82),
            ('R-TALK-CONCERN', 'U9', 6, '2023-03-05', '2023-04-04', None, False, (6,), (), 41),
            ('R-TALK-CONCERN', 'U9', 12, '2024-11-09', '2024-12-09', None, False, (12,), (), 41),
            ('R-TALK-DEPART', 'U9', 8, '2023-04-14', '2023-05-14', None, False, (8,), (), 9),
            ('R-TALK-PROMO', 'U9', 2, '2022-08-26', '2022-09-25', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U9', 8, '2023-04-14', '2023-05-14', None, False, (8,), (), 10),
            ('R-TALK-PROMO', 'U9', 9, '2023-05-29', '2023-06-28', None, False, (9,), (), 10),
        ),
    ),
    (  # random_history(random.Random(1008))
        (
            (1, 'CadreRegistered', '2015-08-11', {'entry_channel': '军转安置', 'rank': '三级调研员'}, ()),
            (2, 'Appointed', '2015-09-10', {'unit_code': 'U1', 'post_code': 'DEP', 'manner': '调任'}, ()),
            (3, 'RankPromoted', '2015-11-09', {'from_rank': '三级调研员', 'to_rank': '二级调研员'}, ()),
            (4, 'TrainingCompleted', '2016-01-08',
             {'kind': '初任培训', 'hours': ('decimal', '8'), 'passed': True, 'makeup': False}, ()),
            (5, 'TrainingCompleted', '2016-01-11',
             {'kind': '在职培训', 'hours': ('decimal', '40'), 'passed': True, 'makeup': False}, ()),
            (6, 'Sanctioned', '2016-07-29', {'track': '党纪', 'kind': '留党察看'}, ()),
            (7, 'TrainingCompleted', '2017-05-25',
             {'kind': '专门业务培训', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (8, 'Assessed', '2019-04-25', {'kind': '年度', 'period': '2018', 'grade': '不称职'}, ()),
            (9, 'Commended', '2019-04-25', {'kind': '嘉奖'}, ()),
            (10, 'Assessed', '2021-03-25', {'kind': '年度', 'period': '2020', 'grade': '优秀'}, ()),
            (11, 'Assessed', '2022-01-19', {'kind': '年度', 'period': '2021', 'grade': '优秀'}, ()),
            (12, 'RankPromoted', '2022-08-07', {'from_rank': '二级调研员', 'to_rank': '一级调研员'}, ()),
            (13, 'Dismissed', '2022-08-17', {'unit_code': 'U1', 'post_code': 'DEP', 'reason': '试用期不胜任'}, ()),
            (14, 'Appointed', '2022-08-17', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '轮岗'}, ()),
            (15, 'Assessed', '2023-03-05', {'kind': '年度', 'period': '2022', 'grade': '称职'}, ()),
            (16, 'TrainingCompleted', '2024-03-04',
             {'kind': '在职培训', 'hours': ('decimal', '120'), 'passed': True, 'makeup': False}, ()),
            (18, 'Assessed', '2027-06-07', {'kind': '年度', 'period': '2026', 'grade': '优秀'}, ()),
            (19, 'Assessed', '2028-06-06', {'kind': '年度', 'period': '2027', 'grade': '优秀'}, ()),
            (20, 'Assessed', '2029-06-11', {'kind': '年度', 'period': '2028', 'grade': '优秀'}, ()),
            (21, 'Assessed', '2030-06-12', {'kind': '年度', 'period': '2029', 'grade': '优秀'}, ()),
            (22, 'RankPromoted', '2031-06-13', {'from_rank': '四级主任科员', 'to_rank': '二级巡视员'}, ()),
            (23, 'Assessed', '2031-08-12', {'kind': '年度', 'period': '2030', 'grade': '基本称职'}, ()),
            (24, 'PersonalMattersReported', '2032-08-11', {'year': 2031}, ()),
            (25, 'ConversationHeld', '2032-08-11',
             {'kind': '提醒谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 19)}, ()),
            (26, 'PersonalMattersReported', '2032-08-11', {'year': 2031}, ()),
            (17, 'TrainingCompleted', '2024-06-02',
             {'kind': '任职培训', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': False}, ()),
        ),
        '2030-02-07', 0,
        (
            ('R-MERIT', 'U1', '2028', '2029-06-11', '2029-12-31', None, False, (18, 19, 20), (), 83),
            ('R-PERSONAL-MATTERS', 'U1', '2015', '2016-01-01', '2016-01-31', None, False, (), (), 2),
            ('R-PERSONAL-MATTERS', 'U1', '2016', '2017-01-01', '2017-01-31', None, False, (), (), 3),
            ('R-PERSONAL-MATTERS', 'U1', '2017', '2018-01-01', '2018-01-31', None, False, (), (), 84),
            ('R-PERSONAL-MATTERS', 'U1', '2018', '2019-01-01', '2019-01-31', None, False, (), (), 85),
            ('R-PERSONAL-MATTERS', 'U1', '2019', '2020-01-01', '2020-01-31', None, False, (), (), 86),
            ('R-PERSONAL-MATTERS', 'U1', '2020', '2021-01-01', '2021-01-31', None, False, (), (), 87),
            ('R-PERSONAL-MATTERS', 'U1', '2021', '2022-01-01', '2022-01-31', None, False, (), (), 88),
            ('R-PERSONAL-MATTERS', 'U1', '2022', '2023-01-01', '2023-01-31', None, False, (), (), 89),
            ('R-PERSONAL-MATTERS', 'U1', '2023', '2024-01-01', '2024-01-31', None, False, (), (), 90),
            ('R-PERSONAL-MATTERS', 'U1', '2024', '2025-01-01', '2025-01-31', None, False, (), (), 91),
            ('R-PERSONAL-MATTERS', 'U1', '2025', '2026-01-01', '2026-01-31', None, False, (), (), 92),
            ('R-PERSONAL-MATTERS', 'U1', '2026', '2027-01-01', '2027-01-31', None, False, (), (), 59),
            ('R-PERSONAL-MATTERS', 'U1', '2027', '2028-01-01', '2028-01-31', None, False, (), (), 60),
            ('R-PERSONAL-MATTERS', 'U1', '2028', '2029-01-01', '2029-01-31', None, False, (), (), 61),
            ('R-PERSONAL-MATTERS', 'U1', '2029', '2030-01-01', '2030-01-31', None, False, (), (), 93),
            ('R-PROBATION', 'U1', 2, '2015-09-10', '2016-10-10', '2022-08-17', False, (2,), (13,), 6),
            ('R-PROBATION', 'U1', 14, '2022-08-17', '2023-09-16', None, False, (14,), (), 6),
            ('R-ROTATE', 'U1', (2, 'plan'), '2020-09-10', None, '2022-08-17', False, (2,), (13,), 8),
            ('R-TALK-DEPART', 'U1', 13, '2022-08-17', '2022-09-16', None, False, (13,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '2015-09-10', '2015-10-10', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U1', 14, '2022-08-17', '2022-09-16', None, False, (14,), (), 10),
            ('R-TALK-SANCTION', 'U1', 6, '2016-07-29', '2016-08-28', None, False, (6,), (), 42),
            ('R-TRAIN-HOURS', 'U1', '2016-2020', '2016-01-01', '2020-12-31', None, False, (), (), 94),
            ('R-TRAIN-HOURS', 'U1', '2021-2025', '2021-01-01', '2025-12-31', None, False, (), (), 95),
            ('R-TRAIN-HOURS', 'U1', '2026-2030', '2026-01-01', '2030-12-31', None, False, (), (), 96),
        ),
    ),
    (  # random_history(random.Random(1456))
        (
            (1, 'CadreRegistered', '2011-03-22', {'entry_channel': '应届选调生', 'rank': '科长'}, ()),
            (2, 'Appointed', '2011-03-22', {'unit_code': 'U3', 'post_code': 'ODD', 'manner': '调任'}, ()),
            (3, 'TrainingCompleted', '2011-05-06',
             {'kind': '网络学习', 'hours': ('decimal', '8'), 'passed': True, 'makeup': False}, ()),
            (4, 'Assessed', '2011-06-05', {'kind': '年度', 'period': '2010', 'grade': '优秀'}, ()),
            (5, 'Sanctioned', '2011-07-20', {'track': '党纪', 'kind': '记过'}, ()),
            (6, 'Dismissed', '2012-08-23', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '辞职'}, ()),
            (7, 'PoolReviewed', '2014-07-24', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
            (8, 'PoolReviewed', '2014-10-22', {'pool': '年轻干部库', 'outcome': '保留'}, ()),
            (9, 'ProbationConcluded', '2014-10-25', {'post_code': 'STAFF', 'outcome': '胜任', 'unit_code': None}, ()),
            (10, 'ConversationHeld', '2015-02-22',
             {'kind': '离任谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 6)}, ()),
            (11, 'TrainingCompleted', '2016-02-23',
             {'kind': '专门业务培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': True}, ()),
            (12, 'Dismissed', '2016-02-23', {'unit_code': 'U1', 'post_code': 'CLERK', 'reason': '提拔'}, ()),
        ),
        '2017-07-02', 1,
        (
            ('R-TALK-DEPART', 'U3', 6, '2012-08-23', '2012-09-02', '2015-02-22', False, (6,), (10,), 20),
            ('R-TALK-DEPART', 'U1', 12, '2016-02-23', '2016-03-04', None, False, (12,), (), 20),
            ('R-TALK-PROMO', 'U3', 2, '2011-03-22', '2011-04-01', None, False, (2,), (), 22),
            ('R-TALK-SANCTION', 'U3', 5, '2011-07-20', '2011-07-30', None, False, (5,), (), 23),
            ('R-TRAIN-INITIAL', 'U3', 1, '2011-03-22', '2012-03-22', None, False, (1,), (), 12),
        ),
    ),
    (  # random_history(random.Random(1861))
        (
            (1, 'CadreRegistered', '2020-08-21', {'entry_channel': '调任', 'rank': '三级调研员'}, ()),
            (2, 'Appointed', '2020-08-21', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '提拔'}, ()),
            (3, 'Appointed', '2020-10-05', {'unit_code': 'U1', 'post_code': 'CLERK', 'manner': '转任'}, ()),
            (4, 'ConversationHeld', '2021-02-02', {'kind': '函询', 'trigger': None, 'trigger_entry_id': None}, ()),
            (5, 'SecondmentStarted', '2021-03-19', {'kind': '下挂', 'planned_end_on': ('date', '2021-03-16')}, ()),
            (6, 'TrainingCompleted', '2021-10-05',
             {'kind': '专门业务培训', 'hours': ('decimal', '40'), 'passed': False, 'makeup': False}, ()),
            (7, 'ConversationHeld', '2024-10-09', {'kind': '任职谈话', 'trigger': '离任', 'trigger_entry_id': None},
             ()),
            (8, 'RankPromoted', '2024-10-09', {'from_rank': '三级调研员', 'to_rank': '二级调研员'}, ()),
            (9, 'Assessed', '2025-08-05', {'kind': '年度', 'period': '2024', 'grade': '优秀'}, ()),
            (10, 'PoolEntered', '2025-08-05', {'pool': '专业干部人才库'}, ('R-LEAP',)),
            (11, 'PersonalMattersReported', '2025-09-04', {'year': 2024}, ()),
            (12, 'TrainingCompleted', '2026-07-01',
             {'kind': '党校主体班', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': False}, ()),
            (13, 'Assessed', '2026-09-29', {'kind': '年度', 'period': '2025', 'grade': '称职'}, ()),
            (14, 'Assessed', '2027-10-04', {'kind': '年度', 'period': '2026', 'grade': '称职'}, ()),
            (15, 'ConversationHeld', '2029-10-08', {'kind': '谈心谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (16, 'PoolReviewed', '2030-08-04', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
            (17, 'ConversationHeld', '2030-09-03',
             {'kind': '任前谈话', 'trigger': '离任', 'trigger_entry_id': ('uuid', 12)}, ()),
            (18, 'HardshipRecorded', '2030-10-03', {}, ()),
            (19, 'Assessed', '2030-10-03', {'kind': '年度', 'period': '2029', 'grade': '优秀'}, ()),
            (20, 'ConversationHeld', '2032-09-02', {'kind': '函询', 'trigger': '苗头问题', 'trigger_entry_id': None},
             ()),
        ),
        '2024-03-08', 0,
        (
            ('R-FOLLOWUP', 'U1', 2, '2020-08-21', '2021-02-21', None, False, (2,), (), 0),
            ('R-OVERRIDE', 'U1', 10, '2025-08-05', None, None, True, (10,), (), 1),
            ('R-PERSONAL-MATTERS', 'U1', '2020', '2021-01-01', '2021-01-31', None, False, (), (), 87),
            ('R-PERSONAL-MATTERS', 'U1', '2021', '2022-01-01', '2022-01-31', None, False, (), (), 88),
            ('R-PERSONAL-MATTERS', 'U1', '2022', '2023-01-01', '2023-01-31', None, False, (), (), 89),
            ('R-PERSONAL-MATTERS', 'U1', '2023', '2024-01-01', '2024-01-31', None, False, (), (), 90),
            ('R-PROBATION', 'U1', 2, '2020-08-21', '2021-09-20', None, False, (2,), (), 6),
            ('R-SECONDMENT-OVERDUE', 'U1', 5, '2021-03-17', '2021-04-15', None, False, (5,), (), 97),
            ('R-TALK-HARDSHIP', 'U1', 18, '2030-10-03', '2030-11-02', None, False, (18,), (), 98),
            ('R-TALK-PROMO', 'U1', 2, '2020-08-21', '2020-09-20', '2024-10-09', False, (2,), (7,), 10),
            ('R-TALK-PROMO', 'U1', 3, '2020-10-05', '2020-11-04', '2024-10-09', False, (3,), (7,), 10),
            ('R-TALK-PROMO', 'U1', 5, '2021-03-19', '2021-04-18', '2024-10-09', False, (5,), (7,), 10),
            ('R-TRAIN-HOURS', 'U1', '2021-2025', '2021-01-01', '2025-12-31', None, False, (), (), 99),
            ('R-TRAIN-POST', 'U1', 2, '2020-08-21', '2021-08-21', None, False, (2,), (), 13),
        ),
    ),
    (  # random_history(random.Random(2244))
        (
            (1, 'CadreRegistered', '2017-02-05', {'entry_channel': '军转安置', 'rank': '三级调研员'}, ()),
            (2, 'Appointed', '2017-03-07', {'unit_code': 'U1', 'post_code': 'HEAD', 'manner': '调任'}, ()),
            (3, 'RankPromoted', '2017-03-07', {'from_rank': '三级调研员', 'to_rank': '二级调研员'}, ()),
            (4, 'Dismissed', '2018-04-11', {'unit_code': 'U1', 'post_code': 'HEAD', 'reason': '提拔'}, ()),
            (5, 'Assessed', '2018-04-11', {'kind': '年度', 'period': '2017', 'grade': '优秀'}, ('R-SEQ',)),
            (6, 'PersonalMattersReported', '2018-05-26', {'year': 2017}, ()),
            (7, 'Assessed', '2018-08-24', {'kind': '年度', 'period': '2017年', 'grade': '称职'}, ()),
            (8, 'ConversationHeld', '2018-08-24', {'kind': '离任谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (11, 'PoolExited', '2022-02-24', {'pool': '后备干部库', 'reason': '提拔使用'}, ()),
            (12, 'PoolEntered', '2022-02-24', {'pool': '专业干部人才库'}, ()),
            (13, 'Sanctioned', '2022-05-25', {'track': '党纪', 'kind': '留党察看'}, ()),
            (14, 'RankPromoted', '2022-06-24', {'from_rank': '二级调研员', 'to_rank': '一级调研员'}, ()),
            (15, 'Assessed', '2024-05-24', {'kind': '年度', 'period': '2023', 'grade': '不称职'}, ('R-LEAP',)),
            (16, 'Appointed', '2024-05-24', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '破格提拔'}, ()),
            (17, 'PersonalMattersReported', '2024-08-22', {'year': 2023}, ()),
            (18, 'TrainingCompleted', '2025-08-23',
             {'kind': '党校主体班', 'hours': ('decimal', '60'), 'passed': True, 'makeup': False}, ()),
            (19, 'Assessed', '2025-08-24', {'kind': '年度', 'period': '2024', 'grade': '不称职'}, ()),
            (20, 'Assessed', '2026-08-25', {'kind': '年度', 'period': '2025', 'grade': '不称职'}, ()),
            (21, 'Assessed', '2027-08-26', {'kind': '年度', 'period': '2026', 'grade': '不称职'}, ()),
            (22, 'TrainingCompleted', '2028-10-24',
             {'kind': '在职培训', 'hours': ('decimal', '30'), 'passed': True, 'makeup': False}, ()),
            (23, 'TrainingCompleted', '2028-11-03',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (25, 'PoolReviewed', '2030-03-18', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
            (26, 'TrainingCompleted', '2031-03-18',
             {'kind': '专门业务培训', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (9, 'Dismissed', '2018-11-22', {'unit_code': 'U1', 'post_code': 'DEP', 'reason': '提拔'}, ()),
            (10, 'Commended', '2021-11-26', {'kind': '嘉奖'}, ()),
            (24, 'HandledOrganizationally', '2029-02-11', {'kind': '诫勉', 'accountability': False}, ()),
        ),
        '2012-03-13', 0,
        (
            ('R-FOLLOWUP', 'U1', 16, '2024-05-24', '2024-11-24', None, False, (16,), (), 0),
            ('R-OVERRIDE', 'U1', 5, '2018-04-11', None, None, True, (5,), (), 39),
            ('R-OVERRIDE', 'U1', 15, '2024-05-24', None, None, True, (15,), (), 1),
            ('R-PROBATION', 'U1', 16, '2024-05-24', '2025-06-23', None, False, (16,), (), 6),
            ('R-TALK-DEPART', 'U1', 4, '2018-04-11', '2018-05-11', '2018-08-24', False, (4,), (8,), 9),
            ('R-TALK-DEPART', 'U1', 9, '2018-11-22', '2018-12-22', None, False, (9,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '2017-03-07', '2017-04-06', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U1', 16, '2024-05-24', '2024-06-23', None, False, (16,), (), 10),
            ('R-TALK-SANCTION', 'U1', 13, '2022-05-25', '2022-06-24', None, False, (13,), (), 42),
            ('R-TALK-SANCTION', 'U1', 24, '2029-02-11', '2029-03-13', None, False, (24,), (), 42),
            ('R-TRAIN-POST', 'U1', 16, '2024-05-24', '2025-05-24', None, False, (16,), (), 13),
            ('R-UNFIT', 'U1', '2024', '2025-08-24', None, None, False, (15, 19), (), 100),
            ('R-UNFIT', 'U1', '2026', '2027-08-26', None, None, False, (20, 21), (), 101),
        ),
    ),
    (  # random_history(random.Random(2630))
        (
            (1, 'CadreRegistered', '1996-07-23', {'entry_channel': '考试录用', 'rank': '科长'}, ()),
            (2, 'Appointed', '1996-08-22', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '破格提拔'}, ()),
            (3, 'RankPromoted', '1996-10-21', {'from_rank': '一级科员', 'to_rank': '四级主任科员'}, ()),
            (4, 'TrainingCompleted', '1996-10-21',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': True}, ()),
            (5, 'TrainingCompleted', '1996-10-31',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': False}, ()),
            (6, 'PoolEntered', '1998-12-30', {'pool': '年轻干部库'}, ()),
            (7, 'TrainingCompleted', '1999-10-26',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (8, 'TrainingCompleted', '1999-11-05',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (9, 'TrainingCompleted', '1999-12-15',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (10, 'TrainingCompleted', '2000-03-14',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': False}, ()),
            (11, 'TrainingCompleted', None,
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (12, 'TrainingCompleted', '2000-09-10',
             {'kind': '在职培训', 'hours': ('decimal', '20'), 'passed': True, 'makeup': False}, ()),
        ),
        '2012-11-21', 0,
        (
            ('R-FOLLOWUP', 'U9', 2, '1996-08-22', '1997-02-22', None, False, (2,), (), 0),
            ('R-POOL-REVIEW', 'U9', 6, '1998-12-30', '1999-12-30', None, False, (6,), (), 4),
            ('R-POOL-STALE', 'U9', 6, '2001-12-30', None, None, False, (6,), (), 5),
            ('R-TALK-PROMO', 'U9', 2, '1996-08-22', '1996-09-21', None, False, (2,), (), 10),
            ('R-TRAIN-HOURS', 'U9', '1997', '1997-01-01', '1997-12-31', None, False, (), (), 102),
            ('R-TRAIN-HOURS', 'U9', '1998', '1998-01-01', '1998-12-31', None, False, (), (), 103),
            ('R-TRAIN-HOURS', 'U9', '1999', '1999-01-01', '1999-12-31', '1999-11-05', False, (), (7, 8), 104),
            ('R-TRAIN-HOURS', 'U9', '2000', '2000-01-01', '2000-12-31', None, False, (), (), 105),
            ('R-TRAIN-HOURS', 'U9', '2001', '2001-01-01', '2001-12-31', None, False, (), (), 106),
            ('R-TRAIN-HOURS', 'U9', '2002', '2002-01-01', '2002-12-31', None, False, (), (), 107),
            ('R-TRAIN-HOURS', 'U9', '2003', '2003-01-01', '2003-12-31', None, False, (), (), 108),
            ('R-TRAIN-HOURS', 'U9', '2004', '2004-01-01', '2004-12-31', None, False, (), (), 109),
            ('R-TRAIN-HOURS', 'U9', '2005', '2005-01-01', '2005-12-31', None, False, (), (), 110),
            ('R-TRAIN-HOURS', 'U9', '2006', '2006-01-01', '2006-12-31', None, False, (), (), 111),
            ('R-TRAIN-HOURS', 'U9', '2007', '2007-01-01', '2007-12-31', None, False, (), (), 112),
            ('R-TRAIN-HOURS', 'U9', '2008', '2008-01-01', '2008-12-31', None, False, (), (), 113),
            ('R-TRAIN-HOURS', 'U9', '2009', '2009-01-01', '2009-12-31', None, False, (), (), 114),
            ('R-TRAIN-HOURS', 'U9', '2010', '2010-01-01', '2010-12-31', None, False, (), (), 115),
            ('R-TRAIN-HOURS', 'U9', '2011', '2011-01-01', '2011-12-31', None, False, (), (), 116),
            ('R-TRAIN-HOURS', 'U9', '2012', '2012-01-01', '2012-12-31', None, False, (), (), 117),
            ('R-TRAIN-INITIAL', None, 1, '1996-07-23', '1997-07-23', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U9', 2, '1996-08-22', '1997-08-22', None, False, (2,), (), 13),
        ),
    ),
    (  # random_history(random.Random(3058))
        (
            (1, 'CadreRegistered', '2016-07-22', {'entry_channel': '考试录用', 'rank': '二级主任科员'}, ()),
            (2, 'Appointed', '2016-07-22', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '提拔'}, ()),
            (3, 'ConversationHeld', '2017-08-21', {'kind': '函询', 'trigger': None, 'trigger_entry_id': ('uuid', 1)},
             ()),
            (4, 'Dismissed', '2018-06-22', {'unit_code': 'U1', 'post_code': 'STAFF', 'reason': '组织处理'}, ()),
            (5, 'ConversationHeld', '2019-10-25',
             {'kind': '任职谈话', 'trigger': '受处理处分', 'trigger_entry_id': None}, ()),
            (6, 'Assessed', '2019-12-09', {'kind': '年度', 'period': '2015', 'grade': '优秀'}, ()),
            (7, 'TrainingCompleted', '2019-12-19',
             {'kind': '任职培训', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (8, 'Assessed', '2021-01-22', {'kind': '年度', 'period': '2020', 'grade': '优秀'}, ()),
            (9, 'PersonalMattersReported', '2021-03-08', {'year': 2020}, ()),
            (10, 'PoolExited', '2021-06-06', {'pool': '年轻干部库', 'reason': '提拔使用'}, ('R-SEQ',)),
            (11, 'Appointed', '2021-06-16', {'unit_code': 'U3', 'post_code': 'ODD', 'manner': '转任'}, ()),
            (12, 'TrainingCompleted', '2023-05-17',
             {'kind': '任职培训', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (13, 'Dismissed', '2023-08-15', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '试用期不胜任'}, ()),
            (14, 'Assessed', '2023-08-16', {'kind': '年度', 'period': '2022', 'grade': '称职'}, ()),
            (15, 'Assessed', '2024-08-15', {'kind': '年度', 'period': '2023', 'grade': '称职'}, ()),
            (16, 'Assessed', '2025-08-16', {'kind': '年度', 'period': '2024', 'grade': '不称职'}, ()),
            (17, 'PoolEntered', '2025-08-16', {'pool': '后备干部库'}, ()),
        ),
        '2012-04-26', 0,
        (
            ('R-FOLLOWUP', 'U1', 2, '2016-07-22', '2017-01-22', None, False, (2,), (), 0),
            ('R-OVERRIDE', 'U1', 10, '2021-06-06', None, None, True, (10,), (), 39),
            ('R-POOL-REVIEW', 'U3', 17, '2025-08-16', '2026-08-16', None, False, (17,), (), 43),
            ('R-POOL-STALE', 'U3', 17, '2028-08-16', None, None, False, (17,), (), 77),
            ('R-PROBATION', 'U1', 2, '2016-07-22', '2017-08-21', '2018-06-22', False, (2,), (4,), 6),
            ('R-TALK-DEPART', 'U1', 4, '2018-06-22', '2018-07-22', None, False, (4,), (), 9),
            ('R-TALK-DEPART', 'U3', 13, '2023-08-15', '2023-09-14', None, False, (13,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '2016-07-22', '2016-08-21', '2019-10-25', False, (2,), (5,), 10),
            ('R-TALK-PROMO', 'U3', 11, '2021-06-16', '2021-07-16', None, False, (11,), (), 10),
            ('R-TRAIN-INITIAL', 'U1', 1, '2016-07-22', '2017-07-22', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U1', 2, '2016-07-22', '2017-07-22', '2019-12-19', False, (2,), (7,), 13),
        ),
    ),
    (  # random_history(random.Random(3454))
        (
            (1, 'CadreRegistered', '2019-02-16', {'entry_channel': '定向选调生', 'rank': '四级主任科员'}, ()),
            (2, 'Assessed', '2019-02-16', {'kind': '年度', 'period': '2018', 'grade': '称职'}, ()),
            (3, 'Dismissed', '2020-02-17', {'unit_code': 'U3', 'post_code': 'PREF', 'reason': '调动'}, ()),
            (4, 'ConversationHeld', '2020-02-18', {'kind': '任前谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (5, 'HandledOrganizationally', '2020-04-18', {'kind': '诫勉', 'accountability': False}, ()),
            (6, 'ConversationHeld', '2020-08-16', {'kind': '任职谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (7, 'Assessed', '2020-09-15', {'kind': '年度', 'period': '2019', 'grade': '不称职'}, ()),
            (8, 'Assessed', '2020-11-14', {'kind': '专项', 'period': '2020Q1', 'grade': '基本称职'}, ()),
            (9, 'Assessed', '2021-12-19', {'kind': '年度', 'period': '2020', 'grade': '优秀'}, ()),
            (10, 'Commended', '2022-01-18', {'kind': '记三等功'}, ()),
            (11, 'PoolEntered', '2023-12-19', {'pool': '专业干部人才库'}, ()),
            (12, 'Commended', '2024-01-18', {'kind': '嘉奖'}, ()),
            (13, 'ConversationHeld', '2025-12-18', {'kind': '提任回访', 'trigger': '离任', 'trigger_entry_id': None},
             ()),
            (14, 'ConversationHeld', '2026-01-17',
             {'kind': '提醒谈话', 'trigger': '苗头问题', 'trigger_entry_id': None}, ()),
            (15, 'ConversationHeld', '2026-01-27',
             {'kind': '谈心谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 13)}, ()),
            (16, 'TrainingCompleted', '2027-03-03',
             {'kind': '网络学习', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (17, 'DevelopmentLogged', '2028-03-04', {}, ()),
            (18, 'TrainingCompleted', '2028-12-29',
             {'kind': '网络学习', 'hours': ('decimal', '120'), 'passed': True, 'makeup': False}, ()),
            (19, 'ConversationHeld', '2029-06-27', {'kind': '五必谈', 'trigger': None, 'trigger_entry_id': None}, ()),
            (20, 'PoolReviewed', '2032-07-21', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
        ),
        '2022-05-01', 0,
        (
            ('R-TALK-DEPART', 'U3', 3, '2020-02-17', '2020-03-18', '2025-12-18', False, (3,), (13,), 9),
            ('R-TALK-PROMO', 'U3', 3, '2020-02-17', '2020-03-18', '2020-02-18', False, (3,), (4,), 10),
            ('R-TALK-SANCTION', None, 5, '2020-04-18', '2020-05-18', None, False, (5,), (), 42),
            ('R-TRAIN-HOURS', None, '2020', '2020-01-01', '2020-12-31', None, False, (), (), 50),
            ('R-TRAIN-HOURS', None, '2021', '2021-01-01', '2021-12-31', None, False, (), (), 51),
            ('R-TRAIN-HOURS', None, '2022', '2022-01-01', '2022-12-31', None, False, (), (), 52),
            ('R-TRAIN-INITIAL', None, 1, '2019-02-16', '2020-02-16', None, False, (1,), (), 12),
        ),
    ),
    (  # random_history(random.Random(3830))
        (
            (1, 'CadreRegistered', '2014-12-26', {'entry_channel': '军转安置', 'rank': '一级科员'}, ()),
            (2, 'ConcernRaised', '2014-12-26', {}, ()),
            (3, 'ConversationHeld', '2014-12-26', {'kind': '任职谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (4, 'Dismissed', '2015-03-26', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '试用期不胜任'}, ()),
            (5, 'ConversationHeld', '2016-03-26', {'kind': '诫勉谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (6, 'Assessed', '2016-03-26', {'kind': '年度', 'period': '2015', 'grade': '称职'}, ()),
            (7, 'Assessed', '2017-03-31', {'kind': '年度', 'period': '2016', 'grade': '称职'}, ()),
            (8, 'Assessed', '2018-03-31', {'kind': '年度', 'period': '2017', 'grade': '称职'}, ()),
            (9, 'Assessed', '2019-03-31', {'kind': '年度', 'period': '2018', 'grade': '称职'}, ()),
            (10, 'PoolReviewed', '2020-06-03', {'pool': '两型干部库', 'outcome': '保留'}, ()),
            (11, 'Appointed', '2020-12-20', {'unit_code': 'U2', 'post_code': 'CHIEF', 'manner': '平职交流'}, ()),
            (13, 'HardshipRecorded', '2022-12-23', {}, ()),
            (14, 'Commended', '2024-01-27', {'kind': '记三等功'}, ()),
            (15, 'TrainingCompleted', '2024-03-12',
             {'kind': '在职培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (16, 'Assessed', '2024-03-12', {'kind': '年度', 'period': '2023', 'grade': '称职'}, ()),
            (17, 'Dismissed', '2024-09-28', {'unit_code': 'U2', 'post_code': 'CHIEF', 'reason': '辞职'}, ()),
            (18, 'ProbationConcluded', '2025-09-29', {'post_code': 'STAFF', 'outcome': '胜任', 'unit_code': None},
             ()),
            (19, 'ConversationHeld', '2025-09-29',
             {'kind': '提任回访', 'trigger': '提拔交流调整', 'trigger_entry_id': None}, ()),
            (20, 'TrainingCompleted', '2025-12-28',
             {'kind': '任职培训', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (21, 'TrainingCompleted', '2026-12-28',
             {'kind': '在职培训', 'hours': ('decimal', '40'), 'passed': True, 'makeup': False}, ()),
            (22, 'PoolEntered', '2026-12-28', {'pool': '年轻干部库'}, ()),
            (23, 'TrainingCompleted', '2027-01-27',
             {'kind': '初任培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': False}, ()),
            (24, 'ConversationHeld', '2027-08-10', {'kind': '谈心谈话', 'trigger': None, 'trigger_entry_id': None},
             ()),
            (25, 'Sanctioned', '2029-10-23', {'track': '党纪', 'kind': '记过'}, ()),
            (26, 'TrainingCompleted', '2030-08-19',
             {'kind': '党校主体班', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (27, 'Assessed', '2030-10-18', {'kind': '试用期满', 'period': '2030Q1', 'grade': '不称职'}, ()),
            (28, 'ConcernRaised', '2031-08-14', {}, ()),
            (12, 'Sanctioned', '2021-12-22', {'track': '党纪', 'kind': '警告'}, ()),
        ),
        '2022-01-19', 0,
        (
            ('R-PERSONAL-MATTERS', 'U2', '2020', '2021-01-01', '2021-01-31', None, False, (), (), 87),
            ('R-PERSONAL-MATTERS', 'U2', '2021', '2022-01-01', '2022-01-31', None, False, (), (), 88),
            ('R-POOL-REVIEW', 'U2', 22, '2026-12-28', '2027-12-28', None, False, (22,), (), 4),
            ('R-POOL-STALE', 'U2', 22, '2029-12-28', None, None, False, (22,), (), 5),
            ('R-TALK-CONCERN', None, 2, '2014-12-26', '2015-01-25', '2016-03-26', False, (2,), (5,), 41),
            ('R-TALK-CONCERN', 'U2', 28, '2031-08-14', '2031-09-13', None, False, (28,), (), 41),
            ('R-TALK-DEPART', 'U3', 4, '2015-03-26', '2015-04-25', None, False, (4,), (), 9),
            ('R-TALK-DEPART', 'U2', 17, '2024-09-28', '2024-10-28', None, False, (17,), (), 9),
            ('R-TALK-HARDSHIP', 'U2', 13, '2022-12-23', '2023-01-22', None, False, (13,), (), 98),
            ('R-TALK-PROMO', 'U2', 11, '2020-12-20', '2021-01-19', '2025-09-29', False, (11,), (19,), 10),
            ('R-TALK-SANCTION', 'U2', 12, '2021-12-22', '2022-01-21', None, False, (12,), (), 42),
            ('R-TALK-SANCTION', 'U2', 25, '2029-10-23', '2029-11-22', None, False, (25,), (), 42),
            ('R-TRAIN-HOURS', None, '2015', '2015-01-01', '2015-12-31', None, False, (), (), 45),
            ('R-TRAIN-HOURS', None, '2016', '2016-01-01', '2016-12-31', None, False, (), (), 46),
            ('R-TRAIN-HOURS', None, '2017', '2017-01-01', '2017-12-31', None, False, (), (), 47),
            ('R-TRAIN-HOURS', None, '2018', '2018-01-01', '2018-12-31', None, False, (), (), 48),
            ('R-TRAIN-HOURS', None, '2019', '2019-01-01', '2019-12-31', None, False, (), (), 49),
            ('R-TRAIN-HOURS', None, '2020', '2020-01-01', '2020-12-31', None, False, (), (), 50),
            ('R-TRAIN-HOURS', 'U2', '2021-2025', '2021-01-01', '2025-12-31', None, False, (), (), 118),
        ),
    ),
    (  # random_history(random.Random(4287))
        (
            (1, 'CadreRegistered', '2011-09-21', {'entry_channel': '应届选调生', 'rank': '一级科员'}, ()),
            (2, 'Appointed', '2011-09-21', {'unit_code': 'U3', 'post_code': 'PREF', 'manner': '调任'}, ()),
            (4, 'Assessed', '2013-09-22', {'kind': '年度', 'period': '2012', 'grade': '称职'}, ()),
            (5, 'Assessed', '2014-09-23', {'kind': '年度', 'period': '2013', 'grade': '称职'}, ()),
            (6, 'HandledOrganizationally', '2016-04-11', {'kind': '诫勉', 'accountability': False}, ()),
            (8, 'ConversationHeld', '2016-10-29',
             {'kind': '五必谈', 'trigger': None, 'trigger_entry_id': ('uuid', 3)}, ()),
            (10, 'TrainingCompleted', '2018-10-02',
             {'kind': '任职培训', 'hours': ('decimal', '60'), 'passed': True, 'makeup': False}, ()),
            (11, 'PoolReviewed', '2019-10-02', {'pool': '专业干部人才库', 'outcome': '保留'}, ()),
            (12, 'PerformanceNoted', '2020-10-01', {}, ()),
            (13, 'RankPromoted', '2021-04-19', {'from_rank': '一级科员', 'to_rank': '四级主任科员'}, ()),
            (14, 'TrainingCompleted', '2024-04-23',
             {'kind': '专门业务培训', 'hours': ('decimal', '60'), 'passed': True, 'makeup': False}, ('R-LEAP',)),
            (15, 'TrainingCompleted', '2027-07-27',
             {'kind': '初任培训', 'hours': ('decimal', '120'), 'passed': True, 'makeup': False}, ()),
            (16, 'ConversationHeld', '2027-09-10',
             {'kind': '提醒谈话', 'trigger': None, 'trigger_entry_id': ('uuid', 14)}, ()),
            (17, 'Assessed', '2028-03-28', {'kind': '年度', 'period': '2027', 'grade': '优秀'}, ()),
            (18, 'Assessed', '2029-03-28', {'kind': '年度', 'period': '2028', 'grade': '优秀'}, ()),
            (19, 'Assessed', '2030-03-29', {'kind': '年度', 'period': '2029', 'grade': '优秀'}, ()),
            (20, 'TrainingCompleted', '2031-05-28',
             {'kind': '党校主体班', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': False}, ()),
            (21, 'Dismissed', '2031-09-25', {'unit_code': 'U3', 'post_code': 'PREF', 'reason': '组织处理'}, ()),
            (22, 'ConcernRaised', '2031-10-05', {}, ()),
            (23, 'Assessed', '2032-10-04', {'kind': '平时', 'period': '2032Q1', 'grade': '不称职'}, ()),
            (7, 'TrainingCompleted', '2016-04-12',
             {'kind': '在职培训', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (3, 'Assessed', '2012-09-21', {'kind': '年度', 'period': '2011', 'grade': '称职'}, ()),
            (9, 'Assessed', '2018-09-29', {'kind': '试用期满', 'period': '2018Q1', 'grade': '不称职'}, ()),
        ),
        '2014-09-14', 0,
        (
            ('R-MERIT', 'U3', '2029', '2030-03-29', '2030-12-31', None, False, (17, 18, 19), (), 119),
            ('R-OVERRIDE', 'U3', 14, '2024-04-23', None, None, True, (14,), (), 1),
            ('R-PERSONAL-MATTERS', 'U3', '2011', '2012-01-01', '2012-01-31', None, False, (), (), 120),
            ('R-PERSONAL-MATTERS', 'U3', '2012', '2013-01-01', '2013-01-31', None, False, (), (), 121),
            ('R-PERSONAL-MATTERS', 'U3', '2013', '2014-01-01', '2014-01-31', None, False, (), (), 122),
            ('R-ROTATE', 'U3', (2, 'must'), '2021-09-21', None, '2031-09-25', False, (2,), (21,), 7),
            ('R-ROTATE', 'U3', (2, 'plan'), '2016-09-21', None, '2031-09-25', False, (2,), (21,), 8),
            ('R-TALK-CONCERN', 'U3', 22, '2031-10-05', '2031-11-04', None, False, (22,), (), 41),
            ('R-TALK-DEPART', 'U3', 21, '2031-09-25', '2031-10-25', None, False, (21,), (), 9),
            ('R-TALK-PROMO', 'U3', 2, '2011-09-21', '2011-10-21', None, False, (2,), (), 10),
            ('R-TALK-SANCTION', 'U3', 6, '2016-04-11', '2016-05-11', None, False, (6,), (), 42),
            ('R-TRAIN-HOURS', 'U3', '2012-2016', '2012-01-01', '2016-12-31', None, False, (), (), 123),
            ('R-TRAIN-INITIAL', 'U3', 1, '2011-09-21', '2012-09-21', '2027-07-27', False, (1,), (15,), 12),
        ),
    ),
    (  # random_history(random.Random(4738))
        (
            (1, 'CadreRegistered', '2017-10-12', {'entry_channel': '调任', 'rank': '三级主任科员'}, ()),
            (2, 'Appointed', '2017-10-12', {'unit_code': 'U3', 'post_code': 'ODD', 'manner': '复职'}, ()),
            (3, 'TrainingCompleted', '2017-10-15',
             {'kind': '党校主体班', 'hours': ('decimal', '40'), 'passed': True, 'makeup': False}, ()),
            (4, 'Appointed', '2018-08-11', {'unit_code': 'U2', 'post_code': 'COUNTY', 'manner': '轮岗'}, ()),
            (5, 'Dismissed', '2019-02-27', {'unit_code': 'U2', 'post_code': 'COUNTY', 'reason': '调动'}, ()),
            (6, 'Appointed', '2019-02-27', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '提拔'}, ()),
            (7, 'TrainingCompleted', '2019-02-28',
             {'kind': '在职培训', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': False}, ()),
            (8, 'PoolReviewed', '2022-03-04', {'pool': '女干部库', 'outcome': '保留'}, ()),
            (9, 'PoolExited', '2022-12-29', {'pool': '年轻干部库', 'reason': '提拔使用'}, ()),
            (10, 'TrainingCompleted', '2023-12-30',
             {'kind': '任职培训', 'hours': ('decimal', '24.5'), 'passed': True, 'makeup': False}, ()),
            (11, 'TrainingCompleted', '2024-04-28',
             {'kind': '网络学习', 'hours': ('decimal', '16'), 'passed': True, 'makeup': False}, ()),
            (12, 'ConversationHeld', '2024-05-28',
             {'kind': '谈心谈话', 'trigger': '受处理处分', 'trigger_entry_id': None}, ()),
            (13, 'ProbationConcluded', '2024-05-28', {'post_code': 'GHOST', 'outcome': '胜任', 'unit_code': 'U9'},
             ()),
            (14, 'Commended', '2024-05-29', {'kind': '记三等功'}, ()),
            (15, 'Assessed', '2024-06-28', {'kind': '年度', 'period': '2023', 'grade': '优秀'}, ()),
            (16, 'ConversationHeld', '2024-09-26',
             {'kind': '离任谈话', 'trigger': '提拔交流调整', 'trigger_entry_id': ('uuid', 10)}, ()),
            (17, 'ConversationHeld', '2024-09-26',
             {'kind': '提醒谈话', 'trigger': '苗头问题', 'trigger_entry_id': ('uuid', 12)}, ()),
            (18, 'Assessed', '2026-08-27', {'kind': '年度', 'period': '2025', 'grade': '称职'}, ()),
            (19, 'Assessed', '2027-09-01', {'kind': '年度', 'period': '2026', 'grade': '称职'}, ()),
            (20, 'Assessed', '2028-09-05', {'kind': '年度', 'period': '2027', 'grade': '称职'}, ()),
            (21, 'Assessed', '2029-09-05', {'kind': '年度', 'period': '2028', 'grade': '称职'}, ()),
        ),
        '2029-06-07', 0,
        (
            ('R-FOLLOWUP', 'U9', 6, '2019-02-27', '2019-08-27', None, False, (6,), (), 0),
            ('R-PERSONAL-MATTERS', 'U2', '2018', '2019-01-01', '2019-01-31', None, False, (), (), 85),
            ('R-PROBATION', 'U2', 4, '2018-08-11', '2019-09-10', '2019-02-27', False, (4,), (5,), 6),
            ('R-ROTATE', 'U3', (2, 'must'), '2027-10-12', None, None, False, (2,), (), 7),
            ('R-ROTATE', 'U3', (2, 'plan'), '2022-10-12', None, None, False, (2,), (), 8),
            ('R-TALK-DEPART', 'U2', 5, '2019-02-27', '2019-03-29', None, False, (5,), (), 9),
            ('R-TALK-PROMO', 'U3', 2, '2017-10-12', '2017-11-11', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U2', 4, '2018-08-11', '2018-09-10', None, False, (4,), (), 10),
            ('R-TALK-PROMO', 'U9', 6, '2019-02-27', '2019-03-29', None, False, (6,), (), 10),
            ('R-TRAIN-HOURS', 'U3', '2018', '2018-01-01', '2018-12-31', None, False, (), (), 48),
            ('R-TRAIN-HOURS', 'U2', '2019-2023', '2019-01-01', '2023-12-31', None, False, (), (), 124),
            ('R-TRAIN-HOURS', 'U3', '2024', '2024-01-01', '2024-12-31', None, False, (), (), 125),
            ('R-TRAIN-HOURS', 'U3', '2025', '2025-01-01', '2025-12-31', None, False, (), (), 55),
            ('R-TRAIN-HOURS', 'U3', '2026', '2026-01-01', '2026-12-31', None, False, (), (), 56),
            ('R-TRAIN-HOURS', 'U3', '2027', '2027-01-01', '2027-12-31', None, False, (), (), 57),
            ('R-TRAIN-HOURS', 'U3', '2028', '2028-01-01', '2028-12-31', None, False, (), (), 126),
            ('R-TRAIN-HOURS', 'U3', '2029', '2029-01-01', '2029-12-31', None, False, (), (), 127),
            ('R-TRAIN-POST', 'U9', 6, '2019-02-27', '2020-02-27', '2023-12-30', False, (6,), (10,), 13),
        ),
    ),
    (  # random_history(random.Random(5171))
        (
            (1, 'CadreRegistered', '2000-12-23', {'entry_channel': '应届选调生', 'rank': '一级科员'}, ()),
            (2, 'Appointed', '2000-12-23', {'unit_code': 'U3', 'post_code': 'ODD', 'manner': '转任'}, ()),
            (3, 'Assessed', '2002-01-27', {'kind': '专项', 'period': '2002Q1', 'grade': '不称职'}, ()),
            (4, 'ConversationHeld', '2002-04-27', {'kind': '任前谈话', 'trigger': None, 'trigger_entry_id': None},
             ('R-FUTURE',)),
            (5, 'TrainingCompleted', '2003-02-21',
             {'kind': '任职培训', 'hours': ('decimal', '4'), 'passed': True, 'makeup': False}, ()),
            (6, 'TrainingCompleted', '2003-06-21',
             {'kind': '初任培训', 'hours': ('decimal', '90'), 'passed': True, 'makeup': True}, ()),
            (7, 'PoolEntered', '2005-05-21', {'pool': '年轻干部库'}, ()),
            (8, 'TrainingCompleted', '2005-05-24',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (9, 'TrainingCompleted', '2005-08-22',
             {'kind': '在职培训', 'hours': ('decimal', '50'), 'passed': True, 'makeup': False}, ()),
            (10, 'TrainingCompleted', '2005-11-20',
             {'kind': '在职培训', 'hours': ('decimal', '30'), 'passed': True, 'makeup': True}, ()),
            (11, 'TrainingCompleted', '2005-11-30',
             {'kind': '在职培训', 'hours': ('decimal', '30'), 'passed': True, 'makeup': False}, ()),
            (12, 'Dismissed', '2007-03-01', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '退休'}, ()),
            (13, 'Dismissed', '2007-05-30', {'unit_code': 'U1', 'post_code': 'HEAD', 'reason': '问责'}, ()),
            (14, 'Dismissed', '2010-06-03', {'unit_code': 'U1', 'post_code': 'HEAD', 'reason': '调动'}, ()),
            (15, 'ConversationHeld', '2011-06-04', {'kind': '谈心谈话', 'trigger': '离任', 'trigger_entry_id': None},
             ()),
            (16, 'Dismissed', '2011-06-04', {'unit_code': 'U1', 'post_code': 'DEP', 'reason': '提拔'}, ()),
            (17, 'TrainingCompleted', '2011-06-07',
             {'kind': '网络学习', 'hours': ('decimal', '16'), 'passed': True, 'makeup': True}, ()),
            (18, 'PoolReviewed', '2011-06-08', {'pool': '年轻干部库', 'outcome': '保留'}, ()),
            (19, 'ConversationHeld', '2012-06-07',
             {'kind': '函询', 'trigger': '重大困难', 'trigger_entry_id': ('uuid', 13)}, ('R-FUTURE',)),
            (20, 'ProbationConcluded', '2012-08-21', {'post_code': 'GHOST', 'outcome': '胜任', 'unit_code': 'U9'},
             ()),
        ),
        '2015-10-20', 0,
        (
            ('R-OVERRIDE', 'U3', 4, '2002-04-27', None, None, True, (4,), (), 25),
            ('R-OVERRIDE', 'U3', 19, '2012-06-07', None, None, True, (19,), (), 25),
            ('R-POOL-REVIEW', 'U3', 7, '2005-05-21', '2006-05-21', '2011-06-08', False, (7,), (18,), 4),
            ('R-POOL-REVIEW', 'U3', 18, '2011-06-08', '2012-06-08', None, False, (7, 18), (), 4),
            ('R-POOL-STALE', 'U3', 7, '2008-05-21', None, None, False, (7,), (), 5),
            ('R-ROTATE', 'U3', (2, 'plan'), '2005-12-23', None, '2007-03-01', False, (2,), (12,), 8),
            ('R-TALK-DEPART', 'U3', 12, '2007-03-01', '2007-03-31', '2011-06-04', False, (12,), (15,), 9),
            ('R-TALK-DEPART', 'U1', 13, '2007-05-30', '2007-06-29', '2011-06-04', False, (13,), (15,), 9),
            ('R-TALK-DEPART', 'U1', 14, '2010-06-03', '2010-07-03', '2011-06-04', False, (14,), (15,), 9),
            ('R-TALK-DEPART', 'U1', 16, '2011-06-04', '2011-07-04', '2011-06-04', False, (16,), (15,), 9),
            ('R-TALK-PROMO', 'U3', 2, '2000-12-23', '2001-01-22', '2002-04-27', False, (2,), (4,), 10),
            ('R-TALK-PROMO', 'U1', 14, '2010-06-03', '2010-07-03', None, False, (14,), (), 10),
            ('R-TRAIN-HOURS', 'U3', '2001', '2001-01-01', '2001-12-31', '2003-06-21', False, (), (6,), 128),
            ('R-TRAIN-HOURS', 'U3', '2002', '2002-01-01', '2002-12-31', None, False, (), (), 129),
            ('R-TRAIN-HOURS', 'U3', '2003', '2003-01-01', '2003-12-31', None, False, (), (), 130),
            ('R-TRAIN-HOURS', 'U3', '2004', '2004-01-01', '2004-12-31', None, False, (), (), 109),
            ('R-TRAIN-HOURS', 'U3', '2005', '2005-01-01', '2005-12-31', '2005-08-22', False, (), (8, 9), 131),
            ('R-TRAIN-HOURS', 'U3', '2006', '2006-01-01', '2006-12-31', None, False, (), (), 111),
            ('R-TRAIN-HOURS', 'U3', '2007', '2007-01-01', '2007-12-31', None, False, (), (), 112),
            ('R-TRAIN-HOURS', 'U3', '2008', '2008-01-01', '2008-12-31', None, False, (), (), 113),
            ('R-TRAIN-HOURS', 'U3', '2009', '2009-01-01', '2009-12-31', None, False, (), (), 114),
            ('R-TRAIN-HOURS', 'U3', '2010', '2010-01-01', '2010-12-31', None, False, (), (), 115),
            ('R-TRAIN-HOURS', 'U3', '2011', '2011-01-01', '2011-12-31', None, False, (), (), 116),
            ('R-TRAIN-HOURS', 'U3', '2012', '2012-01-01', '2012-12-31', None, False, (), (), 117),
            ('R-TRAIN-HOURS', 'U3', '2013', '2013-01-01', '2013-12-31', None, False, (), (), 132),
            ('R-TRAIN-HOURS', 'U3', '2014', '2014-01-01', '2014-12-31', None, False, (), (), 133),
            ('R-TRAIN-HOURS', 'U3', '2015', '2015-01-01', '2015-12-31', None, False, (), (), 45),
            ('R-TRAIN-INITIAL', 'U3', 1, '2000-12-23', '2001-12-23', '2003-06-21', False, (1,), (6,), 12),
        ),
    ),
    (  # random_history(random.Random(5623))
        (
            (1, 'CadreRegistered', '2018-03-18', {'entry_channel': '转任', 'rank': '一级主任科员'}, ()),
            (2, 'Appointed', '2018-04-17', {'unit_code': 'U1', 'post_code': 'STAFF', 'manner': '调任'}, ()),
            (3, 'Assessed', '2019-04-22', {'kind': '年度', 'period': '2015', 'grade': '不称职'}, ()),
            (4, 'Dismissed', '2020-02-16', {'unit_code': 'U1', 'post_code': 'STAFF', 'reason': '组织处理'}, ()),
            (5, 'Dismissed', '2020-09-03', {'unit_code': 'U2', 'post_code': 'CHIEF', 'reason': '调动'}, ()),
            (6, 'Departed', '2021-09-03', {'reason': '辞职'}, ()),
            (7, 'Assessed', '2022-09-04', {'kind': '年度', 'period': '2021', 'grade': '称职'}, ()),
            (8, 'Assessed', '2023-09-04', {'kind': '年度', 'period': '2022', 'grade': '称职'}, ()),
            (9, 'ConversationHeld', '2024-11-02',
             {'kind': '函询', 'trigger': '重大困难', 'trigger_entry_id': ('uuid', 6)}, ()),
            (10, 'PoolExited', '2025-01-01', {'pool': '女干部库', 'reason': '提拔使用'}, ()),
            (11, 'DevelopmentLogged', '2025-03-02', {}, ()),
            (12, 'PoolReviewed', '2025-09-18', {'pool': '后备干部库', 'outcome': '调整出库'}, ()),
            (13, 'Dismissed', '2025-10-18', {'unit_code': 'U2', 'post_code': 'COUNTY', 'reason': '调动'}, ()),
            (14, 'Assessed', '2026-11-22', {'kind': '年度', 'period': '2025', 'grade': '称职'}, ()),
            (15, 'Appointed', '2027-02-20', {'unit_code': 'U9', 'post_code': 'GHOST', 'manner': '平职交流'}, ()),
            (16, 'Dismissed', '2027-02-21', {'unit_code': 'U9', 'post_code': 'GHOST', 'reason': '组织处理'}, ()),
            (17, 'ConcernRaised', '2030-02-25', {}, ()),
            (18, 'Commended', '2030-09-16', {'kind': '记三等功'}, ()),
            (19, 'PoolEntered', '2031-01-14', {'pool': '年轻干部库'}, ()),
            (20, 'TrainingCompleted', '2031-04-14',
             {'kind': '任职培训', 'hours': ('decimal', '120'), 'passed': True, 'makeup': False}, ()),
            (21, 'Dismissed', '2031-07-13', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '试用期不胜任'}, ()),
            (22, 'Appointed', '2031-09-11', {'unit_code': 'U2', 'post_code': 'COUNTY', 'manner': '提拔'}, ()),
            (23, 'MentorAssigned', '2032-07-07', {}, ()),
            (24, 'PoolExited', '2032-07-10', {'pool': '两型干部库', 'reason': '提拔使用'}, ()),
        ),
        '2021-12-15', 0,
        (
            ('R-FOLLOWUP', 'U2', 22, '2031-09-11', '2032-03-11', None, False, (22,), (), 0),
            ('R-POOL-REVIEW', 'U9', 19, '2031-01-14', '2032-01-14', None, False, (19,), (), 4),
            ('R-PROBATION', 'U1', 2, '2018-04-17', '2019-05-17', '2020-02-16', False, (2,), (4,), 6),
            ('R-PROBATION', 'U2', 22, '2031-09-11', '2032-10-11', None, False, (22,), (), 6),
            ('R-ROTATE', 'U2', (22, 'must'), '2041-09-11', None, None, False, (22,), (), 7),
            ('R-ROTATE', 'U2', (22, 'plan'), '2036-09-11', None, None, False, (22,), (), 8),
            ('R-TALK-CONCERN', 'U9', 17, '2030-02-25', '2030-03-27', None, False, (17,), (), 41),
            ('R-TALK-DEPART', 'U1', 4, '2020-02-16', '2020-03-17', None, False, (4,), (), 9),
            ('R-TALK-DEPART', 'U2', 5, '2020-09-03', '2020-10-03', None, False, (5,), (), 9),
            ('R-TALK-DEPART', 'U1', 6, '2021-09-03', '2021-10-03', None, False, (6,), (), 9),
            ('R-TALK-DEPART', 'U2', 13, '2025-10-18', '2025-11-17', None, False, (13,), (), 9),
            ('R-TALK-DEPART', 'U9', 16, '2027-02-21', '2027-03-23', None, False, (16,), (), 9),
            ('R-TALK-DEPART', 'U3', 21, '2031-07-13', '2031-08-12', None, False, (21,), (), 9),
            ('R-TALK-PROMO', 'U1', 2, '2018-04-17', '2018-05-17', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U2', 5, '2020-09-03', '2020-10-03', None, False, (5,), (), 10),
            ('R-TALK-PROMO', 'U2', 13, '2025-10-18', '2025-11-17', None, False, (13,), (), 10),
            ('R-TALK-PROMO', 'U9', 15, '2027-02-20', '2027-03-22', None, False, (15,), (), 10),
            ('R-TALK-PROMO', 'U2', 22, '2031-09-11', '2031-10-11', None, False, (22,), (), 10),
            ('R-TRAIN-HOURS', 'U1', '2019', '2019-01-01', '2019-12-31', None, False, (), (), 49),
            ('R-TRAIN-HOURS', 'U1', '2020', '2020-01-01', '2020-12-31', None, False, (), (), 50),
            ('R-TRAIN-POST', 'U2', 22, '2031-09-11', '2032-09-11', '2031-04-14', False, (22,), (20,), 13),
        ),
    ),
    (  # random_history(random.Random(25))
        (
            (1, 'CadreRegistered', '2006-01-07', {'entry_channel': '考试录用', 'rank': '二级主任科员'}, ()),
            (2, 'Appointed', '2006-01-07', {'unit_code': 'U3', 'post_code': 'PREF', 'manner': '提拔'}, ()),
            (4, 'Assessed', '2010-01-16', {'kind': '年度', 'period': '2009', 'grade': '不称职'}, ()),
            (5, 'ConversationHeld', '2011-01-24',
             {'kind': '离任谈话', 'trigger': '受处理处分', 'trigger_entry_id': ('uuid', 3)}, ()),
            (6, 'ConversationHeld', '2011-01-14',
             {'kind': '提任回访', 'trigger': '受处理处分', 'trigger_entry_id': ('uuid', 5)}, ()),
            (7, 'Dismissed', '2012-03-09', {'unit_code': 'U3', 'post_code': 'PREF', 'reason': '试用期不胜任'}, ()),
            (8, 'Appointed', '2012-03-09', {'unit_code': 'U3', 'post_code': 'ODD', 'manner': '复职'}, ()),
            (9, 'ConcernRaised', '2013-03-10', {}, ()),
            (10, 'Dismissed', '2013-03-20', {'unit_code': 'U3', 'post_code': 'ODD', 'reason': '提拔'}, ()),
            (11, 'RankPromoted', '2014-01-14', {'from_rank': '二级主任科员', 'to_rank': '一级主任科员'}, ()),
            (12, 'Assessed', '2014-11-10', {'kind': '年度', 'period': '2013', 'grade': '基本称职'}, ()),
            (13, 'PersonalMattersReported', '2014-11-13', {'year': 2013}, ('R-LEAP',)),
            (14, 'ConversationHeld', '2015-01-12',
             {'kind': '函询', 'trigger': None, 'trigger_entry_id': ('uuid', 12)}, ()),
            (15, 'SecondmentStarted', '2015-02-11', {'kind': '下挂', 'planned_end_on': ('date', '2015-02-08')}, ()),
            (3, 'Assessed', '2009-01-11', {'kind': '年度', 'period': '2008', 'grade': '不称职'}, ()),
        ),
        '2015-07-22', 0,
        (
            ('R-FOLLOWUP', 'U3', 2, '2006-01-07', '2006-07-07', None, False, (2,), (), 0),
            ('R-OVERRIDE', 'U3', 13, '2014-11-13', None, None, True, (13,), (), 1),
            ('R-PERSONAL-MATTERS', 'U3', '2006', '2007-01-01', '2007-01-31', None, False, (), (), 134),
            ('R-PERSONAL-MATTERS', 'U3', '2007', '2008-01-01', '2008-01-31', None, False, (), (), 135),
            ('R-PERSONAL-MATTERS', 'U3', '2008', '2009-01-01', '2009-01-31', None, False, (), (), 136),
            ('R-PERSONAL-MATTERS', 'U3', '2009', '2010-01-01', '2010-01-31', None, False, (), (), 137),
            ('R-PERSONAL-MATTERS', 'U3', '2010', '2011-01-01', '2011-01-31', None, False, (), (), 138),
            ('R-PERSONAL-MATTERS', 'U3', '2011', '2012-01-01', '2012-01-31', None, False, (), (), 120),
            ('R-ROTATE', 'U3', (2, 'plan'), '2011-01-07', None, '2012-03-09', False, (2,), (7,), 8),
            ('R-SECONDMENT-OVERDUE', 'U3', 15, '2015-02-09', '2015-03-10', None, False, (15,), (), 139),
            ('R-TALK-CONCERN', 'U3', 9, '2013-03-10', '2013-04-09', None, False, (9,), (), 41),
            ('R-TALK-DEPART', 'U3', 7, '2012-03-09', '2012-04-08', None, False, (7,), (), 9),
            ('R-TALK-DEPART', 'U3', 10, '2013-03-20', '2013-04-19', None, False, (10,), (), 9),
            ('R-TALK-PROMO', 'U3', 2, '2006-01-07', '2006-02-06', None, False, (2,), (), 10),
            ('R-TALK-PROMO', 'U3', 8, '2012-03-09', '2012-04-08', None, False, (8,), (), 10),
            ('R-TALK-PROMO', 'U3', 15, '2015-02-11', '2015-03-13', None, False, (15,), (), 10),
            ('R-TRAIN-HOURS', 'U3', '2007-2011', '2007-01-01', '2011-12-31', None, False, (), (), 140),
            ('R-TRAIN-HOURS', 'U3', '2012-2016', '2012-01-01', '2016-12-31', None, False, (), (), 141),
            ('R-TRAIN-INITIAL', 'U3', 1, '2006-01-07', '2007-01-07', None, False, (1,), (), 12),
            ('R-TRAIN-POST', 'U3', 2, '2006-01-07', '2007-01-07', None, False, (2,), (), 13),
            ('R-UNFIT', 'U3', '2009', '2010-01-16', None, None, False, (3, 4), (), 142),
        ),
    ),
)


# Monitors added after the golden cases were frozen: their own boundary tests pin them down
# (tests/unit/test_monitors_posts.py), the properties above run them on every random history.
NEWER_MONITORS = frozenset({"R-DUAL-POST"})


@pytest.mark.parametrize("case", range(len(GOLDEN)), ids=lambda n: f"golden-{n:02d}")
def test_golden_case_findings_are_those_of_the_implementation_before_the_performance_work(case: int) -> None:
    entries, horizon, config, expected = GOLDEN[case]
    found = _findings([_entry(row) for row in entries], date.fromisoformat(horizon), config)
    assert [fact for fact in found if fact.rule not in NEWER_MONITORS] == [_fact(row) for row in expected]


def test_the_golden_cases_cover_every_cadre_monitor_but_the_newer_ones() -> None:
    covered = {row[0] for *_, expected in GOLDEN for row in expected}
    assert covered == set(CADRE_MONITORS) - NEWER_MONITORS
    assert set(CADRE_MONITORS) >= NEWER_MONITORS
