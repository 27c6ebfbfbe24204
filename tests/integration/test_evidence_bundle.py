"""证据包 (issue 23 §3): a cadre's bundle verifies offline with Python and `cryptography` alone, on both
backends, known now or at an earlier instant, and encrypted at rest with the limit the verifier states."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.cryptography import AESCipher

from api.evidence import build_bundle
from domain.errors import ConflictError, NotFoundError, ValidationError
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from ledger.verify import BundleReport, check_bundle
from ledger.verify.bundle import CHECKED_FILES
from service.application import Jishi
from service.commands import CorrectEntry, RecordEntry, RetractEntry
from tests.factories import HR, appointment, organisation, registered

AS_OF = date(2026, 1, 1)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Records in clear (JISHI_CIPHER=none), so the verifier's fold checks the growth file's content; with
    encryption at rest (the default) it can check positions only — the test below says so."""
    return dataclasses.replace(settings, cipher="none")


@dataclasses.dataclass
class History:
    cadre_id: UUID
    before_correction: datetime  # after the appointment, before its correction and the retraction


def history(app: Jishi) -> History:
    """A cadre with an appointment corrected (its date and 文号), a training entry retracted, a
    back-dated assessment and another cadre's records in between (so positions have gaps)."""
    organisation(app)
    cadre_id = registered(app, "C1")
    registered(app, "C2")
    appointed = app.handle(RecordEntry(cadre_id, "Appointed", appointment("2020-01-01")), HR)
    before = datetime.now(UTC)
    app.handle(CorrectEntry(cadre_id, appointed.entry_id, {
        "changes": {"effective_on": "2020-02-01", "document_no": "组干〔2020〕2号"},
        "reason": "任职日期有误", "document_no": "组干〔2020〕9号"}), HR)
    trained = app.handle(RecordEntry(cadre_id, "TrainingCompleted", {
        "effective_on": "2021-05-20", "course": "县处级干部进修班", "provider": "县委党校", "hours": "40",
        "started_on": "2021-05-01", "kind": "任职培训", "passed": True}), HR)
    app.handle(RetractEntry(cadre_id, trained.entry_id, {"reason": "重复录入"}), HR)
    return History(cadre_id, before)


