"""The career fold (``domain/history.py``) kept between entries while a cadre's record is replayed
(``domain/monitors/replay.py``): when the entries recorded since a fold was made all come after every
entry it folded in effective order — nearly always for an appointment, a dismissal or a rank change
keyed in as it happens — the fold is continued by them alone instead of folding the whole record again.

Exactness: ``derive`` folds the entries in effective order, ties in recorded order, with every entry of
the record known to the references it checks. Entries recorded after the folded ones, dated on or after
the last of them, come after all of them in that order; so folding them onto a copy of the fold gives
what ``derive`` gives — unless an entry folded already named one not recorded then (a reference problem:
the new entries may hold it), an entry id repeats (the last recorded is the one known), or a registration
is among them (the birth date every entry is judged by, the registration the history names). Then the
caller folds the whole record (tests/unit/test_history_kept.py compares the two on random records).
A kept fold is never changed: continuing it copies what its steps change.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

from domain.history import REFERENCE_FIELDS, Entry, Fold, History, fold_entry, tenure_order, walk


def derive_kept(entries: Sequence[Entry]) -> tuple[History, Fold]:
    """``derive(entries)``, and the fold it finished (to be continued by ``derive_more``)."""
    fold = walk(entries)
    return finished(fold), fold


def derive_more(fold: Fold, entries: Sequence[Entry], born: date | None) -> tuple[History, Fold] | None:
    """``derive`` of the entries ``fold`` folded and ``entries`` (recorded after them, in recorded order),
    and the fold continued; None when it cannot be continued (fold them all again). ``born``: the birth
    date of the entries folded (``birth_date``: their first registration's)."""
    if any(p.field in REFERENCE_FIELDS for p in fold.h.problems):
        return None
    known = fold.known
    ids = {e.entry_id for e in entries}
    if len(ids) != len(entries) or any(e.type == "CadreRegistered" or e.entry_id in known for e in entries):
        return None
    ordered = sorted(entries, key=_day)  # stable: recorded order within a day
    if ordered and _day(ordered[0]) < fold.last_day:
        return None
    after = _copied(fold)
    after.known.update((e.entry_id, e) for e in entries)
    for e in ordered:
        fold_entry(after, e, born)
    return finished(after), after


def _day(e: Entry) -> date:
    return e.effective_on or date.min


def finished(fold: Fold) -> History:
    """The history ``derive`` returns for the fold, leaving the fold as it is."""
    h = History.__new__(History)
    h.__dict__.update(fold.h.__dict__)
    h.tenures = sorted([*fold.h.tenures, *fold.open_tenures.values()], key=tenure_order)
    h.pools = [*fold.h.pools, *fold.open_pools.values()]
    h.mentors = [*fold.h.mentors, *fold.open_mentors.values()]
    return h


def _copied(fold: Fold) -> Fold:
    """A fold to continue, leaving ``fold`` (and every history finished from it) as it is: the containers
    its steps add to or replace items of are copied, and the open pool stays (a review or an exit sets
    their fields)."""
    h = History.__new__(History)
    h.__dict__.update(fold.h.__dict__)
    h.tenures, h.problems, h.ranks = list(h.tenures), list(h.problems), list(h.ranks)
    h.secondments, h.assessments, h.sanctions = list(h.secondments), list(h.assessments), list(h.sanctions)
    h.investigations, h.pools, h.mentors = list(h.investigations), list(h.pools), list(h.mentors)
    h.open_secondments = dict(h.open_secondments)
    return Fold(h, dict(fold.known), dict(fold.open_tenures), set(fold.ended_secondments),
                dict(fold.secondment_index), {pool: copy.copy(s) for pool, s in fold.open_pools.items()},
                dict(fold.open_mentors), fold.last_day)
