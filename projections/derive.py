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
from domain.history import derive, pool_end
from domain.post import Post
from domain.recorded import id_text
from domain.unit import Unit
from projections.models import FAR
from projections.pinyin import name_keys

Row = dict[str, Any]
START = date(1, 1, 1)
PROFILE_COLUMNS = ("cadre_no", "birth_date", "gender", "ethnicity", "education", "political_status")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def signature(*parts: Any, key: bytes = b"") -> str:
    """A stable digest of row content (orjson renders dates, datetimes and UUIDs itself). Keyed
    (``key``: the store's, projections/sealed.py) where a row holds sealed values: an unkeyed digest
    of a row whose only unknown is an ID number would give the number away to a search of the
    few million numbers its birth date and gender leave."""
    data = orjson.dumps(list(parts), default=_default, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=20, key=key).hexdigest()


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
        rows.append({"cadre_id": id_text(cadre.id), "entry_id": id_text(e.entry_id), "type": e.type,
                     "version": e.version, "effective_on": e.effective_on,
                     "values": dict(e.values), "overrides": list(e.overrides),
                     "recorded_at": e.recorded_at})
    return rows


def span_rows(cadre: Cadre | None) -> list[Row]:
    """Career intervals as the one fold (``domain/history.py``) gives them: the profile, posts,
    secondments, ranks, pools and mentors."""
    if cadre is None:
        return []
    history = derive(cadre.standing_entries())
    registration = history.registration
    if registration is None:
        return []
    cid = id_text(cadre.id)
    rows: list[Row] = []

    def add(kind: str, valid_from: date, valid_to: date | None, *, unit_code: str | None = None,
            post_code: str | None = None, label: str | None = None, data: dict[str, Any] | None = None,
            entry_id: Any = None, **profile: Any) -> None:
        rows.append({"cadre_id": cid, "kind": kind, "unit_code": unit_code, "post_code": post_code,
                     "label": label, "data": dict(data or {}),
                     "entry_id": id_text(entry_id) if entry_id else None,
                     "valid_from": valid_from, "valid_to": valid_to or FAR,
                     **{k: profile.get(k) for k in PROFILE_COLUMNS},
                     "id_key": profile.get("id_number")})  # stored as its keyed hash (projections/sealed.py)

    p = registration.values
    add("profile", START, None, label=p["name"], data=p, entry_id=registration.entry_id,
        **{k: p.get(k) for k in PROFILE_COLUMNS}, id_number=p.get("id_number"))
    for t in history.tenures:
        add("post", t.start, t.end, unit_code=t.unit_code, post_code=t.post_code, label=t.manner,
            data={"manner": t.manner, "ended_by": t.ended_by}, entry_id=t.appointed_entry)
    for s in history.secondments:
        add("secondment", s.start, s.end, label=s.host,
            data={"kind": s.kind, "host": s.host, "role": s.role, "planned_end_on": s.planned_end_on,
                  "ended_by": s.ended_by}, entry_id=s.entry_id)
    # the rank at registration is held from the start of the record; a rank changed twice in one day
    # keeps only the second
    spells = history.ranks
    for i, spell in enumerate(spells):
        since = START if i == 0 else spell.since
        until = spells[i + 1].since if i + 1 < len(spells) else history.departed_on
        if until is None or until > since or i + 1 == len(spells):
            add("rank", since, until, label=spell.rank, entry_id=spell.entry_id)
    for pool in history.pools:
        data = {"grounds": pool.grounds, "target_grade": pool.target_grade, "last_review": pool.last_review}
        if pool.until is not None:
            data["exit_reason"] = pool.exit_reason
        add("pool", pool.since, pool_end(pool, history), label=pool.pool, data=data, entry_id=pool.entry_id)
    for mentor in history.mentors:
        add("mentor", mentor.since, mentor.until, label=mentor.mentor, data={"role": mentor.role},
            entry_id=mentor.entry_id)
    return rows


def search_rows(spans: list[Row]) -> list[Row]:
    """干部查询的检索键 of a cadre, from its profile span: name, 全拼, 首字母, 公民身份号码
    (kept as its keyed hash: projections/sealed.py)."""
    rows: list[Row] = []
    for span in spans:
        if span["kind"] != "profile":
            continue
        name = span["label"] or ""
        pinyin, initials = name_keys(name)
        id_number = span["data"].get("id_number")
        rows.append({"cadre_id": span["cadre_id"], "name": name, "pinyin": pinyin, "initials": initials,
                     "id_key": str(id_number).upper() if id_number else None})  # stored as its keyed hash
    return rows


def with_signatures(rows: list[Row], key: bytes = b"") -> dict[str, Row]:
    """Rows keyed by a signature of their content (identical content = same row)."""
    keyed: dict[str, Row] = {}
    for row in rows:
        sig = signature(row, key=key)
        while sig in keyed:  # two identical rows: keep both
            sig = signature(sig, "again", key=key)
        keyed[sig] = row
    return keyed
