"""Backup and restore of a whole store (备份与恢复), while the server runs.

A backup is one tar file, created 0600, holding:

* ``manifest.json`` — format, backend, when, the event position and ledger size it holds, and the
  SHA-256 of every other member;
* on SQLite, a consistent copy of ``read.sqlite`` (read models and ledger) taken with SQLite's online
  backup API and *then* one of ``events.sqlite``: the read side never runs ahead of the events it
  was built from, so a restore only has to catch up;
* on PostgreSQL, ``store.pgdump`` (``pg_dump --format=custom``) taken in a snapshot exported by a
  transaction of our own, in which the position and ledger size of the manifest are read: the
  manifest states exactly what the dump holds;
* the other files of the data directory (the ledger's signing key, the cipher key ``cipher.key`` —
  so the backup is as secret as the store —, ``rules.toml``), as they are.

A restore goes only into a place that holds no store, checks every member against the manifest before
writing anything, then catches the read models and the ledger up. ``jishi ledger verify --head SAVED``
afterwards proves that the restored store holds every record that head covers.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.rules.config import RULES_FILE
from jishi.cipher import CIPHER_KEY_FILE
from jishi.settings import Settings
from jishi.store import EVENTS_FILE, READ_FILE, store_exists, where
from ledger.keys import KEY_FILE_NAME

__all__ = ["FORMAT", "BackupError", "BackupInfo", "RestoreInfo", "backup", "read_manifest", "restore"]

FORMAT = "jishi-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "store.pgdump"
DATABASE_FILES = (READ_FILE, EVENTS_FILE)  # in this order: the read side is copied first
# the cipher key with the data it opens: without it a restored store cannot be read (a key given as
# JISHI_CIPHER_KEY is not in the backup, and must be given again)
PLAIN_FILES = (KEY_FILE_NAME, CIPHER_KEY_FILE, RULES_FILE)


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    backend: str
    created_at: str
    event_position: int  # the last stored record the backup holds
    ledger_size: int  # leaves the ledger in the backup had appended
    files: dict[str, str]  # member -> sha256


@dataclass(frozen=True)
class RestoreInfo:
    where: str
    event_position: int
    caught_up_to: int
    ledger_size: int


def backup(settings: Settings, out: Path, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> BackupInfo:
    """Write a backup of the store of ``settings`` to ``out`` (replaced atomically; 0600)."""
    if not store_exists(settings):
        raise BackupError(f"{where(settings)} 中没有纪实数据库 (no Jishi store to back up in {where(settings)})")
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".jishi-backup-", dir=out.parent) as tmp:
        staging = Path(tmp)
        if settings.database_url is None:
            position, ledger_size = _copy_sqlite(settings.data_dir, staging)
        else:
            position, ledger_size = _dump_postgres(settings.database_url, staging / PG_DUMP)
        _copy_plain_files(settings.data_dir, staging)
        files = {p.name: _sha256(p) for p in sorted(staging.iterdir())}
        manifest = {"format": FORMAT, "backend": settings.backend, "created_at": clock().isoformat(),
                    "event_position": position, "ledger_size": ledger_size, "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = staging / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(staging / MANIFEST, arcname=MANIFEST)
            for name in files:
                tar.add(staging / name, arcname=name)
        partial.chmod(0o600)
        os.replace(partial, out)
    return BackupInfo(out, settings.backend, str(manifest["created_at"]), position, ledger_size, files)


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of a backup, checked for form (not yet against the members)."""
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} 不是纪实备份 (is not a Jishi backup): {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
            manifest.get("files"), dict):
        raise BackupError(f"{archive} 不是本版本的纪实备份 (is not a {FORMAT} backup)")
    for name in manifest["files"]:
        if not isinstance(name, str) or name != Path(name).name or name in ("", ".", "..", MANIFEST):
            raise BackupError(f"备份清单中的文件名不合法 (unsafe member name in the manifest): {name!r}")
    return manifest


