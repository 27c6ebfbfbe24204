"""Cadre search, talent pools (人才库) and workforce structure (队伍结构)."""

from __future__ import annotations

import base64
import re
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, and_, func, or_, select

from domain.codes import CODE_TABLES
from domain.errors import NotFoundError
from projections.models import PostRow, SearchRow, SpanRow, UnitRow
from projections.pinyin import fold_query, is_latin_query
from projections.scope import Jurisdiction, Scope, of, unit_in_scope
from projections.timeframe import Timeframe, age_on

ID_NUMBER = re.compile(r"^(?:\d{17}[\dXx]|\d{15})$")  # 公民身份号码 (18 digits, or the old 15): searched exactly


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def search(conn: Connection, tf: Timeframe, *, unit: str | None, pool: str | None, grade: str | None,
           rank: str | None, max_age: int | None, education: str | None, q: str | None, limit: int,
           cursor: str | None, scope: Scope = None) -> dict[str, Any]:
    """A page of cadres; with a ``scope`` only those in scope on ``tf.as_of`` (a ``unit`` filter out of
    scope is answered as a unit that does not exist)."""
    query = select(SpanRow).where(SpanRow.kind == "profile", tf.known(SpanRow))
    j = of(scope)
    if j is not None:
        if unit and not unit_in_scope(conn, scope, unit):
            raise NotFoundError(f"单位不存在 (no such unit): {unit}")
        query = query.where(SpanRow.cadre_id.in_(j.present(tf.as_of, tf)))

    def having(kind: str, *conditions: Any) -> Any:
        sub = select(SpanRow.cadre_id).where(SpanRow.kind == kind, tf.known(SpanRow), tf.valid(SpanRow),
                                             *conditions)
        return SpanRow.cadre_id.in_(sub)

    if unit:
        query = query.where(having("post", SpanRow.unit_code == unit))
    if pool:
        query = query.where(having("pool", SpanRow.label == pool))
    if rank:
        query = query.where(having("rank", SpanRow.label == rank))
    if grade:
        posts = select(PostRow.unit_code + "/" + PostRow.post_code).where(
            PostRow.grade == grade, tf.known(PostRow), tf.valid(PostRow))
        query = query.where(having("post", (SpanRow.unit_code + "/" + SpanRow.post_code).in_(posts)))
    if max_age is not None:
        query = query.where(SpanRow.birth_date > _years_before(tf.as_of, max_age + 1))
    if education:
        query = query.where(SpanRow.education == education)
    if q:
        query = query.where(_matching(q.strip(), tf))
    if cursor:
        after_name, _, after_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("\x00")
        query = query.where(or_(SpanRow.label > after_name,
                                (SpanRow.label == after_name) & (SpanRow.cadre_id > after_id)))
    rows = conn.execute(query.order_by(SpanRow.label, SpanRow.cadre_id).limit(limit + 1)).all()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = base64.urlsafe_b64encode(f"{last.label}\x00{last.cadre_id}".encode()).decode()
    held = current_posts(conn, {r.cadre_id for r in page}, tf, of(scope))
    return {"items": [_person(r, tf.as_of) | {"current_posts": held.get(r.cadre_id, [])} for r in page],
            "next_cursor": next_cursor, **tf.describe()}


def _matching(q: str, tf: Timeframe) -> Any:
    """姓名 contains ``q``, 干部编号 starts with it, 全拼 or 首字母 start with it (``huangliu``, ``hl``);
    a full 公民身份号码 matches exactly that number."""
    if ID_NUMBER.match(q):
        return SpanRow.cadre_id.in_(select(SearchRow.cadre_id).where(SearchRow.id_key == q.upper(),
                                                                     tf.known(SearchRow)))
    conditions = [SpanRow.label.like(f"%{q}%"), SpanRow.cadre_no.like(f"{q}%")]
    if is_latin_query(q):
        folded = fold_query(q)
        after = folded + "{"  # "{" follows "z": [folded, after) is every key starting with it, as an index range
        conditions.append(SpanRow.cadre_id.in_(select(SearchRow.cadre_id).where(
            or_(and_(SearchRow.pinyin >= folded, SearchRow.pinyin < after),
                and_(SearchRow.initials >= folded, SearchRow.initials < after)), tf.known(SearchRow))))
    return or_(*conditions)


