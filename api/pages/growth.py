"""The growth file (成长档案) as the page shows it: timeline by category, chart series, readable fields."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from api.pages.labels import ANNUAL_SCORES, CATEGORIES, field_label
from api.pages.names import Names, code_name

LINKED_ENTRIES = {"target_entry_id", "secondment_entry_id", "trigger_entry_id", "complaint_entry_id",
                  "investigation_entry_id"}
HIDDEN = {"effective_on", "document_no"}
CODED = {"target_grade": "grade", "grade_code": "grade", "education": "education", "gender": "gender",
         "ethnicity": "ethnicity", "political_status": "political_status"}  # field → its code table
YEARS_SHOWN = 10  # the training chart's span


def _text(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    return str(value)


def named(key: str, value: Any, fields: dict[str, Any], names: Names | None) -> Any:
    """A field's value as the page names it: unit and post names, code names (单位 QS-ZRJ → 县自然资源局)."""
    if fields.get(f"{key}_label"):
        return fields[f"{key}_label"]
    if key in CODED:
        return code_name(CODED[key], value)
    if names is None:
        return value
    if key in ("unit_code", "host"):
        return names.unit(value)
    if key == "post_code":
        return names.post(fields.get("unit_code"), value)
    if key == "ends_posts" and isinstance(value, list | tuple):
        return [names.post_key(v) for v in value]
    return value


def readable(fields: dict[str, Any], names: Names | None = None) -> list[dict[str, str | None]]:
    """An entry's fields as (label, text, link) rows: names instead of codes (units and posts too when
    ``names`` is given), links to entries."""
    rows: list[dict[str, str | None]] = []
    for key, value in fields.items():
        if key in HIDDEN or key.endswith("_label") or value is None or value == "" or (
                isinstance(value, list | tuple | dict) and not value):  # an empty tuple too (aggregate values)
            continue
        href = None
        text = named(key, value, fields, names)
        if key in LINKED_ENTRIES:
            href, text = f"#entry-{value}", "查看该记录"
        elif key == "selection_case_id":
            href, text = f"/cases/{value}", "查看选任纪实"
        elif key == "mentor_cadre_id":
            href, text = f"/cadres/{value}", "查看导师档案"
        elif isinstance(value, dict):
            text = "；".join(f"{field_label(k)}：{_text(v)}" for k, v in value.items())
        rows.append({"label": NAMED_LABELS.get(key, field_label(key)), "text": _text(text), "href": href})
    return rows


NAMED_LABELS = {"unit_code": "单位", "post_code": "职位"}  # shown as names, not codes

# The one-line summary (摘要) of an entry, by type: the fields that say what happened, in order.
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "CadreRegistered": ("entry_channel", "rank"), "EducationAttained": ("education", "institution", "degree"),
    "Appointed": ("unit_code", "post_code", "manner"), "Dismissed": ("unit_code", "post_code"),
    "ProbationConcluded": ("unit_code", "post_code", "outcome"), "RankPromoted": ("from_rank", "to_rank"),
    "RankDemoted": ("from_rank", "to_rank"), "SecondmentStarted": ("kind", "host", "role"),
    "SecondmentEnded": ("host_evaluation",), "Assessed": ("period", "kind", "grade"),
    "TrainingCompleted": ("course", "hours"), "ConversationHeld": ("kind", "summary"),
    "MentorAssigned": ("role",), "MentorReleased": ("role",), "DevelopmentPlanSet": ("period",),
    "DevelopmentLogged": ("note",), "PerformanceNoted": ("task", "narrative"), "ConcernRaised": ("description",),
    "HardshipRecorded": ("description",), "PoolEntered": ("pool", "target_grade"), "PoolReviewed": ("pool", "outcome"),
    "PoolExited": ("pool",), "Commended": ("kind", "by"), "Sanctioned": ("track", "kind"),
    "HandledOrganizationally": ("kind",), "InvestigationOpened": ("authority",),
    "InvestigationClosed": ("authority", "outcome"), "PersonalMattersReported": ("year",),
    "PersonalMattersVerified": ("year", "result"), "ComplaintReceived": ("channel", "summary"),
    "ComplaintConcluded": ("result",), "Departed": ("reason",), "EntryCorrected": ("reason",),
    "EntryRetracted": ("reason",),
}
SUMMARY_LENGTH = 60  # characters on the entry's one line; the rest is in its details


