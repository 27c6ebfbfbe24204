"""The kinds of 台账 an office imports, one template each: its Chinese columns, what each column
fills in the command, and how a row becomes a typed command (the same commands as every write).

A column's value is parsed as offices type it (``service/imports/cells.py``); an empty cell is left out
of the command, so what is required and what is allowed is decided where it always is — by the
command's handler and guards — and a refusal names the column of the field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from domain import ids
from domain.cadre_entries import ENTRY_TYPES
from domain.identity import birth_date_of
from service.commands import Command, RecordEntry, RegisterCadre
from service.imports.cells import (
    DATE_FORMS,
    CellError,
    Parser,
    code_parser,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_list,
    parse_month,
    text,
)
from service.imports.report import RowProblem, SourceRow
from service.unit_of_work import fingerprint

CADRE_NO = "干部编号"
TYPE = "类别"
IGNORED_HEADERS = frozenset({"序号"})  # a running number offices keep in the first column
KEY_PREFIX = "import:"  # a row's idempotency key: "import:<fingerprint of its command>"


@dataclass(frozen=True)
class Column:
    """One column of a template: its header, the payload field it fills (``renames`` per entry type),
    how its cells are read, and the entry types (by 类别) it applies to (None: all)."""

    header: str
    field: str
    parse: Parser = text
    required: bool = False
    note: str = ""
    types: frozenset[str] | None = None

    def applies(self, entry_type: str) -> bool:
        return self.types is None or entry_type in self.types


@dataclass(frozen=True)
class Kind:
    """A kind of 台账: its key (in URLs and ``--kind``), its Chinese title (the template's sheet name),
    its columns and the entry type of each 类别 (one type without a 类别 column)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    types: Mapping[str, str]  # 类别 value → entry type; {"": type} for a kind of one type
    renames: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # entry type → {field: its field}

    def by_header(self) -> dict[str, Column]:
        return {c.header: c for c in self.columns}

    def field_of(self, column: Column, entry_type: str) -> str:
        return self.renames.get(entry_type, {}).get(column.field, column.field)


def _types(*names: str) -> frozenset[str]:
    return frozenset(names)


def _cadre() -> Column:
    return Column(CADRE_NO, "cadre_no", required=True, note="干部的编号（与干部基本信息一致）")


def _category(choices: str) -> Column:
    return Column(TYPE, "", required=True, note=f"填写：{choices}")


def _effective(header: str = "生效日期", note: str = "") -> Column:
    return Column(header, "effective_on", parse_date, True, note or f"日期，如 {DATE_FORMS}")


DOCUMENT = Column("文号", "document_no", note="如 组干〔2023〕12号")
OVERRIDE = Column("例外放行理由", "override_reason", note="仅在需例外放行某条规则时填写；须有例外放行权限")

KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("registration", "干部基本信息", (
        _cadre(),
        Column("姓名", "name", required=True),
        Column("性别", "gender", code_parser("gender"), True, "男、女，或代码 1、2"),
        Column("出生年月", "birth_date", parse_month, True, "如 1985.06 或 1985-06-15；只填年月时按身份证号取日"),
        Column("民族", "ethnicity", code_parser("ethnicity"), True, "如 汉族，或国标代码 01"),
        Column("公民身份号码", "id_number", required=True, note="18位"),
        Column("政治面貌", "political_status", code_parser("political_status"), True, "如 中共党员，或代码 01"),
        Column("学历", "education", code_parser("education"), True, "如 大学本科毕业，或代码 21"),
        Column("是否全日制", "full_time_education", parse_bool, True, "是 或 否"),
        Column("籍贯", "native_place", required=True),
        Column("参加工作时间", "work_started_on", parse_date, True, f"日期，如 {DATE_FORMS}"),
        Column("进入方式", "entry_channel", required=True),
        Column("职级", "rank", required=True, note="如 四级主任科员"),
        Column("入党时间", "party_joined_on", parse_date),
        Column("专业", "major"),
        Column("建档日期", "effective_on", parse_date, note="不填则为参加工作时间"),
    ), {"": "CadreRegistered"}),
    Kind("appointments", "任免", (
        _cadre(), _category("任职、免职"),
        Column("单位代码", "unit_code", required=True),
        Column("职位代码", "post_code", required=True),
        Column("任职方式", "manner", note="任职时填写", types=_types("Appointed")),
        Column("选任纪实编号", "selection_case_id", note="提拔任职时填写", types=_types("Appointed")),
        Column("同时免去职务", "ends_posts", parse_list, note="任职时同时免去的职务：单位代码/职位代码，多个用；分隔",
               types=_types("Appointed")),
        Column("免职原因", "reason", note="免职时填写；任职同时免去职务时为其免职原因"),
        _effective(), DOCUMENT, OVERRIDE,
    ), {"任职": "Appointed", "任": "Appointed", "免职": "Dismissed", "免": "Dismissed"},
        {"Appointed": {"reason": "ends_reason"}}),
    Kind("assessments", "考核", (
        _cadre(),
        Column("考核类别", "kind", required=True),
        Column("考核期间", "period", required=True, note="年度考核填年份，如 2023"),
        Column("等次", "grade", required=True),
        Column("分类划档", "tier", parse_int, note="1–4"),
        Column("民主测评得分", "democratic_score", parse_decimal, note="0–100"),
        Column("评语", "remarks"),
        _effective("考核日期"), DOCUMENT, OVERRIDE,
    ), {"": "Assessed"}),
    Kind("training", "培训", (
        _cadre(),
        Column("培训类别", "kind", required=True),
        Column("课程名称", "course", required=True),
        Column("主办单位", "provider", required=True),
        Column("开始日期", "started_on", parse_date, True, f"日期，如 {DATE_FORMS}"),
        _effective("结业日期"),
        Column("学时", "hours", parse_decimal, True),
        Column("是否合格", "passed", parse_bool, True, "是 或 否"),
        Column("是否补训", "makeup", parse_bool, note="是 或 否（不填为否）"),
        DOCUMENT, OVERRIDE,
    ), {"": "TrainingCompleted"}),
    Kind("conversations", "谈话", (
        _cadre(),
        Column("谈话类别", "kind", required=True),
        Column("谈话人", "interviewer", required=True),
        _effective("谈话日期"),
        Column("谈话要点", "summary", required=True),
        Column("谈话起因", "trigger"),
        DOCUMENT, OVERRIDE,
    ), {"": "ConversationHeld"}),
    Kind("rewards", "奖惩", (
        _cadre(), _category("奖励、处分"),
        Column("种类", "kind", required=True, note="奖励：嘉奖、记三等功…；处分：警告、记过…"),
        Column("批准机关", "by", note="奖励时填写", types=_types("Commended")),
        Column("处分类型", "track", note="处分时填写：党纪 或 政务", types=_types("Sanctioned")),
        Column("期限（月）", "months", parse_int, note="留党察看时填写：12 或 24", types=_types("Sanctioned")),
        Column("事由", "reason", required=True),
        _effective(), Column("文号", "document_no", note="处分时为处分决定文号"), OVERRIDE,
    ), {"奖励": "Commended", "处分": "Sanctioned"}, {"Sanctioned": {"document_no": "decision_no"}}),
    Kind("pools", "人才库", (
        _cadre(), _category("入库、在库考察、出库"),
        Column("库别", "pool", required=True),
        Column("入库依据", "grounds", note="入库时填写", types=_types("PoolEntered")),
        Column("目标职务层次", "target_grade", code_parser("grade"), note="入库时可填：如 县处级副职，或代码 132",
               types=_types("PoolEntered")),
        Column("考察结果", "outcome", note="在库考察时填写：保留 或 调整出库", types=_types("PoolReviewed")),
        Column("出库原因", "reason", note="出库时填写", types=_types("PoolExited")),
        _effective(), DOCUMENT, OVERRIDE,
    ), {"入库": "PoolEntered", "在库考察": "PoolReviewed", "出库": "PoolExited"}),
)}
TITLES = {kind.title: kind for kind in KINDS.values()}


