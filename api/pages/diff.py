"""所载变化 (belief diff) pages: a roster or a growth file for one day as the record stood at one moment
against another, each difference in Chinese (names, not codes; before → after) with its causes —
which record, when, by whom, on what document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from api.auth import request_id
from api.pages import reads
from api.pages.labels import FIELD_LABELS, STATUS_LABELS
from api.pages.render import (
    Reader,
    chinese_only,
    html_errors,
    parse_day,
    parse_instant,
    path_id,
    render,
    start_timer,
    status_of,
)
from domain.codes import CODE_TABLES
from domain.errors import NotFoundError
from jishi.bootstrap import Runtime
from projections.audit import type_label
from service.jurisdiction import no_unit

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
UnitCode = Annotated[str, Path(min_length=1, max_length=32)]
CadreId = Annotated[UUID, Depends(path_id("cadre_id", "干部不存在"))]

SECTIONS = {  # what each part of a read is called on the pages
    "unit": "单位", "posts": "职位", "holders": "在任人员", "seconded_out": "外出挂职", "seconded_in": "到本单位挂职",
    "profile": "基本信息", "ranks": "职级", "timeline": "成长纪实", "assessments": "考核", "training": "培训学时",
    "training_requirement": "培训要求", "mentors": "导师", "pools": "人才库", "secondments": "挂职",
    "development_plan": "培养计划", "performance": "实绩表现", "concerns": "苗头问题与谈话", "rewards": "奖励",
    "sanctions": "处分与组织处理", "findings": "监督发现",
}
OPERATIONS = {"added": "新增", "gone": "不再列出", "changed": "变更", "retracted": "已撤销"}
WORDS = {  # the fields of a read's items that entries' own field labels do not name
    "title": "职位名称", "grade_label": "职务层次", "leadership": "领导职务", "establishment": "职数",
    "vacancies": "空缺", "over_establishment": "超职数", "exists": "单位存在", "since": "起始日期",
    "until": "截止日期", "current": "现任", "retracted": "已撤销", "corrected": "已更正", "age": "年龄",
    "status": "状态", "overdue": "逾期", "due_on": "整改期限", "resolved_on": "整改日期", "trigger_on": "触发日期",
    "entered_on": "入库日期", "last_review": "最近复核", "influence_until": "影响期至",
    "influence_permanent": "影响期长期", "hours_per_year": "每年学时要求", "hours_per_5_years": "五年学时要求",
    "type_label": "记录类型",
}
NOT_YET = "原记录时点时，纪实中尚无{}或其不在您的管辖范围内；请选较晚的时点"
HIDDEN = {"type", "category", "position", "corrections", "retracted_by", "overrides", "evidence",
          "resolution", "key", "rule", "rule_title", "detail", "cadre_id", "unit_code", "post_code", "entry_id",
          "recorded_at", "actor", "influence", "parent_code", "code"}


@dataclass
class Moments:
    """The day and the two moments a diff page compares (T1 from ``known_at``, T2 from ``vs``: now if empty)."""

    as_of: date
    known_at: datetime | None
    vs: datetime
    raw: dict[str, str]
    errors: dict[str, str]


def moments(request: Request) -> Moments:
    runtime: Runtime = request.app.state.runtime
    raw = {k: request.query_params.get(k, "") for k in ("as_of", "known_at", "vs")}
    errors: dict[str, str] = {}
    tz = runtime.app.config.get("general.timezone")
    today = runtime.app.today()
    try:
        as_of = parse_day(raw["as_of"], today) or today
    except ValueError as e:
        as_of, errors["as_of"] = today, str(e)
    known_at = vs = None
    try:
        known_at = parse_instant(raw["known_at"], tz)
        if known_at is None:
            errors["known_at"] = "请填写要比较的记录时点（北京时间）"
    except ValueError as e:
        errors["known_at"] = str(e)
    try:
        vs = parse_instant(raw["vs"], tz)
    except ValueError as e:
        errors["vs"] = str(e)
    later = vs or datetime.now(UTC)
    if known_at is not None and known_at > later:
        errors["vs"] = "比较时点须不早于原记录时点"
    return Moments(as_of, known_at, later, raw, errors)


def _value(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（无）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if name == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if name == "grade" and isinstance(value, str):
        return CODE_TABLES["grade"].entries.get(value, value)
    if isinstance(value, list | tuple):
        return "、".join(_value(name, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{_label(k)}：{_value(k, v)}" for k, v in value.items() if _shown(k))
    return str(value)


def _label(name: str) -> str:
    return WORDS.get(name) or FIELD_LABELS.get(name) or name


def _shown(name: str) -> bool:
    if name.endswith(("_entry_id", "_cadre_id")):  # an id is no reading matter
        return False
    return (name not in HIDDEN and not name.endswith("_label")) or name == "grade_label" or name == "type_label"


def field_rows(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """The changed fields as (field, before, after) in Chinese; an entry's own fields one by one."""
    rows = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if name == "grade" and ("grade_label" in before or "grade_label" in after):
            continue  # a post's 职务层次 is shown by its label
        if name == "fields" and isinstance(old, dict) and isinstance(new, dict):
            rows += [r for r in field_rows(old, new) if r["before"] != r["after"]]
        elif _shown(name) and (name in WORDS or name in FIELD_LABELS):
            rows.append({"field": _label(name), "before": _value(name, old), "after": _value(name, new)})
    return rows


