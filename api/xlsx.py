"""Excel (.xlsx) of a list read (API.md v1.1): ``format=xlsx`` or ``Accept: application/vnd.openxmlformats-
officedocument.spreadsheetml.sheet`` on a list read answers the same rows as one sheet — a title line,
a line stating the as_of / known_at the rows were read for, the Chinese column headers, then one row
per item. Each export builds its rows from the very result its JSON answer carries (the same read,
scope and masking), so the sheet and the JSON cannot differ."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query, Request
from starlette.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME = str.maketrans("[]:*?/\\", "（）：＊？／＼")  # characters a sheet's name may not hold
XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {XLSX: {"schema": {
    "type": "string", "format": "binary", "description": "with format=xlsx or Accept: the rows as one Excel sheet"}}}}}
HEADER_ROW = 3  # row 1: title, row 2: as_of / known_at, row 3: the column headers, data from row 4
FormatQuery = Annotated[Literal["json", "xlsx"] | None, Query(
    alias="format", description="xlsx: the same rows as an Excel sheet (or send `Accept: " + XLSX + "`)")]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header and how a cell is read from an item."""

    header: str
    value: Callable[[Mapping[str, Any]], Any]


def col(header: str, key: str) -> Column:
    """A column showing ``item[key]``."""
    return Column(header, lambda item: item.get(key))


def wants_xlsx(request: Request, format_: str | None) -> bool:
    """``format=xlsx``, or no ``format`` and an ``Accept`` header asking for a sheet."""
    if format_ is not None:
        return format_ == "xlsx"
    return XLSX in request.headers.get("accept", "")


def timeframe_line(as_of: date | str | None, known_at: datetime | str | None) -> str:
    """The header line a sheet states its two times in (DOMAIN.md §2)."""
    day = as_of.isoformat() if isinstance(as_of, date) else (as_of or "")
    if known_at is None:
        known = "现在（导出之时）"
    else:
        known = known_at.isoformat() if isinstance(known_at, datetime) else str(known_at)
    return f"查看日期 as_of: {day}；记录时点 known_at: {known}"


ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl refuses them


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value if v is not None)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def workbook(title: str, columns: Sequence[Column], items: Iterable[Mapping[str, Any]], *,
             as_of: date | str | None, known_at: datetime | str | None) -> bytes:
    """One sheet: title, the as_of / known_at line, headers, one row per item; the .xlsx bytes."""
    from openpyxl import Workbook  # imported on the first export, not when the server starts
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    blank = book.worksheets[0]
    sheet = book.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", title).translate(SHEET_NAME)[:31])
    book.remove(blank)
    sheet.cell(1, 1, _cell(title)).font = Font(bold=True, size=14)
    sheet.cell(2, 1, timeframe_line(as_of, known_at))
    widths = [len(c.header) * 2 + 2 for c in columns]
    for i, column in enumerate(columns, start=1):
        sheet.cell(HEADER_ROW, i, column.header).font = Font(bold=True)
    for r, item in enumerate(items, start=HEADER_ROW + 1):
        for i, column in enumerate(columns, start=1):
            value = _cell(column.value(item))
            cell = sheet.cell(r, i, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: a value starting with "=" is never a formula
                widths[i - 1] = max(widths[i - 1], min(60, len(value) * 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(data: bytes, filename: str) -> Response:
    """The sheet as a download named ``filename`` (.xlsx added; Chinese names per RFC 6266/5987)."""
    name = filename if filename.endswith(".xlsx") else f"{filename}.xlsx"
    ascii_name = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_." else "_" for ch in name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})
