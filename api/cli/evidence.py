"""`jishi evidence cadre ID --as-of D [--known-at T] --out FILE.zip`: the offline evidence bundle (证据包).

The same zip as ``GET /api/v1/cadres/{id}/evidence`` (``api/evidence.py``), built by the operator on the
server (whole tree, unmasked); the read is recorded like a growth-file read (查阅留痕), as ``cli:<login>``.
Exit status: 0 written, 2 unusable input, 4 no such cadre (the record's refusals keep their codes).
"""

from __future__ import annotations

import getpass
import os
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from api.cli.store import fail, open_runtime
from domain.errors import JishiError
from domain.recorded import Provenance

evidence_app = typer.Typer(help="证据包 Offline evidence bundles for auditors.", no_args_is_help=True)
EXIT_INPUT = 2


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"错误 (error): --as-of 须为日期 YYYY-MM-DD (must be a date YYYY-MM-DD): {value}", err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        typer.echo(f"错误 (error): --known-at 须为 ISO 8601 时刻 (must be an ISO 8601 instant): {value}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@evidence_app.command("cadre")
def cadre(
    cadre_id: Annotated[str, typer.Argument(help="干部 id (UUID)")],
    as_of: Annotated[str, typer.Option("--as-of", help="the day of the growth file, YYYY-MM-DD")],
    out: Annotated[Path, typer.Option("--out", help="the zip to write")],
    known_at: Annotated[str | None, typer.Option(
        "--known-at", help="as the record stood at this instant (ISO 8601, naive = UTC); default now")] = None,
) -> None:
    """Write the cadre's evidence bundle: stored records proven against one signed head, the growth file
    (JSON and printable page) and the verifier — check it with `python verifier.py bundle .` unzipped."""
    try:
        stream = uuid.UUID(cadre_id)
    except ValueError:
        typer.echo(f"错误 (error): 干部 id 须为 UUID (the cadre id must be a UUID): {cadre_id}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    day, instant = _day(as_of), _instant(known_at) if known_at else None
    # imported here: api.evidence brings the pages (FastAPI, templates) no other command needs
    from api.evidence import build_bundle
    from service.users import record_read

    runtime = open_runtime()
    try:
        bundle = build_bundle(runtime, stream, day, instant, encrypted=bool(runtime.settings.cipher_key))
        record_read(runtime.app, stream, Provenance(f"cli:{getpass.getuser()}", "admin",
                                                    f"cli-{uuid.uuid4().hex}", scopes=None))
    except JishiError as error:
        raise fail(error) from None
    finally:
        runtime.close()
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    temporary.write_bytes(bundle.content)
    temporary.replace(out)
    typer.echo(f"已写出证据包 (bundle written): {out} — {bundle.records} 条记录 (records), 树头大小 (head size) "
               f"{bundle.head_size}, 所示时刻 (known at) {bundle.known_at.isoformat()}")
    typer.echo("核验 (verify): unzip it, then `python verifier.py bundle . --public-key KEY`", err=True)