def _item_text(item: dict[str, Any]) -> str:
    """An item added or gone in a few Chinese words: its fields (an entry's own fields too), flags only if set."""
    values = {**item, **{k: v for k, v in (item.get("fields") or {}).items() if k not in item}}
    parts = [f"{_label(k)}：{_value(k, v)}" for k, v in values.items()
             if _shown(k) and (k in WORDS or k in FIELD_LABELS) and k not in ("name", "title", "type_label", "fields")
             and v not in (None, "", [], {}) and not (k == "grade" and "grade_label" in item)
             and not (k in ("corrected", "retracted") and v is False)]
    return "；".join(parts)


def rows_of(diff: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each change as the page shows it: what (section and operation), who or which, before → after, causes."""
    sections = SECTIONS if "post_titles" in diff else {**SECTIONS, "posts": "职务"}  # a cadre's posts: 职务
    out = []
    for change in diff["changes"]:
        section, _, operation = change["kind"].rpartition("_")
        subject = chinese_only(change.get("label") or "")
        if section == "holders" and change.get("post_code"):
            subject = f"{diff.get('post_titles', {}).get(change['post_code'], '')} {subject}".strip()
        if section == "posts" and change.get("unit_code"):
            subject = f"{names.get(change['unit_code'], '')} {subject}".strip()
        before, after = change["before"], change["after"]
        if operation in ("changed", "retracted"):
            fields = field_rows(before or {}, after or {})
            summary = ("", "")
        else:
            fields = []
            summary = (_item_text(before) if before else "", _item_text(after) if after else "")
        out.append({
            "what": f"{sections.get(section, '其他')} · {OPERATIONS.get(operation, '变更')}", "subject": subject,
            "operation": operation, "fields": fields, "before": summary[0], "after": summary[1],
            "causes": [{**c, "type_label": type_label(c["type"])} for c in change["causes"]],
        })
    return out


@router.get("/units/{unit_code}/roster/diff")
@html_errors
def roster_diff(request: Request, session: Reader, unit_code: UnitCode) -> Response:
    """名册所载变化: the unit's roster on a day as known at one moment against another."""
    runtime: Runtime = request.app.state.runtime
    if not runtime.read_models.unit_in_scope(unit_code, session.principal.scopes):
        raise no_unit(unit_code)  # before the form is read: another jurisdiction's unit is as absent as none
    at = moments(request)
    diff = None
    if at.known_at is not None and not at.errors:
        try:
            diff = reads.roster_diff(runtime, session.principal, unit_code, at.as_of, at.known_at, at.vs)
        except NotFoundError:  # not known at T1: say so at the field if the caller may read it at T2
            reads.roster(runtime, session.principal, request, unit_code, at.as_of, at.vs)
            at.errors["known_at"] = NOT_YET.format("该单位")
    unit = diff["unit"] if diff else {"code": unit_code, "name": reads.unit_names(
        runtime, session.principal, {unit_code}, at.as_of).get(unit_code, unit_code)}
    return render(request, "diff.html", {
        "at": at, "diff": diff, "rows": rows_of(diff, {}) if diff else [], "nav": "units",
        "title": f"{unit['name']} 在职名册", "back": f"/units/{unit_code}/roster",
        "action": f"/units/{unit_code}/roster/diff"}, status=status_of(at.errors))


@router.get("/cadres/{cadre_id}/diff")
@html_errors
def growth_file_diff(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """档案所载变化: the growth file on a day as known at one moment against another (a growth-file read)."""
    runtime: Runtime = request.app.state.runtime
    user = session.principal
    runtime.app.may_open(cadre_id, user.provenance(request_id(request)))  # as absent as none, before the form
    at = moments(request)
    diff, names = None, {}
    if at.known_at is not None and not at.errors:
        try:
            diff = reads.growth_file_diff(runtime, user, request, cadre_id, at.as_of, at.known_at, at.vs)
        except NotFoundError:  # not known at T1: say so at the field if the caller may read the file at T2
            if not runtime.read_models.cadre_in_scope(cadre_id, at.as_of, user.scopes, at.vs) \
                    or not reads.cadre_names(runtime, user, {str(cadre_id)}, at.as_of):
                raise
            at.errors["known_at"] = NOT_YET.format("该干部")
    if diff:
        names = reads.unit_names(runtime, user, {str(c["unit_code"]) for c in diff["changes"] if c.get("unit_code")},
                                 at.as_of)
    name = diff["name"] if diff else reads.cadre_names(runtime, user, {str(cadre_id)}, at.as_of).get(str(cadre_id))
    title = f"{name} 成长档案" if name else "成长档案"
    return render(request, "diff.html", {
        "at": at, "diff": diff, "rows": rows_of(diff, names) if diff else [], "nav": "cadres", "title": title,
        "back": f"/cadres/{cadre_id}", "action": f"/cadres/{cadre_id}/diff"}, status=status_of(at.errors))
