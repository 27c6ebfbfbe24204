"""`jishi backup` / `jishi restore` (备份与恢复): a backup taken while commands keep writing restores to
a store that holds every record the backup states, whose ledger proves a head saved before the backup,
and whose read models equal a rebuild from the restored events."""

from __future__ import annotations

import io
import json
import stat
import tarfile
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from jishi.backup import BackupError, backup, read_manifest, restore
from jishi.bootstrap import build_runtime
from jishi.settings import Settings
from jishi.store import store_exists
from projections.checksum import checksum
from service.commands import RecordEntry
from tests import factories as f
from tests.pgserver import PostgresServer


def elsewhere(settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """An empty place of the same backend to restore into."""
    target = tmp_path / "restored"
    if settings.database_url is None:
        return Settings(data_dir=target)
    server: PostgresServer = request.getfixturevalue("pg_server")
    return replace(settings, data_dir=target, database_url=server.url(server.create_database()))


def seeded(settings: Settings, cadres: int = 6) -> dict[str, object]:
    """A store with appointed cadres and a signed head saved before any backup (what an auditor keeps)."""
    runtime = build_runtime(settings)
    try:
        f.organisation(runtime.app, establishment=999)
        for i in range(cadres):
            cid = f.registered(runtime.app, f"S{i}")
            runtime.execute(RecordEntry(cid, "Appointed", f.appointment("2020-01-01")), f.HR)
        runtime.ledger.sync(runtime.app.recorder)
        head = runtime.ledger.head(sign=True)
        assert head is not None
        return dict(head)
    finally:
        runtime.close()


def test_a_backup_taken_while_commands_write_restores_every_record_and_the_read_models_of_a_rebuild(
        settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    saved_head = seeded(settings)
    runtime = build_runtime(settings)
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def keep_writing() -> None:
        try:
            n = 0
            while not stop.is_set():
                cid = f.registered(runtime.app, f"W{n}")
                result = runtime.execute(RecordEntry(cid, "Appointed", f.appointment("2021-01-01")), f.HR)
                written.append(result.position)
                n += 1
        except BaseException as error:  # reported below: a failing writer must fail the test
            failures.append(error)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 3 and writer.is_alive():
            threading.Event().wait(0.05)
        info = backup(settings, tmp_path / "store.jishi-backup")
        while len(written) < 6 and writer.is_alive():  # writes go on after the backup too
            threading.Event().wait(0.05)
    finally:
        stop.set()
        writer.join()
    assert not failures, failures
    source_position = runtime.app.recorder.max_notification_id() or 0
    source_records = {n.id: n.state for n in runtime.app.recorder.select_notifications(1, source_position + 1)}
    runtime.close()
    assert 0 < info.event_position < source_position  # the backup caught a moment between the writes

    target = elsewhere(settings, tmp_path, request)
    done = restore(target, info.path)
    assert done.event_position == info.event_position

    restored = build_runtime(target, create_key=False)
    try:
        records = restored.app.recorder.select_notifications(1, info.event_position + 10)
        assert [r.id for r in records] == [i for i in sorted(source_records) if i <= info.event_position]
        assert all(r.state == source_records[r.id] for r in records)  # byte for byte as stored
        report = restored.ledger.verify(restored.app.recorder, saved_head)
        assert report.ok, report.lines()
        caught_up = checksum(restored.runner.engine)
        restored.runner.rebuild()
        assert checksum(restored.runner.engine) == caught_up
    finally:
        restored.close()


def test_a_backup_file_and_a_restored_data_directory_are_readable_only_by_their_owner(
        tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    seeded(settings, cadres=1)
    info = backup(settings, tmp_path / "b.tar")
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    target = Settings(data_dir=tmp_path / "restored")
    restore(target, info.path)
    assert stat.S_IMODE(target.data_dir.stat().st_mode) == 0o700
    for name in ("events.sqlite", "read.sqlite", "ledger-ed25519.pem"):
        assert stat.S_IMODE((target.data_dir / name).stat().st_mode) == 0o600, name


def test_restore_refuses_a_place_that_already_holds_a_store_and_changes_nothing(
        settings: Settings, tmp_path: Path) -> None:
    seeded(settings, cadres=1)
    info = backup(settings, tmp_path / "b.tar")
    runtime = build_runtime(settings)
    before = runtime.app.recorder.max_notification_id()
    runtime.close()
    with pytest.raises(BackupError, match="已有纪实数据库"):
        restore(settings, info.path)
    runtime = build_runtime(settings)
    assert runtime.app.recorder.max_notification_id() == before
    runtime.close()


def altered(archive: Path, out: Path, member: str) -> Path:
    """A copy of ``archive`` with one byte of ``member`` flipped (the manifest left as it was)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for info in src.getmembers():
            data = bytearray(src.extractfile(info).read())  # type: ignore[union-attr]
            if info.name == member:
                data[len(data) // 2] ^= 0x01
            dst.addfile(info, io.BytesIO(bytes(data)))
    return out


def test_restore_refuses_a_backup_altered_after_it_was_written_and_writes_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    seeded(settings, cadres=1)
    info = backup(settings, tmp_path / "b.tar")
    bad = altered(info.path, tmp_path / "bad.tar", "events.sqlite")
    target = Settings(data_dir=tmp_path / "restored")
    with pytest.raises(BackupError, match="与备份清单不符"):
        restore(target, bad)
    assert not store_exists(target)
    assert not (target.data_dir / "ledger-ed25519.pem").exists()


def test_a_manifest_naming_a_file_outside_the_data_directory_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    manifest = {"format": "jishi-backup/1", "backend": "sqlite", "event_position": 0, "ledger_size": 0,
                "files": {"../escape": "0" * 64}}
    with tarfile.open(archive, "w") as tar:
        data = json.dumps(manifest).encode()
        member = tarfile.TarInfo("manifest.json")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="unsafe member name"):
        read_manifest(archive)


@pytest.mark.pg
def test_a_sqlite_backup_cannot_be_restored_into_postgresql(tmp_path: Path, pg_server: PostgresServer) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    seeded(settings, cadres=1)
    info = backup(settings, tmp_path / "b.tar")
    target = Settings(data_dir=tmp_path / "pg", database_url=pg_server.url(pg_server.create_database()))
    with pytest.raises(BackupError, match="cannot be restored into postgres"):
        restore(target, info.path)
    assert not store_exists(target)


def test_the_backup_carries_the_cipher_key_so_the_restored_encrypted_store_opens(
        settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from datetime import date

    seeded(settings, cadres=1)
    info = backup(settings, tmp_path / "b.tar")
    assert "cipher.key" in info.files
    target = elsewhere(settings, tmp_path, request)
    restore(target, info.path)
    key = (target.data_dir / "cipher.key")
    assert key.read_bytes() == (settings.data_dir / "cipher.key").read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    restored = build_runtime(target, create_key=False)
    try:
        number = f.id_number_of("S0", date(1985, 6, 15))
        found = restored.read_models.search(q=number, as_of=date(2024, 1, 1))["items"]
        assert [p["cadre_no"] for p in found] == ["S0"]  # the events decrypted, the look-up key the same
        profile = restored.read_models.growth_file(found[0]["cadre_id"], date(2024, 1, 1), None)
        assert number in json.dumps(profile, ensure_ascii=False, default=str)
    finally:
        restored.close()
