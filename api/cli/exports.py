"""`jishi export growth-file ID --pdf [--out FILE]`: the printed 成长纪实 as a PDF, made on the server.

The operator reads as the server's operator (``cli:<login>``, whole tree, role admin: sensitive fields
masked as for any reader who does not keep the record); the read is recorded like every growth-file read.
"""

from __future__ import annotations

import getpass
import uuid
from datetime import date
from pathlib import Path
from uuid import UUID

import typer

from api.cli.store import fail, open_runtime

export_app = typer.Typer(help="导出 Export what offices hand out (printed growth file).", no_args_is_help=True)


@export_app.command("growth-file")
def export_growth_file(
    cadre_id: str = typer.Argument(..., help="干部 id (uuid)"),
    pdf: bool = typer.Option(False, "--pdf", help="as a PDF (the only format so far; required)"),
    out: Path | None = typer.Option(None, "--out", help="file to write (default 成长纪实-<id>.pdf)"),
    as_of: str = typer.Option("", "--as-of", help="截至日期 YYYY-MM-DD (default today)"),
) -> None:
    """打印成长纪实 Write the printed growth file of a cadre as a PDF."""
    from api import printing
    from api.pages.printing import growth_print_html
    from domain.errors import JishiError
    from domain.users import Principal

    if not pdf:
        typer.echo("错误 (error): 请加 --pdf (give --pdf: the printed growth file is a PDF)", err=True)
        raise typer.Exit(2)
    try:
        cadre = UUID(cadre_id)
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as error:
        typer.echo(f"错误 (error): 参数无效 (invalid argument): {error}", err=True)
        raise typer.Exit(2) from None
    runtime = open_runtime()
    try:
        user = Principal(f"cli:{getpass.getuser()}", "admin")
        on = day or runtime.app.today()
        found = printing.growth_file(runtime, user, f"cli-{uuid.uuid4().hex}", cadre, on, None)
        data = printing.html_to_pdf(growth_print_html(runtime, user, found, on, None))
    except JishiError as error:
        raise fail(error) from None
    finally:
        runtime.close()
    target = out or Path(f"成长纪实-{cadre}.pdf")
    target.write_bytes(data)
    typer.echo(str(target))
