"""`python -m bench.xlsx_import [--rows 10000] [--backend sqlite|postgres]`: the Excel 台账 import (issue 20).

A county's files as offices keep them: half the rows a 干部基本信息 sheet (one cadre each), half a 培训
sheet (one training of each). Measured in one run, each in a fresh store of the same backend:

* **import** — ``read_file`` + ``run_import`` of both files, as ``jishi import xlsx`` runs them: the
  workbook read, each row parsed and keyed, every command through ``Jishi.handle`` (jurisdiction,
  idempotency, handler, every guard), saved 500 rows a transaction, the import recorded;
* **baseline** — the same commands (parsed beforehand, not timed) through the application's bulk batch
  ``app.batch()`` without keys: the write path alone, as the demo generator uses it;
* **dry run** and **re-run** (the same files again: nothing stored, every row replayed by its key).

Nothing here asserts a timing; the target (10,000 rows in under a minute) is stated beside the figure.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from rich.console import Console

from domain.identity import make_id_number
from domain.recorded import Provenance
from jishi.bootstrap import build_application
from jishi.settings import Settings
from service.application import Jishi
from service.commands import Command, EstablishPost, RegisterUnit
from service.imports import KINDS, ImportReport, import_file, read_file, run_import

BY = Provenance("bench-hr", "hr", "bench")
TARGET_SECONDS = 60.0


def workbook(kind: str, rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = KINDS[kind].title
    sheet.append([c.header for c in KINDS[kind].columns])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def county_files(cadres: int) -> list[tuple[str, bytes]]:
    """(file name, bytes): a 干部基本信息 sheet of ``cadres`` cadres and a 培训 sheet of one training each."""
    people, training = [], []
    for n in range(cadres):
        born = date(1970, 1, 1) + timedelta(days=n)
        region = ("110105", "110108", "110102", "320102")[n // 20_000]
        people.append([f"B{n:06d}", "张伟", "男", born.strftime("%Y.%m"), "汉族", make_id_number(region, born, "001"),
                       "中共党员", "大学本科毕业", "是", "河北保定", "2008年7月1日", "考试录用", "四级主任科员"])
        training.append([f"B{n:06d}", "在职培训", "习近平新时代中国特色社会主义思想专题", "县委党校", "2023.3.1",
                         date(2023, 3, 20) + timedelta(days=n % 200), 16, "是"])
    return [("干部基本信息.xlsx", workbook("registration", people)), ("培训.xlsx", workbook("training", training))]


def fresh(root: Path, name: str, backend: str) -> Jishi:
    if backend == "postgres":
        from tests.pgserver import PostgresServer

        server = PostgresServer().start()
        settings = Settings(data_dir=root / name, database_url=server.url(server.create_database()))
    else:
        settings = Settings(data_dir=root / name)
    app = build_application(settings)
    app.handle(RegisterUnit({"code": "U1", "name": "县委组织部", "kind": "党委部门"}), BY)
    app.handle(EstablishPost("U1", {"post_code": "P1", "title": "副部长", "grade": "142", "leadership": True,
                                    "establishment": 1, "probation": True, "effective_on": "2010-01-01"}), BY)
    return app


def imported(app: Jishi, files: list[tuple[str, bytes]], *, dry_run: bool = False) -> tuple[float, list[ImportReport]]:
    started, reports = time.perf_counter(), []
    for name, data in files:
        rows = read_file(name, data)
        reports.append(run_import(app, rows, import_file(name, data, rows.kind), BY, dry_run=dry_run))
    return time.perf_counter() - started, reports


def baseline(app: Jishi, commands: list[Command]) -> float:
    started = time.perf_counter()
    with app.batch() as batch:
        for command in commands:
            app.handle(command, BY, batch=batch)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.xlsx_import", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows in all (half registrations, half training)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)
    console = Console()
    files = county_files(args.rows // 2)
    commands = [replace(row.command, idempotency_key=None) for name, data in files
                for row in read_file(name, data).rows if row.command is not None]
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        console.print(f"{args.rows:,} rows on {args.backend} …")
        base = baseline(fresh(root, "baseline", args.backend), commands)
        app = fresh(root, "import", args.backend)
        dry, dry_reports = imported(app, files, dry_run=True)
        real, reports = imported(app, files)
        again, rerun_reports = imported(app, files)
    rows = sum(r.rows for r in reports)
    stored, refused = sum(r.stored for r in reports), sum(r.refused for r in reports)
    already = sum(r.already_stored for r in rerun_reports)
    would = sum(r.stored for r in dry_reports)  # the 培训 file's dry run knows none of the cadres yet
    verdict = "**met**" if real < TARGET_SECONDS else "**not met**"
    print(f"| measure ({args.backend}, {rows:,} rows) | figure | target |\n|---|---|---|\n"
          f"| import (read .xlsx, every row through Jishi.handle, stored) | {real:.1f} s ({rows / real:,.0f} rows/s), "
          f"stored {stored:,}, refused {refused} | < {TARGET_SECONDS:.0f} s: {verdict} |\n"
          f"| baseline: the same commands through app.batch() | {base:.1f} s "
          f"({len(commands) / base:,.0f} rows/s) | — |\n"
          f"| ratio baseline / import | {base / real:.0%} | — |\n"
          f"| dry run of both files first (nothing stored; would store {would:,}) | {dry:.1f} s | — |\n"
          f"| re-run of the same files | {again:.1f} s, stored 0, already stored {already:,} | — |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
