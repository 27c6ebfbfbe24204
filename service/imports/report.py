"""What an import reads and what it answers: source rows (a command, or why none could be made) and
the per-row report. Any reader of a file (``.xlsx`` here; ``.lrmx`` …) yields ``SourceRow``s and
``run_import`` (``service/imports/runner.py``) takes them through the one write path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from service.commands import Command


@dataclass(frozen=True)
class RowProblem:
    """Why a row was refused: its row number in the file, the column (its header) when one is to
    blame, the problem in Chinese (with the English after it) and the rule id when a guard refused."""

    row: int
    problem: str
    column: str | None = None
    rule: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"row": self.row, "column": self.column, "problem": self.problem}
        if self.rule is not None:
            found["rule"] = self.rule
        return found


@dataclass(frozen=True)
class SourceRow:
    """One row of a file: the command it becomes, or the problems that kept it from becoming one.
    ``columns`` names the column (header) of each payload field, so a refusal names the column."""

    row: int
    command: Command | None
    problems: tuple[RowProblem, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sheet:
    """What a reader made of a file: the kind of 台账, the sheet read and its rows (lazily)."""

    kind: str
    sheet: str
    total: int  # rows with data (the progress bar's length)
    rows: Iterator[SourceRow]


@dataclass(frozen=True)
class ImportFile:
    """The file as received: its name, SHA-256 (hex) and kind of 台账."""

    file_name: str
    sha256: str
    kind: str


@dataclass
class ImportReport:
    """An import run's report: counts and the per-row problems (one per row and column at fault)."""

    import_id: UUID | None  # None for a dry run (nothing is stored, not even the import)
    file: ImportFile
    dry_run: bool
    sheet: str = ""
    rows: int = 0
    stored: int = 0  # a dry run: would be stored
    refused: int = 0
    already_stored: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    recorded_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": str(self.import_id) if self.import_id else None, "dry_run": self.dry_run,
            "file_name": self.file.file_name, "sha256": self.file.sha256, "kind": self.file.kind,
            "sheet": self.sheet, "rows": self.rows, "stored": self.stored, "refused": self.refused,
            "already_stored": self.already_stored, "recorded_at": self.recorded_at,
            "problems": [p.as_dict() for p in self.problems], "problems_total": len(self.problems),
        }
