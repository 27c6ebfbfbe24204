"""资格测算: for a cadre, which conditions of a promotion to a rank or a post hold on a day, in Chinese.

The checks are the API's (``GET /api/v1/cadres/{id}/eligibility`` calls the same ``Jishi.eligibility``) and
so is the jurisdiction: the cadre in the caller's scope on the day, a target post in a unit of their scope.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from starlette.responses import Response

from api.pages import reads
from api.pages.render import Reader, html_errors, path_id, render, start_timer, status_of, timed
from api.pages.units import when
from domain.codes import CODE_TABLES, RANKS, grade_level, rank_index
from domain.rules.catalog import RULES
from domain.users import Principal
from jishi.bootstrap import Runtime
from projections.models import PostRow, SpanRow
from projections.timeframe import Timeframe
from service.jurisdiction import cadre_on, no_post

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
CadreId = Annotated[UUID, Depends(path_id("cadre_id", "干部不存在 (no such cadre)"))]
POST_TARGET = re.compile(r"^([^/\x00]{1,32})/([^/\x00]{1,32})$")


def chinese(message: str) -> str:
    """The Chinese half of a ``"中文 (English)"`` message: the final ASCII bracket (nested brackets
    included) is dropped when it opens after a space with a Latin letter or digit; anything else is kept."""
    text = message.rstrip()
    if not text.endswith(")"):
        return message
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            english = text[i + 1:i + 2]
            if i > 0 and text[i - 1] == " " and english.isascii() and english.isalnum():
                return text[:i - 1]
            return message
    return message


def rank_on(runtime: Runtime, cadre_id: UUID, day: date) -> str | None:
    """The cadre's rank (职级) on ``day`` as the record stands now."""
    tf = Timeframe(day, None)
    with runtime.read_models.engine.connect() as conn:
        label = conn.execute(select(SpanRow.label).where(
            SpanRow.kind == "rank", SpanRow.cadre_id == str(cadre_id), tf.known(SpanRow), tf.valid(SpanRow))
            .limit(1)).scalar_one_or_none()
    return label


def post_choices(runtime: Runtime, user: Principal, day: date) -> list[dict[str, Any]]:
    """The posts existing on ``day`` in the caller's units, grouped by unit (higher grades first)."""
    tf = Timeframe(day, None)
    allowed = runtime.read_models.units_in_scope(user.scopes)
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(select(PostRow.unit_code, PostRow.post_code, PostRow.title, PostRow.grade).where(
            tf.known(PostRow), tf.valid(PostRow)).order_by(PostRow.unit_code, PostRow.post_code)).all()
    rows = [r for r in rows if allowed is None or r.unit_code in allowed]
    names = reads.unit_names(runtime, user, {r.unit_code for r in rows}, day)
    grades = CODE_TABLES["grade"].entries
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in sorted(rows, key=lambda r: (r.unit_code, -grade_level(r.grade), r.post_code)):
        groups.setdefault(r.unit_code, []).append(
            (f"{r.unit_code}/{r.post_code}", f"{r.title}（{grades.get(r.grade, r.grade)}）"))
    return [{"unit": names.get(code, code), "options": options} for code, options in groups.items()]


def _target(raw: str, current: str | None) -> tuple[str | None, tuple[str, str] | None, str | None]:
    """(rank, post, error) from the ``target`` query: a rank's name or ``UNIT/POST``; empty: the next rank."""
    if not raw:
        if current is None or rank_index(current) == 0:
            return None, None, None
        return RANKS[rank_index(current) - 1], None, None
    if raw in RANKS:
        return raw, None, None
    match = POST_TARGET.match(raw)
    if match:
        return None, (match.group(1), match.group(2)), None
    return None, None, "请选择一个职级或职位"


def _checks(found: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"rule": c["rule"], "title": RULES[c["rule"]].title_zh if c["rule"] in RULES else chinese(c["title"]),
             "passed": c["passed"], "reasons": [chinese(r) for r in c["reasons"]]} for c in found["checks"]]


@router.get("/cadres/{cadre_id}/eligibility")
@html_errors
def eligibility(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """资格测算: every condition a promotion to the target rank (default: the next one up) or post would
    face on the day, each with 通过 / 未通过 and why."""
    runtime: Runtime = request.app.state.runtime
    user = session.principal
    at = when(request)
    errors = {k: v for k, v in at.errors.items() if k == "as_of"}  # the test takes a day, not an instant
    day = at.as_of
    raw = (request.query_params.get("target") or "").strip()
    if user.scopes is not None:
        runtime.read_models.refresh()
        cadre_on(runtime.read_models, user.scopes, cadre_id, day)
    name = reads.cadre_names(runtime, user, {str(cadre_id)}, day).get(str(cadre_id)) or str(cadre_id)
    current = rank_on(runtime, cadre_id, day)
    rank, post, problem = _target(raw, current)
    if problem:
        errors["target"] = problem
    if post is not None and not runtime.read_models.unit_in_scope(post[0], user.scopes):
        raise no_post(*post)
    found: dict[str, Any] | None = None
    if not errors and (rank or post):
        with timed(request, "rules"):
            found = runtime.app.eligibility(cadre_id, post=post, rank=rank, on=day).as_dict()
    groups = post_choices(runtime, user, day)
    target_label = rank or ""
    if post is not None:
        unit_name = reads.unit_names(runtime, user, {post[0]}, day).get(post[0], post[0])
        titles = {value: text for group in groups for value, text in group["options"]}
        target_label = f"{unit_name} {titles.get(f'{post[0]}/{post[1]}', post[1])}"
    higher = [r for r in RANKS if current is None or rank_index(r) < rank_index(current)][::-1]
    return render(request, "eligibility.html", {
        "nav": "cadres", "at": at, "cadre_id": cadre_id, "name": name, "current": current, "raw": raw,
        "rank": rank, "post": post, "target_label": target_label, "found": found,
        "checks": _checks(found) if found else [], "errors": errors, "higher_ranks": higher,
        "post_groups": groups}, status=status_of(errors))
