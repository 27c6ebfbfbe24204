"""所载变化 (belief diff): what the record said about one day at T1 against what it said at T2.

The diff is computed from the two plain reads themselves (the roster or the growth file as known at
T1 and at T2, exactly as ``GET …/roster`` and ``GET …/growth-file`` answer them) — never from a
second fold — and each difference names its causes: the stored events recorded in (T1, T2] for the
cadres, unit and posts concerned (``rm_audit``), narrowed to those that touch the difference.

A read is a dict of sections. A section is compared as a keyed list (items by an identity such as
``(post_code, cadre_id)`` or ``entry_id``: added, gone, changed, retracted) or as a flat record
(fields whose value changed). Every change carries ``section`` and ``key`` so that applying the
changes to the T1 read gives back the T2 read (the property test does exactly that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from domain.rules.config import RuleConfig
from projections.growth_file import growth_file
from projections.models import AuditRow
from projections.roster import roster
from projections.scope import Scope, of
from projections.timeframe import Timeframe

Item = dict[str, Any]
KeyOf = Callable[[Item], str]

LABELS = ("name", "title", "type_label", "rank", "pool", "host", "rule_title")  # what names an item to people


def _key(*fields: str) -> KeyOf:
    return lambda item: "/".join(str(item.get(f) or "") for f in fields)


# section → how its items are told apart (a list section) or None (a record: fields compared)
ROSTER_SECTIONS: dict[str, KeyOf | None] = {
    "unit": None,
    "posts": _key("post_code"),
    "holders": _key("post_code", "cadre_id"),  # flattened from posts[].holders
    "seconded_out": _key("cadre_id", "host"),
    "seconded_in": _key("cadre_id", "host"),
}
GROWTH_SECTIONS: dict[str, KeyOf | None] = {
    "profile": None,
    "posts": _key("unit_code", "post_code"),
    "ranks": _key("rank"),
    "timeline": _key("entry_id"),
    "assessments": _key("entry_id"),
    "training": None,
    "training_requirement": None,
    "mentors": _key("mentor_cadre_id", "role"),
    "pools": _key("pool"),
    "secondments": _key("host"),
    "development_plan": None,
    "performance": _key("entry_id"),
    "concerns": _key("entry_id"),
    "rewards": _key("entry_id"),
    "sanctions": _key("entry_id"),
    "findings": _key("rule", "key"),
}
# the entry types whose entries (or their corrections and retractions) shape a section
SECTION_TYPES: dict[str, frozenset[str]] = {
    "holders": frozenset({"Appointed", "Dismissed", "Departed", "CadreRegistered"}),
    "posts": frozenset({"Appointed", "Dismissed", "Departed"}),
    "ranks": frozenset({"CadreRegistered", "RankPromoted", "RankDemoted"}),
    "profile": frozenset({"CadreRegistered", "EducationAttained"}),
    "seconded_out": frozenset({"SecondmentStarted", "SecondmentEnded"}),
    "seconded_in": frozenset({"SecondmentStarted", "SecondmentEnded"}),
    "secondments": frozenset({"SecondmentStarted", "SecondmentEnded"}),
    "mentors": frozenset({"MentorAssigned", "MentorReleased"}),
    "pools": frozenset({"PoolEntered", "PoolReviewed", "PoolExited"}),
    "training": frozenset({"TrainingCompleted"}),
    "development_plan": frozenset({"DevelopmentPlanSet"}),
    "sanctions": frozenset({"Sanctioned", "HandledOrganizationally"}),
}
CAUSE_STREAMS = ("cadre", "unit", "post", "case", "calendar")  # not "audit": a read changes no answer


def roster_sections(read: dict[str, Any]) -> dict[str, Any]:
    """The roster as sections: posts without their holders, the holders as a list of their own."""
    posts = [{k: v for k, v in p.items() if k != "holders"} for p in read.get("posts", [])]
    holders = [{"post_code": p["post_code"], **h} for p in read.get("posts", []) for h in p.get("holders", [])]
    return {"unit": read.get("unit"), "posts": posts, "holders": holders,
            "seconded_out": read.get("seconded_out", []), "seconded_in": read.get("seconded_in", [])}


def _keyed(items: Iterable[Item], key_of: KeyOf) -> dict[str, Item]:
    """Items by key; a key seen again gets its occurrence number (#2, #3 …) in list order."""
    out: dict[str, Item] = {}
    for item in items:
        base = key_of(item)
        key, n = base, 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = item
    return out


def _fields_changed(before: Item, after: Item) -> tuple[Item, Item]:
    names = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in names}, {k: after.get(k) for k in names}


