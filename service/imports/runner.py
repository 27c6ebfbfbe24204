"""An import run: every source row through the one write path (``Jishi.handle``: jurisdiction,
idempotency, handler, guards), the per-row report, and the import recorded when the run ends.

* **Dry run**: the rows run in ``app.dry_run()`` — each against the record as the earlier rows left it,
  in memory; nothing is stored, not even the import.
* **Real run**: the rows run in the application's bulk batch, saved ``chunk`` rows at a time (each save
  atomic). Each row's command carries the row's key (``service/imports/kinds.py``), so a re-run of the
  same file replays what is stored and stores nothing twice. The entries stored carry the request id
  ``import:<import id>``; the run ends by recording ``ImportRecorded`` (who, file, SHA-256, counts).
* A scoped user's jurisdiction is judged on the read models (``service/jurisdiction.py``), which know
  only saved rows: a row refused as out of scope while earlier rows wait in the batch is tried again
  once they are saved (a dismissal after the appointment two rows above it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC
from typing import TYPE_CHECKING
from uuid import uuid4

from eventsourcing.persistence import IntegrityError

from domain import ids
from domain.cadre import Cadre
from domain.cadre_entries import CadreRegistered
from domain.errors import (
    ConcurrencyError,
    ConflictError,
    JishiError,
    PermissionDeniedError,
    RuleViolationError,
    ValidationError,
)
from domain.imports import MAX_STORED_PROBLEMS, REQUEST_PREFIX
from domain.recorded import Provenance
from domain.schema import coerce
from service.commands import Command, RecordImport, RegisterCadre
from service.imports.kinds import CADRE_NO
from service.imports.report import ImportFile, ImportReport, RowProblem, Sheet, SourceRow
from service.unit_of_work import Batch

if TYPE_CHECKING:
    from service.application import Jishi

CHUNK = 500  # rows per saved transaction of a real run
Progress = Callable[[int], None]  # told how many rows were done since it was last told
NAMED = {"干部不存在": CADRE_NO, "干部编号": CADRE_NO, "单位不存在": "单位代码", "职位不存在": "职位代码",
         "公民身份号码": "公民身份号码", "例外放行": "例外放行理由"}
CONCURRENT = "保存时记录已被他人同时修改，本行未存入，请重新导入 (changed concurrently while saving: import again)"


@dataclass
class _Outcome:
    state: str  # stored | already | refused
    problems: list[RowProblem] = field(default_factory=list)


def run_import(app: Jishi, sheet: Sheet, file: ImportFile, by: Provenance, *, dry_run: bool,
               progress: Progress | None = None, chunk: int = CHUNK) -> ImportReport:
    """Import ``sheet``'s rows as ``by``; the report counts rows stored (a dry run: would be), refused and
    already stored, with a problem per row and column at fault."""
    import_id = None if dry_run else uuid4()
    report = ImportReport(import_id, file, dry_run, sheet.sheet)
    if dry_run:
        with app.dry_run() as run:
            for source in sheet.rows:
                _count(report, source, _attempt(app, run, source, by))
                _tell(progress)
        return report
    assert import_id is not None
    _real_run(app, sheet.rows, report, replace(by, request_id=f"{REQUEST_PREFIX}{import_id}"), progress, chunk)
    result = app.handle(RecordImport(import_id, {
        "file_name": file.file_name, "sha256": file.sha256, "kind": file.kind, "rows": report.rows,
        "stored": report.stored, "refused": report.refused, "already_stored": report.already_stored,
        "problems": [p.as_dict() for p in report.problems[:MAX_STORED_PROBLEMS]],
        "problems_total": len(report.problems)}), by)
    report.recorded_at = result.recorded_at.astimezone(UTC).isoformat()
    return report


def _real_run(app: Jishi, rows: Iterable[SourceRow], report: ImportReport, by: Provenance,
              progress: Progress | None, chunk: int) -> None:
    batch = app.batch(size=1 << 30)  # saved by ``_save`` every ``chunk`` rows
    pending: list[SourceRow] = []
    for source in rows:
        outcome = _attempt(app, batch, source, by)
        if outcome.state == "refused" and pending and by.scopes is not None and _out_of_scope(outcome):
            batch = _save(app, batch, pending, report)
            outcome = _attempt(app, batch, source, by)
        _count(report, source, outcome)
        if outcome.state == "stored":
            pending.append(source)
            if len(pending) >= chunk:
                batch = _save(app, batch, pending, report)
        _tell(progress)
    _save(app, batch, pending, report)


def _save(app: Jishi, batch: Batch, pending: list[SourceRow], report: ImportReport) -> Batch:
    """Save the pending rows in one transaction. If another writer changed one of their records
    meanwhile, none of them is stored: each is reported refused, and the run goes on afresh."""
    try:
        batch.flush()
    except (IntegrityError, ConcurrencyError):
        for source in pending:
            report.stored -= 1
            report.refused += 1
            report.problems.append(RowProblem(source.row, CONCURRENT))
        report.problems.sort(key=lambda p: p.row)
        batch = app.batch(size=1 << 30)  # the failed batch holds records as they were not saved: dropped
    pending.clear()
    return batch


def _attempt(app: Jishi, batch: Batch, source: SourceRow, by: Provenance) -> _Outcome:
    if source.command is None:
        return _Outcome("refused", list(source.problems))
    try:
        result = app.handle(source.command, by, batch=batch)
    except ConflictError as error:
        if _registered_alike(batch, source.command):
            return _Outcome("already")
        return _Outcome("refused", problems_of(error, source))
    except JishiError as error:
        return _Outcome("refused", problems_of(error, source))
    return _Outcome("already" if result.replayed else "stored")


def _registered_alike(batch: Batch, command: Command) -> bool:
    """A registration row of a cadre the record already holds with every value the row gives (entered by
    hand, or exported and filled back in): already stored, not a conflict. Any other value: the conflict."""
    if not isinstance(command, RegisterCadre):
        return False
    try:
        values = coerce(CadreRegistered, command.payload)
    except ValidationError:
        return False
    cadre = batch.find(Cadre, ids.cadre_id(str(values["cadre_no"])))
    if cadre is None:
        return False
    profile = cadre.profile
    return all(profile.get(name) == value for name, value in values.items() if name != "effective_on")


def _out_of_scope(outcome: _Outcome) -> bool:
    return any(p.rule is None and p.problem.startswith(("干部不存在", "单位不存在", "职位不存在"))
               for p in outcome.problems)


def _count(report: ImportReport, source: SourceRow, outcome: _Outcome) -> None:
    report.rows += 1
    if outcome.state == "stored":
        report.stored += 1
    elif outcome.state == "already":
        report.already_stored += 1
    else:
        report.refused += 1
        report.problems.extend(outcome.problems or [RowProblem(source.row, "未能存入 (not stored)")])


def _tell(progress: Progress | None) -> None:
    if progress is not None:
        progress(1)


def problems_of(error: JishiError, source: SourceRow) -> list[RowProblem]:
    """A refusal as the row's problems, each naming the column of the field it is about (and the rule)."""
    row = source.row
    if isinstance(error, ValidationError):
        return [RowProblem(row, e.msg, _column(source, e.loc)) for e in error.errors]
    if isinstance(error, RuleViolationError):
        return [RowProblem(row, v.message, _column(source, v.field) if v.field else None, v.rule)
                for v in error.violations]
    column = next((header for words, header in NAMED.items() if words in error.detail), None)
    if isinstance(error, PermissionDeniedError):
        column = "例外放行理由"
    return [RowProblem(row, error.detail, column)]


def _column(source: SourceRow, loc: str) -> str | None:
    name = loc.split(".")[0]
    return source.columns.get(name) or (CADRE_NO if name in ("cadre_no", "cadre_id") else None)


def import_file(file_name: str, data: bytes, kind: str) -> ImportFile:
    """The file as the import records it: its name, SHA-256 and kind."""
    return ImportFile(file_name, hashlib.sha256(data).hexdigest(), kind)

