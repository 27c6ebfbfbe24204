"""监督发现: the findings dashboard (a selection case's page is in ``api.pages.cases``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.pages import reads
from api.pages.render import Reader, html_errors, parse_day, render, start_timer, status_of
from api.pages.units import flatten
from domain.rules.catalog import RULES
from jishi.bootstrap import Runtime

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
STATUSES = ("open", "resolved", "overridden")
LIST_LIMIT = 300
FETCH_LIMIT = 5000  # sorted here (due dates first), then cut to LIST_LIMIT


@router.get("/findings")
@html_errors
def findings(request: Request, session: Reader) -> Response:
    """监督发现: open findings by rule and unit, and the list with due dates and evidence."""
    runtime: Runtime = request.app.state.runtime
    raw = {k: (request.query_params.get(k) or "").strip()[:64] for k in ("rule", "unit", "status", "due_before")}
    if "status" not in request.query_params:
        raw["status"] = "open"  # the dashboard opens on what is still to be done; "全部" sends status=
    errors: dict[str, str] = {}
    if raw["rule"] and raw["rule"] not in RULES:
        errors["rule"] = "未知规则 (unknown rule)"
    if raw["status"] and raw["status"] not in STATUSES:
        errors["status"] = "状态须为未整改、已整改或越权放行 (open, resolved or overridden)"
    try:
        due_before = parse_day(raw["due_before"])
    except ValueError as e:
        due_before, errors["due_before"] = None, str(e)
    today = runtime.app.today()
    counts = reads.finding_counts(runtime, session.principal, today)
    items: list[dict[str, Any]] = []
    if not errors:
        items = reads.findings(runtime, session.principal, as_of=today, rule=raw["rule"] or None,
                               unit=raw["unit"] or None, status=raw["status"] or None, due_before=due_before,
                               limit=FETCH_LIMIT)
        # earliest due first, those without a due date (R-ROTATE, R-OVERRIDE …) after them
        items.sort(key=lambda i: (i["due_on"] is None, i["due_on"] or "", i["rule"], i["trigger_on"]))
    names = reads.cadre_names(runtime, session.principal, {i["cadre_id"] for i in items if i["cadre_id"]}, today)
    by_rule: Counter[str] = Counter()
    by_unit: Counter[str] = Counter()
    for c in counts:
        by_rule[c["rule"]] += c["open"]
        by_unit[c["unit_code"] or ""] += c["open"]
    units = {u["code"]: u["name"] for u in flatten(reads.unit_tree(runtime, session.principal, today, None))}
    monitors = [(rule_id, rule) for rule_id, rule in RULES.items() if rule.kind == "monitor"]
    return render(request, "findings.html", {
        "nav": "findings", "raw": raw, "errors": errors, "items": items[:LIST_LIMIT], "more": len(items) > LIST_LIMIT,
        "total": f"{len(items)}+" if len(items) >= FETCH_LIMIT else len(items),
        "names": names, "counts": counts, "by_rule": by_rule.most_common(), "by_unit": by_unit.most_common(),
        "total_open": sum(by_rule.values()), "rules": RULES, "monitors": monitors, "units": units,
        "overdue": sum(1 for i in items if i["overdue"])}, status=status_of(errors))
