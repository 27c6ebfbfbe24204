"""The Excel sheets of the list reads (``api/xlsx.py`` builds them): 干部名册, 干部查询结果, 监督发现,
审计轨迹, 队伍结构. Each takes the result its JSON answer carries — already read in the caller's scope
and masked for their role — and names its columns in Chinese; the API routes (``format=xlsx`` /
``Accept``) and the pages' download buttons both come here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.responses import Response

from api.xlsx import Column, col, workbook, xlsx_response

STATUS = {"open": "未整改", "resolved": "已整改", "overridden": "经批准例外放行"}
STRUCTURE_DIMENSIONS = {"age_band": "年龄段", "gender": "性别", "ethnicity": "民族", "education": "学历",
                        "political_status": "政治面貌", "grade": "职务层次", "rank": "职级"}

PERSON = (col("姓名", "name"), col("性别", "gender_label"), col("出生年月", "birth_month"),
          col("民族", "ethnicity_label"), col("学历", "education_label"), col("政治面貌", "political_status_label"))


def birth_month(day: str | None) -> str | None:
    """出生年月 as a 名册 writes it: ``1985.06``."""
    return f"{day[:4]}.{day[5:7]}" if day and len(day) >= 7 else None


def roster_rows(roster: Mapping[str, Any]) -> list[dict[str, Any]]:
    """干部名册: one row per holder of each post, in the roster's post order."""
    unit = roster["unit"]
    rows = []
    for p in roster["posts"]:
        for h in p["holders"]:
            rows.append({**h, "unit_name": unit["name"], "post_title": p["title"], "grade_label": p["grade_label"],
                         "birth_month": birth_month(h.get("birth_date"))})
    return rows


ROSTER = (col("单位", "unit_name"), col("职务", "post_title"), col("职务层次", "grade_label"), *PERSON,
          col("任现职时间", "since"), col("职级", "rank"), col("任职方式", "manner"), col("干部编号", "cadre_no"))
# 姓名 … 职级 and 干部编号 under the 干部基本信息 import template's own headers: a 名册 filled in with the
# columns it lacks (公民身份号码, 籍贯 …) imports back as the same cadres (tests/integration/test_roster_roundtrip.py)


def roster_xlsx(roster: Mapping[str, Any]) -> Response:
    unit = roster["unit"]
    data = workbook(f"{unit['name']} 干部名册", ROSTER, roster_rows(roster), as_of=roster["as_of"],
                    known_at=roster.get("known_at"))
    return xlsx_response(data, f"干部名册-{unit['name']}-{roster['as_of']}")


def _posts(item: Mapping[str, Any]) -> str:
    return "；".join(f"{p['unit_name']}{p['post_title']}" for p in item.get("current_posts") or ())


SEARCH = (*PERSON[:2], col("出生日期", "birth_date"), col("年龄", "age"), *PERSON[3:], col("干部编号", "cadre_no"),
          col("公民身份号码", "id_number"), Column("现任单位及职务", _posts))


def search_xlsx(page: Mapping[str, Any]) -> Response:
    data = workbook("干部查询结果", SEARCH, page["items"], as_of=page["as_of"], known_at=page.get("known_at"))
    return xlsx_response(data, f"干部查询-{page['as_of']}")


FINDINGS = (col("规则", "rule"), col("规则名称", "rule_title"), col("干部", "cadre_name"), col("干部ID", "cadre_id"),
            col("单位代码", "unit_code"), col("触发日期", "trigger_on"), col("到期日期", "due_on"),
            Column("状态", lambda f: STATUS.get(f.get("status") or "", f.get("status"))),
            Column("逾期", lambda f: f.get("overdue")), col("整改日期", "resolved_on"), col("情况", "detail"),
            col("依据记录", "evidence"))


def findings_xlsx(result: Mapping[str, Any], names: Mapping[str, str] | None = None) -> Response:
    items = [{**f, "cadre_name": (names or {}).get(str(f.get("cadre_id") or ""))} for f in result["items"]]
    data = workbook("监督发现", FINDINGS, items, as_of=result["as_of"], known_at=result.get("known_at"))
    return xlsx_response(data, f"监督发现-{result['as_of']}")


AUDIT = (col("序号", "position"), col("事项", "type_label"), col("生效日期", "effective_on"),
         col("记录时间（UTC）", "recorded_at"), col("记录人", "actor"), col("文号", "document_no"),
         col("事由", "reason"), col("更正的记录", "corrects"), col("撤销的记录", "retracts"),
         col("越过的规则", "overrides"), col("例外放行理由", "override_reason"), col("干部ID", "cadre_id"),
         col("单位代码", "unit_code"), col("职位代码", "post_code"), col("记录ID", "entry_id"))


TRAILS = {"cadre": "干部", "unit": "单位", "post": "职位", "case": "选任纪实", "actor": "记录人"}


def audit_xlsx(items: list[dict[str, Any]], kind: str, key: str, *, made_on: str) -> Response:
    """审计轨迹 of one subject (``kind``, ``key``); it is the record as it stands now (``known_at`` now;
    ``as_of`` the day of the export: a trail has no valid time of its own)."""
    subject = f"{TRAILS.get(kind, kind)} {key.replace('/', '-')}"
    data = workbook(f"审计轨迹 {subject}", AUDIT, items, as_of=made_on, known_at=None)
    return xlsx_response(data, f"审计轨迹-{subject}-{made_on}")


def structure_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"dimension": label, "category": category, "count": n}
            for key, label in STRUCTURE_DIMENSIONS.items()
            for category, n in (result["counts"].get(key) or {}).items()]


STRUCTURE = (col("维度", "dimension"), col("类别", "category"), col("人数", "count"))


def structure_xlsx(result: Mapping[str, Any], unit_name: str | None = None, *,
                   known_at: datetime | None = None) -> Response:
    """队伍结构 of a unit's subtree (or of the whole scope) on ``as_of`` as known at ``known_at`` (the result
    itself carries only its ``as_of``, so the caller names the instant it read at; None: now)."""
    title = f"队伍结构 {unit_name or result.get('unit') or '全部'}"
    data = workbook(title, STRUCTURE, structure_rows(result), as_of=result["as_of"], known_at=known_at)
    return xlsx_response(data, f"{title}-{result['as_of']}")
