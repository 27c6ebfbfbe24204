"""Encryption at rest (issue 21): no 公民身份号码, conversation summary, complaint text or sanction reason
of a cadre is readable in any file of the data directory (WAL included) nor, on PostgreSQL, in any
table; the data directory is private; search by ID number still finds the cadre."""

from __future__ import annotations

import dataclasses
import json
import stat
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import create_engine, inspect, text

from domain.ids import id_number_claim_id
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from service.commands import CorrectEntry, RetractEntry
from tests import factories as f

SUMMARY = "谈话提醒，本人表示接受"  # tests/factories.every_entry records these three
COMPLAINT = "反映其违规收受礼品"
SANCTION_REASON = "违反工作纪律"
CORRECTION_REASON = "更正处分原因：违反群众纪律"


def secrets_of(cadre_no: str) -> dict[str, str]:
    number = f.id_number_of(cadre_no, date(1985, 6, 15))
    return {"id_number": number, "summary": SUMMARY, "complaint": COMPLAINT, "sanction reason": SANCTION_REASON,
            "correction": CORRECTION_REASON,
            # the unkeyed hash of the number an ID claim's stream was named by: a search of the numbers a
            # birth date allows finds it again
            "unkeyed claim id": id_number_claim_id(number).hex}


def seed(runtime: Runtime) -> str:
    """A cadre with every kind of entry, one of them corrected; the read models and ledger caught up."""
    app = runtime.app
    f.organisation(app)
    cid = f.registered(app, "C1")
    done = dict(f.every_entry(app, cid))
    runtime.execute(CorrectEntry(cid, done["Sanctioned"].entry_id, {
        "changes": {"reason": "违反群众纪律"}, "reason": CORRECTION_REASON}), f.HR)
    runtime.catch_up()
    runtime.ledger.sync(runtime.app.recorder)
    return str(cid)


def forms(value: str) -> list[bytes]:
    """The ways a value can sit in a file: UTF-8, JSON with non-ASCII escaped; a uuid also as SQLite's
    event store writes it (hex) and PostgreSQL's uuid column reads (with dashes)."""
    found = [value.encode(), json.dumps(value).strip('"').encode()]
    if len(value) == 32 and all(c in "0123456789abcdef" for c in value):
        found.append(str(UUID(value)).encode())
    return found


def found_in_files(data_dir: Path, secrets: dict[str, str]) -> list[tuple[str, str]]:
    hits = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        content = path.read_bytes()
        hits += [(path.name, what) for what, value in secrets.items() if any(b in content for b in forms(value))]
    return hits


def found_in_tables(url: str, secrets: dict[str, str]) -> list[tuple[str, str]]:
    """Every row of every table of the database, read without a key, as text and bytes."""
    engine = create_engine(url)
    hits = []
    try:
        with engine.connect() as conn:
            for table in inspect(engine).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    content = b"\n".join(v if isinstance(v, bytes | memoryview) else str(v).encode() for v in row)
                    hits += [(table, what) for what, value in secrets.items()
                             if any(b in bytes(content) for b in forms(value))]
    finally:
        engine.dispose()
    return sorted(set(hits))


