"""成长档案: one cadre's file as of a day, as the record stood at an instant."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Row, select

from domain.cadre_entries import ENTRY_TYPES
from domain.codes import CODE_TABLES
from domain.errors import NotFoundError
from domain.history import History, SanctionRecord
from domain.labels import with_labels
from domain.rules.config import RuleConfig
from domain.rules.sanctions import Influence, influences
from projections.findings_query import findings_for
from projections.models import AuditRow, EntryRow, PostRow, SpanRow
from projections.scope import Scope, cadre_in_scope
from projections.timeframe import Timeframe, age_on


def _timeline(conn: Connection, cadre_id: str, tf: Timeframe) -> list[dict[str, Any]]:
    t = tf.instant
    versions = conn.execute(select(EntryRow).where(EntryRow.cadre_id == cadre_id, EntryRow.recorded_from <= t)
                            .order_by(EntryRow.recorded_from, EntryRow.id)).all()
    audit = {r.entry_id: r for r in conn.execute(select(AuditRow).where(
        AuditRow.cadre_id == cadre_id, AuditRow.recorded_at <= t))}
    by_entry: dict[str, list[Row[Any]]] = defaultdict(list)
    for v in versions:
        by_entry[v.entry_id].append(v)
    corrected_by: dict[str, list[str]] = defaultdict(list)
    retracted_by: dict[str, str] = {}
    for a in audit.values():
        if a.corrects:
            corrected_by[a.corrects].append(a.entry_id)
        if a.retracts:
            retracted_by[a.retracts] = a.entry_id
    items = []
    for entry_id, vs in by_entry.items():
        current = next((v for v in vs if v.recorded_to > t), None)
        shown = current or vs[-1]
        if shown.effective_on is not None and shown.effective_on > tf.as_of:
            continue
        meta = audit.get(entry_id)
        cls = ENTRY_TYPES.get(shown.type)
        items.append({
            "entry_id": entry_id, "type": shown.type, "type_label": cls.LABEL if cls else shown.type,
            "category": cls.CATEGORY if cls else "", "effective_on": _iso(shown.effective_on),
            "recorded_at": shown.recorded_at.isoformat() + "Z", "position": meta.position if meta else None,
            "actor": meta.actor if meta else None, "document_no": shown.values.get("document_no"),
            "corrected": len(vs) > 1 or bool(corrected_by.get(entry_id)),
            "corrections": corrected_by.get(entry_id, []),
            "retracted": current is None, "retracted_by": retracted_by.get(entry_id),
            "overrides": shown.overrides,
            "fields": with_labels(shown.type, shown.values) if cls else shown.values,
        })
    items.sort(key=lambda i: (str(i["effective_on"] or i["recorded_at"][:10]), str(i["recorded_at"])))
    return items


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def growth_file(conn: Connection, cadre_id: str, tf: Timeframe, config: RuleConfig,
                scope: Scope = None) -> dict[str, Any]:
    """The file as of ``tf``; a cadre not in ``scope`` on ``tf.as_of`` (as known at ``tf``'s instant)
    is answered exactly as one that does not exist."""
    if not cadre_in_scope(conn, scope, cadre_id, tf.as_of, tf):
        raise NotFoundError(f"干部不存在 (no such cadre): {cadre_id}")
    spans = conn.execute(select(SpanRow).where(SpanRow.cadre_id == cadre_id, tf.known(SpanRow))
                         .order_by(SpanRow.valid_from)).all()
    profile = next((s for s in spans if s.kind == "profile"), None)
    if profile is None:
        raise NotFoundError(f"干部不存在 (no such cadre): {cadre_id}")
    timeline = _timeline(conn, cadre_id, tf)
    standing = [i for i in timeline if not i["retracted"]]
    started = [s for s in spans if s.valid_from <= tf.as_of]
    post_keys = {(s.unit_code, s.post_code) for s in started if s.kind == "post"}
    titles = {(p.unit_code, p.post_code): p for p in conn.execute(select(PostRow).where(
        PostRow.unit_code.in_({k[0] for k in post_keys} or {""}), tf.known(PostRow)))}

    def until(s: Row[Any]) -> str | None:
        return s.valid_to.isoformat() if s.valid_to <= tf.as_of else None

    posts = []
    for s in started:
        if s.kind != "post":
            continue
        p = titles.get((s.unit_code, s.post_code))
        posts.append({"unit_code": s.unit_code, "post_code": s.post_code, "title": p.title if p else None,
                      "grade": p.grade if p else None,
                      "grade_label": CODE_TABLES["grade"].entries.get(p.grade) if p else None,
                      "since": s.valid_from.isoformat(), "until": until(s), "manner": s.label,
                      "current": until(s) is None})
    ranks = [{"rank": s.label, "since": s.valid_from.isoformat() if s.valid_from.year > 1 else None,
              "until": until(s), "current": until(s) is None} for s in started if s.kind == "rank"]
    training: dict[str, Decimal] = defaultdict(Decimal)
    for i in standing:
        if i["type"] == "TrainingCompleted" and i["fields"].get("passed") and i["effective_on"]:
            training[i["effective_on"][:4]] += Decimal(str(i["fields"]["hours"]))
    birth = profile.birth_date
    values = with_labels("CadreRegistered", profile.data)
    return {
        "cadre_id": cadre_id, **tf.describe(),
        "profile": {**values, "age": age_on(birth, tf.as_of)},
        "posts": posts,
        "ranks": ranks,
        "timeline": timeline,
        "assessments": [{"entry_id": i["entry_id"], "effective_on": i["effective_on"], **{
            k: i["fields"].get(k) for k in ("kind", "period", "grade", "tier", "democratic_score")}}
            for i in standing if i["type"] == "Assessed"],
        "training": {year: str(hours) for year, hours in sorted(training.items())},
        "training_requirement": {"hours_per_year": config.int("training.township_hours_per_year"),
                                 "hours_per_5_years": config.int("training.county_hours_per_5_years")},
        "mentors": [{"mentor_cadre_id": s.label, "role": s.data.get("role"), "since": s.valid_from.isoformat(),
                     "until": until(s)} for s in started if s.kind == "mentor"],
        "pools": [{"pool": s.label, "entered_on": s.valid_from.isoformat(), "until": until(s),
                   "last_review": s.data.get("last_review"), "target_grade": s.data.get("target_grade")}
                  for s in started if s.kind == "pool"],
        "secondments": [{"host": s.label, **s.data, "since": s.valid_from.isoformat(), "until": until(s)}
                        for s in started if s.kind == "secondment"],
        "development_plan": next((i["fields"] for i in reversed(standing) if i["type"] == "DevelopmentPlanSet"),
                                 None),
        "performance": [i for i in standing if i["type"] == "PerformanceNoted"],
        "concerns": [i for i in standing if i["type"] in ("ConcernRaised", "ConversationHeld")],
        "rewards": [i for i in standing if i["type"] == "Commended"],
        "sanctions": _with_influences([i for i in standing if i["type"] in ("Sanctioned", "HandledOrganizationally")
                                       and i["effective_on"]], config),
        "findings": findings_for(conn, cadre_id, tf),
    }


def _with_influences(items: list[dict[str, Any]], config: RuleConfig) -> list[dict[str, Any]]:
    """Sanctions with their influence periods (影响期), computed by the guards' own rule."""
    history = History()
    for i in items:
        f = i["fields"]
        track = f.get("track") if i["type"] == "Sanctioned" else ("问责" if f.get("accountability") else "组织处理")
        history.sanctions.append(SanctionRecord(UUID(i["entry_id"]), i["type"], str(track), str(f.get("kind")),
                                                date.fromisoformat(i["effective_on"]), f.get("months")))
    periods: dict[str, list[Influence]] = defaultdict(list)
    for influence in influences(history, config):
        periods[str(influence.source.entry_id)].append(influence)
    shown = []
    for i in items:
        mine = periods.get(i["entry_id"], [])
        shown.append({**i, "influence": [
            {"scope": p.scope, "from": p.start.isoformat(), "until": p.end.isoformat() if p.end else None}
            for p in mine],
            "influence_until": None if any(p.end is None for p in mine) or not mine
            else max(p.end for p in mine if p.end).isoformat(),
            "influence_permanent": any(p.end is None for p in mine)})
    return shown
