"""监督发现: the monitors of DOMAIN.md §6.2 run over each cadre's record after every event;
their finding facts are stored with recorded ranges so findings can be read as known at any
instant, and their status as of any date is decided in the query."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import Connection, and_, func, select

from domain import ids
from domain.cadre import Cadre, EntryRecord
from domain.monitors.facts import EntryFact
from domain.monitors.replay import CadreReplay
from domain.post import Post
from projections.derive import signature
from projections.models import FAR, NEVER, FindingRow
from projections.source import EventSource, find
from projections.unit_spans import UnitPostSpans
from projections.writer import PageWriter

if TYPE_CHECKING:
    from domain.monitors.facts import FindingFact, PostInfo


def finding_row(fact: FindingFact) -> dict[str, Any]:
    row = {
        "rule": fact.rule, "cadre_id": str(fact.cadre_id) if fact.cadre_id else None,
        "unit_code": fact.unit_code, "key": fact.key[:80], "trigger_on": fact.trigger_on,
        "due_on": fact.due_on, "resolved_on": fact.resolved_on, "overridden": fact.overridden,
        "evidence": [str(e) for e in fact.evidence], "resolution": [str(e) for e in fact.resolution],
        "detail": fact.detail,
    }
    row["signature"] = signature(row)
    return row


CACHED_CADRES = 20_000  # the findings of the cadres most recently changed, kept between events
# the timelines of the cadres most recently changed (a replay applies one cadre's events in a row; a
# catch-up interleaves a few): each holds the cadre's entries and what was derived from them
REPLAYED_CADRES = 256
# R-CALENDAR-CHANGED's findings name a cadre but are kept per judged publicity (projections/calendar.py):
# re-running the cadre's monitors leaves them be.
CALENDAR_RULE = "R-CALENDAR-CHANGED"
# R-RETROACTIVE's findings are kept per late entry (projections/retroactive.py), alike.
KEPT_APART = (CALENDAR_RULE, "R-RETROACTIVE")


class FindingsProjection:
    def __init__(self, app: EventSource, horizon: Callable[[], date]) -> None:
        self.app, self.horizon = app, horizon
        self.selective = True  # re-run only the monitors that read a new entry (False: every monitor, always)
        self.replaying = True  # extend the timeline the cadre's last event left (False: build it afresh, always)
        self._posts: dict[tuple[str, str], PostInfo | None] = {}
        self.open_cache: dict[Any, set[str]] = {}  # owner key -> signatures of its open rows
        self.fresh = False  # True during a bulk rebuild: every stored finding row is one it wrote (and cached)
        self.unit_spans = UnitPostSpans()  # R-RUSH's view of the post spans, mirrored from the spans projection
        # cadre -> (version, horizon, findings by rule, their rows): what the last event left
        self._by_rule: OrderedDict[UUID, tuple[int, date, dict[str, list[FindingFact]],
                                               dict[str, list[dict[str, Any]]]]] = OrderedDict()
        # cadre -> (version, the timeline state the last event left): the next event of the cadre extends it
        self._replays: OrderedDict[UUID, tuple[int, CadreReplay]] = OrderedDict()

    def post_info(self, unit_code: str, post_code: str) -> PostInfo | None:
        from domain.monitors.facts import PostInfo

        key = (unit_code, post_code)
        if key not in self._posts:
            found = find(self.app, ids.post_id(*key))
            post = found if isinstance(found, Post) else None
            self._posts[key] = None if post is None else PostInfo(
                post.unit_code, post.post_code, post.grade, post.leadership, post.probation, post.title)
        return self._posts[key]

    def facts(self, cadre: Cadre) -> list[FindingFact]:
        from domain.monitors.registry import _order

        found = self.facts_by_rule(cadre)
        return sorted((fact for facts in found.values() for fact in facts), key=_order)

    def facts_by_rule(self, cadre: Cadre, appended: UUID | None = None,
                      known: dict[str, list[FindingFact]] | None = None,
                      replaying: bool = False, horizon: date | None = None) -> dict[str, list[FindingFact]]:
        """Every cadre monitor's findings; given the ``known`` findings before ``appended`` (the
        entry an event just added) was recorded, only the monitors that read it run again.
        ``replaying``: the cadre's events are being applied in order (``apply``): the timeline is
        made from the one the last event left (``domain/monitors/replay.py``) when it can be.
        ``horizon``: ``self.horizon()``, when the caller has it already."""
        return self._facts_and_rules(cadre, appended, known, replaying, horizon)[0]

    def _facts_and_rules(self, cadre: Cadre, appended: UUID | None, known: dict[str, list[FindingFact]] | None,
                         replaying: bool, horizon: date | None) -> tuple[dict[str, list[FindingFact]],
                                                                         frozenset[str] | None]:
        """``facts_by_rule``, and the rules whose monitors ran again over ``known`` (None: every one ran)."""
        from domain.monitors.registry import rules_reading, timeline_findings_by_rule

        standing = cadre.standing_entries()
        state = self._replay(cadre, standing, appended) if replaying else None
        if state is None:
            state = CadreReplay.start(cadre.id, _entry_facts(standing), self._posts_named(standing))
        if replaying:
            self._remember_replay(cadre.id, cadre.version, state)
        entries = state.entries
        rules = None
        if appended is not None and known is not None:
            new = next((e for e in reversed(entries) if e.entry_id == appended), None)
            if new is not None:
                rules = rules_reading(new, state.talk_links())
                if rules is not None and not rules:
                    return known, rules  # no monitor reads it
        found = timeline_findings_by_rule(state.timeline, self.app.config,
                                          self.horizon() if horizon is None else horizon, rules)
        return (found, None) if rules is None or known is None else ({**known, **found}, rules)

    def _posts_named(self, standing: list[EntryRecord]) -> dict[tuple[str, str], PostInfo]:
        """The posts of the cadre's tenures: every post an appointment names."""
        posts = {}
        for e in standing:
            if e.type == "Appointed":
                key = (e.values["unit_code"], e.values["post_code"])
                info = self.post_info(*key)
                if info is not None:
                    posts[key] = info
        return posts

    def _replay(self, cadre: Cadre, standing: list[EntryRecord], appended: UUID | None) -> CadreReplay | None:
        """The cadre's replay state after the event that made ``cadre.version``, from the one the
        event before left, when all the event did was append ``appended`` (else None)."""
        kept = self._replays.get(cadre.id)
        if appended is None or kept is None or kept[0] != cadre.version - 1:
            return None
        state = kept[1]
        before = state.entries
        if len(standing) != len(before) + 1 or standing[-1].entry_id != appended:
            return None
        # the entries before are the same records with the same values (a correction replaces an
        # entry's values dict, never changes it in place): their facts are kept
        if not all(fact.values is record.values for fact, record in zip(before, standing, strict=False)):
            return None
        e = standing[-1]
        posts = self._posts_named(standing) if e.type == "Appointed" else state.timeline.posts
        return state.appended(EntryFact(e.entry_id, e.type, e.effective_on, e.values, e.overrides), posts)

    def _remember_replay(self, cadre_id: UUID, version: int, state: CadreReplay) -> None:
        self._replays[cadre_id] = (version, state)
        self._replays.move_to_end(cadre_id)
        while len(self._replays) > REPLAYED_CADRES:
            self._replays.popitem(last=False)

    def apply(self, conn: Connection, writer: PageWriter, cadre: Cadre, ts: datetime,
              appended: UUID | None = None) -> None:
        """Bring the cadre's stored findings up to its state after an event (version ``cadre.version``);
        ``appended``: the entry the event added, if that is all it did (else everything is re-run)."""
        horizon = self.horizon()
        cached = self._by_rule.get(cadre.id)
        known = cached[2] if self.selective and cached is not None and cached[:2] == (cadre.version - 1, horizon) \
            else None
        found, rerun = self._facts_and_rules(cadre, appended, known, self.replaying, horizon)
        if found is known and cached is not None:
            self._remember(cadre.id, (cadre.version, horizon, cached[2], cached[3]))
            return  # nothing a monitor reads changed
        rows_before = cached[3] if known is not None and cached is not None else {}
        if rerun is not None and cached is not None:  # the other rules' facts are the very ones before
            rows = dict(rows_before)
            for rule in rerun:
                rows[rule] = _rows(found[rule], cached, rule)
        else:
            rows = {rule: rows_before[rule] if known is not None and facts is known.get(rule) else
                    _rows(facts, cached, rule) for rule, facts in found.items()}
        self._remember(cadre.id, (cadre.version, horizon, found, rows))
        open_rows = self.open_cache.get(cadre.id) if known is not None else None
        if open_rows is not None:
            # the open rows are those of the findings before (``rows_before``): only the rules whose
            # rows moved are diffed (a signature names its rule, so no other rule's row can match)
            _replace_moved(writer, rows_before, rows, ts, open_rows, rerun)
            return
        _replace(conn, writer, lambda: and_(FindingRow.cadre_id == str(cadre.id), FindingRow.rule.notin_(KEPT_APART)),
                 [row for found_rows in rows.values() for row in found_rows], ts, self.open_cache, cadre.id, self.fresh)

    def unchanged(self, cadre_id: UUID, version: int) -> None:
        """The event that made ``version`` changed nothing any monitor reads."""
        cached = self._by_rule.get(cadre_id)
        if cached is not None and cached[0] == version - 1:
            self._remember(cadre_id, (version, *cached[1:]))

    def _remember(self, cadre_id: UUID, state: tuple[int, date, dict[str, list[FindingFact]],
                                                     dict[str, list[dict[str, Any]]]]) -> None:
        self._by_rule[cadre_id] = state
        self._by_rule.move_to_end(cadre_id)
        while len(self._by_rule) > CACHED_CADRES:
            self._by_rule.popitem(last=False)

    def discard(self, cadre_id: UUID) -> None:
        """Drop what is cached of one cadre (its open rows are then read again when needed)."""
        self._by_rule.pop(cadre_id, None)
        self._replays.pop(cadre_id, None)
        self.open_cache.pop(cadre_id, None)

    def forget(self) -> None:
        self.fresh = False
        self.open_cache.clear()
        self._by_rule.clear()
        self._replays.clear()
        self.unit_spans.forget()

    def apply_units(self, conn: Connection, writer: PageWriter, unit_codes: set[str], ts: datetime) -> None:
        """R-RUSH (突击提拔) for units whose posts changed hands, from the post spans as they
        now stand (the spans projection runs first; ``unit_spans`` mirrors what it wrote)."""
        from domain.monitors.registry import unit_findings

        flushed = False
        for unit_code in sorted(unit_codes):
            if not self.unit_spans.loaded(unit_code):
                if not flushed:
                    writer.flush(conn)  # the page's pending rows, before the tables are read
                    flushed = True
                self.unit_spans.load(conn, unit_code)
            spans, principal = self.unit_spans.spans(unit_code), self.unit_spans.principal(unit_code)
            appointments = [(s.cadre_id, EntryFact(
                s.entry_id, "Appointed", s.valid_from,
                {"unit_code": unit_code, "post_code": s.post_code, "manner": s.manner})) for s in spans if s.entry_id]
            departures = [(s.cadre_id, s.valid_to, ender) for s in spans
                          if s.post_code in principal and s.valid_to != FAR
                          and (ender := s.ended_by or s.entry_id) is not None]
            facts = unit_findings(unit_code, appointments, departures, self.app.config)
            def owner(code: str = unit_code) -> Any:
                return and_(FindingRow.rule == "R-RUSH", FindingRow.unit_code == code, FindingRow.cadre_id.is_(None))

            _replace(conn, writer, owner, list(map(finding_row, facts)), ts, self.open_cache, ("R-RUSH", unit_code),
                     self.fresh)


