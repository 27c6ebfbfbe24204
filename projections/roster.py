"""在职名册: who holds which post of a unit on a day, as the record stood at an instant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, or_, select

from domain.codes import CODE_TABLES
from domain.errors import NotFoundError
from projections.models import PostRow, SpanRow, UnitRow
from projections.scope import Scope, of, unit_in_scope
from projections.timeframe import Timeframe


def unit_at(conn: Connection, code: str, tf: Timeframe) -> Row[Any]:
    rows = conn.execute(select(UnitRow).where(UnitRow.code == code, tf.known(UnitRow))
                        .order_by(UnitRow.valid_from)).all()
    if not rows:
        raise NotFoundError(f"单位不存在 (no such unit): {code}")
    for row in rows:
        if row.valid_from <= tf.as_of < row.valid_to:
            return row
    return rows[-1] if rows[-1].valid_from <= tf.as_of else rows[0]


def names_of(conn: Connection, cadre_ids: set[str], tf: Timeframe) -> dict[str, str]:
    if not cadre_ids:
        return {}
    rows = conn.execute(select(SpanRow.cadre_id, SpanRow.label).where(
        SpanRow.kind == "profile", SpanRow.cadre_id.in_(cadre_ids), tf.known(SpanRow)))
    return {r.cadre_id: r.label or "" for r in rows}


def _parent(conn: Connection, code: str | None, tf: Timeframe) -> Row[Any] | None:
    if not code:
        return None
    try:
        return unit_at(conn, code, tf)
    except NotFoundError:  # a parent the record does not (yet) hold
        return None


def profiles(conn: Connection, cadre_ids: set[str], tf: Timeframe) -> dict[str, dict[str, Any]]:
    """干部名册 columns of each cadre: 干部编号 (the key an import template's rows name a cadre by), 性别,
    出生年月, 民族, 学历, 政治面貌 (code and label) and the 职级 held on ``tf.as_of``."""
    if not cadre_ids:
        return {}
    tables = CODE_TABLES
    out: dict[str, dict[str, Any]] = {}
    for p in conn.execute(select(SpanRow).where(SpanRow.kind == "profile", SpanRow.cadre_id.in_(cadre_ids),
                                                tf.known(SpanRow))):
        row: dict[str, Any] = {"cadre_no": p.cadre_no,
                               "birth_date": p.birth_date.isoformat() if p.birth_date else None}
        for field in ("gender", "ethnicity", "education", "political_status"):
            code = getattr(p, field)
            row[field] = code
            row[f"{field}_label"] = tables[field].entries.get(code or "")
        out[p.cadre_id] = row | {"rank": None}
    for r in conn.execute(select(SpanRow.cadre_id, SpanRow.label).where(
            SpanRow.kind == "rank", SpanRow.cadre_id.in_(cadre_ids), tf.known(SpanRow), tf.valid(SpanRow))):
        out.setdefault(r.cadre_id, {})["rank"] = r.label
    return out


def roster(conn: Connection, unit_code: str, tf: Timeframe, scope: Scope = None) -> dict[str, Any]:
    """The unit's roster (posts by grade, leading posts first; each holder with the 干部名册 columns); a unit
    out of ``scope`` is answered as if it did not exist. Those seconded in
    are listed only if in scope on the day (a host named by a look-alike name is not a unit code)."""
    if not unit_in_scope(conn, scope, unit_code):
        raise NotFoundError(f"单位不存在 (no such unit): {unit_code}")
    unit = unit_at(conn, unit_code, tf)
    exists = unit.valid_from <= tf.as_of < unit.valid_to
    posts = conn.execute(select(PostRow).where(PostRow.unit_code == unit_code, tf.known(PostRow),
                                               tf.valid(PostRow))
                         .order_by(PostRow.grade, PostRow.leadership.desc(), PostRow.post_code)).all()  # leaders first
    holders = conn.execute(select(SpanRow).where(SpanRow.kind == "post", SpanRow.unit_code == unit_code,
                                                 tf.known(SpanRow), tf.valid(SpanRow))
                           .order_by(SpanRow.valid_from, SpanRow.cadre_id)).all()
    holder_ids = {h.cadre_id for h in holders}
    seconded_out = conn.execute(select(SpanRow).where(
        SpanRow.kind == "secondment", SpanRow.cadre_id.in_(holder_ids), tf.known(SpanRow),
        tf.valid(SpanRow))).all() if holder_ids else []
    hosted = select(SpanRow).where(
        SpanRow.kind == "secondment", or_(SpanRow.label == unit_code, SpanRow.label == unit.name),
        tf.known(SpanRow), tf.valid(SpanRow))
    j = of(scope)
    if j is not None:
        hosted = hosted.where(SpanRow.cadre_id.in_(j.present(tf.as_of, tf)))
    seconded_in = conn.execute(hosted).all()
    names = names_of(conn, holder_ids | {s.cadre_id for s in seconded_in}, tf)
    people = profiles(conn, holder_ids, tf)
    by_post: dict[str, list[dict[str, Any]]] = {}
    for h in holders:
        by_post.setdefault(h.post_code or "", []).append({
            "cadre_id": h.cadre_id, "name": names.get(h.cadre_id, ""),
            "since": h.valid_from.isoformat(), "manner": h.label, **people.get(h.cadre_id, {})})
    grades = CODE_TABLES["grade"].entries
    parent = _parent(conn, unit.parent_code, tf)
    return {
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent_code": unit.parent_code,
                 "parent_name": parent.name if parent is not None else None, "exists": exists},
        **tf.describe(),
        "posts": [{
            "post_code": p.post_code, "title": p.title, "grade": p.grade,
            "grade_label": grades.get(p.grade, p.grade), "leadership": p.leadership,
            "establishment": p.establishment, "holders": by_post.get(p.post_code, []),
            "vacancies": max(0, p.establishment - len(by_post.get(p.post_code, []))),
            "over_establishment": max(0, len(by_post.get(p.post_code, [])) - p.establishment),
        } for p in posts],
        "seconded_out": [_secondment(s, names) for s in seconded_out],
        "seconded_in": [_secondment(s, names) for s in seconded_in],
    }


def _secondment(s: Row[Any], names: dict[str, str]) -> dict[str, Any]:
    return {"cadre_id": s.cadre_id, "name": names.get(s.cadre_id, ""), "host": s.label,
            "kind": s.data.get("kind"), "role": s.data.get("role"), "since": s.valid_from.isoformat(),
            "planned_end_on": s.data.get("planned_end_on")}
