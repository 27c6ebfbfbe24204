"""Witnesses from the command line: a witness run from a bare copy of ledger/verify/ (no Jishi), and
`jishi ledger cosign` / `head --witnessed` / `verify --policy` with a quorum met and not met."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

import ledger.verify
from api.cli import app as cli
from jishi.bootstrap import build_application, open_ledger
from jishi.settings import Settings
from ledger import verify
from ledger.merkle import MemoryNodeStore, append_leaves, leaf_hash, root
from ledger.signing import public_key_bytes, sign_tree_head
from ledger.verify.cosignature import verify_cosignature
from ledger.witnessing import http_post
from tests.conftest import point_cli_at
from tests.integration.test_ledger_tamper import some_events
from tests.witnesses import RunningWitness, policy_text, start_witnesses

runner = CliRunner()


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    point_cli_at(settings, monkeypatch, "JISHI_LEDGER_KEY", "JISHI_CIPHER_KEY", "JISHI_LEDGER_HEAD_EVERY",
                 "JISHI_WITNESSES")
    made = runner.invoke(cli, ["init"])
    assert made.exit_code == 0, made.output
    return settings


@pytest.fixture
def witnesses(environment: Settings, tmp_path: Path) -> Iterator[list[RunningWitness]]:
    ledger = open_ledger(environment, create_key=False)
    started = start_witnesses(tmp_path, ledger.public_key)
    ledger.close()
    yield started
    for witness in started:
        witness.stop()


def test_a_witness_runs_from_a_bare_copy_of_the_verifier_and_cosigns_over_http(tmp_path: Path) -> None:
    copy = tmp_path / "auditor"
    shutil.copytree(Path(ledger.verify.__file__).parent, copy / "verify",
                    ignore=shutil.ignore_patterns("__pycache__"))
    log_key, witness_seed = Ed25519PrivateKey.generate(), "2a" * 32
    command = [sys.executable, "-m", "verify", "witness", "serve", "--key", witness_seed, "--name",
               "archive.example/w1", "--log", public_key_bytes(log_key).hex(), "--state", str(tmp_path / "state"),
               "--port", "0"]
    process = subprocess.Popen(command, cwd=copy, stdout=subprocess.PIPE, text=True,
                               env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ""})  # no project on the path
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = banner.split(" on ")[1].split(" ")[0]
        store = MemoryNodeStore()
        store.put_many(append_leaves(store, 0, [leaf_hash(bytes([i])) for i in range(3)]))
        head = sign_tree_head(log_key, 3, root(store, 3), 1_700_000_000_000)
        status, body = http_post(url, {"old": 0, "proof": [], "head": head}, 10)
        witness_key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(witness_seed))
        assert status == 200 and verify_cosignature(body, head, public_key_bytes(witness_key))
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert json.loads((tmp_path / "state" / "witness-state.json").read_text())["logs"]


def test_jishi_cosigns_saves_a_witnessed_head_and_verifies_the_quorum(
        environment: Settings, witnesses: list[RunningWitness], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    policy = tmp_path / "witnesses.txt"
    policy.write_text(policy_text(witnesses, quorum=2), "utf-8")
    monkeypatch.setenv("JISHI_WITNESSES", str(policy))
    app = build_application(environment)
    try:
        some_events(app)
    finally:
        app.close()
    none_yet = runner.invoke(cli, ["ledger", "verify", "--policy", str(policy)])
    assert none_yet.exit_code == 1 and "[witness]" in none_yet.output

    witnesses[2].stop()
    cosigned = runner.invoke(cli, ["ledger", "cosign"])
    assert cosigned.exit_code == 1  # one witness could not be reached: said, and the others still cosigned
    assert cosigned.output.count("已副签 (cosigned)") == 2 and "无法连接 (unreachable)" in cosigned.output

    head_file, key_file = tmp_path / "witnessed.json", tmp_path / "key.pem"
    saved = runner.invoke(cli, ["ledger", "head", "--witnessed", "--out", str(head_file), "--key-out", str(key_file)])
    assert saved.exit_code == 0, saved.output
    assert len(json.loads(head_file.read_text("utf-8"))["cosignatures"]) == 2
    assert verify.main(["cosigned", str(head_file), str(key_file), "--policy", str(policy)]) == 0

    checked = runner.invoke(cli, ["ledger", "verify", "--policy", str(policy)])
    assert checked.exit_code == 0 and "witness quorum met" in checked.output
    assert runner.invoke(cli, ["ledger", "verify", "--head", str(head_file), "--policy", str(policy)]).exit_code == 0

    all_three = tmp_path / "all-three.txt"
    all_three.write_text(policy_text(witnesses, quorum=3), "utf-8")
    short = runner.invoke(cli, ["ledger", "verify", "--head", str(head_file), "--policy", str(all_three)])
    assert short.exit_code == 1 and "[witness]" in short.output and "only 2" in short.output
    strangers = tmp_path / "strangers.txt"
    strangers.write_text(f"witness other.example/w1 {public_key_bytes(Ed25519PrivateKey.generate()).hex()}\n"
                         "quorum 1\n", "utf-8")
    unknown = runner.invoke(cli, ["ledger", "verify", "--head", str(head_file), "--policy", str(strangers)])
    assert unknown.exit_code == 1 and "unknown witness key" in unknown.output
    broken = tmp_path / "broken.txt"
    broken.write_text("quorum many\n", "utf-8")
    assert runner.invoke(cli, ["ledger", "verify", "--policy", str(broken)]).exit_code == 2


def test_serve_refuses_an_unusable_witness_policy_with_the_reason(
        environment: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = tmp_path / "witnesses.txt"
    policy.write_text("witness only-one " + "ab" * 32 + " http://127.0.0.1:1\nquorum 2\n", "utf-8")
    monkeypatch.setenv("JISHI_WITNESSES", str(policy))
    refused = runner.invoke(cli, ["serve", "--port", "1"])
    assert refused.exit_code == 2 and "quorum 2 must be between 1 and the number of witnesses (1)" in refused.stderr


def test_jishi_witness_makes_a_key_once_and_refuses_to_serve_with_an_unreadable_one(tmp_path: Path) -> None:
    key = tmp_path / "witness.pem"
    made = runner.invoke(cli, ["witness", "keygen", "--out", str(key)])
    assert made.exit_code == 0 and made.stdout.startswith("public key: ") and key.stat().st_mode & 0o777 == 0o600
    assert runner.invoke(cli, ["witness", "keygen", "--out", str(key)]).exit_code == 2  # never overwritten
    unreadable = runner.invoke(cli, ["witness", "serve", "--key", str(tmp_path / "none.pem"), "--name", "w",
                                     "--log", "ab" * 32, "--state", str(tmp_path / "state")])
    assert unreadable.exit_code == 2 and "cannot read the private key" in unreadable.stderr
