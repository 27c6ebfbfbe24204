"""Excel (.xlsx) 台账: the template of each kind, and a filled sheet read as source rows.

The template has one sheet named after the kind (a header row of Chinese column names) and a short
填写说明 sheet: what each column takes, whether it is required and the values it allows. A file is
read from the sheet asked for (``sheet``), else the first sheet whose name or header row names a
kind; the header row is the first row (of the first ten) that has the column 干部编号.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from domain.errors import FieldError, ValidationError
from service.imports.kinds import CADRE_NO, IGNORED_HEADERS, KINDS, Kind, build_row, choices, kind_of
from service.imports.report import RowProblem, Sheet, SourceRow

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS = "填写说明"
HEADER_SEARCH = 10  # rows searched for the header row
MAX_ROWS = 100_000


def template(kind: Kind) -> bytes:
    """The kind's template as .xlsx bytes: the header row, and the instructions sheet."""
    # openpyxl is imported when a template is made or a file read, not by every `jishi` command (≈ 0.1 s)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.title
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(column.header) + 4)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(INSTRUCTIONS)
    notes.append([f"{kind.title}台账导入模板：在“{kind.title}”表第一行之下逐行填写，每行一条记录；列名请勿改动。"])
    notes.append(["日期可填 2023-05-01、2023.5.1、2023/5/1、2023年5月1日，或 Excel 日期；"
                  "代码列可填国标代码或中文名称。"])
    notes.append(["同一文件可重复导入：已存入的行不会重复存入。"])
    notes.append([])
    notes.append(["列名", "是否必填", "说明", "可填的值"])
    for cell in notes[5]:
        cell.font = bold
    for column in kind.columns:
        notes.append([column.header, "必填" if column.required else "", column.note, "、".join(choices(kind, column))])
    for letter, width in zip("ABCD", (16, 10, 48, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refuse(problem: str) -> ValidationError:
    return ValidationError([FieldError("file", problem)])


def read(data: bytes, *, kind: str | None = None, sheet: str | None = None) -> Sheet:
    """The rows of a filled template (400 naming the problem if the file, sheet, kind or header is wrong)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise _refuse(f"不是有效的 Excel（.xlsx）文件 (not a valid .xlsx file): {error}") from None
    wanted = kind_of(kind) if kind else None
    if kind and wanted is None:
        raise ValidationError([FieldError("kind", f"未知台账类别 (unknown kind): {kind}；可选 {'、'.join(KINDS)}")])
    if sheet is not None and sheet not in book.sheetnames:
        raise ValidationError([FieldError("sheet", f"文件中没有工作表 (no such sheet): {sheet}；"
                                                   f"有 {'、'.join(book.sheetnames)}")])
    for name in [sheet] if sheet is not None else book.sheetnames:
        found = _sheet(book[name], name, wanted)
        if found is not None:
            return found
    raise _refuse("未找到含“干部编号”列的工作表，或无法判断台账类别（请用 kind 指明）"
                  "(no sheet with a header row holding the cadre number column, or its kind is unclear: give kind)")


def _sheet(ws: Any, name: str, wanted: Kind | None) -> Sheet | None:
    rows = ws.iter_rows(values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > HEADER_SEARCH:
            return None
        headers = [_header(v) for v in values]
        if CADRE_NO not in headers:
            continue
        kind = wanted or kind_of(name) or _by_headers(headers)
        if kind is None:
            return None
        known = kind.by_header()
        unknown = [h for h in headers if h and h not in known and h not in IGNORED_HEADERS]
        if unknown:
            raise _refuse(f"工作表“{name}”有{kind.title}模板没有的列 (unknown columns): {'、'.join(unknown)}")
        missing = [c.header for c in kind.columns if c.required and c.header not in headers]
        if missing:
            raise _refuse(f"工作表“{name}”缺少{kind.title}模板的必填列 (missing columns): {'、'.join(missing)}")
        total = min(MAX_ROWS, max(0, (ws.max_row or number) - number))  # formatted empty rows count in max_row
        return Sheet(kind.key, name, total, _rows(kind, headers, rows, number))
    return None


def _header(value: Any) -> str:
    return "".join(str(value).split()).lstrip("*＊") if value is not None else ""


def _by_headers(headers: list[str]) -> Kind | None:
    """The kind whose required columns the header row has all of (the most specific one)."""
    fitting = [k for k in KINDS.values() if all(c.header in headers for c in k.columns if c.required)]
    return max(fitting, key=lambda k: sum(c.header in headers for c in k.columns), default=None)


def _rows(kind: Kind, headers: list[str], rows: Iterator[tuple[Any, ...]], header_row: int) -> Iterator[SourceRow]:
    """The rows with data, each as its command; past ``MAX_ROWS`` of them, one problem and no more rows."""
    known = kind.by_header()
    count = 0
    for number, values in enumerate(rows, start=header_row + 1):
        cells = {h: v for h, v in zip(headers, values, strict=False)
                 if h in known and v is not None and not (isinstance(v, str) and not v.strip())}
        if not cells:
            continue
        count += 1
        if count > MAX_ROWS:
            yield SourceRow(number, None, (RowProblem(number, f"一次最多导入 {MAX_ROWS} 行：本行及其后各行未读取，"
                                                              f"请分文件导入 (at most {MAX_ROWS} rows at a time: "
                                                              "this row and those after it were not read)"),))
            return
        yield build_row(kind, number, cells)
