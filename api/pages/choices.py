"""What HR's forms offer to choose from, so nobody types a code or an id they cannot know.

* **Units** 单位: those of the user's jurisdiction existing on the day, by name. The unit record holds
  no official order (机构序列), so the order is the tree's: a parent before its children, siblings
  by kind in the order the domain declares them (党委部门, 政府部门, 乡镇, 街道, 事业单位, 国有企业,
  群团) and then by code; a child is indented under its parent.
* **Posts** 职位: every post of those units on the day, grouped by unit, each saying whether it is
  vacant (缺额) or who holds it — the script shows only the chosen unit's group.
* **Selection cases** 选任纪实: the open cases in the jurisdiction the cadre may be appointed from —
  by post and opened date, never by id. A case is open for the cadre unless it concluded 不予任用 or
  缓议 for them, concluded for other cadres only (it ended without them), or the cadre already stands
  appointed from it. The audit rows tell which cases concluded for whom, so a case that ended without
  the cadre (and whose steps were never corrected or retracted) is not even loaded.
* **Cadres** 干部 (a mentor 导师): those holding a post of the jurisdiction on the day, by name with
  their post, in the units' order; ending a mentorship offers the cadre's mentors of the day.
* **Current rank** 原职级 and, from a 公民身份号码, the birth date and gender it carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args
from uuid import UUID

from sqlalchemy import select

from api.pages.forms import OptionGroup
from domain.cadre import Cadre
from domain.errors import NotFoundError
from domain.identity import birth_date_of, gender_of
from domain.selection import STEP_CHANGES
from domain.unit import UnitKind
from domain.users import Principal
from jishi.bootstrap import Runtime
from projections.models import AuditRow, PostRow, SpanRow, UnitRow
from projections.roster import names_of
from projections.timeframe import Timeframe

KIND_ORDER = {kind: i for i, kind in enumerate(get_args(UnitKind))}
INDENT = "\u3000"  # one ideographic space per level below the top
MAX_CASES = 200  # the most recently opened cases looked at
CLOSED_OUTCOMES = ("不予任用", "缓议")


@dataclass(frozen=True)
class UnitChoice:
    code: str
    name: str
    depth: int


@dataclass(frozen=True)
class CaseChoice:
    case_id: UUID
    unit_code: str
    post_code: str
    opened_on: date
    method: str
    exceptional: bool
    standing: str  # the cadre's place in the case: 已决定任用 · 考察对象 · 未列为考察对象
    label: str


def units(runtime: Runtime, user: Principal, day: date) -> list[UnitChoice]:
    """The units of the user's jurisdiction existing on ``day``, in tree order (see the module)."""
    tf = Timeframe(day, None)
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(select(UnitRow.code, UnitRow.name, UnitRow.kind, UnitRow.parent_code)
                            .where(tf.known(UnitRow), tf.valid(UnitRow))).all()
    allowed = runtime.read_models.units_in_scope(user.scopes)
    nodes = {r.code: r for r in rows if allowed is None or r.code in allowed}
    children: dict[str | None, list[Any]] = {}
    for row in nodes.values():
        parent = row.parent_code if row.parent_code in nodes and row.parent_code != row.code else None
        children.setdefault(parent, []).append(row)
    for rows_ in children.values():
        rows_.sort(key=lambda r: (KIND_ORDER.get(r.kind, len(KIND_ORDER)), r.code))
    out: list[UnitChoice] = []

    def walk(parent: str | None, depth: int) -> None:
        for row in children.get(parent, []):
            if any(u.code == row.code for u in out):  # a cycle in the record is shown once
                continue
            out.append(UnitChoice(row.code, row.name, depth))
            walk(row.code, depth + 1)

    walk(None, 0)
    return out


def unit_options(choices: list[UnitChoice]) -> list[tuple[str, str]]:
    return [(u.code, f"{INDENT * u.depth}{u.name}") for u in choices]