def test_no_id_number_summary_complaint_or_sanction_reason_is_in_clear_in_any_file_or_table(
        settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        cid = seed(runtime)
        secrets = secrets_of("C1")
        assert found_in_files(settings.data_dir, secrets) == []  # while open: the WAL files hold the writes
        if settings.database_url:
            url = settings.sqlalchemy_url()
            assert found_in_tables(url, secrets) == []
        growth = runtime.read_models.growth_file(cid, date(2024, 1, 1), None)
        shown = json.dumps(growth, ensure_ascii=False, default=str)
        assert secrets["id_number"] in shown and SUMMARY in shown and COMPLAINT in shown  # opened to read
        assert "违反群众纪律" in shown
    finally:
        runtime.close()
    assert found_in_files(settings.data_dir, secrets) == []  # after the WAL is checkpointed into the files


def test_the_same_check_finds_every_value_in_a_store_made_without_encryption(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "plain", cipher="none")
    runtime = build_runtime(settings)
    try:
        seed(runtime)
        files = {what for _, what in found_in_files(settings.data_dir, secrets_of("C1"))}
    finally:
        runtime.close()
    assert files == set(secrets_of("C1"))
    assert not (settings.data_dir / "cipher.key").exists()


def test_search_by_a_whole_id_number_finds_the_cadre_through_its_keyed_hash(runtime: Runtime) -> None:
    f.organisation(runtime.app)
    cid = f.registered(runtime.app, "C1")
    f.registered(runtime.app, "C2")
    runtime.catch_up()
    number = f.id_number_of("C1", date(1985, 6, 15))
    found = runtime.read_models.search(q=number, as_of=date(2024, 1, 1))
    assert [p["cadre_id"] for p in found["items"]] == [str(cid)]
    assert runtime.read_models.search(q=number.lower(), as_of=date(2024, 1, 1))["items"] == found["items"]
    unknown = f.id_number_of("C9", date(1985, 6, 15))  # well formed, nobody's
    assert runtime.read_models.search(q=unknown, as_of=date(2024, 1, 1))["items"] == []
    with runtime.read_models.engine.connect() as conn:
        stored = conn.execute(text("SELECT id_key FROM rm_span WHERE kind = 'profile'")).scalars().all()
    assert number not in stored and all(len(k) == 64 for k in stored)


def test_the_data_directory_is_private_and_every_store_file_and_key_is_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    runtime = build_runtime(settings)
    try:
        f.organisation(runtime.app)
        runtime.catch_up()
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in settings.data_dir.iterdir()}
    finally:
        runtime.close()
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
    assert {"events.sqlite", "events.sqlite-wal", "read.sqlite", "read.sqlite-wal", "cipher.key",
            "ledger-ed25519.pem"} <= set(modes)
    assert {name: mode for name, mode in modes.items() if mode != 0o600} == {}


