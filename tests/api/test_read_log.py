"""Growth-file reads stored in batches (api/read_log.py): every read is stored before ``record`` returns,
reads that arrive together share a transaction, and a batch that cannot be stored fails every request in it."""

from __future__ import annotations

import threading
from typing import Any
from uuid import uuid4

import pytest

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