def compare(before: dict[str, Any], after: dict[str, Any],
            sections: dict[str, KeyOf | None]) -> list[dict[str, Any]]:
    """Every difference between two reads (as sections), without causes: ``{kind, section, key,
    before, after, label}`` plus ``post_code`` / ``cadre_id`` / ``entry_id`` / ``unit_code`` where the
    item has one (``label``: what names the item to people)."""
    changes: list[dict[str, Any]] = []
    for section, key_of in sections.items():
        a, b = before.get(section), after.get(section)
        if key_of is None:
            old, new = _fields_changed(a or {}, b or {})
            if old or new:
                changes.append({"kind": f"{section}_changed", "section": section, "key": "",
                                "before": old, "after": new})
            continue
        old_items, new_items = _keyed(a or [], key_of), _keyed(b or [], key_of)
        for key in [*old_items, *(k for k in new_items if k not in old_items)]:
            was, now = old_items.get(key), new_items.get(key)
            if was == now:
                continue
            if was is None or now is None:
                kind = "added" if was is None else "gone"
                change = {"kind": f"{section}_{kind}", "section": section, "key": key,
                          "before": was, "after": now}
            else:
                retracted = not was.get("retracted") and bool(now.get("retracted"))
                old, new = _fields_changed(was, now)
                change = {"kind": f"{section}_{'retracted' if retracted else 'changed'}", "section": section,
                          "key": key, "before": old, "after": new}
            item = now or was or {}
            for name in ("post_code", "cadre_id", "entry_id", "unit_code"):
                if item.get(name):
                    change[name] = item[name]
            change["label"] = next((str(item[n]) for n in LABELS if item.get(n)), "")
            changes.append(change)
    return changes


def apply(read: dict[str, Any], changes: list[dict[str, Any]],
          sections: dict[str, KeyOf | None]) -> dict[str, Any]:
    """The read (as sections) with ``changes`` applied: what ``compare`` promises gives the later read."""
    out: dict[str, Any] = {}
    for section, key_of in sections.items():
        mine = [c for c in changes if c["section"] == section]
        if key_of is None:
            record = dict(read.get(section) or {})
            for c in mine:
                record.update(c["after"])
            out[section] = record
            continue
        items = {k: dict(v) for k, v in _keyed(read.get(section) or [], key_of).items()}
        for c in mine:
            if c["after"] is None:
                items.pop(c["key"], None)
            elif c["before"] is None:
                items[c["key"]] = dict(c["after"])
            else:
                items[c["key"]].update(c["after"])
        out[section] = items
    return out


# ——— causes: the stored events recorded in (T1, T2] ———

