"""Import of a 干部任免审批表 (``.lrmx``) to open a cadre's record (录用/建档).

The form's 姓名, 性别, 出生年月, 民族, 籍贯, 入党时间, 参加工作时间, 学历 and 身份证号 map onto the
``RegisterCadre`` command, which runs through the one write path (jurisdiction, guards, R-ID) like any
registration. What the form holds but the registration cannot take is listed as *unmapped*, never
guessed; what the registration needs but the form does not hold (干部编号, 进入方式, 职级 — and the
political status when 入党时间 is empty) is *supplied* by the person importing, or the file is refused
naming the field.

Two conventions, said in the report each time they apply: the form's dates are year and month, so a
month is recorded as its first day; the exact birth date is the one the 公民身份号码 carries (the form's
出生年月 must agree with it).

The command's idempotency key is the file's SHA-256 (and the supplied values), so importing the same
file again stores nothing twice (``already_stored``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import uuid4

from domain import codes
from domain.errors import JishiError, ValidationError
from domain.identity import birth_date_of, validate_id_number
from domain.imports import MAX_STORED_PROBLEMS, REQUEST_PREFIX
from domain.recorded import Provenance
from service.application import Jishi
from service.commands import RecordImport, RegisterCadre
from service.handlers import HANDLERS, Context
from service.lrmx import LABELS, parse, parse_month
from service.unit_of_work import UnitOfWork

MAPPED = ("XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "RuDangShiJian", "CanJiaGongZuoShiJian",
          "QuanRiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueLi", "ShenFenZheng")
FORM_ONLY = {"Version", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen"}  # about the form, not the cadre
SUPPLIED = ("cadre_no", "entry_channel", "rank", "political_status")


@dataclass
class LrmxImport:
    """The report: ``stored`` / ``refused`` / ``already_stored`` counts (one form is one row), the rows'
    problems ``{row, column, problem}``, the form's fields not mapped, and the conventions applied."""

    file_name: str
    sha256: str
    dry_run: bool
    stored: int = 0
    refused: int = 0
    already_stored: int = 0
    cadre_id: str | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    import_id: str | None = None  # the recorded import (``import_lrmx_recorded``; none for a dry run)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "lrmx", "import_id": self.import_id, "sheet": "", "rows": 1,
                "problems_total": len(self.problems), "file_name": self.file_name, "sha256": self.sha256,
                "dry_run": self.dry_run,
                "stored": self.stored, "refused": self.refused, "already_stored": self.already_stored,
                "cadre_id": self.cadre_id, "problems": self.problems, "unmapped": self.unmapped,
                "notes": self.notes}


def _code(table: str, text: str) -> str | None:
    """A code from its GB/T code or its Chinese name (``汉族`` or ``01``; ``大学本科`` for ``大学本科毕业``)."""
    entries = codes.CODE_TABLES[table].entries
    if text in entries:
        return text
    for code, name in entries.items():
        if text in (name, name.removesuffix("毕业")):
            return code
    return None


class _Mapping:
    def __init__(self, form: Mapping[str, str], supplied: Mapping[str, str]) -> None:
        self.form = form
        self.payload: dict[str, Any] = {k: v for k, v in supplied.items() if v}
        self.problems: list[tuple[str, str]] = []
        self.notes: list[str] = []

    def problem(self, column: str, text: str) -> None:
        self.problems.append((column, text))

    def first_of_month(self, column: str, target: str) -> None:
        text = self.form.get(column, "")
        parsed = parse_month(text) if text else None
        if text and parsed is None:
            self.problem(column, f"应为年月，如197805 (a year and month such as 197805): {text}")
        elif parsed is not None:
            year, mon, day = parsed
            try:
                self.payload[target] = date(year, mon, day or 1).isoformat()
            except ValueError:
                self.problem(column, f"日期无效 (not a date): {text}")
                return
            if day is None:
                self.notes.append(f"{LABELS[column]}仅有年月，按当月1日记录 ({column} holds a month: its first day)")

    def identity(self) -> None:
        number = self.form.get("ShenFenZheng", "")
        if not number:
            self.problem("ShenFenZheng", "缺少公民身份号码 (no ID number: the exact birth date comes from it)")
            return
        problems = validate_id_number(number, None)
        if problems:
            self.problem("ShenFenZheng", "；".join(problems))
            return
        self.payload["id_number"] = number
        birth = birth_date_of(number)
        self.payload["birth_date"] = birth.isoformat()
        stated = parse_month(self.form.get("ChuShengNianYue", ""))
        if stated is not None and stated[:2] != (birth.year, birth.month):
            self.problem("ChuShengNianYue", f"出生年月与公民身份号码不符 (differs from the ID number's "
                                            f"{birth.year}{birth.month:02d})")

    def codes(self) -> None:
        for column, target, table in (("XingBie", "gender", "gender"), ("MinZu", "ethnicity", "ethnicity")):
            text = self.form.get(column, "")
            code = _code(table, text) if text else None
            if code is None:
                self.problem(column, f"不在{codes.CODE_TABLES[table].title}代码表中 (not in the code table): {text}")
            else:
                self.payload[target] = code

    def party(self) -> None:
        text = self.form.get("RuDangShiJian", "")
        if not text:
            return  # the political status must then be supplied
        if parse_month(text) is not None:
            self.payload["political_status"] = "01"  # 入党时间 is the month of joining the CPC
            self.first_of_month("RuDangShiJian", "party_joined_on")
            return
        code = _code("political_status", text)
        if code is None:
            self.problem("RuDangShiJian", f"既非年月也非政治面貌 (neither a month nor a political status): {text}")
        else:
            self.payload["political_status"] = code

    def education(self) -> None:
        held: list[tuple[str, bool]] = []
        for column, full_time in (("QuanRiZhiJiaoYu_XueLi", True), ("ZaiZhiJiaoYu_XueLi", False)):
            text = self.form.get(column, "")
            if not text:
                continue
            code = _code("education", text)
            if code is None:
                self.problem(column, f"不在学历代码表中 (not in the GB/T 4658 table): {text}")
            else:
                held.append((code, full_time))
        if held:
            code, full_time = min(held)  # GB/T 4658: the lower code is the higher level
            self.payload |= {"education": code, "full_time_education": full_time}

    def registration(self) -> dict[str, Any]:
        self.payload["name"] = self.form.get("XingMing", "")
        self.payload["native_place"] = self.form.get("JiGuan", "")
        self.identity()
        self.codes()
        self.party()
        self.first_of_month("CanJiaGongZuoShiJian", "work_started_on")
        self.education()
        return self.payload