def test_files_an_older_version_left_readable_by_others_are_narrowed_when_the_store_is_opened(
        tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    build_runtime(settings).close()
    settings.data_dir.chmod(0o755)
    (settings.data_dir / "events.sqlite").chmod(0o644)
    build_runtime(settings).close()
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((settings.data_dir / "events.sqlite").stat().st_mode) == 0o600


@pytest.mark.parametrize("cipher", ["aes", "sm4"])
def test_a_store_encrypted_with_either_cipher_reads_back_after_a_restart_and_a_rebuild(
        tmp_path: Path, cipher: str) -> None:
    settings = Settings(data_dir=tmp_path / cipher, cipher=cipher)
    runtime = build_runtime(settings)
    try:
        cid = seed(runtime)
        before = runtime.read_models.growth_file(cid, date(2024, 1, 1), None)
    finally:
        runtime.close()
    assert found_in_files(settings.data_dir, secrets_of("C1")) == []
    again = build_runtime(settings)
    try:
        again.runner.rebuild()
        assert again.read_models.growth_file(cid, date(2024, 1, 1), None) == before
    finally:
        again.close()


def test_a_store_whose_key_is_lost_is_refused_and_not_given_a_new_key(tmp_path: Path) -> None:
    from jishi.cipher import CipherKeyMissing

    settings = Settings(data_dir=tmp_path / "data")
    build_runtime(settings).close()
    (settings.data_dir / "cipher.key").unlink()
    with pytest.raises(CipherKeyMissing, match="JISHI_CIPHER_KEY"):
        build_runtime(settings)
    assert not (settings.data_dir / "cipher.key").exists()


def test_a_supplied_key_is_used_and_no_key_file_is_written_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    from jishi.cipher import CipherKeyError, new_key

    settings = Settings(data_dir=tmp_path / "data", cipher_key=new_key(Settings(data_dir=tmp_path)))
    runtime = build_runtime(settings)
    try:
        f.organisation(runtime.app)
    finally:
        runtime.close()
    assert not (settings.data_dir / "cipher.key").exists()
    with pytest.raises(CipherKeyError, match="16 字节"):
        build_runtime(dataclasses.replace(settings, cipher="sm4"))  # a 32-byte key is not an SM4 key
    with pytest.raises(CipherKeyError, match="base64"):
        build_runtime(dataclasses.replace(settings, cipher_key="not a key!"))


def test_read_models_an_earlier_version_wrote_in_clear_are_rebuilt_sealed_when_first_opened(tmp_path: Path) -> None:
    from jishi.bootstrap import build_application
    from jishi.cipher import new_key
    from projections.checksum import checksum
    from projections.db import make_engine
    from projections.runner import ProjectionRunner

    settings = Settings(data_dir=tmp_path / "data", cipher_key=new_key(Settings(data_dir=tmp_path)))
    app = build_application(settings)
    f.organisation(app)
    cid = f.registered(app, "C1")
    f.every_entry(app, cid)
    old = ProjectionRunner(app, make_engine(settings.sqlalchemy_url(), writer=True))  # no sealer: in clear
    old.catch_up()
    with old.engine.begin() as conn:  # as the version before encryption at rest made them
        conn.exec_driver_sql("DROP INDEX ix_rm_span_id_key")
        conn.exec_driver_sql("ALTER TABLE rm_span DROP COLUMN id_key")
    old.engine.dispose()
    app.close()
    assert {what for _, what in found_in_files(settings.data_dir, secrets_of("C1"))} >= {"id_number", "summary"}

    runtime = build_runtime(settings)
    try:
        opened = checksum(runtime.runner.engine)
        found = runtime.read_models.search(q=secrets_of("C1")["id_number"], as_of=date(2024, 1, 1))["items"]
        assert [p["cadre_id"] for p in found] == [str(cid)]
        runtime.runner.rebuild()
        assert checksum(runtime.runner.engine) == opened
    finally:
        runtime.close()
    assert found_in_files(settings.data_dir, secrets_of("C1")) == []  # the rows in clear gone from the file


def test_init_says_where_the_cipher_key_is_and_a_command_on_a_store_without_its_key_exits_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app as cli

    runner = CliRunner()
    monkeypatch.setenv("JISHI_DATA_DIR", str(tmp_path / "data"))
    for name in ("JISHI_DATABASE_URL", "JISHI_CIPHER_KEY", "JISHI_CIPHER", "JISHI_LEDGER_KEY"):
        monkeypatch.delenv(name, raising=False)
    made = runner.invoke(cli, ["init"])
    assert made.exit_code == 0, made.output
    assert f"{tmp_path / 'data' / 'cipher.key'} — 已新建 (created)" in made.stdout
    again = runner.invoke(cli, ["init"])
    assert "cipher.key — 已存在 (already there)" in again.stdout
    (tmp_path / "data" / "cipher.key").unlink()
    refused = runner.invoke(cli, ["user", "list"])
    assert refused.exit_code == 2 and "JISHI_CIPHER_KEY" in refused.stderr, refused.output
    assert not (tmp_path / "data" / "cipher.key").exists()


def test_an_id_number_claim_made_unkeyed_by_an_earlier_version_still_conflicts_and_is_released(
        tmp_path: Path) -> None:
    from domain.errors import ConflictError
    from jishi.bootstrap import build_application
    from jishi.cipher import new_key
    from service.commands import RegisterCadre

    settings = Settings(data_dir=tmp_path / "data", cipher_key=new_key(Settings(data_dir=tmp_path)))
    earlier = build_application(settings)
    earlier.claim_key = b""  # as the version before keyed claims stored them
    number = f.cadre("C1")["id_number"]
    first = f.registered(earlier, "C1")
    earlier.close()
    app = build_application(settings)
    try:
        assert app.claim_key
        with pytest.raises(ConflictError):
            app.handle(RegisterCadre(f.cadre("C2", id_number=number)), f.HR)
        registration = app.get_cadre(first).standing_entries()[0]
        app.handle(RetractEntry(first, registration.entry_id, {"reason": "重复建档"}), f.HR)  # releases it
        second = f.registered(app, "C2", id_number=number)
        with pytest.raises(ConflictError):  # now held under the keyed claim
            app.handle(RegisterCadre(f.cadre("C3", id_number=number)), f.HR)
        assert second != first
    finally:
        app.close()
