"""After a new entry only the monitors that read its type run again (the projection keeps the
others' findings): on random cadre histories, built up one entry at a time, that gives exactly
what running every monitor gives."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.monitors.facts import EntryFact
from domain.monitors.registry import CADRE_MONITORS, READS, READS_ONLY, cadre_findings_by_rule, rules_reading
from domain.monitors.values import as_uuid
from tests.unit.test_monitors_perf_equivalence import CADRE, CONFIGS, POSTS, random_history


def talk_links(entries: list[EntryFact]) -> set[UUID]:
    links = (as_uuid(e.values.get("trigger_entry_id")) for e in entries if e.type == "ConversationHeld")
    return {link for link in links if link is not None}


def talks_first(entries: list[EntryFact]) -> list[EntryFact]:
    """The same entries, each entry a talk names recorded just after that talk (a talk keyed in
    before the occasion it was held for)."""
    order = list(entries)
    for talk in [e for e in entries if e.type == "ConversationHeld"]:
        link = as_uuid(talk.values.get("trigger_entry_id"))
        named = next((e for e in order if e.entry_id == link), None)
        if named is not None and order.index(named) < order.index(talk) and named.type != "CadreRegistered":
            order.remove(named)
            order.insert(order.index(talk) + 1, named)
    return order


def selective_steps(rng: random.Random, *, late_occasions: bool = False
                    ) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Append a random history's entries one by one; at each step where only some monitors need
    to run again, yield (the entry's type, those re-run over the findings before, every monitor)."""
    entries, horizon, config_index = random_history(rng)
    if late_occasions:
        entries = talks_first(entries)
    config = CONFIGS[config_index]
    before = cadre_findings_by_rule(CADRE, [], POSTS, config, horizon)
    for k, entry in enumerate(entries):
        now = entries[: k + 1]
        full = cadre_findings_by_rule(CADRE, now, POSTS, config, horizon)
        rules = rules_reading(entry, talk_links(now))
        if rules is not None:
            again = cadre_findings_by_rule(CADRE, now, POSTS, config, horizon, rules)
            yield entry.type, {**before, **again}, full
        before = full


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_rerunning_only_the_monitors_that_read_a_new_entrys_type_gives_every_monitors_findings(
        rng: random.Random) -> None:
    for entry_type, selective, full in selective_steps(rng):
        assert selective == full, entry_type


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_an_entry_a_talk_already_names_reruns_the_talk_monitors(rng: random.Random) -> None:
    for entry_type, selective, full in selective_steps(rng, late_occasions=True):
        assert selective == full, entry_type


def test_the_selective_path_is_taken_for_most_entries_of_realistic_histories() -> None:
    steps = [(t, s == f) for seed in range(60) for t, s, f in selective_steps(random.Random(seed))]
    assert all(same for _, same in steps)
    assert len(steps) > 500  # not a vacuous check: most entries are neither career entries nor overridden


def test_every_monitor_declares_what_it_reads_and_a_career_entry_reruns_them_all() -> None:
    assert READS.keys() == CADRE_MONITORS.keys()
    appointed = EntryFact(UUID(int=1), "Appointed", None, {}, ())
    overridden = EntryFact(UUID(int=2), "TrainingCompleted", None, {}, ("R-FUTURE",))
    assert rules_reading(appointed, set()) is None and rules_reading(overridden, set()) is None
    training = EntryFact(UUID(int=3), "TrainingCompleted", date(2020, 5, 1), {"kind": "初任培训", "passed": True}, ())
    assert rules_reading(training, set()) == {"R-TRAIN-INITIAL", "R-TRAIN-HOURS"}
    named = rules_reading(training, {UUID(int=3)})  # a talk names it as its occasion
    assert named is not None and {"R-TALK-PROMO", "R-FOLLOWUP"} <= named


def test_a_new_entry_a_monitor_passes_by_for_its_values_does_not_rerun_it() -> None:
    assert all(type_ in READS[rule] for rule, type_ in READS_ONLY)  # a narrowing of what the rule reads
    on = date(2020, 5, 1)

    def training(**values: Any) -> EntryFact:
        return EntryFact(UUID(int=3), "TrainingCompleted", values.pop("on", on), {"passed": True, **values}, ())

    assert rules_reading(training(kind="任职培训"), set()) == {"R-TRAIN-POST", "R-TRAIN-HOURS"}
    assert rules_reading(training(kind="在职培训"), set()) == {"R-TRAIN-HOURS"}
    assert rules_reading(training(kind="任职培训", passed=False), set()) == set()
    assert rules_reading(training(kind="任职培训", on=None), set()) == set()
    annual = EntryFact(UUID(int=4), "Assessed", on, {"kind": "年度", "period": "2019", "grade": "优秀"}, ())
    assert rules_reading(annual, set()) == {"R-MERIT", "R-UNFIT"}
    routine = EntryFact(UUID(int=4), "Assessed", on, {"kind": "平时", "period": "2019Q4", "grade": "好"}, ())
    assert rules_reading(routine, set()) == set()
    merit = EntryFact(UUID(int=5), "Commended", on, {"kind": "记三等功", "by": "县委"}, ())
    praise = EntryFact(UUID(int=5), "Commended", on, {"kind": "嘉奖", "by": "县委"}, ())
    assert rules_reading(merit, set()) == {"R-MERIT"} and rules_reading(praise, set()) == set()
    assert "R-TALK-PROMO" in (rules_reading(praise, {UUID(int=5)}) or ())  # still a talk's occasion
