"""Growth-file reads stored in batches (api/read_log.py): every read is stored before ``record`` returns,
reads that arrive together share a transaction, and a batch that cannot be stored fails every request in it."""

from __future__ import annotations

import threading
from typing import Any
from uuid import uuid4

import pytest

from api import read_log
from api.read_log import ReadLog
from domain.recorded import Provenance
from service.users import reads


def test_reads_recorded_from_many_threads_at_once_are_each_stored_before_record_returns(runtime: Any) -> None:
    log = ReadLog(runtime.app)
    cadre = uuid4()
    stored_when_returned: list[bool] = []
    lock = threading.Lock()

    def read(n: int) -> None:
        by = Provenance(f"reader-{n}", "auditor", f"req-{n}")
        log.record(cadre, by)
        seen = {r["request_id"] for r in reads(runtime.app, cadre, limit=1000)}
        with lock:
            stored_when_returned.append(f"req-{n}" in seen)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stored_when_returned == [True] * 24
    assert sorted(r["request_id"] for r in reads(runtime.app, cadre, limit=1000)) == sorted(
        f"req-{n}" for n in range(24))


class FailingStore:
    """An application whose store refuses every write (a full disk, a lost database)."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def save(self, *records: Any) -> None:
        self.batches.append(len(records))
        raise OSError("database or disk is full")


def test_a_read_that_cannot_be_stored_fails_its_request() -> None:
    store = FailingStore()
    log = ReadLog(store)
    with pytest.raises(OSError, match="disk is full"):
        log.record(uuid4(), Provenance("reader", "auditor", "req-1"))
    with pytest.raises(OSError, match="disk is full"):  # the next read is tried again, not given up on
        log.record(uuid4(), Provenance("reader", "auditor", "req-2"))
    assert store.batches == [1, 1]


def burst(log: ReadLog, cadre: Any, readers: int, actor: str = "burst-reader") -> list[BaseException | None]:
    """``readers`` threads record a read of ``cadre`` at once; what each one's ``record`` raised (None: stored)."""
    outcomes: list[BaseException | None] = [None] * readers
    start = threading.Barrier(readers)

    def read(n: int) -> None:
        start.wait()
        try:
            log.record(cadre, Provenance(actor, "auditor", f"burst-{n}"))
        except BaseException as failed:  # the outcome under test
            outcomes[n] = failed

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_each_read_of_a_concurrent_burst_appears_exactly_once_in_the_audit_trail_and_the_ledger_verifies(
        runtime: Any) -> None:
    cadre = uuid4()
    assert burst(ReadLog(runtime.app), cadre, 32) == [None] * 32
    runtime.catch_up()  # the follower's work: audit rows, ledger leaves
    stored = reads(runtime.app, cadre, limit=1000)
    trail = runtime.read_models.audit_trail("actor", "burst-reader", limit=1000)
    assert sorted(r["request_id"] for r in stored) == sorted(f"burst-{n}" for n in range(32))
    assert [row["type"] for row in trail] == ["GrowthFileRead"] * 32
    assert sorted(row["position"] for row in trail) == sorted(r["position"] for r in stored)  # each exactly once
    assert {row["actor_role"] for row in trail} == {"auditor"}
    runtime.ledger.sync(runtime.app.recorder)
    report = runtime.ledger.verify(runtime.app.recorder)
    assert report.ok, report.divergences
    assert report.checked == report.size == runtime.runner.head()


class SlowFailingStore(FailingStore):
    """A store that refuses every write after a moment, so that the reads arriving meanwhile form batches."""

    def save(self, *records: Any) -> None:
        threading.Event().wait(0.02)
        super().save(*records)


def test_a_burst_whose_store_fails_answers_none_of_its_reads_and_tries_each_once() -> None:
    store = SlowFailingStore()
    outcomes = burst(ReadLog(store), uuid4(), 16)
    assert all(isinstance(o, OSError) for o in outcomes)  # no read of any failed batch is answered
    assert sum(store.batches) == 16 and len(store.batches) < 16  # batched, and every read in exactly one


class SlowStore:
    """A store that takes a moment for each batch, so that reads queue behind it; it keeps what it stored."""

    def __init__(self) -> None:
        self.batches: list[list[Any]] = []

    def save(self, *records: Any) -> None:
        threading.Event().wait(0.01)
        self.batches.append(list(records))


def test_reads_queued_beyond_one_batch_are_each_stored_once_in_batches_no_larger_than_the_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_log, "MAX_BATCH", 3)
    store = SlowStore()
    assert burst(ReadLog(store), uuid4(), 20) == [None] * 20  # every request answered: its read stored
    stored = [record for batch in store.batches for record in batch]
    assert sorted(r.request_id for r in stored) == sorted(f"burst-{n}" for n in range(20))  # each exactly once
    assert max(len(batch) for batch in store.batches) <= 3 and len(store.batches) < 20
