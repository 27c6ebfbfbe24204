"""R-TRAIN-HOURS keeps its last walk of a career's trainings with the career (domain/monitors/training.py)
and continues it by one step for a training dated on or after all the others. Property: whatever the
trainings become from one timeline of a career to the next — a training appended in date order or out of
it, a 补训, a training not passed or without a date, a correction of a training's hours or date, a
retraction — the findings of a timeline that shares the career (and so the kept walk) with the timelines
before it are those of a timeline built afresh."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.monitors.facts import EntryFact
from domain.monitors.registry import timeline_findings_by_rule
from domain.monitors.replay import CadreReplay
from domain.monitors.timeline import Timeline
from domain.monitors.training import r_train_hours
from tests.unit.test_monitors_perf_equivalence import CADRE, CONFIGS, POSTS

REGISTERED_ON = date(2012, 3, 1)
HORIZON = date(2026, 6, 30)
# a township leader, then a county one: yearly periods, then five-year cycles
TOWNSHIP_POST = next(key for key, info in POSTS.items() if info.leadership and info.grade in ("141", "142"))
COUNTY_POST = next(key for key, info in POSTS.items() if info.leadership and info.grade in ("132", "131", "122"))


def career(rng: random.Random) -> list[EntryFact]:
    out = [EntryFact(UUID(int=1), "CadreRegistered", REGISTERED_ON,
                     {"effective_on": REGISTERED_ON, "name": "王芳", "rank": "一级科员", "entry_channel": "考试录用",
                      "work_started_on": REGISTERED_ON})]
    if rng.random() < 0.8:
        out.append(EntryFact(UUID(int=2), "Appointed", REGISTERED_ON, {
            "effective_on": REGISTERED_ON, "unit_code": TOWNSHIP_POST[0], "post_code": TOWNSHIP_POST[1],
            "manner": "提拔"}))
    if rng.random() < 0.5:
        on = date(rng.randint(2014, 2020), 7, 1)
        out.append(EntryFact(UUID(int=3), "Appointed", on, {
            "effective_on": on, "unit_code": COUNTY_POST[0], "post_code": COUNTY_POST[1], "manner": "提拔",
            "ends_posts": [list(TOWNSHIP_POST)]}))
    return out


def training(number: int, rng: random.Random, on: date | None) -> EntryFact:
    values: dict[str, Any] = {"effective_on": on, "kind": "在职培训", "course": "课程", "provider": "党校",
                              "hours": Decimal(rng.choice((8, 20, 24.5, 40, 90, 120))),
                              "passed": rng.random() < 0.85, "makeup": rng.random() < 0.25}
    return EntryFact(UUID(int=number), "TrainingCompleted", on, values)


def random_day(rng: random.Random) -> date:
    return REGISTERED_ON + timedelta(days=rng.randint(-30, (HORIZON - REGISTERED_ON).days + 200))


def changed(rng: random.Random, trainings: list[EntryFact], number: int) -> list[EntryFact]:
    """The trainings after one random change."""
    out = list(trainings)
    last = max((t.effective_on for t in out if t.effective_on is not None), default=REGISTERED_ON)
    roll = rng.random()
    if roll < 0.5 or not out:  # appended after every training, as a replay appends most
        out.append(training(number, rng, last + timedelta(days=rng.choice((0, 0, 10, 90, 400)))))
    elif roll < 0.65:  # appended out of date order, or without a date
        out.append(training(number, rng, random_day(rng) if rng.random() < 0.9 else None))
    elif roll < 0.8:  # a correction of one's hours (a new values dict, as Cadre.recompute gives)
        i = rng.randrange(len(out))
        t = out[i]
        out[i] = EntryFact(t.entry_id, t.type, t.effective_on, {**t.values, "hours": Decimal(rng.choice((4, 60)))})
    elif roll < 0.9:  # a correction of one's date
        i = rng.randrange(len(out))
        t, on = out[i], random_day(rng)
        out[i] = EntryFact(t.entry_id, t.type, on, {**t.values, "effective_on": on})
    else:  # a retraction
        out.pop(rng.randrange(len(out)))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_training_hours_from_a_kept_walk_are_those_of_a_fresh_walk_whatever_the_trainings_become(
        rng: random.Random) -> None:
    entries = career(rng)
    posts = {key: POSTS[key] for key in (TOWNSHIP_POST, COUNTY_POST)}
    config = CONFIGS[rng.randrange(len(CONFIGS))]
    trainings: list[EntryFact] = []
    before: Timeline | None = None
    for step in range(rng.randint(1, 30)):
        trainings = changed(rng, trainings, 100 + step)
        timeline = Timeline.build(CADRE, [*entries, *trainings], posts)
        if before is not None:
            timeline.follows(before)  # the same career: the kept walk is the one the timeline before left
        fresh = Timeline.build(CADRE, [*entries, *trainings], posts)
        assert r_train_hours(timeline, config, HORIZON) == r_train_hours(fresh, config, HORIZON)
        before = timeline


TRAINING_RULES = ("R-TRAIN-HOURS", "R-TRAIN-INITIAL", "R-TRAIN-POST")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_trainings_replayed_in_any_date_order_find_what_a_timeline_built_afresh_finds(rng: random.Random) -> None:
    entries = career(rng)
    posts = {key: POSTS[key] for key in (TOWNSHIP_POST, COUNTY_POST)}
    config = CONFIGS[rng.randrange(len(CONFIGS))]
    state = CadreReplay.start(CADRE, entries, posts)
    for step in range(rng.randint(1, 25)):
        on = random_day(rng) if rng.random() < 0.95 else None
        new = training(100 + step, rng, on)
        if rng.random() < 0.3:  # 任职培训 / 初任培训 now and then, for R-TRAIN-POST and R-TRAIN-INITIAL
            new = EntryFact(new.entry_id, new.type, on, {**new.values, "kind": rng.choice(("任职培训", "初任培训"))})
        entries = [*entries, new]
        state = state.appended(new, posts)
        if rng.random() < 0.8:  # the monitors, at most steps (the next timeline grows what they found)
            assert timeline_findings_by_rule(state.timeline, config, HORIZON, TRAINING_RULES) == \
                timeline_findings_by_rule(Timeline.build(CADRE, entries, posts), config, HORIZON, TRAINING_RULES)


def test_a_training_after_all_the_others_continues_the_kept_walk_and_one_before_them_walks_afresh() -> None:
    entries = career(random.Random(0))
    posts = {key: POSTS[key] for key in (TOWNSHIP_POST, COUNTY_POST)}
    first = EntryFact(UUID(int=100), "TrainingCompleted", date(2015, 5, 1),
                      {"effective_on": date(2015, 5, 1), "hours": Decimal(30), "passed": True})
    timeline = Timeline.build(CADRE, [*entries, first], posts)
    r_train_hours(timeline, CONFIGS[0], HORIZON)
    walks = [value for name, value in timeline._career.items() if name.endswith(" walk")]
    assert len(walks) == 1 and len(walks[0][0].passed) == 1
    kept = walks[0][0]
    for on, continued in ((date(2016, 5, 1), True), (date(2014, 5, 1), False)):
        later = EntryFact(UUID(int=101), "TrainingCompleted", on, {"effective_on": on, "hours": Decimal(30),
                                                                     "passed": True})
        after = Timeline.build(CADRE, [*entries, first, later], posts)
        after.follows(timeline)
        assert r_train_hours(after, CONFIGS[0], HORIZON) == \
            r_train_hours(Timeline.build(CADRE, [*entries, first, later], posts), CONFIGS[0], HORIZON)
        walk = walks[0][0]
        assert (walk.by_year is kept.by_year) == continued  # a fresh walk maps the years to periods anew
        assert [t for _, t in walk.passed] == sorted([first, later], key=lambda t: t.effective_on or date.min)
        walks[0][:] = [kept]  # the walk of the first training again, for the next case