def restore(settings: Settings, archive: Path,
            catch_up: Callable[[Any], int] | None = None) -> RestoreInfo:
    """Restore ``archive`` into the place of ``settings``, which must hold no store; then catch the read
    models and the ledger up (``catch_up(runner)`` may show progress; default: quietly)."""
    manifest = read_manifest(archive)
    if manifest.get("backend") != settings.backend:
        raise BackupError(f"备份来自 {manifest.get('backend')}，不能恢复到 {settings.backend} "
                          f"(a {manifest.get('backend')} backup cannot be restored into {settings.backend})")
    if store_exists(settings):
        raise BackupError(f"{where(settings)} 已有纪实数据库，恢复只写入空位置 "
                          f"(a store is already there: restore only into an empty place)")
    plain = [name for name in manifest["files"] if name not in (*DATABASE_FILES, PG_DUMP)]
    clashes = [name for name in plain if (settings.data_dir / name).exists()]
    if clashes:
        raise BackupError(f"{settings.data_dir} 中已有 {', '.join(clashes)}，不覆盖 (already there; not overwritten)")
    with _members_checked(archive, manifest) as staged:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        settings.data_dir.chmod(0o700)
        if settings.database_url is not None:
            _pg_restore(settings.database_url, staged / PG_DUMP)
        names = [*plain, *(n for n in DATABASE_FILES if n in manifest["files"] and settings.database_url is None)]
        for name in names:  # the events file last: until it is there, the place still holds no store
            target = settings.data_dir / name
            shutil.move(staged / name, target)
            target.chmod(0o600)
    return _catch_up(settings, int(manifest["event_position"]), catch_up)


def _catch_up(settings: Settings, position: int, catch_up: Callable[[Any], int] | None) -> RestoreInfo:
    from jishi.bootstrap import build_runtime

    runtime = build_runtime(settings, create_key=False)
    try:
        reached = catch_up(runtime.runner) if catch_up is not None else runtime.runner.catch_up()
        runtime.ledger.sync(runtime.app.recorder)
        return RestoreInfo(where(settings), position, reached, runtime.ledger.size)
    finally:
        runtime.close()


@contextmanager
def _members_checked(archive: Path, manifest: dict[str, Any]) -> Iterator[Path]:
    """The members, extracted into a private directory and each checked against the manifest's hash."""
    with tempfile.TemporaryDirectory(prefix=".jishi-restore-") as tmp:
        staged = Path(tmp)
        try:
            with tarfile.open(archive, "r") as tar:
                for name, digest in manifest["files"].items():
                    source = tar.extractfile(name)
                    if source is None:
                        raise BackupError(f"备份缺少 {name} (the backup lacks {name})")
                    with (staged / name).open("wb") as sink:
                        shutil.copyfileobj(source, sink, 1 << 20)
                    if _sha256(staged / name) != digest:
                        raise BackupError(f"{name} 与备份清单不符，备份已损坏或被改动 "
                                          f"(does not match the manifest: the backup is damaged or altered)")
        except (OSError, tarfile.TarError, KeyError) as error:
            raise BackupError(f"无法读取备份 (cannot read the backup) {archive}: {error}") from None
        yield staged


def _copy_sqlite(data_dir: Path, staging: Path) -> tuple[int, int]:
    """Online copies, read models first; the position and ledger size are read from the copies."""
    for name in DATABASE_FILES:
        source = data_dir / name
        if not source.is_file():
            continue
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(staging / name)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    events = sqlite3.connect(staging / EVENTS_FILE)
    try:
        position = int(events.execute("SELECT coalesce(max(rowid), 0) FROM stored_events").fetchone()[0])
    finally:
        events.close()
    ledger_size = 0
    if (staging / READ_FILE).is_file():
        read = sqlite3.connect(staging / READ_FILE)
        try:
            if read.execute("SELECT 1 FROM sqlite_master WHERE name = 'ledger_state'").fetchone():
                row = read.execute("SELECT size FROM ledger_state WHERE id = 1").fetchone()
                ledger_size = int(row[0]) if row else 0
        finally:
            read.close()
    return position, ledger_size




def _libpq_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def _dump_postgres(database_url: str, target: Path) -> tuple[int, int]:
    """``pg_dump`` inside a snapshot we export, so the position read here is exactly the dump's."""
    import psycopg

    from jishi.store import EVENTS_TABLE

    tool = _tool("pg_dump")
    with psycopg.connect(_libpq_url(database_url), autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
        row = conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}").fetchone()
        position = int(row[0]) if row else 0
        try:
            with conn.transaction():
                ledger_row = conn.execute("SELECT size FROM ledger_state WHERE id = 1").fetchone()
        except psycopg.Error:
            ledger_row = None
        ledger_size = int(ledger_row[0]) if ledger_row else 0
        _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot[0] if snapshot else ''}",
              f"--file={target}", f"--dbname={_libpq_url(database_url)}"])
        conn.rollback()
    return position, ledger_size


def _pg_restore(database_url: str, dump: Path) -> None:
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={_libpq_url(database_url)}", str(dump)])


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端 (install the PostgreSQL client tools)")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败 (failed): {done.stderr.strip()[-2000:]}")


def _copy_plain_files(data_dir: Path, staging: Path) -> None:
    """The ledger's signing key and the rule settings, where the data directory has them. A list, not
    "every file": a backup written into the data directory must not end up in the next one."""
    for name in PLAIN_FILES:
        path = data_dir / name
        if path.is_file():
            shutil.copy2(path, staging / name)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
