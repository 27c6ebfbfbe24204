"""Pure derivations: the read-model rows an aggregate's state implies.

The runner derives the rows of an aggregate before and after each event and writes only
the difference (closing the recorded range of rows that no longer hold, inserting new
ones), so rebuilding from scratch and applying incrementally run the same code.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

import orjson

from domain.cadre import Cadre
from domain.history import derive
from domain.post import Post
from domain.unit import Unit
from projections.models import FAR

Row = dict[str, Any]
START = date(1, 1, 1)
PROFILE_COLUMNS = ("cadre_no", "birth_date", "gender", "ethnicity", "education", "political_status")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def signature(*parts: Any) -> str:
    """A stable digest of row content (orjson renders dates, datetimes and UUIDs itself)."""
    data = orjson.dumps(list(parts), default=_default, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def unit_rows(unit: Unit | None) -> list[Row]:
    if unit is None or not unit.code:
        return []
    start = unit.registered_on or START
    end = unit.dissolved_on or FAR
    names = unit.names or [(start, unit.name)]
    rows: list[Row] = []
    for i, (since, name) in enumerate(names):
        until = names[i + 1][0] if i + 1 < len(names) else end
        if since >= until:
            continue
        row = {"code": unit.code, "name": name, "kind": unit.kind, "parent_code": unit.parent_code,
               "valid_from": since, "valid_to": until}
        rows.append(row)
    return rows


def post_rows(post: Post | None) -> list[Row]:
    if post is None or not post.post_code:
        return []
    end = post.abolished_on or FAR
    schedule = post.establishment_schedule
    rows: list[Row] = []
    for i, (since, number) in enumerate(schedule):
        until = min(schedule[i + 1][0], end) if i + 1 < len(schedule) else end
        if since >= until:
            continue
        rows.append({"unit_code": post.unit_code, "post_code": post.post_code, "title": post.title,
                     "grade": post.grade, "leadership": post.leadership, "probation": post.probation,
                     "establishment": number, "valid_from": since, "valid_to": until})
    return rows


def entry_rows(cadre: Cadre | None, only: set[Any] | None = None) -> list[Row]:
    """One row per entry as it now stands (retracted entries have none); ``only`` limits the ids."""
    if cadre is None:
        return []
    rows: list[Row] = []
    records = cadre.entries.values() if only is None else [cadre.entries[i] for i in only if i in cadre.entries]
    for e in records:
        if not e.stands:
            continue
        rows.append({"cadre_id": str(cadre.id), "entry_id": str(e.entry_id), "type": e.type,
                     "version": e.version, "effective_on": e.effective_on,
                     "values": dict(e.values), "overrides": list(e.overrides),
                     "recorded_at": e.recorded_at})
    return rows


def span_rows(cadre: Cadre | None) -> list[Row]:
    """Derived career intervals: posts, secondments, pools, ranks, mentors and the profile."""
    if cadre is None:
        return []
    standing = cadre.standing_entries()
    registration = next((e for e in standing if e.type == "CadreRegistered"), None)
    if registration is None:
        return []
    cid = str(cadre.id)
    rows: list[Row] = []

    def add(kind: str, valid_from: date, valid_to: date | None, *, unit_code: str | None = None,
            post_code: str | None = None, label: str | None = None, data: dict[str, Any] | None = None,
            entry_id: Any = None, **profile: Any) -> None:
        rows.append({"cadre_id": cid, "kind": kind, "unit_code": unit_code, "post_code": post_code,
                     "label": label, "data": dict(data or {}),
                     "entry_id": str(entry_id) if entry_id else None,
                     "valid_from": valid_from, "valid_to": valid_to or FAR,
                     **{k: profile.get(k) for k in PROFILE_COLUMNS}})

    p = registration.values
    add("profile", START, None, label=p["name"], data=p, entry_id=registration.entry_id,
        **{k: p.get(k) for k in PROFILE_COLUMNS})
    history = derive(standing)
    for t in history.tenures:
        add("post", t.start, t.end, unit_code=t.unit_code, post_code=t.post_code, label=t.manner,
            data={"manner": t.manner, "ended_by": t.ended_by}, entry_id=t.appointed_entry)
    ordered = sorted(standing, key=lambda e: (e.effective_on or START, e.version))
    ends = {e.values["secondment_entry_id"]: e for e in ordered if e.type == "SecondmentEnded"}
    rank_since, rank = START, registration.values.get("rank")
    rank_entry = registration.entry_id
    pools: dict[str, tuple[date, Any, dict[str, Any]]] = {}
    mentors: dict[tuple[str, str], tuple[date, Any]] = {}
    for e in ordered:
        v, day = e.values, e.effective_on or START
        if e.type == "SecondmentStarted":
            end = ends.get(e.entry_id)
            add("secondment", day, end.effective_on if end else None, label=v["host"],
                data={"kind": v["kind"], "host": v["host"], "role": v["role"],
                      "planned_end_on": v["planned_end_on"],
                      "ended_by": end.entry_id if end else None}, entry_id=e.entry_id)
        elif e.type in ("RankPromoted", "RankDemoted"):
            if day > rank_since:
                add("rank", rank_since, day, label=rank, entry_id=rank_entry)
            rank_since, rank, rank_entry = day, v["to_rank"], e.entry_id
        elif e.type == "PoolEntered" and v["pool"] not in pools:
            pools[v["pool"]] = (day, e.entry_id, {"grounds": v["grounds"], "target_grade": v.get("target_grade"),
                                                  "last_review": None})
        elif e.type == "PoolReviewed" and v["pool"] in pools:
            pools[v["pool"]][2]["last_review"] = day
        elif e.type == "PoolExited" and v["pool"] in pools:
            since, entry_id, data = pools.pop(v["pool"])
            add("pool", since, day, label=v["pool"], data={**data, "exit_reason": v.get("reason")},
                entry_id=entry_id)
        elif e.type == "MentorAssigned":
            mentors[(str(v["mentor_cadre_id"]), v["role"])] = (day, e.entry_id)
        elif e.type == "MentorReleased":
            key = (str(v["mentor_cadre_id"]), v["role"])
            if key in mentors:
                since, entry_id = mentors.pop(key)
                add("mentor", since, day, label=key[0], data={"role": key[1]}, entry_id=entry_id)
    add("rank", rank_since, history.departed_on, label=rank, entry_id=rank_entry)
    for pool, (since, entry_id, data) in pools.items():
        add("pool", since, history.departed_on, label=pool, data=data, entry_id=entry_id)
    for (mentor, role), (since, entry_id) in mentors.items():
        add("mentor", since, None, label=mentor, data={"role": role}, entry_id=entry_id)
    return rows


def with_signatures(rows: list[Row]) -> dict[str, Row]:
    """Rows keyed by a signature of their content (identical content = same row)."""
    keyed: dict[str, Row] = {}
    for row in rows:
        sig = signature(row)
        while sig in keyed:  # two identical rows: keep both
            sig = signature(sig, "again")
        keyed[sig] = row
    return keyed