def current_posts(conn: Connection, cadre_ids: set[str], tf: Timeframe,
                  j: Jurisdiction | None = None) -> dict[str, list[dict[str, Any]]]:
    """现任单位及职务 of each cadre on ``tf.as_of``, by name (with a scope: the posts in it only)."""
    if not cadre_ids:
        return {}
    query = select(SpanRow.cadre_id, SpanRow.unit_code, SpanRow.post_code, SpanRow.valid_from).where(
        SpanRow.kind == "post", SpanRow.cadre_id.in_(cadre_ids), tf.known(SpanRow), tf.valid(SpanRow))
    if j is not None:
        query = query.where(j.unit_in(SpanRow.unit_code))
    held = conn.execute(query.order_by(SpanRow.cadre_id, SpanRow.valid_from, SpanRow.unit_code)).all()
    if not held:
        return {}
    units = {h.unit_code for h in held}
    names = {u.code: u.name for u in conn.execute(select(UnitRow.code, UnitRow.name).where(
        UnitRow.code.in_(units), tf.known(UnitRow), tf.valid(UnitRow)))}
    titles = {(p.unit_code, p.post_code): p.title for p in conn.execute(
        select(PostRow.unit_code, PostRow.post_code, PostRow.title).where(
            PostRow.unit_code.in_(units), tf.known(PostRow), tf.valid(PostRow)))}
    out: dict[str, list[dict[str, Any]]] = {}
    for h in held:
        out.setdefault(h.cadre_id, []).append({
            "unit_code": h.unit_code, "unit_name": names.get(h.unit_code or "", h.unit_code),
            "post_code": h.post_code, "post_title": titles.get((h.unit_code, h.post_code), h.post_code),
            "since": h.valid_from.isoformat()})
    return out


def _person(r: Row[Any], as_of: date) -> dict[str, Any]:
    tables = CODE_TABLES
    return {"cadre_id": r.cadre_id, "cadre_no": r.cadre_no, "name": r.label,
            "id_number": (r.data or {}).get("id_number"),
            "gender": r.gender, "gender_label": tables["gender"].entries.get(r.gender or ""),
            "birth_date": r.birth_date.isoformat() if r.birth_date else None, "age": age_on(r.birth_date, as_of),
            "education": r.education, "education_label": tables["education"].entries.get(r.education or ""),
            "ethnicity_label": tables["ethnicity"].entries.get(r.ethnicity or ""),
            "political_status_label": tables["political_status"].entries.get(r.political_status or "")}


def pool_members(conn: Connection, pool: str, tf: Timeframe, scope: Scope = None) -> list[dict[str, Any]]:
    """The pool's members on ``tf.as_of``; with a ``scope`` only those in scope that day."""
    query = select(SpanRow).where(SpanRow.kind == "pool", SpanRow.label == pool, tf.known(SpanRow),
                                  tf.valid(SpanRow))
    j = of(scope)
    if j is not None:
        query = query.where(SpanRow.cadre_id.in_(j.present(tf.as_of, tf)))
    members = conn.execute(query).all()
    ids = {m.cadre_id for m in members}
    people = {p.cadre_id: p for p in conn.execute(select(SpanRow).where(
        SpanRow.kind == "profile", SpanRow.cadre_id.in_(ids), tf.known(SpanRow)))} if ids else {}
    out = []
    for m in sorted(members, key=lambda m: (m.valid_from, m.cadre_id)):
        p = people.get(m.cadre_id)
        out.append({**(_person(p, tf.as_of) if p else {"cadre_id": m.cadre_id}), "pool": pool,
                    "entered_on": m.valid_from.isoformat(), "last_review": m.data.get("last_review"),
                    "target_grade": m.data.get("target_grade")})
    return out