def kind_of(name: str) -> Kind | None:
    """A kind by its key (``appointments``) or its Chinese title (``任免``)."""
    return KINDS.get(name) or TITLES.get(name.strip())


def choices(kind: Kind, column: Column) -> tuple[str, ...]:
    """The values a column allows (from the entry types' fields), for the template's instructions."""
    from domain.schema import field_specs

    if column.header == TYPE:
        return tuple(kind.types)
    found: list[str] = []
    for entry_type in dict.fromkeys(kind.types.values()):
        if not column.applies(entry_type):
            continue
        wanted = kind.field_of(column, entry_type)
        for spec in field_specs(ENTRY_TYPES[entry_type]):
            if spec.name == wanted and spec.choices and spec.code_table is None:
                found += [str(c) for c in spec.choices if str(c) not in found]
    return tuple(found)


def build_row(kind: Kind, row: int, cells: Mapping[str, Any]) -> SourceRow:
    """One row (header → cell value, empty cells left out) as the command it asks for."""
    problems: list[RowProblem] = []
    columns = kind.by_header()
    entry_type = kind.types.get("")
    if entry_type is None:
        shown = text(cells[TYPE]) if TYPE in cells else ""
        entry_type = kind.types.get(shown)
        if entry_type is None:
            problem = (f"类别须为{'、'.join(kind.types)}之一，不能为 {shown} (unknown category)" if shown
                       else "必填 (required)")
            return SourceRow(row, None, (RowProblem(row, problem, TYPE),))
    values: dict[str, Any] = {}
    where = {kind.field_of(c, entry_type): c.header for c in kind.columns if c.field and c.applies(entry_type)}
    for header, value in cells.items():
        column = columns[header]
        if column.header == TYPE:
            continue
        if not column.applies(entry_type):
            problems.append(RowProblem(row, f"该列不适用于{ENTRY_TYPES[entry_type].LABEL}，请留空 "
                                            f"(this column does not apply to the row's category)", header))
            continue
        try:
            name = kind.field_of(column, entry_type)
            values[name] = column.parse(value)
        except CellError as error:
            problems.append(RowProblem(row, str(error), header))
    if problems:
        return SourceRow(row, None, tuple(problems), where)
    command = _command(entry_type, values)
    if command is None:
        return SourceRow(row, None, (RowProblem(row, "必填 (required)", CADRE_NO),), where)
    return SourceRow(row, _keyed(command), (), where)


def _command(entry_type: str, values: dict[str, Any]) -> Command | None:
    if entry_type == "CadreRegistered":
        birth = values.get("birth_date")
        if isinstance(birth, tuple):
            values["birth_date"] = _birth_day(birth, values.get("id_number"))
        return RegisterCadre(values)
    cadre_no = values.pop("cadre_no", None)
    if not cadre_no:
        return None
    return RecordEntry(ids.cadre_id(cadre_no), entry_type, values)


def _birth_day(year_month: tuple[int, int], id_number: Any) -> str:
    """出生年月 given as a year and month: the day from the 公民身份号码 when it agrees (R-ID checks the
    number), else the first of the month — R-ID then refuses the row, naming the mismatch."""
    year, month = year_month
    try:
        born = birth_date_of(id_number) if isinstance(id_number, str) else None
    except ValueError:  # a malformed number: R-ID names what is wrong with it
        born = None
    if born is not None and (born.year, born.month) == (year, month):
        return born.isoformat()
    return date(year, month, 1).isoformat()


def _keyed(command: Command) -> Command:
    """The row's key: the fingerprint of its command, so the same row imported again is stored once."""
    return replace(command, idempotency_key=KEY_PREFIX + fingerprint(command))