def unzipped(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def run_verifier(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python verifier.py …`` in the unzipped bundle, as an auditor runs it: no PYTHONPATH, no user site,
    and decoy packages named like Jishi's beside it, so any import of the project fails loudly."""
    for name in ("ledger", "jishi", "domain", "api", "service", "projections"):
        (directory / name).mkdir(exist_ok=True)
        (directory / name / "__init__.py").write_text('raise ImportError("needs the project")\n', "utf-8")
    return subprocess.run([sys.executable, "-E", "-s", "verifier.py", *args], cwd=directory,
                          env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=False)


def test_a_bundle_verifies_offline_from_its_unzipped_directory_with_python_and_cryptography_alone(
        runtime: Runtime, tmp_path: Path) -> None:
    story = history(runtime.app)
    bundle = build_bundle(runtime, story.cadre_id, AS_OF, None)
    files = unzipped(bundle.content)
    assert set(CHECKED_FILES) | {"growth-file.html", "README.txt", "verifier.py", "verify/bundle.py"} <= files.keys()
    records = json.loads(files["records.json"])
    assert [r["originator_version"] for r in records] == list(range(1, 6))
    assert all(r["originator_id"] == str(story.cadre_id) for r in records)
    head = json.loads(files["head.json"])
    assert bundle.head_size == head["size"] and all(p["size"] == head["size"]
                                                    for p in json.loads(files["proofs.json"]))
    timeline = json.loads(files["growth-file.json"])["timeline"]
    assert {i["type"] for i in timeline} == {"CadreRegistered", "Appointed", "EntryCorrected", "TrainingCompleted",
                                             "EntryRetracted"}
    page = files["growth-file.html"].decode("utf-8")
    assert "王芳" in page and "成长纪实" in page and "已撤销" in page and "TrainingCompleted" not in page

    directory = tmp_path / "bundle"
    directory.mkdir()
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        archive.extractall(directory)
    key = runtime.ledger.public_key.hex()
    done = run_verifier(directory, "bundle", ".", "--public-key", key)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 5 records proven" in done.stdout and "timeline equals what the records give" in done.stdout
    (tmp_path / "bundle.zip").write_bytes(bundle.content)
    assert run_verifier(directory, "bundle", str(tmp_path / "bundle.zip"), "--public-key", key).returncode == 0
    other_key = "11" * 32
    refused = run_verifier(directory, "bundle", ".", "--public-key", other_key)
    assert refused.returncode == 1 and "not the key you hold" in refused.stdout


def test_a_bundle_known_at_an_earlier_instant_holds_the_record_as_it_stood_then(runtime: Runtime) -> None:
    story = history(runtime.app)
    bundle = build_bundle(runtime, story.cadre_id, AS_OF, story.before_correction)
    files = unzipped(bundle.content)
    growth = json.loads(files["growth-file.json"])
    appointed = next(i for i in growth["timeline"] if i["type"] == "Appointed")
    assert appointed["effective_on"] == "2020-01-01" and not appointed["corrected"]
    assert {i["type"] for i in growth["timeline"]} == {"CadreRegistered", "Appointed"}
    report = check_bundle(files, runtime.ledger.public_key)
    assert report.ok, report.failures
    assert report.growth_file_checked == "fold"
    assert len(json.loads(files["records.json"])) == 5  # every record in the head; the fold keeps those by T


def test_a_bundle_as_of_a_day_before_an_entry_leaves_the_entry_out_and_still_verifies(runtime: Runtime) -> None:
    story = history(runtime.app)
    files = unzipped(build_bundle(runtime, story.cadre_id, date(2020, 1, 15), None).content)
    types = [i["type"] for i in json.loads(files["growth-file.json"])["timeline"]]
    assert "Appointed" not in types and "TrainingCompleted" not in types  # corrected to 2020-02-01
    assert check_bundle(files, runtime.ledger.public_key).ok


def test_an_unknown_cadre_or_a_future_known_at_is_refused(runtime: Runtime) -> None:
    story = history(runtime.app)
    with pytest.raises(NotFoundError):
        build_bundle(runtime, UUID(int=7), AS_OF, None)
    with pytest.raises(ValidationError) as refused:
        build_bundle(runtime, story.cadre_id, AS_OF, datetime(2099, 1, 1, tzinfo=UTC))
    assert refused.value.errors[0].loc == "known_at"


def test_with_encryption_at_rest_the_bundle_proves_the_stored_ciphertext_and_states_what_it_cannot_check(
        settings: Settings) -> None:
    runtime = build_runtime(dataclasses.replace(settings, cipher="aes", cipher_key=AESCipher.create_key(32)))
    try:
        story = history(runtime.app)
        files = unzipped(build_bundle(runtime, story.cadre_id, AS_OF, None, encrypted=True).content)
    finally:
        runtime.close()
    assert "王芳".encode().hex() not in files["records.json"].decode()
    report = check_bundle(files)
    assert report.ok, report.failures
    assert report.growth_file_checked == "positions"
    assert any("encrypted at rest" in note for note in report.notes)
    assert "加密存储" in files["README.txt"].decode("utf-8")
    growth = json.loads(files["growth-file.json"])
    growth["timeline"][1]["position"] = 10_000
    tampered = check_bundle({**files, "growth-file.json": json.dumps(growth).encode()})
    assert not tampered.ok and "no proven record" in tampered.failures[0]


def test_a_bundle_that_disagrees_with_itself_is_built_again_and_never_handed_out(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    import api.evidence

    story = history(runtime.app)
    verdicts = [False, True]

    def check(files: dict[str, bytes], key: bytes | None = None) -> BundleReport:
        report = check_bundle(files, key)
        if not verdicts.pop(0):
            report.fail("并发写入", "a record stamped before T committed after the read")
        return report

    monkeypatch.setattr(api.evidence, "check_bundle", check)
    assert check_bundle(unzipped(build_bundle(runtime, story.cadre_id, AS_OF, None).content)).ok
    assert verdicts == []  # the first build was thrown away
    verdicts.extend([False] * 3)
    with pytest.raises(ConflictError):
        build_bundle(runtime, story.cadre_id, AS_OF, None)


def test_known_at_the_very_instant_of_a_correction_includes_it_and_a_microsecond_before_does_not(
        runtime: Runtime) -> None:
    story = history(runtime.app)
    first = unzipped(build_bundle(runtime, story.cadre_id, AS_OF, None).content)
    correction = json.loads(bytes.fromhex(json.loads(first["records.json"])[2]["state"]))
    stamped = datetime.fromisoformat(correction["timestamp"]["_data_"])
    for instant, shown in ((stamped, True), (stamped - timedelta(microseconds=1), False)):
        files = unzipped(build_bundle(runtime, story.cadre_id, AS_OF, instant).content)
        types = {i["type"] for i in json.loads(files["growth-file.json"])["timeline"]}
        assert ("EntryCorrected" in types) is shown
        report = check_bundle(files, runtime.ledger.public_key)
        assert report.ok and report.growth_file_checked == "fold", report.failures
