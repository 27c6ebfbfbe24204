"""监督发现: the findings dashboard and the evidence of an override (a case's page: ``api.pages.cases``)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.pages import growth, reads
from api.pages.labels import GROUP_LABELS
from api.pages.names import Names
from api.pages.render import Reader, html_errors, parse_day, path_id, render, start_timer, status_of
from api.pages.units import flatten
from domain.errors import NotFoundError
from domain.rules.catalog import RULES
from jishi.bootstrap import Runtime
from projections.findings_query import GROUPS, STATUSES

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
EntryId = Annotated[UUID, Depends(path_id("entry_id", "记录不存在 (no such record)"))]
PAGE_SIZE = 50
# The status filter as the page offers it: the four groups, then 未整改 (逾期 and 未到期 together)
STATUS_CHOICES = {**GROUP_LABELS, "open": "未整改（逾期及未到期）"}
# which groups a status filter shows ("": every group)
SHOWN = {"": GROUPS, "open": ("overdue", "not_due"), **{g: (g,) for g in GROUPS}}


@router.get("/findings")
@html_errors
def findings(request: Request, session: Reader) -> Response:
    """监督发现: the four groups (逾期 · 未到期 · 已整改 · 经批准例外放行) as of today, the filtered
    list page by page (earliest due first), then the open findings by rule and unit."""
    runtime: Runtime = request.app.state.runtime
    raw = {k: (request.query_params.get(k) or "").strip()[:64] for k in ("rule", "unit", "status", "due_before",
                                                                         "page")}
    if "status" not in request.query_params:
        raw["status"] = "overdue"  # the dashboard opens on what is late; "全部" sends status=
    errors: dict[str, str] = {}
    if raw["rule"] and raw["rule"] not in RULES:
        errors["rule"] = "未知规则 (unknown rule)"
    if raw["status"] and raw["status"] not in STATUSES:
        errors["status"] = ("状态须为逾期、未到期、未整改、已整改或经批准例外放行 "
                            "(overdue, not_due, open, resolved or overridden)")
    try:
        due_before = parse_day(raw["due_before"])
    except ValueError as e:
        due_before, errors["due_before"] = None, str(e)
    page = int(raw["page"]) if raw["page"].isdigit() and 0 < len(raw["page"]) < 7 else 1
    today = runtime.app.today()
    filters: dict[str, Any] = {"rule": raw["rule"] or None, "unit": raw["unit"] or None, "due_before": due_before}
    groups = {g: 0 for g in GROUPS}
    items: list[dict[str, Any]] = []
    if not errors:
        groups = reads.finding_groups(runtime, session.principal, today, **filters)
        items = reads.findings(runtime, session.principal, as_of=today, status=raw["status"] or None,
                               limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **filters)
    total = sum(groups[g] for g in SHOWN[raw["status"]]) if raw["status"] in SHOWN else 0
    pages = max(1, -(-total // PAGE_SIZE))
    counts = reads.finding_counts(runtime, session.principal, today)
    names = reads.cadre_names(runtime, session.principal, {i["cadre_id"] for i in items if i["cadre_id"]}, today)
    by_rule: dict[str, list[int]] = {}
    by_unit: dict[str, list[int]] = {}
    for c in counts:
        for table, key in ((by_rule, c["rule"]), (by_unit, c["unit_code"] or "")):
            row = table.setdefault(key, [0, 0])
            row[0] += c["overdue"]
            row[1] += c["open"] - c["overdue"]
    units = {u["code"]: u["name"] for u in flatten(reads.unit_tree(runtime, session.principal, today, None))}
    monitors = [(rule_id, rule) for rule_id, rule in RULES.items() if rule.kind == "monitor"]
    return render(request, "findings.html", {
        "nav": "findings", "raw": raw, "errors": errors, "items": items, "total": total, "page": page,
        "page_size": PAGE_SIZE, "pages": pages, "groups": groups, "group_labels": GROUP_LABELS,
        "status_labels": STATUS_CHOICES,
        "names": names, "counts": counts, "rules": RULES, "monitors": monitors, "units": units,
        "by_rule": sorted(by_rule.items(), key=lambda kv: (-sum(kv[1]), kv[0])),
        "by_unit": sorted(by_unit.items(), key=lambda kv: (-sum(kv[1]), kv[0]))}, status=status_of(errors))


@router.get("/overrides/{entry_id}")
@html_errors
def override(request: Request, session: Reader, entry_id: EntryId) -> Response:
    """经批准例外放行的依据: the record stored past a guard — which rules, the reason given, who recorded
    it with the permission to override, when (Beijing time), on which document, and what it recorded."""
    runtime: Runtime = request.app.state.runtime
    record = reads.audit_entry(runtime, session.principal, entry_id)
    if not record["overrides"]:
        raise NotFoundError(f"该记录未经例外放行 (this record overrode no rule): {entry_id}")
    today = runtime.app.today()
    values = reads.recorded_values(runtime, session.principal, record)
    names = reads.cadre_names(runtime, session.principal, {record["cadre_id"]} - {None}, today)
    units = reads.unit_names(runtime, session.principal, {record["unit_code"]} - {None}, today)
    rules = [(rid, RULES[rid].title_zh if rid in RULES else rid) for rid in record["overrides"]]
    return render(request, "override.html", {"nav": "findings", "record": record, "rules": rules, "names": names,
                                             "units": units,
                                             "rows": growth.readable(values, Names(runtime.read_models.engine, today))})
