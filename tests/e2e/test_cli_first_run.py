"""The first run (issue 19): one store by default, made only by `jishi init`, `jishi demo` or `jishi serve`;
every other command on a directory without one exits 2, names it and writes nothing — not even a key."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.cli.serving import browse_url
from jishi.bootstrap import build_application
from jishi.settings import Settings
from ledger import verify
from ledger.keys import KEY_FILE_NAME, load_signing_key, public_key_hex, public_key_pem
from tests.pgserver import PostgresServer

runner = CliRunner()

READ_ONLY = (["user", "list"], ["ledger", "head"], ["ledger", "verify"], ["ledger", "prove", "consistency", "--first",
             "1"], ["config", "show"], ["calendar", "list"], ["catch-up"], ["rebuild"], ["findings-refresh"],
             ["assessment", "round", "U1", "2023"])
WRITING = (["user", "add", "li", "--role", "hr"], ["user", "token", "li"], ["ledger", "sync"])


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory with no JISHI_* settings: the defaults apply (./jishi-data)."""
    monkeypatch.chdir(tmp_path)
    for name in ("JISHI_DATA_DIR", "JISHI_DATABASE_URL", "JISHI_LEDGER_KEY", "JISHI_CIPHER_KEY", "JISHI_RULES",
                 "JISHI_LEDGER_HEAD_EVERY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("command", READ_ONLY + WRITING, ids=" ".join)
def test_a_command_on_a_directory_without_a_store_exits_2_naming_it_and_creates_nothing(
        here: Path, command: list[str]) -> None:
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert str(here / "jishi-data") in result.stderr
    assert "jishi init" in result.stderr and "jishi demo" in result.stderr
    assert files_under(here) == []  # no directory, no database file, no key


def test_an_existing_empty_directory_given_by_jishi_data_dir_stays_empty(
        here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = here / "store"
    data_dir.mkdir()
    monkeypatch.setenv("JISHI_DATA_DIR", str(data_dir))
    for command in READ_ONLY:
        result = runner.invoke(cli, command)
        assert result.exit_code == 2 and str(data_dir) in result.stderr, (command, result.output)
    assert files_under(here) == ["store"]


def test_a_command_on_a_store_without_its_ledger_key_does_not_write_one_and_init_adds_it(here: Path) -> None:
    data_dir = here / "jishi-data"
    build_application(Settings(data_dir=data_dir)).close()  # a store made without a key (e.g. by an old jishi)
    for command in (["ledger", "head"], ["ledger", "sync"], ["catch-up"], ["calendar", "list"]):
        refused = runner.invoke(cli, command)
        assert refused.exit_code == 2 and "jishi init" in refused.stderr, (command, refused.output)
    assert not (data_dir / KEY_FILE_NAME).exists()
    assert runner.invoke(cli, ["user", "list"]).exit_code == 0  # no key needed, none written
    assert not (data_dir / KEY_FILE_NAME).exists()
    made = runner.invoke(cli, ["init"])
    assert made.exit_code == 0, made.output
    assert "已存在" in made.stdout and (data_dir / KEY_FILE_NAME).exists()
    assert runner.invoke(cli, ["ledger", "head", "--sign"]).exit_code == 0


def test_init_creates_the_store_and_key_and_running_it_again_changes_nothing(here: Path) -> None:
    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0, first.output
    data_dir = here / "jishi-data"
    key = public_key_hex(load_signing_key(data_dir, create=False))
    assert str(data_dir) in first.stdout and "已新建 (created)" in first.stdout and key in first.stdout
    added = runner.invoke(cli, ["user", "add", "li", "--role", "hr"])
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["init"])
    assert again.exit_code == 0, again.output
    assert "already there, left as it is" in again.stdout and key in again.stdout
    assert public_key_hex(load_signing_key(data_dir, create=False)) == key
    assert "│ li " in runner.invoke(cli, ["user", "list"]).stdout  # the store was kept, not made anew


def test_an_unknown_demo_size_exits_2_listing_the_sizes_and_creates_nothing(here: Path) -> None:
    for size in ("huge", "0", "-5"):
        result = runner.invoke(cli, ["demo", "--size", size, "--no-serve"])
        assert result.exit_code == 2, result.output
        assert f"'{size}'" in result.stderr
        assert all(name in result.stderr for name in ("tiny", "XS", "S (1,000)", "M", "L (100,000)"))
    assert files_under(here) == []


def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record what would be served instead of serving it."""
    import uvicorn

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: served.append(options))
    return served


def test_after_the_demo_the_other_commands_use_its_store_and_its_ledger_key(
        here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = fake_uvicorn(monkeypatch)
    demo = runner.invoke(cli, ["demo", "--size", "tiny", "--port", "8123"])
    assert demo.exit_code == 0, demo.output
    from api.limits import HeaderTimeoutProtocol

    assert served == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning", "http": HeaderTimeoutProtocol}]
    assert "http://127.0.0.1:8123/" in demo.stdout and "Ctrl+C" in demo.stdout
    data_dir = here / "jishi-data"
    assert json.loads((data_dir / "demo.json").read_text("utf-8"))["complete"] is True
    demo_key = load_signing_key(data_dir, create=False)

    listed = runner.invoke(cli, ["user", "list"])
    assert listed.exit_code == 0, listed.output
    for name in ("hr-demo", "auditor-demo", "oversight-demo", "admin-demo"):
        assert f"│ {name} " in listed.stdout

    head_file, key_file = here / "head.json", here / "demo-key.pem"
    head = runner.invoke(cli, ["ledger", "head", "--sign", "--out", str(head_file)])
    assert head.exit_code == 0, head.output
    assert public_key_hex(demo_key) in head.stderr
    key_file.write_bytes(public_key_pem(demo_key))
    assert verify.main(["head", str(head_file), str(key_file)]) == 0  # signed with the demo's key
    assert files_under(here) == sorted(["demo-key.pem", "head.json", "jishi-data",
                                        *(f"jishi-data/{n}" for n in files_under(data_dir))])
    assert len(list(here.rglob(KEY_FILE_NAME))) == 1  # one store, one key


def test_a_demo_into_a_directory_holding_other_data_is_refused_and_changes_nothing(here: Path) -> None:
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert runner.invoke(cli, ["user", "add", "li", "--role", "hr"]).exit_code == 0
    before = {p.name: p.stat().st_size for p in (here / "jishi-data").iterdir()}
    for options in ([], ["--fresh"]):
        refused = runner.invoke(cli, ["demo", "--size", "tiny", "--no-serve", *options])
        assert refused.exit_code == 2, refused.output
        assert str(here / "jishi-data") in refused.stderr and "not a demo" in refused.stderr
    assert {p.name: p.stat().st_size for p in (here / "jishi-data").iterdir()} == before
    assert "│ li " in runner.invoke(cli, ["user", "list"]).stdout


def failing_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator stops with an error a quarter of the way through (events already stored)."""
    import demo.run
    from demo.generator import generate

    def generate_until_a_quarter(app: Any, size: Any, *, progress: Callable[[float], None], **options: Any) -> Any:
        def step(done: float) -> None:
            progress(done)
            if done > 0.25:
                raise RuntimeError("disk full (simulated)")

        return generate(app, size, progress=step, **options)

    monkeypatch.setattr(demo.run, "generate", generate_until_a_quarter)


def test_a_demo_that_fails_while_generating_in_a_new_directory_leaves_nothing_behind(
        here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing_generation(monkeypatch)
    failed = runner.invoke(cli, ["demo", "--size", "tiny", "--no-serve"])
    assert failed.exit_code != 0 and isinstance(failed.exception, RuntimeError)
    assert files_under(here) == []  # a re-run starts from nothing; no store for other commands to find
    assert runner.invoke(cli, ["user", "list"]).exit_code == 2


def test_a_demo_interrupted_in_an_initialised_store_is_not_taken_for_a_finished_one(
        here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(cli, ["init"]).exit_code == 0
    with monkeypatch.context() as patch:
        failing_generation(patch)
        failed = runner.invoke(cli, ["demo", "--size", "tiny", "--no-serve"])
    assert failed.exit_code != 0 and "jishi demo --fresh" in failed.stdout
    assert json.loads((here / "jishi-data" / "demo.json").read_text("utf-8"))["complete"] is False
    again = runner.invoke(cli, ["demo", "--size", "tiny", "--no-serve"])
    assert again.exit_code == 2 and "did not finish" in again.stderr and "--fresh" in again.stderr
    fresh = runner.invoke(cli, ["demo", "--size", "tiny", "--no-serve", "--fresh"])
    assert fresh.exit_code == 0, fresh.output
    assert "│ hr-demo " in runner.invoke(cli, ["user", "list"]).stdout


def test_with_a_database_url_set_the_demo_says_it_keeps_to_sqlite_in_the_data_directory(
        here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JISHI_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # never connected to
    result = runner.invoke(cli, ["demo", "--size", "nonsense"])  # refused before anything is made
    assert "JISHI_DATABASE_URL" in result.stderr and "SQLite" in result.stderr
    assert str(here / "jishi-data") in result.stderr
    assert result.exit_code == 2 and files_under(here) == []


def test_serve_makes_a_missing_store_and_says_where_to_open_and_how_to_stop(
        here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = fake_uvicorn(monkeypatch)
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert served and served[0]["port"] == 8124
    assert "http://127.0.0.1:8124/" in result.stderr and "Ctrl+C" in result.stderr
    assert (here / "jishi-data" / "events.sqlite").is_file() and (here / "jishi-data" / KEY_FILE_NAME).is_file()
    assert browse_url("::", 80) == "http://[::1]:80" and browse_url("10.0.0.5", 80) == "http://10.0.0.5:80"


@pytest.mark.pg
def test_a_command_on_a_postgresql_database_without_jishi_tables_exits_2_and_creates_none(
        here: Path, monkeypatch: pytest.MonkeyPatch, pg_server: PostgresServer) -> None:
    from sqlalchemy import create_engine, inspect

    url = pg_server.url(pg_server.create_database())
    monkeypatch.setenv("JISHI_DATABASE_URL", url)
    refused = runner.invoke(cli, ["user", "list"])
    assert refused.exit_code == 2 and "PostgreSQL" in refused.stderr and "jishi init" in refused.stderr
    engine = create_engine(Settings(data_dir=here, database_url=url).sqlalchemy_url())
    try:
        assert inspect(engine).get_table_names() == []
        assert runner.invoke(cli, ["init"]).exit_code == 0
        assert runner.invoke(cli, ["user", "list"]).exit_code == 0
        assert "jishi_events" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
