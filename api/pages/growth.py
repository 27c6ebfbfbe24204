"""The growth file (成长档案) as the page shows it: timeline by category, chart series, readable fields."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from api.pages.labels import ANNUAL_SCORES, CATEGORIES, field_label

LINKED_ENTRIES = {"target_entry_id", "secondment_entry_id", "trigger_entry_id", "complaint_entry_id",
                  "investigation_entry_id"}
HIDDEN = {"effective_on", "document_no"}
YEARS_SHOWN = 10  # the training chart's span


def _text(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    return str(value)


def readable(fields: dict[str, Any]) -> list[dict[str, str | None]]:
    """An entry's fields as (label, text, link) rows: code labels instead of codes, links to entries."""
    rows: list[dict[str, str | None]] = []
    for key, value in fields.items():
        if key in HIDDEN or key.endswith("_label") or value in (None, "", [], {}):
            continue
        href = None
        text = fields.get(f"{key}_label") or value
        if key in LINKED_ENTRIES:
            href, text = f"#entry-{value}", "查看该记录"
        elif key == "selection_case_id":
            href, text = f"/cases/{value}", "查看选任纪实"
        elif key == "mentor_cadre_id":
            href, text = f"/cadres/{value}", "查看导师档案"
        elif isinstance(value, dict):
            text = "；".join(f"{field_label(k)}：{_text(v)}" for k, v in value.items())
        rows.append({"label": field_label(key), "text": _text(text), "href": href})
    return rows


def timeline_groups(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline by category in the order of ``CATEGORIES``, each item with readable fields."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in timeline:
        groups[item["category"] or "其他"].append({**item, "rows": readable(item["fields"])})
    order = [c for c in CATEGORIES if c in groups] + sorted(c for c in groups if c not in CATEGORIES)
    return [{"category": c, "slug": f"cat-{i}", "items": groups[c]} for i, c in enumerate(order)]


def assessment_series(assessments: list[dict[str, Any]]) -> dict[str, Any]:
    """能力素质曲线: the annual grade per year (4 优秀 … 1 不称职; 不定等次 leaves a gap) and 民主测评."""
    by_period: dict[str, dict[str, Any]] = {}
    for a in sorted(assessments, key=lambda a: (a["effective_on"] or "", a["period"] or "")):
        if a.get("kind") == "年度" and a.get("period"):
            by_period[str(a["period"])] = a
    periods = sorted(by_period)
    return {
        "periods": periods,
        "grades": [by_period[p]["grade"] for p in periods],
        "scores": [ANNUAL_SCORES.get(by_period[p]["grade"]) for p in periods],
        "democratic": [float(by_period[p]["democratic_score"]) if by_period[p].get("democratic_score") is not None
                       else None for p in periods],
    }


def training_series(training: dict[str, str], requirement: dict[str, Any], as_of: date) -> dict[str, Any]:
    """Training hours per year (学时) against the yearly requirement, zero years included."""
    years_with = [int(y) for y in training if int(y) <= as_of.year]
    first = max(min([*years_with, as_of.year - 4]), as_of.year - YEARS_SHOWN + 1)
    years = [str(y) for y in range(first, as_of.year + 1)]
    hours = [float(Decimal(training.get(y, "0"))) for y in years]
    required = int(requirement.get("hours_per_year") or 0)
    running = as_of < date(as_of.year, 12, 31)  # the as_of year is not over: its hours are not short yet
    return {"years": years, "hours": hours, "required": required, "running": running,
            "short": [y for y, h in zip(years, hours, strict=True)
                      if h < required and not (running and int(y) == as_of.year)]}


def chart_data(found: dict[str, Any], as_of: date) -> dict[str, Any]:
    return {"assessments": assessment_series(found["assessments"]),
            "training": training_series(found["training"], found["training_requirement"], as_of)}


def references(timeline: list[dict[str, Any]], wanted: dict[str, tuple[str, ...] | None]
               ) -> dict[str, list[tuple[str, str]]]:
    """Options for entry-id fields: the cadre's standing entries of the kinds each field points at."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, types in wanted.items():
        out[name] = [(i["entry_id"], f"{i['effective_on'] or ''} {i['type_label']}")
                     for i in timeline if not i["retracted"] and (types is None or i["type"] in types)
                     and i["type"] not in ("EntryCorrected", "EntryRetracted")]
    return out
