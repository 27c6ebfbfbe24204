"""`jishi import …`: files an office already keeps, imported through the one write path, as the operator
on the server (whole tree)::

    jishi import xlsx FILE [--kind K] [--sheet NAME] [--dry-run]    import an Excel 台账 (progress bar)
    jishi import template KIND [--out FILE]                          write the template of a kind

Exit status: 0 every row stored or already stored, 3 some rows refused (the report lists them),
2 a file that cannot be read as a 台账 (the problem named) — as for the API (``api/problems.py``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli.store import application_session
from service.imports import KINDS, ImportReport, import_file, kind_of, read_file, run_import
from service.imports.xlsx import template as xlsx_template

import_app = typer.Typer(help="导入台账 Import an office's files (Excel 台账) through the same guards as every write.",
                         no_args_is_help=True)
EXIT_REFUSED_ROWS = 3
SHOWN_PROBLEMS = 200


@import_app.command("xlsx")
def import_xlsx(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="the filled template (.xlsx)"),
    kind: str | None = typer.Option(None, "--kind", help=f"kind of 台账: {', '.join(KINDS)} (default: from the sheet)"),
    sheet: str | None = typer.Option(None, "--sheet", help="the sheet to read (default: the first that fits)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="check every row, store nothing"),
) -> None:
    """Import an Excel 台账: every row through the same commands and guards; a re-run stores nothing twice."""
    from api.cli import _cli_provenance

    data = file.read_bytes()
    with application_session() as application:
        rows = read_file(file.name, data, kind=kind, sheet=sheet)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      transient=False) as progress:
            task = progress.add_task(f"导入 {file.name}（{KINDS[rows.kind].title}）", total=rows.total or None)
            report = run_import(application, rows, import_file(file.name, data, rows.kind), _cli_provenance(),
                                dry_run=dry_run, progress=lambda done: progress.advance(task, done))
    _print(report)
    if report.refused:
        raise typer.Exit(EXIT_REFUSED_ROWS)


def _print(report: ImportReport) -> None:
    console = Console(width=140)
    if report.problems:
        table = Table(title="未能存入的行 (rows refused)")
        for column in ("行 row", "列 column", "问题 problem", "规则 rule"):
            table.add_column(column)
        for p in report.problems[:SHOWN_PROBLEMS]:
            table.add_row(str(p.row), p.column or "", p.problem, p.rule or "")
        console.print(table)
        if len(report.problems) > SHOWN_PROBLEMS:
            typer.echo(f"…… 另有 {len(report.problems) - SHOWN_PROBLEMS} 个问题 (more problems not shown)")
    verb = "试导入（未存储）(dry run, nothing stored)" if report.dry_run else f"导入记录 (import) {report.import_id}"
    typer.echo(f"{verb}: {report.file.file_name} SHA-256 {report.file.sha256}")
    typer.echo(f"行数 rows {report.rows}; {'可存入 would store' if report.dry_run else '存入 stored'} {report.stored}; "
               f"拒绝 refused {report.refused}; 已存在 already stored {report.already_stored}")


@import_app.command("template")
def import_template(
    kind: str = typer.Argument(..., help=f"kind of 台账: {', '.join(KINDS)} (or its Chinese name)"),
    out: Path | None = typer.Option(None, "--out", help="file to write (default: <名称>导入模板.xlsx here)"),
) -> None:
    """Write the Excel template of a kind of 台账 (Chinese headers and a sheet of instructions)."""
    found = kind_of(kind)
    if found is None:
        typer.echo(f"错误 (error): 未知台账类别 (unknown kind): {kind}；可选 {', '.join(KINDS)}", err=True)
        raise typer.Exit(2)
    target = out or Path(f"{found.title}导入模板.xlsx")
    target.write_bytes(xlsx_template(found))
    typer.echo(f"模板已写入 (template written): {target}")
