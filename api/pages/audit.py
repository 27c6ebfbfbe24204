"""审计轨迹: every entry in recorded order, filtered by cadre, unit, post, actor and recorded date."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.pages import growth, reads
from api.pages.render import Reader, html_errors, parse_day, render, start_timer, status_of
from domain import ids
from jishi.bootstrap import Runtime

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
FILTERS = ("cadre", "unit", "post", "actor", "case", "from", "to", "after")
PAGE = 500


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
    after = raw["after"]
    parsed["after"] = int(after) if after.isdigit() and len(after) < 19 else None
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


def _keep(item: dict[str, Any], kind: str, raw: dict[str, str], parsed: dict[str, Any]) -> bool:
    """The filters besides the primary one: actor, unit (on an actor's trail) and the recorded dates."""
    day = date.fromisoformat(item["recorded_at"][:10])
    return ((kind == "actor" or not raw["actor"] or item["actor"] == raw["actor"])
            and (kind != "actor" or not raw["unit"] or item["unit_code"] == raw["unit"])
            and (parsed.get("from") is None or day >= parsed["from"])
            and (parsed.get("to") is None or day <= parsed["to"]))


@router.get("/audit")
@html_errors
def audit(request: Request, session: Reader) -> Response:
    """审计轨迹: who recorded what, when, on which document, and what each correction changed."""
    runtime: Runtime = request.app.state.runtime
    raw, errors, parsed = _filters(request)
    primary = None if errors else _primary(raw, parsed)
    items: list[dict[str, Any]] = []
    next_after = None
    if primary is not None:
        kind, key = primary
        page = reads.audit_trail(runtime, session.principal, kind, key, limit=PAGE, after=parsed["after"])
        next_after = page[-1]["position"] if len(page) == PAGE else None
        items = [i for i in page if _keep(i, kind, raw, parsed)]
    by_entry = {i["entry_id"]: i for i in items}
    changed_by: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        target = i["corrects"] or i["retracts"]
        if target:
            changed_by.setdefault(target, []).append(i)
    changes = {k: growth.readable(v) for k, v in reads.correction_changes(
        runtime, session.principal, {i["entry_id"] for i in items if i["corrects"]}).items()}
    names = reads.cadre_names(runtime, session.principal, {i["cadre_id"] for i in items if i["cadre_id"]},
                              runtime.app.today())
    return render(request, "audit.html", {
        "nav": "audit", "raw": raw, "errors": errors, "items": items, "primary": primary, "next_after": next_after,
        "by_entry": by_entry, "changed_by": changed_by, "names": names, "changes": changes,
        "overridden": sum(1 for i in items if i["overrides"])}, status=status_of(errors))