def unmapped_fields(form: Mapping[str, str], payload: Mapping[str, Any]) -> list[dict[str, str]]:
    """The form's non-empty fields the registration does not take, and the 学历 it did not choose."""
    out = [{"field": k, "label": LABELS.get(k, k), "value": v} for k, v in form.items()
           if v and k not in MAPPED and k not in FORM_ONLY]
    for column, full_time in (("QuanRiZhiJiaoYu_XueLi", True), ("ZaiZhiJiaoYu_XueLi", False)):
        if form.get(column) and payload.get("full_time_education") is not full_time:
            out.append({"field": column, "label": LABELS[column], "value": form[column]})
    return out


def _dry_run(app: Jishi, command: RegisterCadre, by: Provenance) -> bool:
    """What ``app.handle`` would do, saving nothing: True if the same import was stored before."""
    app.authorize(command, by)
    uow = UnitOfWork(app)
    try:
        if uow.replay(command) is not None:
            return True
        HANDLERS[RegisterCadre](command, Context(uow, by, app.config, app.today(), app.clock))
        return False
    finally:
        uow.close()


def import_lrmx(app: Jishi, data: bytes, *, by: Provenance, file_name: str = "", dry_run: bool = False,
                supplied: Mapping[str, str] | None = None) -> LrmxImport:
    """Open a cadre's record from one ``.lrmx`` file (a row of the import report; ``POST /api/v1/imports``
    and ``jishi import lrmx`` call this). A refused file stores nothing; ``dry_run`` stores nothing."""
    supplied = {k: str(v) for k, v in (supplied or {}).items() if k in SUPPLIED and v}
    digest = hashlib.sha256(data).hexdigest()
    report = LrmxImport(file_name, digest, dry_run)
    try:
        form = parse(data)
    except ValidationError as error:
        report.refused = 1
        report.problems = [{"row": 1, "column": e.loc, "problem": e.msg} for e in error.errors]
        return report
    mapping = _Mapping(form, supplied)
    payload = mapping.registration()
    report.payload, report.notes = payload, mapping.notes
    report.unmapped = unmapped_fields(form, payload)
    for name in SUPPLIED:
        if name not in payload:
            mapping.problem(name, "任免审批表中无此项，须在导入时给出 (not on the form: supply it with the import)")
    if mapping.problems:
        report.refused = 1
        report.problems = [{"row": 1, "column": c, "problem": p} for c, p in mapping.problems]
        return report
    key = "lrmx:" + hashlib.sha256(f"{digest}|{sorted(supplied.items())}".encode()).hexdigest()
    command = RegisterCadre(payload, idempotency_key=key)
    try:
        if dry_run:
            already = _dry_run(app, command, by)
        else:
            already = UnitOfWork(app).replay(command) is not None
            report.cadre_id = app.handle(command, by).extra.get("cadre_id")
    except JishiError as error:
        report.refused = 1
        report.problems = [{"row": 1, "column": e.loc, "problem": e.msg} for e in getattr(error, "errors", [])] or [
            {"row": 1, "column": None, "problem": str(error)}]
        return report
    if already:
        report.already_stored = 1
    else:
        report.stored = 1  # in a dry run: would be stored
    return report


def import_lrmx_recorded(app: Jishi, data: bytes, *, by: Provenance, file_name: str = "", dry_run: bool = False,
                         supplied: Mapping[str, str] | None = None) -> LrmxImport:
    """``import_lrmx`` as an import of its own, like an Excel 台账 run (``service/imports/runner.py``): the
    registration carries the request id ``import:<import id>`` and a real run ends by recording
    ``ImportRecorded`` (who, file name, SHA-256, counts) — in the ledger and the audit trail."""
    if dry_run:
        return import_lrmx(app, data, by=by, file_name=file_name, dry_run=True, supplied=supplied)
    import_id = uuid4()
    report = import_lrmx(app, data, by=replace(by, request_id=f"{REQUEST_PREFIX}{import_id}"), file_name=file_name,
                         supplied=supplied)
    app.handle(RecordImport(import_id, {
        "file_name": file_name, "sha256": report.sha256, "kind": "lrmx", "rows": 1, "stored": report.stored,
        "refused": report.refused, "already_stored": report.already_stored,
        "problems": report.problems[:MAX_STORED_PROBLEMS], "problems_total": len(report.problems)}), by)
    report.import_id = str(import_id)
    return report