def post_groups(runtime: Runtime, choices: list[UnitChoice], day: date) -> list[OptionGroup]:
    """The posts of the units on ``day``, one group per unit (in the units' order), each post by title
    with its holders or its vacancies (缺额) as the roster has them on that day."""
    codes = [u.code for u in choices]
    if not codes:
        return []
    tf = Timeframe(day, None)
    with runtime.read_models.engine.connect() as conn:
        posts = conn.execute(select(PostRow.unit_code, PostRow.post_code, PostRow.title, PostRow.establishment)
                             .where(PostRow.unit_code.in_(codes), tf.known(PostRow), tf.valid(PostRow))
                             .order_by(PostRow.unit_code, PostRow.post_code)).all()
        spans = conn.execute(select(SpanRow.cadre_id, SpanRow.unit_code, SpanRow.post_code).where(
            SpanRow.kind == "post", SpanRow.unit_code.in_(codes), tf.known(SpanRow), tf.valid(SpanRow))
            .order_by(SpanRow.valid_from, SpanRow.cadre_id)).all()
        names = names_of(conn, {s.cadre_id for s in spans}, tf)
    holders: dict[tuple[str, str], list[str]] = {}
    for s in spans:
        holders.setdefault((s.unit_code or "", s.post_code or ""), []).append(names.get(s.cadre_id, "") or "（未具名）")
    by_unit: dict[str, list[tuple[str, str, bool]]] = {}
    for p in posts:
        held = holders.get((p.unit_code, p.post_code), [])
        vacant = p.establishment - len(held)
        state = [f"现任：{'、'.join(held)}"] if held else []
        if vacant > 0:
            state.append(f"缺额{vacant}")
        elif vacant < 0:
            state.append(f"超职数{-vacant}")
        by_unit.setdefault(p.unit_code, []).append((p.post_code, f"{p.title}（{'，'.join(state)}）", False))
    return [OptionGroup(u.code, u.name, by_unit[u.code]) for u in choices if u.code in by_unit]


def _standing(case: Any, cadre_id: UUID) -> str | None:
    """The cadre's place in the case, or None when the case is not open for them."""
    concluded = case.conclusion(cadre_id)
    if concluded is not None:
        return None if concluded.values["outcome"] in CLOSED_OUTCOMES else "已决定任用"
    if case.steps_of("CaseConcluded"):
        return None  # the case ended for other cadres, without this one
    return "考察对象" if case.shortlisted_on(cadre_id) is not None else "未列为考察对象"


def _ended_without(conn: Any, case_ids: list[str], cadre_id: UUID) -> set[str]:
    """The cases that, by their audit rows, concluded for other cadres and never for ``cadre_id``, none of
    whose steps was corrected or retracted (so the rows say all): open for nobody new, left unloaded."""
    rows = conn.execute(select(AuditRow.case_id, AuditRow.type, AuditRow.cadre_id).where(
        AuditRow.case_id.in_(case_ids), AuditRow.type.in_(("CaseConcluded", *STEP_CHANGES)))).all()
    concluded: dict[str, set[str]] = {}
    changed: set[str] = set()
    for r in rows:
        if r.type == "CaseConcluded":
            concluded.setdefault(r.case_id, set()).add(str(r.cadre_id))
        else:
            changed.add(r.case_id)
    return {c for c, who in concluded.items() if c not in changed and str(cadre_id) not in who}


def open_cases(runtime: Runtime, user: Principal, cadre: Cadre, day: date,
               unit_names: dict[str, str], exclude: UUID | None = None) -> list[CaseChoice]:
    """The selection cases of the jurisdiction open for ``cadre`` (see the module): those the cadre
    stands in first (已决定任用, then 考察对象), then the rest, each newest first. ``exclude``: the
    appointment a correction changes (its own case stays on offer)."""
    allowed = runtime.read_models.units_in_scope(user.scopes)
    query = select(AuditRow.case_id, AuditRow.unit_code).where(AuditRow.type == "CaseOpened",
                                                                AuditRow.case_id.is_not(None))
    if allowed is not None:
        query = query.where(AuditRow.unit_code.in_(sorted(allowed) or [""]))
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(query.order_by(AuditRow.position.desc()).limit(MAX_CASES)).all()
        ended = _ended_without(conn, [r.case_id for r in rows], cadre.id) if rows else set()
    used = {e.values.get("selection_case_id") for e in cadre.standing_entries()
            if e.type == "Appointed" and e.entry_id != exclude}
    tf = Timeframe(day, None)
    found: list[CaseChoice] = []
    for row in rows:
        if allowed is not None and row.unit_code not in allowed:
            continue
        case_id = UUID(row.case_id)
        if row.case_id in ended or case_id in used or str(case_id) in used:
            continue
        case = runtime.app.get_case(case_id)
        standing = _standing(case, cadre.id)
        if standing is None:
            continue
        found.append(_choice(runtime, case, standing, unit_names, tf))
    rank = {"已决定任用": 0, "考察对象": 1}
    found.sort(key=lambda c: (rank.get(c.standing, 2), -c.opened_on.toordinal(), str(c.case_id)))
    return found


def _choice(runtime: Runtime, case: Any, standing: str, unit_names: dict[str, str], tf: Timeframe) -> CaseChoice:
    title = _post_title(runtime, case.unit_code, case.post_code, tf)
    unit = unit_names.get(case.unit_code) or case.unit_code
    exceptional = "（破格）" if case.exceptional else ""
    label = (f"{unit}{title} · {case.method}{exceptional} · {case.opened_on.isoformat()}动议 · 本人：{standing}")
    return CaseChoice(case.id, case.unit_code, case.post_code, case.opened_on, case.method, case.exceptional,
                      standing, label)


