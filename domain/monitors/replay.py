"""A cadre's timeline kept from one entry to the next while its record is replayed (a bulk rebuild, a
follower's catch-up): the record grows one appended entry at a time, and most entries (trainings,
talks, assessments) leave the career the monitors read as it was. ``CadreReplay.appended`` makes the
next timeline from the last one — the entry facts kept, the new entry put in its place in effective
order, the career fold (``derive``) kept when the entry has no fold step and raises no fold problem
(or, an assessment, only adds itself: ``domain.history.history_with``) and else continued by the entries
recorded since it was made when they all come after it in effective order (``domain/history_kept.py``),
and what the timeline computed from the career (the unit and level of a day, the tenures by
appointment, R-TRAIN-HOURS's periods) taken over when the career is unchanged — instead of building
it from every standing entry again.

Exactness: the timeline it gives is the one ``Timeline.build`` gives for the same entries
(tests/unit/test_monitor_replay.py compares the two after every entry of random histories). A state
belongs to one cadre and one replay, in one thread (the projection that keeps it): it is never shared.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from domain.history import Fold, birth_date, history_with
from domain.history_kept import derive_kept, derive_more
from domain.monitors.facts import EntryFact, PostInfo
from domain.monitors.timeline import Timeline
from domain.monitors.values import as_uuid


def _effective(e: EntryFact) -> date:
    return e.effective_on or date.min


class CadreReplay:
    """One cadre's standing entries (in recorded order) and the timeline the monitors read for them."""

    __slots__ = ("born", "entries", "fold", "folded", "links", "numbers", "timeline")

    def __init__(self, entries: list[EntryFact], timeline: Timeline, born: date | None, fold: Fold) -> None:
        self.entries = entries  # recorded order; never changed once made (a new state copies it)
        self.timeline = timeline
        self.born = born  # the birth date the fold judges entries by (the first registration's)
        # the career fold of ``entries[:folded]``, to be continued by the entries recorded since
        # (``domain/history_kept.py``) when a new entry changes the career; never changed once made
        self.fold, self.folded = fold, len(entries)
        self.numbers = {e.entry_id.int for e in entries}
        self.links: frozenset[UUID] | None = None  # ``talk_links``, once asked for

    def talk_links(self) -> frozenset[UUID]:
        """The entries the cadre's talks name as their occasion (``registry.rules_reading`` asks)."""
        if self.links is None:
            links = {as_uuid(e.values.get("trigger_entry_id")) for e in self.entries if e.type == "ConversationHeld"}
            self.links = frozenset(link for link in links if link is not None)
        return self.links

    @classmethod
    def start(cls, cadre_id: UUID, entries: Sequence[EntryFact],
              posts: Mapping[tuple[str, str], PostInfo]) -> CadreReplay:
        """The state of a record from scratch (what ``Timeline.build`` makes)."""
        history, fold = derive_kept(entries)
        return cls(list(entries), Timeline.build(cadre_id, entries, posts, history), birth_date(entries), fold)

    def appended(self, entry: EntryFact, posts: Mapping[tuple[str, str], PostInfo]) -> CadreReplay:
        """The state once ``entry`` is recorded after every entry of this one (``posts``: the posts the
        entries then name)."""
        before = self.timeline
        entries = [*self.entries, entry]
        if entry.entry_id.int in self.numbers or entry.type == "CadreRegistered":
            # an id already on the record (the fold keeps the last of a repeated id), or a registration
            # (the birth date, the registration the timeline names): build it afresh
            return CadreReplay.start(before.cadre_id, entries, posts)
        ordered = list(before.entries)
        # a stable sort by effective date puts the entry recorded last after every entry of its day
        ordered.insert(bisect_right(ordered, _effective(entry), key=_effective), entry)
        if posts == before.posts:
            posts = before.posts
        # the fold reads no post: only the entries decide whether it can be kept
        history = history_with(before.history, entry, self.born, self.numbers)
        fold, folded = self.fold, self.folded
        if history is None:  # fold the entries recorded since the kept fold onto it, else all of them
            more = derive_more(fold, entries[folded:], self.born)
            history, fold = more if more is not None else derive_kept(entries)
            folded = len(entries)
        timeline = Timeline.extended(before, entry, tuple(ordered), posts, history)
        if _same_career(timeline, before):
            timeline.follows(before)
        state = CadreReplay.__new__(CadreReplay)
        state.entries, state.timeline, state.born = entries, timeline, self.born
        state.fold, state.folded = fold, folded
        state.numbers = self.numbers | {entry.entry_id.int}
        state.links = self.links
        if self.links is not None and entry.type == "ConversationHeld":
            link = as_uuid(entry.values.get("trigger_entry_id"))
            state.links = self.links if link is None else self.links | {link}
        return state


def _same_career(after: Timeline, before: Timeline) -> bool:
    """Whether everything ``Timeline.career_cached`` and the unit and level of a day read is the same."""
    if after.history is before.history and after.posts is before.posts:
        return after.registration is before.registration
    a, b = after.history, before.history
    return (after.registration == before.registration and a.tenures == b.tenures and a.ranks == b.ranks
            and a.departed_on == b.departed_on and a.departed_entry == b.departed_entry
            and after.posts == before.posts)