@dataclass(frozen=True)
class Window:
    """The events recorded in (T1, T2] for what a diff concerns, each with the entry it finally changes."""

    rows: list[Any]
    targets: dict[str, set[str]]  # event's entry_id → every entry its chain of corrections/retractions targets
    root_type: dict[str, str]  # the type of the entry that chain ends at
    place: dict[str, tuple[str, str | None]]  # a unit's or post's stream → (unit_code, post_code)

    @staticmethod
    def cause(row: Any) -> dict[str, Any]:
        return {"entry_id": row.entry_id, "type": row.type, "recorded_at": row.recorded_at.isoformat() + "Z",
                "actor": row.actor, "document_no": row.document_no, "reason": row.reason}

    def of_entries(self, entry_ids: set[str]) -> list[Any]:
        return [r for r in self.rows if r.entry_id in entry_ids or self.targets.get(r.entry_id, set()) & entry_ids]

    def of_subject(self, *, cadre_ids: set[str], unit_code: str | None, post_code: str | None,
                   types: frozenset[str] | None) -> list[Any]:
        """Events of the cadres (of ``types``' entries, if given) or of the unit and post themselves."""
        found = []
        for r in self.rows:
            if r.stream == "cadre":
                if r.cadre_id in cadre_ids and (types is None or self.root_type.get(r.entry_id, r.type) in types):
                    found.append(r)
            elif unit_code and r.stream_id in self.place:
                unit, post = self.place[r.stream_id]
                if unit == unit_code and (post_code is None or post in (None, post_code)):
                    found.append(r)
        return found


MIRRORS = ("OccupancyChanged", "PostListed", "PostDirectoryOpened")  # bookkeeping a command adds beside its entry


def window(conn: Connection, t1: datetime, t2: datetime, *, cadre_ids: set[str], unit_codes: set[str],
           scope: Scope) -> Window:
    """The events recorded in (t1, t2] (naive UTC) of ``cadre_ids`` or of ``unit_codes`` and their posts,
    only those the caller's scope may see (as the audit trail shows them)."""
    place: dict[str, tuple[str, str | None]] = {}
    if unit_codes:
        for p in conn.execute(select(AuditRow.stream_id, AuditRow.stream, AuditRow.unit_code, AuditRow.post_code)
                              .where(AuditRow.stream.in_(("unit", "post")), AuditRow.unit_code.in_(unit_codes))):
            place.setdefault(p.stream_id, (str(p.unit_code), p.post_code if p.stream == "post" else None))
    subject = []
    if cadre_ids:
        subject.append(AuditRow.cadre_id.in_(cadre_ids))
    if place:
        subject.append(AuditRow.stream_id.in_(place))
    if not subject:
        return Window([], {}, {}, place)
    query = select(AuditRow).where(AuditRow.recorded_at > t1, AuditRow.recorded_at <= t2, or_(*subject),
                                   AuditRow.stream.in_(CAUSE_STREAMS), AuditRow.type.not_in(MIRRORS))
    j = of(scope)
    if j is not None:
        query = query.where(j.audit_visible())
    rows = list(conn.execute(query.order_by(AuditRow.position)).all())
    targets: dict[str, str] = {}  # a correction or retraction → what it targets
    types: dict[str, str] = {}
    if cadre_ids:
        for e in conn.execute(select(AuditRow.entry_id, AuditRow.type, AuditRow.corrects, AuditRow.retracts)
                              .where(AuditRow.cadre_id.in_(cadre_ids), AuditRow.stream == "cadre")):
            types[e.entry_id] = e.type
            if e.corrects or e.retracts:
                targets[e.entry_id] = e.corrects or e.retracts
    chains: dict[str, set[str]] = {}
    root_type: dict[str, str] = {}
    for r in rows:
        entry, chain = r.entry_id, set()
        while entry in targets and targets[entry] not in chain:  # a correction of a correction … of an entry
            entry = targets[entry]
            chain.add(entry)
        chains[r.entry_id], root_type[r.entry_id] = chain, types.get(entry, "")
    return Window(rows, chains, root_type, place)


def _evidence(change: dict[str, Any]) -> set[str]:
    """The entries a change's item names: its own entry, a finding's evidence and resolution."""
    found = {str(change["entry_id"])} if change.get("entry_id") else set()
    for side in (change["before"], change["after"]):
        for name in ("evidence", "resolution"):
            found.update(str(e) for e in (side or {}).get(name) or [])
    return found