def _post_title(runtime: Runtime, unit_code: str, post_code: str, tf: Timeframe) -> str:
    with runtime.read_models.engine.connect() as conn:
        titles = conn.execute(select(PostRow.title, PostRow.valid_from).where(
            PostRow.unit_code == unit_code, PostRow.post_code == post_code, tf.known(PostRow))
            .order_by(PostRow.valid_from)).all()
    for t in reversed(titles):
        if t.valid_from <= tf.as_of:
            return str(t.title)
    return str(titles[0].title) if titles else post_code


def case_for(runtime: Runtime, user: Principal, cadre: Cadre, case_id: str, day: date,
             unit_names: dict[str, str]) -> CaseChoice | None:
    """A case named by the ``case_id`` query parameter (the cases page links here): in the user's
    jurisdiction, whatever its standing; None for anything else (never a 500 for a bad id)."""
    try:
        found = runtime.app.get_case(UUID(case_id.strip()))
    except (ValueError, NotFoundError):
        return None
    if not found.unit_code or not runtime.read_models.unit_in_scope(found.unit_code, user.scopes):
        return None
    standing = _standing(found, cadre.id) or "该选任未以任用本人结束"
    return _choice(runtime, found, standing, unit_names, Timeframe(day, None))


def people(runtime: Runtime, listed: list[UnitChoice], day: date, exclude: UUID | None = None
           ) -> list[tuple[str, str]]:
    """The cadres holding a post of the ``listed`` units on ``day`` (but ``exclude``), as (cadre id,
    "姓名（单位职位）") in the units' order, then by name; a cadre with several posts once, at the first."""
    order = {u.code: i for i, u in enumerate(listed)}
    if not order:
        return []
    tf = Timeframe(day, None)
    with runtime.read_models.engine.connect() as conn:
        spans = conn.execute(select(SpanRow.cadre_id, SpanRow.unit_code, SpanRow.post_code).where(
            SpanRow.kind == "post", SpanRow.unit_code.in_(list(order)), tf.known(SpanRow), tf.valid(SpanRow))).all()
        titles = {(p.unit_code, p.post_code): p.title for p in conn.execute(
            select(PostRow.unit_code, PostRow.post_code, PostRow.title).where(
                PostRow.unit_code.in_(list(order)), tf.known(PostRow), tf.valid(PostRow)))}
        names = names_of(conn, {s.cadre_id for s in spans}, tf)
    unit_names = {u.code: u.name for u in listed}
    found: dict[str, tuple[int, str, str]] = {}
    for s in sorted(spans, key=lambda s: (order[s.unit_code or ""], names.get(s.cadre_id, ""), s.cadre_id)):
        if s.cadre_id in found or (exclude is not None and s.cadre_id == str(exclude)):
            continue
        post = titles.get((s.unit_code or "", s.post_code or ""), s.post_code or "")
        name = names.get(s.cadre_id, "") or "（未具名）"
        found[s.cadre_id] = (order[s.unit_code or ""], name, f"{name}（{unit_names[s.unit_code or '']}{post}）")
    return [(cadre_id, label) for cadre_id, (_, _, label) in found.items()]


def mentors_of(runtime: Runtime, cadre: Cadre, day: date, labels: dict[str, str]) -> list[tuple[str, str]]:
    """导师帮带结束: the cadre's mentors on ``day`` (each once), labelled from ``labels`` where known."""
    from domain.history import derive_as_of

    open_ = list(dict.fromkeys(m.mentor for m in derive_as_of(cadre.standing_entries(), day).mentors
                               if m.until is None))
    missing = {m for m in open_ if m not in labels}
    names: dict[str, str] = {}
    if missing:  # a mentor no longer holding a post of the jurisdiction: by name alone
        with runtime.read_models.engine.connect() as conn:
            names = names_of(conn, missing, Timeframe(day, None))
    return [(m, labels.get(m) or names.get(m) or "（未具名）") for m in open_]


def current_rank(cadre: Cadre, day: date) -> str | None:
    """原职级: the rank the record gives the cadre on ``day``."""
    from domain.history import derive_as_of

    rank = derive_as_of(cadre.standing_entries(), day).rank
    return str(rank) if rank else None