def summary(item: dict[str, Any], names: Names | None = None) -> str:
    """One line saying what the entry records, e.g. "县自然资源局 · 局长 · 提拔" or "2023 · 年度 · 优秀"."""
    fields = item["fields"]
    parts = []
    for key in SUMMARY_FIELDS.get(item["type"], ()):
        value = fields.get(key)
        if value in (None, "", [], {}):
            continue
        text = _text(named(key, value, fields, names))
        parts.append(f"{text}学时" if key == "hours" else f"{text}年度" if key == "year" else text)
    line = " · ".join(parts)
    if item["type"] in ("RankPromoted", "RankDemoted") and len(parts) == 2:
        line = f"{parts[0]} → {parts[1]}"
    elif item["type"] == "Assessed" and len(parts) == 3:  # 2023年度考核：优秀
        line = f"{parts[0]}{parts[1]}考核：{parts[2]}" if parts[1] == "年度" else f"{parts[0]} {parts[1]}：{parts[2]}"
    return line if len(line) <= SUMMARY_LENGTH else line[:SUMMARY_LENGTH - 1] + "…"


def timeline_groups(timeline: list[dict[str, Any]], names: Names | None = None) -> list[dict[str, Any]]:
    """The timeline by category in the order of ``CATEGORIES``, each item with its one-line summary and
    readable fields (names instead of codes when ``names`` is given)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in timeline:
        groups[item["category"] or "其他"].append({**item, "summary": summary(item, names),
                                                  "rows": readable(item["fields"], names)})
    order = [c for c in CATEGORIES if c in groups] + sorted(c for c in groups if c not in CATEGORIES)
    return [{"category": c, "slug": f"cat-{i}", "items": groups[c]} for i, c in enumerate(order)]


def names_for(found: dict[str, Any], names: Names) -> Names:
    """``names`` with every unit and post the growth file mentions read at once (two queries)."""
    units = {p["unit_code"] for p in found["posts"]} | {s["host"] for s in found["secondments"]}
    posts = {(p["unit_code"], p["post_code"]) for p in found["posts"]}
    for item in found["timeline"]:
        fields = item["fields"]
        units |= {str(fields[k]) for k in ("unit_code", "host") if fields.get(k)}
        if fields.get("unit_code") and fields.get("post_code"):
            posts.add((str(fields["unit_code"]), str(fields["post_code"])))
        for text in fields.get("ends_posts") or ():
            unit, _, post = str(text).partition("/")
            units.add(unit)
            posts.add((unit, post))
    return names.preload(units, posts)


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


def record_began(timeline: list[dict[str, Any]]) -> date | None:
    """The day the record began (建档): the registration's effective date, else the earliest entry's."""
    days = [i["effective_on"] for i in timeline if i["effective_on"] and not i["retracted"]
            and i["type"] == "CadreRegistered"] or [i["effective_on"] for i in timeline if i["effective_on"]]
    return date.fromisoformat(min(days)) if days else None


def training_series(training: dict[str, str], requirement: dict[str, Any], as_of: date,
                    began: date | None = None) -> dict[str, Any]:
    """Training hours per year (学时) against the yearly requirement, years without training included —
    but only from the year the record began (``began``): an earlier year is neither drawn nor short.
    A year is short only when it is over and the record covers all of it."""
    window = as_of.year - YEARS_SHOWN + 1
    years_with = [int(y) for y in training if window <= int(y) <= as_of.year]
    first = max(min([*years_with, as_of.year - 4]), window)
    if began is not None:  # not before the record's first year, unless hours were recorded earlier
        first = min([max(first, min(began.year, as_of.year)), *years_with])
    years = [str(y) for y in range(first, as_of.year + 1)]
    hours = [float(Decimal(training.get(y, "0"))) for y in years]
    required = int(requirement.get("hours_per_year") or 0)
    running = as_of < date(as_of.year, 12, 31)  # the as_of year is not over: its hours are not short yet
    partial = began.year if began is not None and began > date(began.year, 1, 1) else None
    return {"years": years, "hours": hours, "required": required, "running": running,
            "began": began.isoformat() if began else None, "partial": str(partial) if partial else None,
            "short": [y for y, h in zip(years, hours, strict=True)
                      if h < required and not (running and int(y) == as_of.year)
                      and (began is None or int(y) > began.year or (int(y) == began.year and not partial))]}


def chart_data(found: dict[str, Any], as_of: date) -> dict[str, Any]:
    return {"assessments": assessment_series(found["assessments"]),
            "training": training_series(found["training"], found["training_requirement"], as_of,
                                        record_began(found["timeline"]))}


def references(timeline: list[dict[str, Any]], wanted: dict[str, tuple[str, ...] | None]
               ) -> dict[str, list[tuple[str, str]]]:
    """Options for entry-id fields: the cadre's standing entries of the kinds each field points at."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, types in wanted.items():
        out[name] = [(i["entry_id"], f"{i['effective_on'] or ''} {i['type_label']}")
                     for i in timeline if not i["retracted"] and (types is None or i["type"] in types)
                     and i["type"] not in ("EntryCorrected", "EntryRetracted")]
    return out
