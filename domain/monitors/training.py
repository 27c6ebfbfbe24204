"""Training (干部教育培训工作条例 2023): R-TRAIN-INITIAL, R-TRAIN-POST, R-TRAIN-HOURS.

Only passed trainings count. Hours count toward the calendar year of the training's
effective (completion) date, except a 补训 (``makeup``) training, which counts toward the
earliest earlier period still short of its hours (late), or its own year if none is.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from operator import itemgetter

from domain.entry_values import PROMOTION_MANNERS
from domain.monitors.facts import EntryFact, FindingFact
from domain.monitors.timeline import COUNTY, TOWNSHIP, Timeline, first_on_or_after, str_value
from domain.monitors.values import add_months, as_decimal
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor

# Entry channels that make a cadre a new entrant needing 初任培训 (凡进必训).
INITIAL_TRAINING_CHANNELS = ("考试录用", "定向选调生", "应届选调生")
# The length of the county-level cycle is part of the threshold's meaning
# (``training.county_hours_per_5_years``), not a separate setting.
COUNTY_CYCLE_YEARS = 5


def counted(e: EntryFact) -> bool:
    """A training the training monitors count: passed and dated (what ``_all_passed`` keeps)."""
    return e.effective_on is not None and e.values.get("passed") is True


def _counted_of(kind: str) -> Callable[[EntryFact], bool]:
    def counted_of_kind(e: EntryFact) -> bool:
        return e.values.get("kind") == kind and counted(e)

    return counted_of_kind


# The trainings each training monitor reads (``registry.rules_reading``): another new training (not
# passed, undated, of another kind) leaves its findings as they were.
READS_ONLY = {
    ("R-TRAIN-HOURS", "TrainingCompleted"): counted,
    ("R-TRAIN-INITIAL", "TrainingCompleted"): _counted_of("初任培训"),
    ("R-TRAIN-POST", "TrainingCompleted"): _counted_of("任职培训"),
}


def _all_passed(tl: Timeline) -> list[tuple[date, EntryFact]]:
    return [(when, e) for when, e in tl.dated("TrainingCompleted") if e.values.get("passed") is True]


def _passed_with(passed: list[tuple[date, EntryFact]], e: EntryFact, tl: Timeline) -> list[tuple[date, EntryFact]]:
    """``_all_passed`` once ``e`` is recorded after the entries ``passed`` was found in (``Timeline.grown``):
    a dated passed training goes after every one of its day, as the stable sort puts the entry recorded last."""
    if e.type != "TrainingCompleted" or e.effective_on is None or e.values.get("passed") is not True:
        return passed
    after = list(passed)
    after.insert(bisect_right(after, e.effective_on, key=_DAY), (e.effective_on, e))
    return after


_DAY = itemgetter(0)


def _all_passed_kept(tl: Timeline) -> list[tuple[date, EntryFact]]:
    passed: list[tuple[date, EntryFact]] = tl.grown("passed trainings", _all_passed, _passed_with)
    return passed


def _passed(tl: Timeline, kind: str | None = None) -> list[tuple[date, EntryFact]]:
    passed = _all_passed_kept(tl)
    return list(passed) if kind is None else [(when, e) for when, e in passed if e.values.get("kind") == kind]


@monitor("R-TRAIN-INITIAL", "未完成初任培训", "no initial training (凡进必训)",
    source="干部教育培训工作条例",
    judges="no 初任培训 within a year of entry",
    due="1 year",
    reads=("TrainingCompleted",),
    thresholds=("monitors.initial_training_months",))
def r_train_initial(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """A new entrant (考试录用 / 选调生) needs a passed 初任培训 within initial_training_months
    of registration; one completed at any time resolves it (late after the due date)."""
    reg = tl.registration
    if reg is None or reg.effective_on is None or reg.values.get("entry_channel") not in INITIAL_TRAINING_CHANNELS:
        return []
    months = config.int("monitors.initial_training_months")
    day = reg.effective_on
    done = _passed(tl, "初任培训")
    return [tl.finding(
        "R-TRAIN-INITIAL", tl.key_of(reg), trigger=reg, trigger_on=day, due_on=add_months(day, months),
        resolved_by=(done[0][1],) if done else (),
        detail=f"新录用人员{months}个月内应完成初任培训 (initial training due within {months} months of entry)",
    )]


@monitor("R-TRAIN-POST", "未完成任职培训", "no post training (应训必训)",
    source="干部教育培训工作条例",
    judges="no 任职培训 within a year of a promotion",
    due="1 year",
    reads=("TrainingCompleted",),
    thresholds=("monitors.post_training_months",))
def r_train_post(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """A promotion needs a passed 任职培训 within post_training_months; one taken up to as many
    months before the promotion counts too (任职培训 may precede taking office)."""
    months = config.int("monitors.post_training_months")
    done = _passed(tl, "任职培训")
    found = []
    for day, e in tl.dated("Appointed"):
        if e.values.get("manner") not in PROMOTION_MANNERS:
            continue
        training = first_on_or_after(done, add_months(day, -months))
        found.append(tl.finding(
            "R-TRAIN-POST", tl.key_of(e), trigger=e, trigger_on=day, due_on=add_months(day, months),
            resolved_by=(training,) if training else (), unit_code=str_value(e, "unit_code"),
            detail=f"提拔后{months}个月内应完成任职培训 (post training due within {months} months of a promotion)",
        ))
    return found


class _Tally:
    """The passed trainings counted toward one period of R-TRAIN-HOURS."""

    __slots__ = ("counted", "hours", "met_by")

    def __init__(self) -> None:
        self.hours = _NONE
        self.counted: list[EntryFact] = []
        self.met_by: list[EntryFact] = []  # the trainings that brought it to its hours

    def copy(self) -> _Tally:
        """A tally to add to, leaving this one as it is (a kept state is shared by the timelines after it)."""
        other = _Tally.__new__(_Tally)
        other.hours, other.counted, other.met_by = self.hours, list(self.counted), self.met_by
        return other

    def add(self, training: EntryFact, required: int) -> None:
        if self.met_by:
            self.hours += as_decimal(training.values.get("hours"))
            return
        self.counted.append(training)
        self.hours += as_decimal(training.values.get("hours"))
        if self.hours >= required:
            self.met_by = list(self.counted)


_NONE = Decimal(0)


def _periods(tl: Timeline, config: RuleConfig, horizon: date) -> list[tuple[int, int, int]]:
    """(first year, last year, hours required) of each period: one per year for 乡科级, one per
    five years for 县处级 and above (a cycle starts in the first year the cadre is county level
    on 1 January). Years start on 1 January with the cadre in service; a period is dropped if
    the cadre departs before its end."""
    registered = tl.registered_on
    if registered is None:
        return []
    yearly = config.int("training.township_hours_per_year")
    five_yearly = config.int("training.county_hours_per_5_years")
    departed = tl.departed_on
    stays = departed.year if departed is not None else date.max.year + 1  # in service after 31 Dec of years < this
    years = tl.years_in_service(registered.year, horizon.year)
    periods: list[tuple[int, int, int]] = []
    cycle_until = 0
    for year, level in zip(years, tl.levels_on_jan1(years), strict=True):
        if year <= cycle_until:
            continue
        if level == COUNTY:
            last = min(year + COUNTY_CYCLE_YEARS - 1, date.max.year)
            cycle_until = last
            if last < stays:
                periods.append((year, last, five_yearly))
        elif level == TOWNSHIP and year < stays:
            periods.append((year, year, yearly))
    return periods


class _Tallies:
    """The trainings counted toward each period (by index; periods without any are left out), made by
    walking the passed trainings in effective order. What a walk leaves is kept with the career
    (``r_train_hours``): a record whose passed trainings are those of the last walk and one more, dated on or
    after all of them (in a replay, nearly every new training), continues that walk by one step."""

    __slots__ = ("by_year", "facts", "passed", "periods", "tallies", "unmet")

    def __init__(self, periods: list[tuple[int, int, int]], by_year: dict[int, int]) -> None:
        self.periods, self.by_year = periods, by_year
        self.passed: list[tuple[date, EntryFact]] = []  # the trainings walked, in effective order
        self.tallies: dict[int, _Tally] = {}
        self.unmet = 0  # every period before this one is met
        self.facts: list[FindingFact] = []  # R-TRAIN-HOURS's fact of each period, for these tallies

    def then(self, passed: list[tuple[date, EntryFact]]) -> tuple[_Tallies, int | None]:
        """The walk continued by the one training ``passed`` has beyond this walk's (the caller checked),
        and the period it counted toward (whose fact is then to be made again)."""
        after = _Tallies.__new__(_Tallies)
        after.periods, after.by_year, after.passed = self.periods, self.by_year, passed
        after.tallies, after.unmet, after.facts = dict(self.tallies), self.unmet, list(self.facts)
        return after, after.step(*passed[-1], shared=True)

    def step(self, when: date, training: EntryFact, shared: bool = False) -> int | None:
        """Count ``training`` (the next in effective order) toward its period; the period's index, if any.
        ``shared``: the tallies are those of a kept walk too (the one changed is copied first, so that the
        kept walk stays whole, the walk of exactly its trainings, whatever happens to this one)."""
        periods, tallies = self.periods, self.tallies
        target = None
        if training.values.get("makeup") is True:
            # the earliest period still short of its hours, if it ended before this year
            unmet = self.unmet
            while unmet < len(periods) and unmet in tallies and tallies[unmet].met_by:
                unmet += 1
            self.unmet = unmet
            if unmet < len(periods) and periods[unmet][1] < when.year:
                target = unmet
        if target is None:
            target = self.by_year.get(when.year)
        if target is not None:
            tally = tallies.get(target)
            if tally is None:
                tally = tallies[target] = _Tally()
            elif shared:
                tally = tallies[target] = tally.copy()
            tally.add(training, periods[target][2])
        return target


def _year_periods(periods: list[tuple[int, int, int]]) -> dict[int, int]:
    """The period each year counts toward (by index)."""
    by_year: dict[int, int] = {}
    for i, (first, last, _) in enumerate(periods):
        for year in range(first, last + 1):
            by_year[year] = i
    return by_year


@monitor("R-TRAIN-HOURS", "培训学时不足", "training hours short",
    source="干部教育培训工作条例 2023",
    judges="乡科级 leaders and ranks ≤ 一级主任科员 below N 学时 in a year; 县处级 and above below M 学时 in 5 years",
    due="year / cycle end",
    reads=("TrainingCompleted",),
    thresholds=("training.township_hours_per_year", "training.county_hours_per_5_years"))
def r_train_hours(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """乡科级 leaders and ranks ≤ 一级主任科员: township_hours_per_year in each year;
    县处级 and above: county_hours_per_5_years in each five-year cycle. Years up to the horizon's."""
    yearly = config.int("training.township_hours_per_year")
    five_yearly = config.int("training.county_hours_per_5_years")
    # the periods follow from the career alone (kept while a replay leaves the career as it was)
    name = f"R-TRAIN-HOURS periods {yearly} {five_yearly} {horizon.year}"
    periods: list[tuple[int, int, int]] = tl.career_cached(name, lambda t: _periods(t, config, horizon))
    if not periods:
        return []
    passed = _all_passed_kept(tl)
    # the last walk of these periods, kept with the career: a pure function of the periods and the
    # trainings it walked, so it is taken again only for the very same trainings, or continued for
    # one more that comes after all of them in effective order; else the trainings are walked afresh
    kept: list[_Tallies] = tl.career_cached(f"{name} walk", _no_walk)
    made: dict[tuple[object, ...], FindingFact] = tl.career_cached("R-TRAIN-HOURS facts", _new_memo)
    last = kept[0] if kept else None
    if last is not None and last.periods is periods:
        n = len(last.passed)
        if len(passed) == n and passed == last.passed:
            return list(last.facts)
        if len(passed) == n + 1 and passed[:n] == last.passed:
            walk, target = last.then(passed)
            if target is not None:
                walk.facts[target] = _fact_of(tl, walk, target, made)
            kept[:] = [walk]
            return list(walk.facts)
    walk = _Tallies(periods, _year_periods(periods))
    walk.passed = passed
    for when, training in passed:
        walk.step(when, training)
    walk.facts = [_fact_of(tl, walk, i, made) for i in range(len(periods))]
    kept[:] = [walk]
    return list(walk.facts)


