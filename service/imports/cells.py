"""Cell values as offices type them, turned into the JSON values a command takes.

Each parser takes the cell's value (``str``, ``int``, ``float``, ``bool``, ``datetime`` …, never None:
an empty cell is simply left out of the command) and returns the command's value, or raises
``CellError`` with a message in Chinese and English naming what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.codes import CODE_TABLES, POLITICAL_STATUS_FULL_NAMES

Parser = Callable[[Any], Any]

_FULL_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 date system, past its 1900-02-29)
DATE_FORMS = "2023-05-01、2023.5.1、2023/5/1、2023年5月1日 或 Excel 日期"


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value."""


def text(value: Any) -> str:
    """Text as typed; a number Excel stored for digits typed (文号 2023, 期间 2023) as its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        raise CellError("须为文字，不是日期 (must be text, not a date)")
    return str(value).strip()


def _day(year: int, month: int, day: int, shown: object) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"日期不存在：{shown} (no such date)") from None


def _serial(value: float) -> date:
    if not 1 <= value < 2_958_466:  # Excel's dates end at 9999-12-31
        raise CellError(f"日期无法识别：{value}，应为 {DATE_FORMS} (not a date)")
    return date.fromordinal(_EXCEL_EPOCH.toordinal() + int(value))


def parse_date(value: Any) -> str:
    """A day: an Excel date cell, a date serial number, or 2023-05-01 · 2023.5.1 · 2023/5/1 · 2023年5月1日 ·
    20230501 (ISO text for the command)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19_000_101 <= value <= 99_991_231 and float(value).is_integer():  # 20230501 typed as a number
            return parse_date(str(int(value)))
        return _serial(float(value)).isoformat()
    shown = str(value).strip()
    found = _FULL_DATE.match(shown) or _COMPACT_DATE.match(shown)
    if found is None:
        raise CellError(f"日期无法识别：{shown}，应为 {DATE_FORMS} (not a date)")
    year, month, day = (int(part) for part in found.groups())
    return _day(year, month, day, shown).isoformat()


def parse_month(value: Any) -> tuple[int, int] | str:
    """出生年月: a full date (ISO text) or a year and month (1985.06 · 1985-6 · 1985年6月 · 198506)."""
    if isinstance(value, float) and not value.is_integer() and 1900 < value < 2100:
        year, month = f"{value:.2f}".split(".")  # 1985.06 typed into a number cell
        return _month(int(year), int(month), value)
    if isinstance(value, str):
        shown = value.strip()
        found = _YEAR_MONTH.match(shown) or _COMPACT_MONTH.match(shown)
        if found is not None:
            return _month(int(found.group(1)), int(found.group(2)), shown)
    if isinstance(value, int) and 190_001 <= value <= 299_912:
        return _month(value // 100, value % 100, value)
    return parse_date(value)


def _month(year: int, month: int, shown: object) -> tuple[int, int]:
    if not 1 <= month <= 12:
        raise CellError(f"月份不存在：{shown} (no such month)")
    return year, month


def parse_bool(value: Any) -> bool:
    """是/否 (also Y/N, true/false, 1/0, √/×)."""
    if isinstance(value, bool):
        return value
    shown = text(value).lower()
    if shown in {"是", "y", "yes", "true", "1", "√", "有"}:
        return True
    if shown in {"否", "n", "no", "false", "0", "×", "无"}:
        return False
    raise CellError(f"须填“是”或“否”，不能为 {shown} (must be yes or no)")


def parse_decimal(value: Any) -> str:
    """A number (学时 12.5, 民主测评 92.5) as exact decimal text."""
    if isinstance(value, bool):
        raise CellError("须为数字 (must be a number)")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CellError(f"须为数字，不能为 {value} (must be a number)") from None
    if not number.is_finite():
        raise CellError(f"须为数字，不能为 {value} (must be a number)")
    return format(number.normalize(), "f")


def parse_int(value: Any) -> int:
    """A whole number (分类划档 2, 期限 12)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    shown = text(value)
    if re.fullmatch(r"[+-]?\d{1,9}", shown):
        return int(shown)
    raise CellError(f"须为整数，不能为 {shown} (must be a whole number)")


def parse_list(value: Any) -> list[str]:
    """Several values in one cell, separated by ；; 、, or new lines."""
    return [part.strip() for part in re.split(r"[；;、,，\n]+", text(value)) if part.strip()]


def _names(table: str) -> Mapping[str, str]:
    """Chinese name → code of a national code table (with the full names of 政治面貌)."""
    names = {label: code for code, label in CODE_TABLES[table].entries.items()}
    if table == "political_status":
        names.update({full: code for code, full in POLITICAL_STATUS_FULL_NAMES.items()})
    if table == "gender":
        names.update({"男性": "1", "女性": "2"})
    return names


def code_parser(table: str) -> Parser:
    """A code column (民族, 性别, 政治面貌, 学历, 职务层次): the GB/T code ("01", also 1 when Excel dropped the
    leading zero) or its Chinese name ("汉族")."""
    entries = CODE_TABLES[table].entries
    names = _names(table)
    width = max(len(code) for code in entries)
    title = CODE_TABLES[table].title or table

    def parse(value: Any) -> str:
        shown = text(value)
        if shown in entries:
            return shown
        if shown in names:
            return names[shown]
        if shown.isdigit() and shown.zfill(width) in entries:
            return shown.zfill(width)
        raise CellError(f"{title}无效：{shown}，须为国标代码或其中文名称 (not a {table} code or name)")

    return parse