def _entry_facts(standing: list[EntryRecord]) -> list[EntryFact]:
    return [EntryFact(e.entry_id, e.type, e.effective_on, e.values, e.overrides) for e in standing]


def _rows(facts: list[FindingFact], cached: tuple[int, date, dict[str, list[FindingFact]],
                                                  dict[str, list[dict[str, Any]]]] | None,
          rule: str) -> list[dict[str, Any]]:
    """The rows of a monitor's facts. A row is a pure function of its fact: a fact the monitor found
    before too (``cached``: what the cadre's findings last were) keeps the row made of it then."""
    if cached is None or not cached[2].get(rule):
        return list(map(finding_row, facts))
    old_facts, old_rows = cached[2][rule], cached[3][rule]
    if facts is old_facts or (len(facts) == len(old_facts) and facts == old_facts):
        return old_rows  # the very rows (``_replace_moved`` then passes the rule by)
    # a monitor lists its findings in a stable order: most come back at the same place (compared
    # there first); the others are looked for among the facts of the same key (a fact's identity
    # within its rule and cadre: hashing whole facts, UUIDs and all, costs more than comparing a few)
    by_key: dict[str, list[int]] | None = None
    rows = []
    for i, fact in enumerate(facts):
        if i < len(old_facts) and (old_facts[i] is fact or old_facts[i] == fact):
            rows.append(old_rows[i])
            continue
        if by_key is None:
            by_key = {}
            for j, old in enumerate(old_facts):
                by_key.setdefault(old.key, []).append(j)
        row = next((old_rows[j] for j in by_key.get(fact.key, ()) if old_facts[j] == fact), None)
        rows.append(row if row is not None else finding_row(fact))
    return rows


