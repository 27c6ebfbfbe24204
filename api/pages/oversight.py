"""监督发现 (the findings dashboard) and 选任纪实 (a selection case with its 凡提四必 checklist)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.pages import growth, reads
from api.pages.render import Reader, html_errors, parse_day, path_id, render, start_timer, status_of
from api.pages.units import flatten
from domain.rules.catalog import RULES
from domain.selection import CASE_EVENTS, CHECKS, STEP_CHANGES
from jishi.bootstrap import Runtime

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
STATUSES = ("open", "resolved", "overridden")
CaseId = Annotated[UUID, Depends(path_id("case_id", "选任纪实不存在 (no such selection case)"))]
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


@router.get("/cases/{case_id}")
@html_errors
def case(request: Request, session: Reader, case_id: CaseId) -> Response:
    """选任纪实: the steps in effective order and, per candidate, the 凡提四必 checklist and 双签字."""
    runtime: Runtime = request.app.state.runtime
    found = reads.selection_case(runtime, session.principal, case_id)
    steps = sorted(found.steps, key=lambda s: (s.day, s.version))
    candidates: list[str] = []
    for s in steps:
        for c in [*(s.values.get("cadre_ids") or ()), s.values.get("cadre_id")]:
            if c is not None and str(c) not in candidates:
                candidates.append(str(c))
    today = runtime.app.today()
    names = reads.cadre_names(runtime, session.principal, set(candidates), today)
    checklist = []
    for c in candidates:
        cid = UUID(c)
        results = found.check_results(cid, today)
        signed = found.latest("IntegrityOpinionSigned", cadre_id=cid)
        checklist.append({"cadre_id": c, "name": names.get(c, c), "checks": [(k, results.get(k)) for k in CHECKS],
                          "signed": signed, "complete": all(results.get(k) == "通过" for k in CHECKS)
                          and signed is not None, "conclusion": found.conclusion(cid)})

    def named(step_type: str, values: dict[str, Any]) -> dict[str, Any]:
        return {k: (names.get(str(v), str(v)) if k == "cadre_id" else
                    "、".join(names.get(str(x), str(x)) for x in v) if k == "cadre_ids" else
                    {names.get(str(x), str(x)): n for x, n in v.items()}
                    if k == "votes" and step_type == "Recommended" else v) for k, v in values.items()}

    # every step recorded, standing or retracted, in effective order; then the corrections and retractions
    records = sorted((r for r in found.records.values() if r.type in CASE_EVENTS),
                     key=lambda r: (r.values["effective_on"], r.version))
    label = {r.entry_id: f"{CASE_EVENTS[r.type].LABEL}（{r.values['effective_on']}）" for r in records}
    shown = [{"step": r.step(), "label": CASE_EVENTS[r.type].LABEL, "rows": growth.readable(named(r.type, r.values)),
              "retracted_by": r.retracted_by, "document_no": r.values.get("document_no"),
              "corrections": [c for c in r.corrections if found.records[c].stands]} for r in records]
    changes = [{"record": r, "label": STEP_CHANGES[r.type].LABEL,
                "target": r.values["target_entry_id"], "step": found.root_of(r.values["target_entry_id"]),
                "target_label": label.get(found.root_of(r.values["target_entry_id"]), ""),
                "rows": growth.readable(named(found.records[found.root_of(r.entry_id)].type,
                                              r.values.get("changes") or {})),
                "reason": r.values.get("reason"), "document_no": r.values.get("document_no")}
               for r in found.records.values() if r.type in STEP_CHANGES]
    return render(request, "case.html", {"case": found, "case_id": case_id, "steps": shown, "checklist": checklist,
                                         "checks": CHECKS, "names": names, "changes": changes})
