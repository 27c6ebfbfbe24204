"""Filled import templates for the tests: the kind's own template (as downloaded) with rows added."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import load_workbook

from service.imports import KINDS
from service.imports.xlsx import template


def filled(kind: str, rows: Sequence[Mapping[str, Any]], *, template_bytes: bytes | None = None) -> bytes:
    """The template of ``kind`` with one row per mapping (header → cell value; other cells empty)."""
    book = load_workbook(io.BytesIO(template_bytes or template(KINDS[kind])))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, f"not a column of the {kind} template: {unknown}"
        sheet.append([row.get(str(h)) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registration_row(cadre: Mapping[str, Any], **cells: Any) -> dict[str, Any]:
    """A 干部基本信息 row for ``tests.factories.cadre(...)``'s payload, as an office types it."""
    return {"干部编号": cadre["cadre_no"], "姓名": cadre["name"], "性别": "女" if cadre["gender"] == "2" else "男",
            "出生年月": cadre["birth_date"].replace("-", "."), "民族": "汉族", "公民身份号码": cadre["id_number"],
            "政治面貌": "中共党员", "学历": "大学本科毕业", "是否全日制": "是", "籍贯": cadre["native_place"],
            "参加工作时间": "2008年7月1日", "进入方式": cadre["entry_channel"], "职级": cadre["rank"], **cells}