def _replace_moved(writer: PageWriter, before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]],
                   ts: datetime, open_rows: set[str], rules: frozenset[str] | None = None) -> None:
    """What ``_replace`` does for a cadre whose open rows (``open_rows``, updated here) are the rows of
    ``before``, by rule: the same closes and the same inserts in the same order, looking only at the
    rules whose list of rows is not the very list it was. ``rules``: the only rules whose rows may have
    moved (``after`` is ``before`` with theirs replaced), if known."""
    if rules is None:
        moved = [(rule, {r["signature"]: r for r in rows})
                 for rule, rows in after.items() if rows is not before.get(rule)]
        gone = [rule for rule in before if rule not in after]
    else:  # in ``after``'s order, as above: the order of the inserts
        moved = [(rule, {r["signature"]: r for r in rows})
                 for rule, rows in after.items() if rule in rules and rows is not before.get(rule)]
        gone = []
    if not moved and not gone:
        return
    new: dict[str, dict[str, Any]] = {}
    old: set[str] = set()
    for rule, by_signature in moved:
        new.update(by_signature)
        old.update(r["signature"] for r in before.get(rule, ()))
    for rule in gone:
        old.update(r["signature"] for r in before[rule])
    for sig in old:
        if sig not in new:
            writer.close(FindingRow, sig, ts)
            open_rows.discard(sig)
    for sig, row in new.items():
        if sig not in old:
            writer.insert(FindingRow, {**row, "recorded_from": ts, "recorded_to": NEVER})
            open_rows.add(sig)


def _replace(conn: Connection, writer: PageWriter, owner: Callable[[], Any], rows: list[dict[str, Any]],
             ts: datetime, cache: dict[Any, set[str]], key: Any, fresh: bool = False) -> None:
    """Close the open rows of ``owner()`` (a condition, built only when not cached) that no longer
    hold and insert the new ones; ``fresh``: the table holds no rows of an owner not cached."""
    new = {r["signature"]: r for r in rows}
    open_rows = cache.get(key)
    if open_rows is None and fresh:
        open_rows = set()
    if open_rows is None:
        is_open: Any = FindingRow.recorded_to == NEVER
        if conn.dialect.name == "sqlite":  # its statistics average rows per recorded_to (≈ 7), so it read every
            is_open = func.likely(is_open)  # open finding by ix_rm_finding_open_due, not the cadre's by cadre_id
        open_rows = set(conn.execute(select(FindingRow.signature).where(owner(), is_open)).scalars())
    cache[key] = set(new)
    for sig in open_rows:
        if sig not in new:
            writer.close(FindingRow, sig, ts)
    for sig, row in new.items():
        if sig not in open_rows:
            writer.insert(FindingRow, {**row, "recorded_from": ts, "recorded_to": NEVER})
