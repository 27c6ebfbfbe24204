"""在职名册: who holds which post of a unit on a day, as the record stood at an instant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from domain.codes import CODE_TABLES
from domain.errors import NotFoundError
from projections.models import PostRow, SpanRow, UnitRow
from projections.scope import Scope, of, unit_in_scope
from projections.timeframe import Timeframe


def unit_at(conn: Connection, code: str, tf: Timeframe) -> Row[Any]:
    return _pick(conn.execute(select(UnitRow).where(UnitRow.code == code, tf.known(UnitRow))
                              .order_by(UnitRow.valid_from)).all(), code, tf)


def _pick(rows: Sequence[Row[Any]], code: str, tf: Timeframe) -> Row[Any]:
    """The version of a unit on ``tf.as_of`` among its known versions (in valid_from order): the one
    valid then, else the last begun by then, else the first."""
    if not rows:
        raise NotFoundError(f"单位不存在 (no such unit): {code}")
    for row in rows:
        if row.valid_from <= tf.as_of < row.valid_to:
            return row
    return rows[-1] if rows[-1].valid_from <= tf.as_of else rows[0]


def unit_and_parent(conn: Connection, code: str, tf: Timeframe) -> tuple[Row[Any], Row[Any] | None]:
    """The unit on ``tf.as_of`` and its parent (None: the record does not (yet) hold it), in one
    query: the versions of the unit and of every unit a known version of it names as parent."""
    parents = select(UnitRow.parent_code).where(UnitRow.code == code, tf.known(UnitRow))
    rows = conn.execute(select(UnitRow).where(or_(UnitRow.code == code, UnitRow.code.in_(parents)),
                                              tf.known(UnitRow)).order_by(UnitRow.valid_from, UnitRow.id)).all()
    unit = _pick([r for r in rows if r.code == code], code, tf)
    if not unit.parent_code:
        return unit, None
    mine = [r for r in rows if r.code == unit.parent_code]
    return unit, _pick(mine, unit.parent_code, tf) if mine else None


def names_of(conn: Connection, cadre_ids: set[str], tf: Timeframe) -> dict[str, str]:
    if not cadre_ids:
        return {}
    rows = conn.execute(select(SpanRow.cadre_id, SpanRow.label).where(
        SpanRow.kind == "profile", SpanRow.cadre_id.in_(cadre_ids), tf.known(SpanRow)))
    return {r.cadre_id: r.label or "" for r in rows}


def profiles(conn: Connection, cadre_ids: set[str], tf: Timeframe) -> dict[str, dict[str, Any]]:
    """干部名册 columns of each cadre: 干部编号 (the key an import template's rows name a cadre by), 性别,
    出生年月, 民族, 学历, 政治面貌 (code and label) and the 职级 held on ``tf.as_of``."""
    if not cadre_ids:
        return {}
    return _profiles(conn.execute(select(SpanRow).where(
        SpanRow.cadre_id.in_(cadre_ids), *_profile_or_rank(SpanRow, tf))).all())


def _profile_or_rank(s: Any, tf: Timeframe) -> list[Any]:
    """A cadre's profile as known at the instant, and the 职级 held on the day."""
    return [s.kind.in_(("profile", "rank")), tf.known(s),
            or_(s.kind == "profile", and_(s.valid_from <= tf.as_of, s.valid_to > tf.as_of))]


def _profiles(rows: Sequence[Row[Any]]) -> dict[str, dict[str, Any]]:
    """The 干部名册 columns from the profile and rank spans of ``_profile_or_rank``."""
    tables = CODE_TABLES
    out: dict[str, dict[str, Any]] = {}
    for p in rows:
        if p.kind != "profile":
            continue
        row: dict[str, Any] = {"cadre_no": p.cadre_no,
                               "birth_date": p.birth_date.isoformat() if p.birth_date else None}
        for field in ("gender", "ethnicity", "education", "political_status"):
            code = getattr(p, field)
            row[field] = code
            row[f"{field}_label"] = tables[field].entries.get(code or "")
        out[p.cadre_id] = row | {"rank": None}
    for r in rows:
        if r.kind == "rank":
            out.setdefault(r.cadre_id, {})["rank"] = r.label
    return out


SpanParts = tuple[list[Row[Any]], list[Row[Any]], list[Row[Any]], list[Row[Any]]]


def _spans(conn: Connection, unit_code: str, unit_name: str, tf: Timeframe, scope: Scope) -> SpanParts:
    """The roster's spans in one query (one round trip instead of five): the holders of the unit's
    posts (in valid_from, cadre order), their secondments out, the secondments hosted by the unit (in
    scope on the day), and the profile and 职级 spans of all of these people."""
    def part(name: str) -> Any:
        s = aliased(SpanRow, name=f"s_{name}")
        return s, select(*[getattr(s, c.key) for c in SpanRow.__table__.c], literal(name).label("part"))

    h, holders = part("holder")
    holders = holders.where(h.kind == "post", h.unit_code == unit_code, tf.known(h), tf.valid(h))
    holder_ids = select(h.cadre_id).where(h.kind == "post", h.unit_code == unit_code, tf.known(h), tf.valid(h))
    o, out = part("out")
    out = out.where(o.kind == "secondment", o.cadre_id.in_(holder_ids), tf.known(o), tf.valid(o))
    i, hosted = part("in")
    hosted_where = [i.kind == "secondment", or_(i.label == unit_code, i.label == unit_name), tf.known(i), tf.valid(i)]
    j = of(scope)
    if j is not None:
        hosted_where.append(i.cadre_id.in_(j.present(tf.as_of, tf)))
    hosted = hosted.where(*hosted_where)
    hosted_ids = select(i.cadre_id).where(*hosted_where)
    p, people = part("person")
    people = people.where(p.cadre_id.in_(holder_ids.union(hosted_ids)), *_profile_or_rank(p, tf))
    query = union_all(holders, out, hosted, people)
    rows = conn.execute(query.order_by(query.selected_columns.part, query.selected_columns.valid_from,
                                       query.selected_columns.cadre_id)).all()
    parts: dict[str, list[Row[Any]]] = {"holder": [], "out": [], "in": [], "person": []}
    for row in rows:
        parts[row.part].append(row)
    return parts["holder"], parts["out"], parts["in"], parts["person"]


def roster(conn: Connection, unit_code: str, tf: Timeframe, scope: Scope = None) -> dict[str, Any]:
    """The unit's roster (posts by grade, leading posts first; each holder with the 干部名册 columns); a unit
    out of ``scope`` is answered as if it did not exist. Those seconded in
    are listed only if in scope on the day (a host named by a look-alike name is not a unit code)."""
    if not unit_in_scope(conn, scope, unit_code):
        raise NotFoundError(f"单位不存在 (no such unit): {unit_code}")
    unit, parent = unit_and_parent(conn, unit_code, tf)
    exists = unit.valid_from <= tf.as_of < unit.valid_to
    posts = conn.execute(select(PostRow).where(PostRow.unit_code == unit_code, tf.known(PostRow),
                                               tf.valid(PostRow))
                         .order_by(PostRow.grade, PostRow.leadership.desc(), PostRow.post_code)).all()  # leaders first
    holders, seconded_out, seconded_in, people_rows = _spans(conn, unit_code, unit.name, tf, scope)
    holder_ids = {h.cadre_id for h in holders}
    names = {r.cadre_id: r.label or "" for r in people_rows if r.kind == "profile"}
    people = _profiles([r for r in people_rows if r.cadre_id in holder_ids])
    by_post: dict[str, list[dict[str, Any]]] = {}
    for h in holders:
        by_post.setdefault(h.post_code or "", []).append({
            "cadre_id": h.cadre_id, "name": names.get(h.cadre_id, ""),
            "since": h.valid_from.isoformat(), "manner": h.label, **people.get(h.cadre_id, {})})
    grades = CODE_TABLES["grade"].entries
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