def _no_walk(tl: Timeline) -> list[_Tallies]:
    return []


def _fact_of(tl: Timeline, walk: _Tallies, i: int, made: dict[tuple[object, ...], FindingFact]) -> FindingFact:
    """The fact of period ``i`` for the walk's tally of it. A period's fact is a function of the period,
    its tally and the career (the unit of its first day): one a timeline of the same career made already
    is taken again (``made``), so a period a new training leaves as it was keeps its fact."""
    period, tally = walk.periods[i], walk.tallies.get(i)
    met: list[EntryFact] = tally.met_by if tally is not None else []
    hours = str(tally.hours) if tally is not None else "0"  # str(Decimal) is what formatting one gives
    key = (period, hours, *[(e.entry_id, e.effective_on) for e in met])
    fact = made.get(key)
    if fact is None:
        fact = made[key] = _period_fact(tl, period, hours, met)
    return fact


def _new_memo(tl: Timeline) -> dict[tuple[object, ...], FindingFact]:
    return {}


def _period_fact(tl: Timeline, period: tuple[int, int, int], hours: str, met: list[EntryFact]) -> FindingFact:
    """(A FindingFact as tl.finding builds one for a finding that follows no entry: no evidence, not overridden.)"""
    first, last, required = period
    if first == last:
        key = str(first)
        detail = f"{first}年度培训学时{hours}/{required} (training hours {hours} of {required} in {key})"
    else:
        key = f"{first}-{last}"
        detail = f"{first}—{last}年培训学时{hours}/{required} (training hours {hours} of {required} in {key})"
    trigger_on = date(first, 1, 1)
    return FindingFact(
        "R-TRAIN-HOURS", tl.cadre_id, tl.unit_on(trigger_on), key, trigger_on, date(last, 12, 31),
        met[-1].effective_on if met else None, False, (), tuple([e.entry_id for e in met]) if met else (), detail,
    )
