"""The cadre timeline the monitors read: the standing entries in effective order, with the career the
one fold (``domain/history.py``) derives from them, and the indexes the monitors ask for."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any
from uuid import UUID

from domain.codes import grade_level, rank_index
from domain.history import History, Tenure, derive
from domain.monitors.facts import EntryFact, FindingFact, PostInfo

# Who counts as 县处级 and above, and as 乡科级 (R-TRAIN-HOURS, R-PERSONAL-MATTERS).
# Classification codes of DOMAIN.md §3, not thresholds: 132 县处级副职; 四级调研员 is the lowest
# rank equivalent to it (职务与职级并行规定 2019); 141/142 乡科级正/副职; 一级主任科员 the highest
# rank of the 乡科级 band.
COUNTY_DEPUTY_GRADE = "132"
TOWNSHIP_GRADES = ("141", "142")
COUNTY_LOWEST_RANK = "四级调研员"
TOWNSHIP_HIGHEST_RANK = "一级主任科员"


# The level of a cadre on a day (``Timeline.levels_on_jan1``).
COUNTY, TOWNSHIP, NEITHER = 2, 1, 0
_UNKNOWN_RANK = 1_000
_MISSING: Any = object()
_NO_GROWS: dict[str, Any] = {}  # never added to (``grown`` makes a new dict)


_EFFECTIVE_ON = attrgetter("effective_on")
_FIRST = itemgetter(0)


def _effective(e: EntryFact) -> date:
    return e.effective_on or date.min


class Timeline:
    """A cadre's standing entries in effective order, with the tenures and departure they imply.

    Entries are ordered by (effective_on, position in the input); the input is expected in
    recorded order (as ``Cadre.standing_entries()`` lists them), so ties keep recorded order.
    Built once per evaluation: the indexes the monitors ask for (entries by type, the unit
    and the county/township level as piecewise-constant functions of the date, and derived
    structures through ``cached``) are computed once and only when first asked for. Nothing
    here mutates after it is computed, so every monitor stays a pure function of its inputs.
    """

    __slots__ = ("_by_number", "_by_type", "_career", "_dated", "_grows", "_keys", "_level_bounds", "_levels",
                 "_memo", "_rank_days", "_ranks", "_unit_bounds", "_unit_segments", "_units", "cadre_id",
                 "departed_entry", "departed_on", "entries", "history", "posts", "registration", "tenures")

    def __init__(self, cadre_id: UUID, ordered: tuple[EntryFact, ...],
                 posts: Mapping[tuple[str, str], PostInfo], history: History | None = None,
                 by_type: dict[str, list[EntryFact]] | None = None) -> None:
        """``history``: what ``derive`` gives for these entries, when the caller already has it
        (``domain/monitors/replay.py``, which knows when a new entry leaves it as it was);
        ``by_type``: the entries of each type in effective order, likewise (``extended``)."""
        self.cadre_id, self.entries, self.posts = cadre_id, ordered, posts
        if by_type is None:
            by_type = {}
            for e in ordered:
                found = by_type.get(e.type)
                if found is None:
                    by_type[e.type] = [e]
                else:
                    found.append(e)
        # the tenures, the departure and the ranks as the one fold of a career implies them
        if history is None:
            history = derive(ordered)
        self.history = history
        self.tenures: tuple[Tenure, ...] = tuple(history.tenures)
        self.departed_on, self.departed_entry = history.departed_on, history.departed_entry
        self._by_number: dict[int, EntryFact] | None = None  # entries by UUID int (hashing a UUID runs Python code)
        self._keys: dict[int, str] = {}
        self._by_type = by_type
        registrations = by_type.get("CadreRegistered")
        self.registration: EntryFact | None = registrations[0] if registrations else None
        self._dated: dict[str, list[tuple[date, EntryFact]]] = {}
        self._memo: dict[str, Any] = {}
        # how each memo ``grown`` made is grown by one entry, by name (``extended`` grows them all)
        self._grows: dict[str, Callable[[Any, EntryFact, Timeline], Any]] = _NO_GROWS
        self._career: dict[str, Any] = {}  # ``career_cached``: what depends on the career alone
        self._units: dict[date, str | None] = {}  # unit_on, memoised by day
        self._unit_bounds: list[date] | None = None  # the days a tenure starts or ends, sorted
        self._unit_segments: dict[int, str | None] = {}  # unit_on between two of those days
        self._level_bounds: list[date] | None = None
        self._levels: list[int] = []
        self._rank_days: list[date] | None = None
        self._ranks: list[str] = []

    @classmethod
    def build(cls, cadre_id: UUID, entries: Sequence[EntryFact],
              posts: Mapping[tuple[str, str], PostInfo], history: History | None = None) -> Timeline:
        """``history``: what ``derive`` gives for ``entries``, when the caller has it."""
        # A stable sort keeps the input order of entries of one day; entries without a date come
        # first (as date.min), which comparing them directly would refuse.
        try:
            ordered = sorted(entries, key=_EFFECTIVE_ON)
        except TypeError:
            ordered = sorted(entries, key=_effective)
        return cls(cadre_id, tuple(ordered), posts, history)

    def entry(self, entry_id: UUID | None) -> EntryFact | None:
        """The entry with this id (the last in effective order if the input repeats one), if on the record."""
        if entry_id is None:
            return None
        if self._by_number is None:
            self._by_number = {e.entry_id.int: e for e in self.entries}
        return self._by_number.get(entry_id.int)

    def key_of(self, e: EntryFact) -> str:
        """``str(e.entry_id)``, the key of the findings an entry triggers (kept: several rules ask)."""
        number = e.entry_id.int
        key = self._keys.get(number)
        if key is None:
            key = self._keys[number] = str(e.entry_id)
        return key

    def cached(self, name: str, compute: Callable[[Timeline], Any]) -> Any:
        """``compute(self)``, computed once per timeline (for structures several monitors read)."""
        value = self._memo.get(name, _MISSING)
        if value is _MISSING:
            value = self._memo[name] = compute(self)
        return value

    def grown(self, name: str, compute: Callable[[Timeline], Any],
              grow: Callable[[Any, EntryFact, Timeline], Any]) -> Any:
        """``cached(name, compute)``, and kept from then on by the timelines that extend this one
        (``extended``): each is given ``grow(this value, the entry it adds, itself)`` — what ``compute``
        would give, made from the value before (which it must leave as it is: this timeline may still
        read it). So a memo made once is grown by every later entry, whichever monitors run on the way."""
        value = self._memo.get(name, _MISSING)
        if value is _MISSING:
            value = self._memo[name] = compute(self)
            self._grows = {**self._grows, name: grow}  # a new dict: the one before may be another timeline's
        return value

    def career_cached(self, name: str, compute: Callable[[Timeline], Any]) -> Any:
        """``compute(self)`` for a structure that depends only on the career (the history's tenures,
        ranks, registration and departure) and the posts, not on the other entries: a timeline that
        extends this one with an entry that leaves the career as it was keeps it (``follows``)."""
        value = self._career.get(name, _MISSING)
        if value is _MISSING:
            value = self._career[name] = compute(self)
        return value

    @classmethod
    def extended(cls, before: Timeline, entry: EntryFact, ordered: tuple[EntryFact, ...],
                 posts: Mapping[tuple[str, str], PostInfo], history: History | None) -> Timeline:
        """The timeline of ``before``'s entries and ``entry``, recorded after all of them (``ordered``:
        its entries in effective order, ``history``: what ``derive`` gives for them, if known). The
        entries of each other type are ``before``'s lists (never changed once made: shared, not copied),
        and so are their dated lists; ``entry`` is put into a copy of its type's lists, after every entry
        of its day, where ``build``'s stable sort puts the entry recorded last."""
        by_type = dict(before._by_type)
        day = _effective(entry)
        same = by_type.get(entry.type)
        if same is None:
            by_type[entry.type] = [entry]
        else:
            same = list(same)
            same.insert(bisect_right(same, day, key=_effective), entry)
            by_type[entry.type] = same
        timeline = cls(before.cadre_id, ordered, posts, history, by_type)
        dated = dict(before._dated)
        if entry.effective_on is not None and entry.type in dated:
            listed = list(dated[entry.type])
            listed.insert(bisect_right(listed, entry.effective_on, key=_FIRST), (entry.effective_on, entry))
            dated[entry.type] = listed
        timeline._dated = dated
        grows = before._grows
        if grows:  # the memos ``grown`` made, grown by the entry (most entries leave each as it was)
            memo = timeline._memo
            for name, grow in grows.items():
                memo[name] = grow(before._memo[name], entry, timeline)
            timeline._grows = grows  # the same names and functions (a new name makes a new dict)
        return timeline

    def follows(self, before: Timeline) -> None:
        """Take over what ``before`` computed from the career (the same career and posts: the caller
        checked), instead of computing it again. The memos are shared: each is a pure function of
        the career, so either timeline may add to them."""
        self._career, self._units, self._unit_segments = before._career, before._units, before._unit_segments
        self._unit_bounds = before._unit_bounds
        self._level_bounds, self._levels = before._level_bounds, before._levels
        self._rank_days, self._ranks = before._rank_days, before._ranks

    def of_type(self, *types: str) -> list[EntryFact]:
        """Entries of these types, in effective order."""
        present = [t for t in types if t in self._by_type]
        if len(present) == 1:
            return list(self._by_type[present[0]])
        if not present:
            return []
        return [e for e in self.entries if e.type in types]

    def dated(self, *types: str) -> list[tuple[date, EntryFact]]:
        """Entries of these types that have an effective date, with it."""
        if len(types) == 1:
            found = self._dated.get(types[0])
            if found is None:
                found = self._dated[types[0]] = [(e.effective_on, e) for e in self._by_type.get(types[0], ())
                                                 if e.effective_on is not None]
            return list(found)
        return [(e.effective_on, e) for e in self.of_type(*types) if e.effective_on is not None]

    @property
    def registered_on(self) -> date | None:
        reg = self.registration
        return reg.effective_on if reg is not None else None

    @property
    def departure(self) -> EntryFact | None:
        return self.entry(self.departed_entry)

    def active_on(self, day: date) -> bool:
        """Registered on or before ``day`` and not yet departed on it."""
        registered = self.registered_on
        departed = self.departed_on
        return registered is not None and registered <= day and (departed is None or day < departed)

    def years_in_service(self, first: int, last: int) -> range:
        """The years from ``first`` to ``last`` on whose 1 January the cadre is ``active_on``."""
        registered = self.registered_on
        if registered is None:
            return range(0)
        start = registered.year if (registered.month, registered.day) == (1, 1) else registered.year + 1
        departed = self.departed_on
        if departed is not None:
            last = min(last, departed.year if (departed.month, departed.day) != (1, 1) else departed.year - 1)
        return range(max(first, start), last + 1)

    def post(self, unit_code: str, post_code: str) -> PostInfo | None:
        return self.posts.get((unit_code, post_code))

    def tenure_of(self, appointed_entry: UUID) -> Tenure | None:
        tenures: dict[int, Tenure] = self.career_cached("tenure_of", _tenures_by_appointment)
        return tenures.get(appointed_entry.int)

    def rank_on(self, day: date) -> str | None:
        """The rank of the last registration / rank change effective on or before ``day``."""
        if self._rank_days is None:
            # an entry without an effective date (folded as date.min) says no day the rank held from
            spells = [s for s in self.history.ranks if isinstance(s.rank, str) and s.since != date.min]
            self._rank_days, self._ranks = [s.since for s in spells], [s.rank for s in spells]
        i = bisect_right(self._rank_days, day)
        return self._ranks[i - 1] if i else None

    # The unit and the level (县处级 / 乡科级) on a day only change where a tenure starts or ends
    # or, for the level, where the rank changes: each is kept as its value from every such change
    # point on (computed once, when first asked for), and a day is looked up by bisection.

    def unit_on(self, day: date) -> str | None:
        """The unit of the most senior post held on ``day`` (ties: the earlier start, then unit and
        post code); else of the post left last by then (ties alike). Memoised per day: every
        finding asks for the unit of its trigger date, and a cadre holds only a few tenures."""
        memo: dict[date, str | None] = self._units
        if day in memo:
            return memo[day]
        # which tenures are held, and which have ended, changes only on a day a tenure starts or
        # ends: between two such days the unit is the same (R-TRAIN-HOURS asks for every 1 January)
        bounds = self._unit_bounds
        if bounds is None:
            bounds = self._unit_bounds = sorted({t.start for t in self.tenures}
                                                | {t.end for t in self.tenures if t.end is not None})
        segment = bisect_right(bounds, day)
        if segment in self._unit_segments:
            memo[day] = self._unit_segments[segment]
            return memo[day]
        held = [t for t in self.tenures if t.start <= day and (t.end is None or day < t.end)]
        if held:
            unit: str | None = min(held, key=lambda t: (-self._seniority(t), t.start, t.unit_code,
                                                        t.post_code)).unit_code
        else:
            ended = [t for t in self.tenures if t.end is not None and t.end <= day]
            unit = max(ended, key=lambda t: (t.end or date.min, t.start, t.unit_code, t.post_code)).unit_code \
                if ended else None
        memo[day] = self._unit_segments[segment] = unit
        return unit

    def _seniority(self, tenure: Tenure) -> int:
        info = self.post(tenure.unit_code, tenure.post_code)
        if info is None:
            return 0
        try:
            return grade_level(info.grade) * 2 + (1 if info.leadership else 0)
        except ValueError:
            return 0

    def _level_on(self, day: date) -> int:
        if self._level_bounds is None:
            self.rank_on(day)  # builds the rank change points
            days, ranks = self._rank_days, self._ranks
            assert days is not None
            # Leadership tenures with what their grade makes the holder: 县处级 and above, 乡科级.
            leading = []
            for t in self.tenures:
                info = self.post(t.unit_code, t.post_code)
                if info is not None and info.leadership:
                    leading.append((t.start, t.end, _level(info.grade) >= _COUNTY_FLOOR, info.grade in TOWNSHIP_GRADES))
            bounds = sorted({t[0] for t in leading} | {t[1] for t in leading if t[1] is not None} | set(days))
            levels = [NEITHER]  # before every change point: no post, no rank
            for b in bounds:
                county = township = False
                for start, end, county_grade, township_grade in leading:
                    if start <= b and (end is None or b < end):
                        county, township = county or county_grade, township or township_grade
                i = bisect_right(days, b)
                position = _rank_position(ranks[i - 1] if i else None)
                if county or position <= _COUNTY_RANK:
                    levels.append(COUNTY)
                elif township or _TOWNSHIP_RANK <= position < _UNKNOWN_RANK:
                    levels.append(TOWNSHIP)
                else:
                    levels.append(NEITHER)
            self._levels, self._level_bounds = levels, bounds
        return self._levels[bisect_right(self._level_bounds, day)]

    def levels_on_jan1(self, years: range) -> list[int]:
        """The level (COUNTY, TOWNSHIP or NEITHER) on 1 January of each of ``years`` (ascending)."""
        levels: list[int] = self.career_cached(f"levels {years.start} {years.stop}", lambda tl: tl._sweep_jan1(years))
        return levels

    def _sweep_jan1(self, years: range) -> list[int]:
        self._level_on(date.min)  # builds the change points
        bounds, levels = self._level_bounds, self._levels
        assert bounds is not None
        # a change point is on or before 1 January of ``year`` from this year on
        firsts = [b.year if (b.month, b.day) == (1, 1) else b.year + 1 for b in bounds]
        found, i, n = [], 0, len(firsts)
        for year in years:
            while i < n and firsts[i] <= year:
                i += 1
            found.append(levels[i])
        return found

    def is_county_level_on(self, day: date) -> bool:
        """县处级副职 and above: a leadership post of grade 132 or higher, or rank 四级调研员 or higher."""
        return self._level_on(day) == COUNTY

    def is_township_level_on(self, day: date) -> bool:
        """乡科级 leader (post 141/142 with leadership) or rank 一级主任科员 and below (not county level)."""
        return self._level_on(day) == TOWNSHIP

    def finding(self, rule: str, key: str, *, trigger_on: date, due_on: date | None,
                trigger: EntryFact | None = None, evidence: Sequence[UUID] = (),
                resolved_by: Sequence[EntryFact] = (), resolved_on: date | None = None,
                unit_code: str | None = None, detail: str = "", overridden: bool = False) -> FindingFact:
        """Build a cadre-level fact. ``trigger`` is the entry the finding directly follows;
        ``resolved_on`` defaults to the effective date of the last of ``resolved_by``.
        ``overridden`` only for R-OVERRIDE's own findings: a guard overridden on the trigger
        (say R-SANCTION-PERIOD on an appointment) excuses nothing a monitor asks afterwards (the
        任前谈话, the 任职培训), so those stay open or resolved like any other."""
        ids = tuple(evidence) or ((trigger.entry_id,) if trigger is not None else ())
        resolution: tuple[UUID, ...] = ()
        if resolved_by:
            resolution = tuple([e.entry_id for e in resolved_by])
            if resolved_on is None:
                resolved_on = resolved_by[-1].effective_on
        return FindingFact(
            rule, self.cadre_id, unit_code if unit_code is not None else self.unit_on(trigger_on), key, trigger_on,
            due_on, resolved_on, overridden, ids, resolution, detail,
        )


def _tenures_by_appointment(tl: Timeline) -> dict[int, Tenure]:
    found: dict[int, Tenure] = {}
    for t in tl.tenures:
        found.setdefault(t.appointed_entry.int, t)
    return found


def _rank_position(rank: str | None) -> int:
    if rank is None:
        return _UNKNOWN_RANK
    try:
        return rank_index(rank)
    except ValueError:
        return _UNKNOWN_RANK


def _level(grade: str) -> int:
    try:
        return grade_level(grade)
    except ValueError:
        return 0


_COUNTY_FLOOR = grade_level(COUNTY_DEPUTY_GRADE)
_COUNTY_RANK = rank_index(COUNTY_LOWEST_RANK)
_TOWNSHIP_RANK = rank_index(TOWNSHIP_HIGHEST_RANK)


def first_on_or_after(candidates: Sequence[tuple[date, EntryFact]], start: date) -> EntryFact | None:
    """The earliest candidate effective on or after ``start`` (candidates in effective order)."""
    return next((e for when, e in candidates if when >= start), None)


def str_value(e: EntryFact, name: str) -> str | None:
    value = e.values.get(name)
    return value if isinstance(value, str) else None
