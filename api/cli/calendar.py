"""`jishi calendar …`: the working-day calendar (节假日安排) from the command line, an operator on the server.

    jishi calendar publish 2027 --file 2027.toml                      record a year's schedule
    jishi calendar publish 2027 --file 2027.toml --correct --reason "…" [--document-no "…"]
    jishi calendar list                                               every year known, and where from

The file (TOML) holds what the State Council's notice says::

    notice_no = "国办发明电〔2026〕N号"      # 文号
    notice_date = 2026-11-04                # 发布日期 (a TOML date, or "YYYY-MM-DD")
    holidays = [2027-01-01, …]              # 放假日
    workdays = [2027-02-07, …]              # 调休上班日 (Saturdays and Sundays)

Exit status: 0 recorded, 2 invalid input (each field named), 4 nothing to correct, 5 already recorded
(correct it instead) — the table of ``api/problems.py``, as for the API.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from api.calendar_notice import missing
from domain.errors import JishiError
from service.commands import PublishCalendar

calendar_app = typer.Typer(help="节假日安排 The working-day calendar: record a year's holidays and 调休 days.",
                           no_args_is_help=True)
FILE_KEYS = {"year", "notice_no", "notice_date", "holidays", "workdays", "reason", "document_no"}


def _read(file: Path, year: int) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        typer.echo(f"错误 (error): 无法读取 {file} (cannot read the file): {error}", err=True)
        raise typer.Exit(2) from None
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        typer.echo(f"错误 (error): {file} 含未知项 (unknown keys): {', '.join(unknown)}", err=True)
        raise typer.Exit(2)
    if data.setdefault("year", year) != year:
        typer.echo(f"错误 (error): 文件中的 year = {data['year']} 与命令中的 {year} 不符 "
                   f"(the file is for another year)", err=True)
        raise typer.Exit(2)
    return {key: _text(value) for key, value in data.items()}


def _text(value: Any) -> Any:
    """TOML dates as the ISO text the command takes (as an API body would give them)."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@calendar_app.command("publish")
def publish(
    year: int = typer.Argument(..., help="the year the schedule is for"),
    file: Path = typer.Option(..., "--file", help="TOML: notice_no, notice_date, holidays = [...], workdays = [...]"),
    correct: bool = typer.Option(False, "--correct", help="correct the recorded year (a new version)"),
    reason: str | None = typer.Option(None, "--reason", help="--correct: why (更正理由)"),
    document_no: str | None = typer.Option(None, "--document-no", help="--correct: the document it rests on"),
) -> None:
    """记录（或更正）一年的节假日安排 — recorded as an event; publicities already judged are not rewritten."""
    from api.cli import _cli_provenance
    from api.cli.store import fail, open_application

    payload = _read(file, year)
    if correct:
        payload |= {k: v for k, v in (("reason", reason), ("document_no", document_no)) if v is not None}
    elif reason is not None or document_no is not None:
        typer.echo("错误 (error): --reason 与 --document-no 仅用于 --correct (only with --correct)", err=True)
        raise typer.Exit(2)
    application = open_application()
    try:
        result = application.handle(PublishCalendar(payload, correct=correct), _cli_provenance())
        schedule = application.calendar_year(year)
    except JishiError as error:
        for line in getattr(error, "errors", ()):
            typer.echo(f"  {line.loc}: {line.msg}", err=True)
        raise fail(error) from None
    finally:
        application.close()
    assert schedule is not None
    typer.echo(f"已记录 (recorded) {year} 年节假日安排 {schedule.label}：放假 {len(schedule.holidays)} 天，"
               f"调休上班 {len(schedule.workdays)} 天；entry_id {result.entry_id}")


@calendar_app.command("list")
def list_years() -> None:
    """每一年的来源：内置（chinese-calendar）或记录（版本、文号、记录时间）。"""
    from api.cli.store import open_runtime

    runtime = open_runtime()
    try:
        runtime.catch_up()
        years = runtime.read_models.calendar_years()
        absent = missing(runtime.app)
    finally:
        runtime.close()
    table = Table(title="节假日安排 Working-day calendar")
    for column in ("year", "source", "version", "notice_no", "notice_date", "recorded_at", "by", "holidays",
                   "workdays"):
        table.add_column(column)
    for y in years:
        table.add_row(str(y["year"]), y["source"] if y["source"] == "recorded" else f"built-in ({y['package']})",
                      str(y["version"] or ""), y["notice_no"] or "", str(y["notice_date"] or ""),
                      y["recorded_at"].isoformat(timespec="seconds") if y["recorded_at"] else "",
                      y["recorded_by"] or "", str(y["holidays"]), str(y["workdays"]))
    Console(width=160).print(table)
    for year in absent:
        typer.echo(f"{year} 年节假日安排尚未记录 (not recorded): jishi calendar publish {year} --file {year}.toml")