def with_causes(changes: list[dict[str, Any]], w: Window, *, cadre_id: str | None = None,
                unit_code: str | None = None,
                holders: dict[str, set[str]] | None = None) -> list[dict[str, Any]]:
    """Each change with the events of ``w`` that caused it: those of its own entry (or an entry it
    names as evidence); else those of its cadre (a post's holders at either moment), unit or post of
    the entry types shaping its section; else every event of them in the window; else every event of
    the window."""
    out = []
    for change in changes:
        section = change["section"]
        if section in ("holders", "seconded_out", "seconded_in"):
            who = {str(change.get("cadre_id"))}
        elif section == "posts" and holders is not None:
            who = holders.get(str(change.get("post_code")), set())
        else:
            who = {cadre_id} if cadre_id else set()
        unit = unit_code or change.get("unit_code")  # a growth file's post names its unit
        post = change.get("post_code") if section in ("posts", "holders") else None
        found = w.of_entries(_evidence(change))
        if not found:
            found = w.of_subject(cadre_ids=who, unit_code=unit, post_code=post,
                                 types=SECTION_TYPES.get(section, frozenset()))
        if not found:
            found = w.of_subject(cadre_ids=who, unit_code=unit, post_code=None, types=None)
        if not found:
            found = w.rows
        out.append({**change, "causes": [w.cause(r) for r in found]})
    return out


# ——— the two diffs ———

def _answer(as_of: date, t1: datetime, t2: datetime, changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), "known_at": t1.isoformat(), "vs": t2.isoformat(), "changes": changes}


def roster_diff(conn: Connection, unit_code: str, as_of: date, t1: datetime, t2: datetime,
                scope: Scope = None) -> dict[str, Any]:
    """The unit's roster on ``as_of`` as known at ``t1`` against as known at ``t2`` (aware instants,
    t1 <= t2); out of scope or missing at either moment: ``NotFoundError`` as for the plain read."""
    first, second = Timeframe(as_of, t1), Timeframe(as_of, t2)
    before = roster_sections(roster(conn, unit_code, first, scope))
    after = roster_sections(roster(conn, unit_code, second, scope))
    changes = compare(before, after, ROSTER_SECTIONS)
    cadres = {str(i["cadre_id"]) for read in (before, after) for section in ("holders", "seconded_out",
                                                                             "seconded_in") for i in read[section]}
    holders: dict[str, set[str]] = {}
    for read in (before, after):
        for h in read["holders"]:
            holders.setdefault(str(h["post_code"]), set()).add(str(h["cadre_id"]))
    w = window(conn, first.instant, second.instant, cadre_ids=cadres, unit_codes={unit_code}, scope=scope)
    titles = {str(p["post_code"]): p["title"] for read in (before, after) for p in read["posts"]}
    return {"unit": after["unit"], "post_titles": titles,
            **_answer(as_of, t1, t2, with_causes(changes, w, unit_code=unit_code, holders=holders))}


def growth_file_diff(conn: Connection, cadre_id: str, as_of: date, t1: datetime, t2: datetime,
                     config: RuleConfig, scope: Scope = None,
                     mask: Callable[[Any], Any] = lambda read: read) -> dict[str, Any]:
    """The cadre's growth file on ``as_of`` as known at ``t1`` against as known at ``t2``, each read
    passed through ``mask`` (the caller's masking) before they are compared."""
    first, second = Timeframe(as_of, t1), Timeframe(as_of, t2)
    before = mask(growth_file(conn, cadre_id, first, config, scope))
    after = mask(growth_file(conn, cadre_id, second, config, scope))
    changes = compare(before, after, GROWTH_SECTIONS)
    units = {str(p["unit_code"]) for read in (before, after) for p in read["posts"] if p.get("unit_code")}
    w = window(conn, first.instant, second.instant, cadre_ids={cadre_id}, unit_codes=units, scope=scope)
    return {"cadre_id": cadre_id, "name": after["profile"].get("name"),
            **_answer(as_of, t1, t2, with_causes(changes, w, cadre_id=cadre_id))}