def from_id_number(id_number: str) -> dict[str, str]:
    """出生日期 and 性别 (GB/T 2261.1 code) carried by an ID number of the right shape; {} otherwise
    (R-ID then judges the number itself)."""
    text = id_number.strip()
    try:
        return {"birth_date": birth_date_of(text).isoformat(), "gender": gender_of(text)}
    except ValueError:
        return {}


# ——— one entry form's choices ———

LABELS = {"unit_code": "单位", "post_code": "职位", "selection_case_id": "选任纪实", "mentor_cadre_id": "导师"}
HINTS = {"unit_code": "按管辖范围内单位名称选择（按上下级排列）",
         "post_code": "先选单位，再选该单位的职位；括号内为该日现任人员或缺额",
         "selection_case_id": "提拔、破格提拔须选择据以任用的选任纪实（按职位和动议日期列出未结束的选任）；"
                              "选定后单位和职位随之填入",
         "mentor_cadre_id": "按姓名选择（括号内为该日所在单位和职位）"}
RANK_CHANGES = ("RankPromoted", "RankDemoted")


@dataclass
class EntryChoices:
    """What one entry form offers: options per field, posts grouped by unit, values to start with."""

    references: dict[str, list[tuple[str, str]]]
    grouped: dict[str, tuple[str, list[OptionGroup]]]
    defaults: dict[str, Any]
    case_posts: dict[str, str]  # case id → "UNIT/POST" (the script fills 单位 and 职位 from a chosen case)


def entry_choices(runtime: Runtime, user: Principal, cadre: Cadre, entry_type: str, names: set[str],
                  day: date, case_id: str | None = None, exclude: UUID | None = None,
                  current: Mapping[str, Any] | None = None) -> EntryChoices:
    """The choices of the form of ``entry_type`` (whose fields are ``names``) for ``cadre`` on ``day``;
    ``case_id`` (a query parameter) preselects a selection case with its unit, post and manner;
    ``exclude``: the entry a correction changes; ``current``: the values the form holds (a case or a
    mentor chosen before but no longer on offer is kept, by its name, never shown as an id)."""
    current = current or {}
    references: dict[str, list[tuple[str, str]]] = {}
    grouped: dict[str, tuple[str, list[OptionGroup]]] = {}
    defaults: dict[str, Any] = {}
    case_posts: dict[str, str] = {}
    if "unit_code" in names:
        listed = units(runtime, user, day)
        references["unit_code"] = unit_options(listed)
        if "post_code" in names:
            grouped["post_code"] = ("unit_code", post_groups(runtime, listed, day))
        unit_names = {u.code: u.name for u in listed}
        if "selection_case_id" in names:
            cases = open_cases(runtime, user, cadre, day, unit_names, exclude)
            chosen = case_for(runtime, user, cadre, case_id, day, unit_names) if case_id else None
            if chosen is not None:
                cases = [chosen, *(c for c in cases if c.case_id != chosen.case_id)]
                defaults.update({"selection_case_id": str(chosen.case_id), "unit_code": chosen.unit_code,
                                 "post_code": chosen.post_code,
                                 "manner": "破格提拔" if chosen.exceptional else "提拔"})
            held = str(current.get("selection_case_id") or "")
            if held and all(str(c.case_id) != held for c in cases):
                kept = case_for(runtime, user, cadre, held, day, unit_names)
                cases = [*cases, kept] if kept is not None else cases
            references["selection_case_id"] = [(str(c.case_id), c.label) for c in cases]
            case_posts = {str(c.case_id): f"{c.unit_code}/{c.post_code}" for c in cases}
    if "mentor_cadre_id" in names:
        everyone = people(runtime, units(runtime, user, day), day, exclude=cadre.id)
        released = entry_type == "MentorReleased"
        offered = mentors_of(runtime, cadre, day, dict(everyone)) if released else everyone
        held = str(current.get("mentor_cadre_id") or "")
        if held and all(value != held for value, _ in offered):
            with runtime.read_models.engine.connect() as conn:
                named = names_of(conn, {held}, Timeframe(day, None)).get(held)
            offered = [*offered, (held, named)] if named else offered
        references["mentor_cadre_id"] = offered
    if entry_type in RANK_CHANGES:
        rank = current_rank(cadre, day)
        if rank:
            defaults["from_rank"] = rank
    return EntryChoices(references, grouped, defaults, case_posts)


def relabel(fields: list[Any], choices: EntryChoices) -> None:
    """Name the chosen fields as a person knows them (单位, not 单位代码) and say how to choose."""
    import orjson

    for f in fields:
        if f.kind == "select" and f.name in LABELS:
            f.label, f.hint = LABELS[f.name], HINTS[f.name]
        if f.name == "selection_case_id" and choices.case_posts:
            f.attrs["data-case-posts"] = orjson.dumps(choices.case_posts).decode()
