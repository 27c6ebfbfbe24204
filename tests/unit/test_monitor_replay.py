"""A cadre's timeline kept from one appended entry to the next (domain/monitors/replay.py) is the one
built from scratch: the same entries in the same order, the same career fold, and every monitor
finds the same, after every entry of random histories — entries recorded out of date order, without
a date, before the cadre's birth, after the departure, talks naming entries not yet recorded."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.history import derive, history_with
from domain.monitors.facts import EntryFact, PostInfo
from domain.monitors.registry import cadre_findings_by_rule, timeline_findings_by_rule
from domain.monitors.replay import CadreReplay
from domain.monitors.timeline import Timeline
from domain.rules.config import RuleConfig
from tests.unit.test_monitors_perf_equivalence import CADRE, CONFIGS, POSTS, random_history


def posts_named(entries: list[EntryFact]) -> dict[tuple[str, str], PostInfo]:
    """The posts the appointments name, as the findings projection gives them."""
    keys = [(e.values["unit_code"], e.values["post_code"]) for e in entries if e.type == "Appointed"]
    return {key: POSTS[key] for key in keys if key in POSTS}


def with_birth_and_late_talks(rng: random.Random, entries: list[EntryFact]) -> list[EntryFact]:
    """The history with a birth date on its registration (now and then after some entries' dates), and
    now and then a talk naming an entry recorded after it, or one never recorded."""
    out = list(entries)
    for i, e in enumerate(out):
        if e.type == "CadreRegistered" and e.effective_on is not None:
            born = e.effective_on - timedelta(days=rng.choice((9000, 8000, 30, -1, -400)))
            out[i] = EntryFact(e.entry_id, e.type, e.effective_on, {**e.values, "birth_date": born}, e.overrides)
    if len(out) > 3 and rng.random() < 0.5:
        named = rng.choice((rng.choice(out[2:]).entry_id, UUID(int=99_999)))
        talk = EntryFact(UUID(int=88_888), "ConversationHeld", out[1].effective_on,
                         {"effective_on": out[1].effective_on, "kind": "任前谈话", "trigger_entry_id": named})
        out.insert(1, talk)
    return out


def replay_agrees_at_every_step(rng: random.Random) -> int:
    """Append a random history's entries one by one to a replay; after each, compare it with a
    timeline built from scratch. Returns how many steps kept the career fold (not derived again)."""
    entries, horizon, config_index = random_history(rng)
    entries = with_birth_and_late_talks(rng, entries)
    config: RuleConfig = CONFIGS[config_index]
    state: CadreReplay | None = None
    kept = 0
    for k, entry in enumerate(entries):
        now = entries[: k + 1]
        posts = posts_named(now)
        if state is None:
            state = CadreReplay.start(CADRE, now, posts)
        else:
            before = state.timeline.history
            state = state.appended(entry, posts)
            kept += state.timeline.history is before or state.timeline.history.tenures is before.tenures
        fresh = Timeline.build(CADRE, now, posts)
        assert state.entries == now
        assert state.timeline.entries == fresh.entries
        assert state.timeline.history == derive(now) == fresh.history
        if rng.random() < 0.6:  # the talks' occasions, kept from here on once asked for
            assert state.talk_links() == {e.values["trigger_entry_id"] for e in now
                                          if e.type == "ConversationHeld" and e.values.get("trigger_entry_id")}
        for type_ in {e.type for e in now} | {"Appointed", "TrainingCompleted"}:
            assert state.timeline.of_type(type_) == fresh.of_type(type_), type_
            assert state.timeline.dated(type_) == fresh.dated(type_), type_
        if rng.random() < 0.7:  # the monitors, run at most steps (what they memoise is kept between them)
            assert timeline_findings_by_rule(state.timeline, config, horizon) == \
                cadre_findings_by_rule(CADRE, now, posts, config, horizon), entry.type
    return kept


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_replayed_timeline_finds_what_one_built_from_scratch_finds_after_every_entry(rng: random.Random) -> None:
    replay_agrees_at_every_step(rng)


def test_most_entries_of_realistic_histories_keep_the_career_fold() -> None:
    kept = sum(replay_agrees_at_every_step(random.Random(seed)) for seed in range(40))
    assert kept > 200  # of 922 entries (a third are career entries, which fold again); the fallback keeps none


def entry(number: int, type_: str, on: date | None, **values: Any) -> EntryFact:
    return EntryFact(UUID(int=number), type_, on, {**values, "effective_on": on})


REGISTERED = entry(1, "CadreRegistered", date(2010, 3, 1), name="王芳", rank="一级科员", entry_channel="调任",
                   work_started_on=date(2010, 3, 1), birth_date=date(1985, 6, 15))
DEPARTED = entry(2, "Departed", date(2020, 5, 10), reason="辞职")


def kept_history(*entries: EntryFact, new: EntryFact) -> bool:
    h = derive(entries)
    after = history_with(h, new, date(1985, 6, 15), {e.entry_id.int for e in entries})
    assert after is None or after == derive([*entries, new])
    return after is h


def test_an_entry_on_the_departure_day_keeps_the_fold_and_one_the_day_after_derives_it_again() -> None:
    on_the_day = entry(3, "TrainingCompleted", date(2020, 5, 10), hours=10, passed=True)
    day_after = entry(3, "TrainingCompleted", date(2020, 5, 11), hours=10, passed=True)
    assert kept_history(REGISTERED, DEPARTED, new=on_the_day)
    assert not kept_history(REGISTERED, DEPARTED, new=day_after)


def test_an_entry_on_the_birth_day_keeps_the_fold_and_one_the_day_before_derives_it_again() -> None:
    on_the_day = entry(3, "Commended", date(1985, 6, 15), kind="嘉奖", by="县委")
    day_before = entry(3, "Commended", date(1985, 6, 14), kind="嘉奖", by="县委")
    assert kept_history(REGISTERED, new=on_the_day)
    assert not kept_history(REGISTERED, new=day_before)


def test_an_entry_a_talk_named_before_it_was_recorded_derives_the_fold_again() -> None:
    talk = entry(3, "ConversationHeld", date(2012, 1, 5), kind="任前谈话", trigger_entry_id=UUID(int=4))
    named = entry(4, "Commended", date(2012, 1, 4), kind="嘉奖", by="县委")
    assert derive([REGISTERED, talk]).problems  # the talk names an entry not on the record
    assert not kept_history(REGISTERED, talk, new=named)
    assert not derive([REGISTERED, talk, named]).problems


def test_a_talk_naming_an_entry_on_the_record_keeps_the_fold_and_one_naming_none_derives_it_again() -> None:
    occasion = entry(3, "Commended", date(2012, 1, 4), kind="嘉奖", by="县委")
    talk = entry(4, "ConversationHeld", date(2012, 1, 5), kind="任前谈话", trigger_entry_id=UUID(int=3))
    stray = entry(4, "ConversationHeld", date(2012, 1, 5), kind="任前谈话", trigger_entry_id=UUID(int=9))
    assert kept_history(REGISTERED, occasion, new=talk)
    assert history_with(derive([REGISTERED, occasion]), stray, None, {1, 3}) is None


def test_an_assessment_goes_after_the_assessments_of_its_day_and_before_later_ones() -> None:
    first = entry(3, "Assessed", date(2015, 1, 20), kind="年度", period="2014", grade="称职")
    later = entry(4, "Assessed", date(2016, 1, 20), kind="年度", period="2015", grade="优秀")
    same_day = entry(5, "Assessed", date(2015, 1, 20), kind="平时", period="2014Q4", grade="好")
    h = derive([REGISTERED, first, later])
    after = history_with(h, same_day, date(1985, 6, 15), {1, 3, 4})
    assert after is not None and after == derive([REGISTERED, first, later, same_day])
    assert [a.entry_id.int for a in after.assessments] == [3, 5, 4]
    assert [a.entry_id.int for a in h.assessments] == [3, 4]  # the history it was made from is left as it was


def test_an_assessment_lacking_a_field_derives_the_fold_again() -> None:
    broken = entry(3, "Assessed", date(2015, 1, 20), kind="年度", period="2014")
    assert history_with(derive([REGISTERED]), broken, date(1985, 6, 15), {1}) is None


def test_a_second_registration_or_an_id_already_recorded_builds_the_timeline_afresh() -> None:
    training = entry(3, "TrainingCompleted", date(2012, 5, 1), hours=10, passed=True)
    state = CadreReplay.start(CADRE, [REGISTERED, training], {})
    again = entry(3, "Commended", date(2012, 6, 1), kind="嘉奖", by="县委")  # the id of the training
    reregistered = entry(5, "CadreRegistered", date(2011, 1, 1), name="王芳", rank="一级科员", entry_channel="调任",
                         work_started_on=date(2011, 1, 1), birth_date=date(2012, 1, 1))
    for new in (again, reregistered):
        after = state.appended(new, {})
        assert after.timeline.history is not state.timeline.history
        assert after.timeline.history == derive([REGISTERED, training, new])
        assert after.timeline.entries == Timeline.build(CADRE, [REGISTERED, training, new], {}).entries


def test_a_post_named_anew_gives_the_timeline_the_new_posts_and_their_unit() -> None:
    key = next(iter(POSTS))
    appointed = entry(3, "Appointed", date(2012, 5, 1), unit_code=key[0], post_code=key[1], manner="提拔")
    state = CadreReplay.start(CADRE, [REGISTERED], {})
    after = state.appended(appointed, {key: POSTS[key]})
    assert after.timeline.posts == {key: POSTS[key]}
    assert after.timeline.unit_on(date(2012, 5, 1)) == key[0]
    assert state.timeline.unit_on(date(2012, 5, 1)) is None  # the timeline before is left as it was


def test_a_second_annual_assessment_of_a_year_is_the_years_only_if_it_comes_later_in_effective_order() -> None:
    first = entry(3, "Assessed", date(2015, 1, 20), kind="年度", period="2014", grade="称职")
    for number, on in ((4, date(2015, 1, 10)), (5, date(2015, 1, 20)), (6, date(2015, 2, 1))):
        second = entry(number, "Assessed", on, kind="年度", period="2014", grade="不称职")
        state = CadreReplay.start(CADRE, [REGISTERED, first], {})
        timeline_annual(state.timeline)  # the timeline before found its years: the next grows them
        after = state.appended(second, {})
        expected = timeline_annual(Timeline.build(CADRE, [REGISTERED, first, second], {}))
        assert timeline_annual(after.timeline) == expected
        assert expected[0][1] is (first if on < date(2015, 1, 20) else second)


def timeline_annual(tl: Timeline) -> list[tuple[int, EntryFact, object]]:
    from domain.monitors.annual import _annual

    return _annual(tl)