AGE_BANDS = ((30, "30岁及以下"), (35, "31-35岁"), (40, "36-40岁"), (45, "41-45岁"), (50, "46-50岁"),
             (55, "51-55岁"))
OLDEST_BAND = "56岁及以上"  # open-ended: every age past the last band's top falls here


def age_band(age: int) -> str:
    """The age band (年龄段) of an age; never fails, whatever the age (a plain loop, not ``next()``
    over a generator: a StopIteration escaping a route run on a worker thread surfaces as
    "coroutine raised StopIteration")."""
    for top, label in AGE_BANDS:
        if age <= top:
            return label
    return OLDEST_BAND


def subtree(conn: Connection, unit: str | None, tf: Timeframe) -> set[str] | None:
    if unit is None:
        return None
    rows = conn.execute(select(UnitRow.code, UnitRow.parent_code).where(tf.known(UnitRow), tf.valid(UnitRow)))
    children: dict[str | None, set[str]] = {}
    for code, parent in rows:
        children.setdefault(parent, set()).add(code)
    found, todo = {unit}, [unit]
    while todo:
        for child in children.get(todo.pop(), set()) - found:
            found.add(child)
            todo.append(child)
    return found


def structure(conn: Connection, unit: str | None, tf: Timeframe, scope: Scope = None) -> dict[str, Any]:
    """Counts over the posts held in ``unit``'s subtree (default: the whole tree, or with a ``scope``
    the user's subtrees; a ``unit`` out of scope is answered as a unit that does not exist)."""
    j = of(scope)
    if j is not None and unit is not None and not unit_in_scope(conn, scope, unit):
        raise NotFoundError(f"单位不存在 (no such unit): {unit}")
    units = subtree(conn, unit, tf)
    holders = select(SpanRow.cadre_id, SpanRow.unit_code, SpanRow.post_code).where(
        SpanRow.kind == "post", tf.known(SpanRow), tf.valid(SpanRow))
    if units is not None:
        holders = holders.where(SpanRow.unit_code.in_(units))
    elif j is not None:
        holders = holders.where(j.unit_in(SpanRow.unit_code))
    held = conn.execute(holders).all()
    ids = {h.cadre_id for h in held}
    grades = {(p.unit_code, p.post_code): p.grade for p in conn.execute(
        select(PostRow.unit_code, PostRow.post_code, PostRow.grade).where(tf.known(PostRow), tf.valid(PostRow)))}
    people = conn.execute(select(SpanRow).where(SpanRow.kind == "profile", SpanRow.cadre_id.in_(ids),
                                                tf.known(SpanRow))).all() if ids else []
    ranks: dict[str, str | None] = {cadre_id: label for cadre_id, label in conn.execute(
        select(SpanRow.cadre_id, SpanRow.label).where(SpanRow.kind == "rank", SpanRow.cadre_id.in_(ids),
                                                      tf.known(SpanRow), tf.valid(SpanRow)))} if ids else {}
    counts: dict[str, Counter[str]] = {k: Counter() for k in
                                       ("age_band", "gender", "ethnicity", "education", "political_status",
                                        "grade", "rank")}
    for p in people:
        age = age_on(p.birth_date, tf.as_of) or 0
        counts["age_band"][age_band(age)] += 1
        for field in ("gender", "ethnicity", "education", "political_status"):
            code = getattr(p, field) or ""
            counts[field][CODE_TABLES[field].entries.get(code, code)] += 1
        counts["rank"][ranks.get(p.cadre_id) or "未定"] += 1
    for h in held:
        grade = grades.get((h.unit_code, h.post_code), "")
        counts["grade"][CODE_TABLES["grade"].entries.get(grade, grade)] += 1
    total = conn.execute(select(func.count()).select_from(holders.subquery())).scalar_one()
    return {"unit": unit, "as_of": tf.as_of.isoformat(), "cadres": len(people), "posts_held": total,
            "counts": {k: dict(sorted(v.items())) for k, v in counts.items()}}
