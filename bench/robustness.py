"""docs/robustness.md: each run writes its own section between markers, replacing the earlier one."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from jishi.settings import Settings

INTRO = """# Robustness

Jishi promises that bad input gets a clear 4xx, that nothing acknowledged is lost or stored twice,
and that the read models and the ledger always agree with the event store (issue 16). This file
records the runs that test those promises against a real `jishi serve`; each section says how to
run it again.
"""


def machine() -> str:
    """One line: cores, CPU, memory, Python, load, date (UTC)."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            memory = int(fh.readline().split()[1]) // (1024 * 1024)
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {memory} GB memory, Python {platform.python_version()}, "
            f"load average {load:.1f} at the end; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def kinds(counted: dict[str, int]) -> str:
    """``2 × KeyError; 1 × ValueError`` (most first), or ``0``."""
    return "; ".join(f"{n} × {k}" for k, n in sorted(counted.items(), key=lambda x: -x[1])) or "0"


def problems(violations: list[str], server_errors: list[str]) -> list[str]:
    """The report's lists of violations and 5xx answers (the first 20 of each), if there are any."""
    lines: list[str] = []
    if violations:
        lines += ["", "Violations (first 20):", "", *[f"* {v}" for v in violations[:20]]]
    if server_errors:
        lines += ["", "5xx answers (first 20):", "", *[f"* {v}" for v in server_errors[:20]]]
    return lines


def write_section(out: Path, key: str, markdown: str) -> None:
    """Put ``markdown`` between ``<!-- key -->`` and ``<!-- /key -->`` in ``out`` (appended if new)."""
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    block = f"{start}\n{markdown.rstrip()}\n{end}\n"
    text = out.read_text(encoding="utf-8") if out.exists() else INTRO
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + block + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    out.write_text(text, encoding="utf-8")


@contextmanager
def store(backend: str, keep: Path | None = None) -> Iterator[tuple[Settings, Path]]:
    """A fresh store (a data directory; on postgres also a throwaway PostgreSQL server and database)
    and a directory for logs. ``keep``: use this directory and leave it afterwards."""
    root = keep or Path(tempfile.mkdtemp(prefix="jishi-robustness-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        if backend == "postgres":
            from tests.pgserver import PostgresServer

            server = PostgresServer().start()
            try:
                yield Settings(data_dir=root / "store", database_url=server.url(server.create_database())), root
            finally:
                server.stop()
        else:
            yield Settings(data_dir=root / "store"), root
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False,
                              cwd=Path(__file__).parent)
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"
