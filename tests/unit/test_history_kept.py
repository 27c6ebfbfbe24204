"""The career fold continued by the entries recorded after it (domain/history_kept.py) gives what folding
the whole record gives (``derive``), or says it cannot (None) — on random records cut at random points,
entries out of date order, without a date, before the birth date, after the departure, talks naming
entries recorded later; and a kept fold, and every history finished from it, stays as it was."""

from __future__ import annotations

import random
from datetime import date
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.history import birth_date, derive
from domain.history_kept import derive_kept, derive_more, finished
from domain.monitors.facts import EntryFact
from tests.unit.test_monitor_replay import with_birth_and_late_talks
from tests.unit.test_monitors_perf_equivalence import random_history


def continued_at_random_cuts(rng: random.Random) -> int:
    """Fold a random record's first entries, then continue the fold by the next few at a time (falling back
    to ``derive_kept`` where it cannot); after each step compare with ``derive``. Returns how many steps
    continued the fold."""
    entries, _, _ = random_history(rng)
    entries = with_birth_and_late_talks(rng, entries)
    if not entries:
        return 0
    cut = rng.randint(1, len(entries))
    history, fold = derive_kept(entries[:cut])
    assert history == derive(entries[:cut])
    continued = 0
    while cut < len(entries):
        more = entries[cut: cut + rng.choice((1, 1, 1, 2, 5))]
        before, kept = finished(fold), history
        found = derive_more(fold, more, birth_date(entries[:cut]))
        cut += len(more)
        assert finished(fold) == before and kept == derive(entries[:cut - len(more)])  # left as they were
        if found is None:
            history, fold = derive_kept(entries[:cut])
        else:
            history, fold = found
            continued += 1
        assert history == derive(entries[:cut])
    return continued


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_fold_continued_by_later_entries_gives_what_folding_the_whole_record_gives(rng: random.Random) -> None:
    continued_at_random_cuts(rng)


def test_most_steps_of_realistic_records_continue_the_fold() -> None:
    continued = sum(continued_at_random_cuts(random.Random(seed)) for seed in range(60))
    assert continued > 150  # not a vacuous check (219 with these 60 seeds): the fallback continues none


def entry(number: int, type_: str, on: date | None, **values: Any) -> EntryFact:
    return EntryFact(UUID(int=number), type_, on, {**values, "effective_on": on})


REGISTERED = entry(1, "CadreRegistered", date(2010, 3, 1), name="王芳", rank="一级科员", entry_channel="调任",
                   work_started_on=date(2010, 3, 1), birth_date=date(1985, 6, 15))
APPOINTED = entry(2, "Appointed", date(2012, 5, 10), unit_code="U1", post_code="P1", manner="提拔")


def test_an_entry_dated_the_day_of_the_last_one_folded_continues_and_one_a_day_before_does_not() -> None:
    _, fold = derive_kept([REGISTERED, APPOINTED])
    born = date(1985, 6, 15)
    same_day = entry(3, "Dismissed", date(2012, 5, 10), unit_code="U1", post_code="P1", reason="调动")
    day_before = entry(3, "Dismissed", date(2012, 5, 9), unit_code="U1", post_code="P1", reason="调动")
    found = derive_more(fold, [same_day], born)
    assert found is not None and found[0] == derive([REGISTERED, APPOINTED, same_day])
    assert derive_more(fold, [day_before], born) is None


def test_a_registration_a_repeated_id_or_a_reference_not_found_folds_the_whole_record_again() -> None:
    talk = entry(3, "ConversationHeld", date(2012, 6, 1), kind="任前谈话", trigger_entry_id=UUID(int=4))
    _, fold = derive_kept([REGISTERED, APPOINTED, talk])
    born = date(1985, 6, 15)
    named = entry(4, "Commended", date(2012, 7, 1), kind="嘉奖", by="县委")
    assert derive_more(fold, [named], born) is None  # the talk's occasion: found once it is recorded
    _, fold = derive_kept([REGISTERED, APPOINTED])
    again = entry(2, "Dismissed", date(2013, 1, 1), unit_code="U1", post_code="P1", reason="调动")
    assert derive_more(fold, [again], born) is None
    second = entry(5, "CadreRegistered", date(2013, 1, 1), name="王芳", rank="一级科员", entry_channel="调任")
    assert derive_more(fold, [second], born) is None


def test_a_pool_reviewed_after_a_fold_leaves_the_history_finished_from_it_as_it_was() -> None:
    entered = entry(3, "PoolEntered", date(2013, 1, 1), pool="年轻干部库")
    history, fold = derive_kept([REGISTERED, APPOINTED, entered])
    reviewed = entry(4, "PoolReviewed", date(2014, 1, 1), pool="年轻干部库", outcome="保留")
    exited = entry(5, "PoolExited", date(2015, 1, 1), pool="年轻干部库", reason="提拔使用")
    found = derive_more(fold, [reviewed, exited], date(1985, 6, 15))
    assert found is not None and found[0] == derive([REGISTERED, APPOINTED, entered, reviewed, exited])
    assert history == derive([REGISTERED, APPOINTED, entered]) and history.pools[0].last_review is None
