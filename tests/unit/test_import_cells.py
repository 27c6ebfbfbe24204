"""Cells of an Excel 台账 as offices type them: dates in every usual form, codes or their Chinese names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from service.imports.cells import CellError, code_parser, parse_bool, parse_date, parse_decimal, parse_month
from service.imports.kinds import KINDS, build_row


@pytest.mark.parametrize("typed", ["2023-05-01", "2023.5.1", "2023/5/1", "2023年5月1日", "2023 年 5 月 1 日",
                                   "20230501", 20230501, datetime(2023, 5, 1), date(2023, 5, 1), 45047,
                                   45047.0])
def test_every_date_form_offices_type_is_read_as_the_same_day(typed: Any) -> None:
    assert parse_date(typed) == "2023-05-01"


@pytest.mark.parametrize(("typed", "says"), [("2023-02-29", "日期不存在"), ("2023.13.1", "日期不存在"),
                                             ("五月一日", "日期无法识别"), ("2023-05", "日期无法识别"),
                                             (0, "日期无法识别")])
def test_a_date_that_is_not_one_is_refused_saying_why(typed: Any, says: str) -> None:
    with pytest.raises(CellError, match=says):
        parse_date(typed)


@pytest.mark.parametrize(("typed", "read"), [("1985.06", (1985, 6)), ("1985-6", (1985, 6)),
                                             ("1985年6月", (1985, 6)), ("198506", (1985, 6)),
                                             (198506, (1985, 6)), (1985.06, (1985, 6)),
                                             ("1985.6.15", "1985-06-15"), (datetime(1985, 6, 15), "1985-06-15")])
def test_a_birth_month_may_be_a_year_and_month_or_a_full_date(typed: Any, read: Any) -> None:
    assert parse_month(typed) == read


def test_a_month_that_does_not_exist_is_refused() -> None:
    with pytest.raises(CellError, match="月份不存在"):
        parse_month("1985.13")


@pytest.mark.parametrize(("table", "typed", "code"), [
    ("ethnicity", "汉族", "01"), ("ethnicity", "01", "01"), ("ethnicity", 1, "01"), ("ethnicity", "壮族", "08"),
    ("gender", "女", "2"), ("gender", "1", "1"), ("gender", "男性", "1"),
    ("political_status", "中共党员", "01"), ("political_status", "中国共产党党员", "01"),
    ("political_status", 13, "13"),
    ("education", "大学本科毕业", "21"), ("education", 21, "21"), ("grade", "县处级副职", "132"), ("grade", 132, "132"),
])
def test_a_code_column_takes_the_national_code_or_its_chinese_name(table: str, typed: Any, code: str) -> None:
    assert code_parser(table)(typed) == code


def test_a_value_that_is_neither_a_code_nor_its_name_is_refused() -> None:
    with pytest.raises(CellError, match="民族无效：火星族"):
        code_parser("ethnicity")("火星族")


@pytest.mark.parametrize(("typed", "read"), [("是", True), ("否", False), ("Y", True), (0, False), (True, True)])
def test_yes_and_no_are_read_as_offices_write_them(typed: Any, read: bool) -> None:
    assert parse_bool(typed) is read


def test_a_number_keeps_its_exact_decimal_value() -> None:
    assert parse_decimal(12.5) == "12.5" and parse_decimal("40") == "40"
    with pytest.raises(CellError):
        parse_decimal("四十")


def test_a_birth_month_takes_its_day_from_the_id_number_when_they_agree() -> None:
    from tests import factories as f

    cadre = f.cadre("C1", birth=date(1985, 6, 15))
    cells = {"干部编号": "C1", "出生年月": "1985.06", "公民身份号码": cadre["id_number"]}
    row = build_row(KINDS["registration"], 2, cells)
    assert row.command is not None and row.command.payload["birth_date"] == "1985-06-15"
    other = build_row(KINDS["registration"], 2, {**cells, "出生年月": "1986.06"})
    assert other.command is not None and other.command.payload["birth_date"] == "1986-06-01"  # R-ID then refuses it


def test_a_cell_in_a_column_that_does_not_apply_to_the_rows_category_is_refused_not_dropped() -> None:
    row = build_row(KINDS["appointments"], 5, {"干部编号": "C1", "类别": "免职", "单位代码": "U1", "职位代码": "P1",
                                               "任职方式": "轮岗"})
    assert row.command is None and [(p.row, p.column) for p in row.problems] == [(5, "任职方式")]


def test_the_same_row_gets_the_same_key_and_another_row_another() -> None:
    cells = {"干部编号": "C1", "谈话类别": "谈心谈话", "谈话人": "李", "谈话日期": "2021.6.1", "谈话要点": "好"}
    first, again = (build_row(KINDS["conversations"], n, cells) for n in (2, 9))
    other = build_row(KINDS["conversations"], 3, {**cells, "谈话要点": "很好"})
    assert first.command is not None and again.command is not None and other.command is not None
    assert first.command.idempotency_key == again.command.idempotency_key != other.command.idempotency_key


def test_rows_past_the_most_one_import_takes_are_not_read_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.imports import read_file, xlsx
    from tests.xlsx_files import filled

    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    talk = {"干部编号": "C1", "谈话类别": "谈心谈话", "谈话人": "李", "谈话日期": "2021.6.1"}
    data = filled("conversations", [{**talk, "谈话要点": f"第{n}次"} for n in range(4)])
    rows = list(read_file("谈话.xlsx", data).rows)
    assert [r.row for r in rows] == [2, 3, 4] and [r.command is None for r in rows] == [False, False, True]
    assert rows[2].problems[0].problem.startswith("一次最多导入 2 行")


def test_empty_rows_between_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet() -> None:
    from service.imports import read_file
    from tests.xlsx_files import filled

    talk = {"干部编号": "C1", "谈话类别": "谈心谈话", "谈话人": "李", "谈话日期": "2021.6.1", "谈话要点": "好"}
    data = filled("conversations", [talk, {"谈话要点": "  "}, {}, {**talk, "谈话人": "王"}])
    assert [r.row for r in read_file("谈话.xlsx", data).rows] == [2, 5]
