"""`jishi import lrmx FILE [--dry-run]`: open a cadre's record from a 干部任免审批表 (.lrmx) file.

    jishi import lrmx 王芳.lrmx --cadre-no C0001 --entry-channel 考试录用 --rank 四级主任科员 [--dry-run]

The form has no 干部编号, 进入方式 or 职级 (nor a political status when 入党时间 is empty): give them
as options, or the file is refused naming what is missing. Prints the report (stored / refused / already
stored, each problem with its field, the form's fields not mapped and the conventions applied) as JSON on
stdout. Exit status: 0 stored (or already stored, or a clean dry run), 2 refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from api.cli.store import application_session


def import_lrmx(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="the .lrmx file"),
    dry_run: bool = typer.Option(False, "--dry-run", help="check and report, store nothing"),
    cadre_no: str = typer.Option("", "--cadre-no", help="干部编号 (not on the form)"),
    entry_channel: str = typer.Option("", "--entry-channel", help="进入方式, e.g. 考试录用 (not on the form)"),
    rank: str = typer.Option("", "--rank", help="职级, e.g. 四级主任科员 (not on the form)"),
    political_status: str = typer.Option("", "--political-status",
                                         help="政治面貌 code, when the form's 入党时间 is empty"),
) -> None:
    """导入任免审批表 Open a cadre's record from an .lrmx file (through the registration command)."""
    from api.cli import _cli_provenance
    from service.lrmx_import import import_lrmx_recorded as run

    supplied = {"cadre_no": cadre_no, "entry_channel": entry_channel, "rank": rank,
                "political_status": political_status}
    with application_session() as application:
        report = run(application, file.read_bytes(), by=_cli_provenance(), file_name=file.name, dry_run=dry_run,
                     supplied=supplied)
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    done = "演练，未存储 (dry run, nothing stored)" if dry_run else "已存储 (stored)"
    typer.echo(f"{file.name}: {done} {report.stored}，拒绝 (refused) {report.refused}，"
               f"此前已存储 (already stored) {report.already_stored}，未映射项 (unmapped) {len(report.unmapped)}",
               err=True)
    if report.refused:
        raise typer.Exit(2)
