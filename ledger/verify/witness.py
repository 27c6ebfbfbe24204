"""A witness 见证方: checks each new Jishi tree head against the last one it cosigned, then cosigns it.

The witness keeps, per log it watches, the latest head it cosigned (size and root).  A request
(after C2SP ``tlog-witness`` ``add-checkpoint``, in JSON: see :mod:`.witness_http`) brings a new head
and ``old``, the size the sender believes the witness is at, with a consistency proof from there.
The witness cosigns only when

* the head's log is one it watches, and the head is validly signed by that log's key (else 403/404);
* ``old`` is exactly the size it holds (else 409, answering its size, so the sender can retry);
* ``old <= size``, and the proof shows the tree of ``old`` leaves is a prefix of the new one; at
  ``old == size`` the roots must be equal (else 422: a split view or a broken proof).

So every head it ever cosigns extends every earlier one, and it can never cosign two different
heads of one size.  The new state is written durably *before* the cosignature leaves (a temporary
file, fsync, rename, fsync of the directory): a crash loses at most a cosignature never sent.  One
process holds the state directory at a time (an exclusive ``flock`` on ``witness.lock``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hmac
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .cosignature import Cosignature, log_origin, sign_cosignature
from .encoding import EMPTY_ROOT, HASH_SIZE, HEX_RE, is_uint64, key_id
from .heads import verify_tree_head
from .proofs import verify_consistency

__all__ = ["STATE_FILE", "Refusal", "Witness", "WitnessState"]

STATE_FILE = "witness-state.json"
LOCK_FILE = "witness.lock"
MAX_PROOF = 128  # a consistency proof has at most 2 * 64 hashes


class Refusal(Exception):
    """The witness will not cosign: an HTTP status, a reason, and (409) the size it holds."""

    def __init__(self, status: int, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.size = status, reason, size


@dataclass(frozen=True)
class Latest:
    size: int
    root_hash: bytes


class WitnessState:
    """The latest cosigned head per log origin, in ``<directory>/witness-state.json``."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock_file: TextIO = open(self.directory / LOCK_FILE, "a")  # noqa: SIM115 — held for life
        try:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._lock_file.close()
            raise RuntimeError(f"another witness process holds {self.directory}") from exc
        self._logs: dict[str, Latest] = self._read()

    def _read(self) -> dict[str, Latest]:
        path = self.directory / STATE_FILE
        if not path.exists():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        return {origin: Latest(int(v["size"]), bytes.fromhex(v["root_hash"])) for origin, v in data["logs"].items()}

    def latest(self, origin: str) -> Latest:
        return self._logs.get(origin, Latest(0, EMPTY_ROOT))

    def advance(self, origin: str, latest: Latest) -> None:
        """Write the new state durably, then use it (a failed write leaves the old state in force)."""
        logs = {**self._logs, origin: latest}
        data = {"logs": {o: {"size": v.size, "root_hash": v.root_hash.hex()} for o, v in sorted(logs.items())}}
        path = self.directory / STATE_FILE
        temporary = path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        self._logs = logs

    def close(self) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
        self._lock_file.close()


class Witness:
    """Cosigns heads of the logs whose public keys it is given; one request at a time."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey, log_keys: list[bytes], state: WitnessState,
                 clock: Callable[[], float] = time.time) -> None:
        self.name, self.private_key, self.state, self.clock = name, private_key, state, clock
        self.logs = {log_origin(key_id(k)): bytes(k) for k in log_keys}
        self._lock = threading.Lock()

    def add_checkpoint(self, request: Mapping[str, Any]) -> Cosignature:
        """Check a request and cosign its head, or raise :class:`Refusal`."""
        old, proof, head = _parse(request)
        origin = log_origin(str(head["key_id"]))
        log_key = self.logs.get(origin)
        if log_key is None:
            raise Refusal(404, f"unknown log {origin}")
        if not verify_tree_head(head, log_key):
            raise Refusal(403, "the head is not validly signed by the log's key")
        size, root = int(head["size"]), bytes.fromhex(str(head["root_hash"]))
        if old > size:
            raise Refusal(400, f"old size {old} exceeds the head's size {size}")
        with self._lock:
            latest = self.state.latest(origin)
            if old != latest.size:
                raise Refusal(409, f"this witness holds size {latest.size}, not {old}", latest.size)
            if old == size:
                if proof or not hmac.compare_digest(root, latest.root_hash):
                    raise Refusal(422, f"a different root for size {size} than the one cosigned: split view")
            elif old > 0 and not verify_consistency(old, size, latest.root_hash, root, proof):
                raise Refusal(422, f"the consistency proof from size {old} to {size} does not hold")
            elif old == 0 and proof:
                raise Refusal(422, "a proof from size 0 must be empty")
            self.state.advance(origin, Latest(size, root))
            return sign_cosignature(self.private_key, self.name, origin, size, root, int(self.clock()))


def _parse(request: Mapping[str, Any]) -> tuple[int, list[bytes], Mapping[str, Any]]:
    if not isinstance(request, Mapping):
        raise Refusal(400, "expected a JSON object")
    old, proof, head = request.get("old"), request.get("proof"), request.get("head")
    if not is_uint64(old):
        raise Refusal(400, "'old' must be a tree size")
    if not isinstance(proof, list) or len(proof) > MAX_PROOF or not all(
            isinstance(p, str) and len(p) == 2 * HASH_SIZE and HEX_RE.fullmatch(p) for p in proof):
        raise Refusal(400, "'proof' must be a list of hex hashes")
    if not isinstance(head, Mapping) or not isinstance(head.get("key_id"), str) or not is_uint64(head.get("size")):
        raise Refusal(400, "'head' must be a signed tree head")
    return old, [bytes.fromhex(p) for p in proof], head
