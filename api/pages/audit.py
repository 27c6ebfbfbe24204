"""审计轨迹: every entry in recorded order, filtered by cadre, unit, post, actor and recorded date (Beijing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.pages import growth, reads
from api.pages.labels import field_label
from api.pages.names import Names
from api.pages.render import Reader, html_errors, parse_day, render, start_timer, status_of
from domain import ids
from domain.users import Principal
from jishi.bootstrap import Runtime

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
FILTERS = ("cadre", "unit", "post", "actor", "case", "from", "to", "page")
PAGE = 100


def _cadre_key(text: str) -> str:
    """A cadre given by id (UUID) or by 干部编号 (whose id is derived from it)."""
    try:
        return str(UUID(text))
    except ValueError:
        return str(ids.cadre_id(text))


def _filters(request: Request) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    raw = {k: (request.query_params.get(k) or "").strip()[:100] for k in FILTERS}
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for name in ("from", "to"):
        try:
            parsed[name] = parse_day(raw[name])
        except ValueError as e:
            errors[name] = str(e)
    if raw["post"] and "/" not in raw["post"]:
        if raw["unit"]:
            raw["post"] = f"{raw['unit']}/{raw['post']}"
        else:
            errors["post"] = "职位须写作 单位代码/职位代码，或同时填写单位 (write UNIT/POST, or give the unit too)"
    if raw["case"]:
        try:
            parsed["case"] = str(UUID(raw["case"]))
        except ValueError:
            errors["case"] = "须为选任纪实编号 UUID (must be a case id)"
    parsed["page"] = int(raw["page"]) if raw["page"].isdigit() and 0 < len(raw["page"]) < 7 else 1
    if parsed.get("from") and parsed.get("to") and parsed["from"] > parsed["to"]:
        errors["to"] = "截止日期不得早于起始日期 (to must not be before from)"
    return raw, errors, parsed


def _primary(raw: dict[str, str], parsed: dict[str, Any]) -> tuple[str, str] | None:
    """The narrowest trail the filters name (the others then filter it)."""
    if raw["cadre"]:
        return "cadre", _cadre_key(raw["cadre"])
    if parsed.get("case"):
        return "case", parsed["case"]
    if raw["post"]:
        return "post", raw["post"]
    if raw["unit"]:
        return "unit", raw["unit"]
    if raw["actor"]:
        return "actor", raw["actor"]
    return None


def _utc(day: date, tz: ZoneInfo) -> datetime:
    """The instant a Beijing (``tz``) calendar day begins, as the naive UTC the trail stores."""
    return datetime.combine(day, time.min, tz).astimezone(UTC).replace(tzinfo=None)


def trail_page(runtime: Runtime, user: Principal, primary: tuple[str, str], raw: dict[str, str],
               parsed: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The page of the trail the filters ask for, the filters run in the query (the page and its Excel)."""
    kind, key = primary
    tz = ZoneInfo(runtime.app.config.get("general.timezone"))
    filters: dict[str, Any] = {
        "actor": raw["actor"] or None if kind != "actor" else None,
        "unit": raw["unit"] or None if kind == "actor" else None,
        "recorded_from": _utc(parsed["from"], tz) if parsed.get("from") else None,
        "recorded_before": _utc(parsed["to"] + timedelta(days=1), tz) if parsed.get("to") else None}
    return reads.audit_trail(runtime, user, kind, key, limit=PAGE, offset=(parsed["page"] - 1) * PAGE, **filters)


@router.get("/audit")
@html_errors
def audit(request: Request, session: Reader) -> Response:
    """审计轨迹: who recorded what, when, on which document, and what each correction changed — the
    filters (记录人, 单位, 记录日期 in Beijing time) run in the query over the whole history, page by page."""
    runtime: Runtime = request.app.state.runtime
    raw, errors, parsed = _filters(request)
    primary = None if errors else _primary(raw, parsed)
    items: list[dict[str, Any]] = []
    total = 0
    if primary is not None:
        items, total = trail_page(runtime, session.principal, primary, raw, parsed)
    by_entry = {i["entry_id"]: i for i in items}
    changed_by: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        target = i["corrects"] or i["retracts"]
        if target:
            changed_by.setdefault(target, []).append(i)
    diffs = reads.correction_diffs(runtime, session.principal, [i for i in items if i["corrects"]])
    changes = {k: [{"label": field_label(name), "old": _text(name, old), "new": _text(name, new)}
                   for name, old, new in rows] for k, rows in diffs.items()}
    read_of = reads.read_subjects(runtime, [i["position"] for i in items if i["type"] == "GrowthFileRead"])
    for i in items:
        if i["position"] in read_of:
            i["read_cadre_id"] = read_of[i["position"]]
    cadres = {i["cadre_id"] for i in items if i["cadre_id"]} | set(read_of.values())
    today = runtime.app.today()
    names = reads.cadre_names(runtime, session.principal, cadres, today)
    units = reads.unit_names(runtime, session.principal, {i["unit_code"] for i in items if i["unit_code"]}, today)
    pages = max(1, -(-total // PAGE))
    naming = Names(runtime.read_models.engine, today).preload(  # post names in two queries, not one per row
        posts={(i["unit_code"], i["post_code"]) for i in items if i["unit_code"] and i["post_code"]})
    return render(request, "audit.html", {
        "nav": "audit", "raw": raw, "errors": errors, "items": items, "primary": primary, "total": total,
        "page": parsed["page"], "pages": pages, "by_entry": by_entry, "changed_by": changed_by, "names": names,
        "units": units, "naming": naming, "changes": changes, "overridden": sum(1 for i in items if i["overrides"])},
        status=status_of(errors))


def _text(name: str, value: Any) -> str:
    """A field's value as the growth file writes it (codes by their labels), or — when it had none."""
    if name in growth.HIDDEN and value not in (None, ""):
        return str(value)  # 生效日期、文号: the growth file shows them apart from the rows, as they are
    rows = growth.readable({name: value})
    return str(rows[0]["text"]) if rows else "—"
