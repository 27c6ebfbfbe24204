"""Key files (the ledger's signing key, the store's cipher key) are written once, whole, by whoever comes
first — also when the threads of one process race to make them (ledger.keys.write_private_once)."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from ledger.keys import load_signing_key, public_key_hex, write_private_once
from tests.together import at_once


def test_threads_writing_one_key_file_at_once_leave_one_whole_key_and_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    start = threading.Barrier(8)
    contents = [bytes([65 + n]) * 50_000 for n in range(8)]
    seen: list[bytes] = []

    def write(data: bytes) -> None:
        start.wait(30)
        write_private_once(path, data)
        seen.append(path.read_bytes())

    threads = [threading.Thread(target=write, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert path.read_bytes() in contents  # one writer's key, whole
    assert seen == [path.read_bytes()] * 8  # every writer then reads that same key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    write_private_once(path, b"first")
    write_private_once(path, b"second")
    assert path.read_bytes() == b"first"


def test_threads_making_the_ledger_key_together_all_get_the_same_key(tmp_path: Path) -> None:
    keys, errors = at_once(lambda: public_key_hex(load_signing_key(tmp_path)), 6, timeout=30)
    assert errors == [] and len(keys) == 6 and len(set(keys)) == 1
