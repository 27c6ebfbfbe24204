"""见证 Jishi's side of witnessing: send each new signed head to the configured witnesses, keep their
cosignatures (``ledger_cosignatures``), and serve them with the head.

* :meth:`Witnessing.cosign` signs a head for the current size (if none is), then asks each witness
  of the policy (a :mod:`ledger.verify.policy` file whose witness lines carry URLs) to cosign it,
  sending the size that witness last cosigned (from the table) and a consistency proof from there.
  A cosignature is stored only after it checks under the witness key of the policy.
* A witness that is down or refuses is only reported: nothing here is on the write path, nothing is
  queued.  The next round sends the then latest head with a proof from the last size the witness did
  cosign, so every record written meanwhile is covered when it is back.  A witness that answers 409
  (it holds another size, e.g. our write of its last answer was lost) is asked once more from there.
* :class:`Courier` runs the rounds on a thread of its own: woken after each catch-up of the ledger,
  and every ``interval`` seconds to retry.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, LargeBinary, String, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ledger.ledger import Ledger
from ledger.store import LedgerBase, head_rows
from ledger.verify import TreeHead
from ledger.verify.cosignature import Cosignature, verify_cosignature
from ledger.verify.policy import Policy, WitnessEntry

__all__ = ["Courier", "Outcome", "Witnessing", "http_post"]

log = logging.getLogger("jishi.witness")
DEFAULT_TIMEOUT = 5.0  # seconds a witness may take to answer one request
Post = Callable[[str, dict[str, Any], float], tuple[int, dict[str, Any]]]


class CosignatureRow(LedgerBase):
    """One witness's cosignature of the head of ``size`` signed with ``log_key_id``."""

    __tablename__ = "ledger_cosignatures"
    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    log_key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    witness_key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    witness: Mapped[str] = mapped_column(String(255))
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    timestamp: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))


@dataclass(frozen=True)
class Outcome:
    """What one witness did with one head: cosigned, current (had it already), refused, unreachable
    or invalid (answered with a cosignature that does not check)."""

    witness: str
    status: str
    detail: str = ""


def http_post(url: str, body: dict[str, Any], timeout: float) -> tuple[int, dict[str, Any]]:
    """POST ``body`` as JSON to ``<url>/add-checkpoint``; the status and the JSON answer.
    Raises ``OSError`` (``URLError``, a timeout) when the witness cannot be reached."""
    request = urllib.request.Request(url.rstrip("/") + "/add-checkpoint", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), _json(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), _json(error.read())


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class Witnessing:
    """The policy's witnesses for one ledger, and the cosignatures they gave."""

    def __init__(self, ledger: Ledger, policy: Policy, *, timeout: float = DEFAULT_TIMEOUT,
                 post: Post = http_post) -> None:
        self.ledger, self.policy, self.timeout, self.post = ledger, policy, timeout, post
        CosignatureRow.__table__.create(ledger.engine, checkfirst=True)  # type: ignore[attr-defined]
        self._lock = threading.Lock()  # one round at a time (the courier, a CLI or a test)

    def cosign(self) -> list[Outcome]:
        """One round: the current head (signed now if need be) to every witness with a URL."""
        with self._lock:
            head = self.ledger.head(sign=True)
            assert head is not None
            return [self._send(witness, head) for witness in self.policy.witnesses if witness.url]

    def _send(self, witness: WitnessEntry, head: TreeHead) -> Outcome:
        size = head["size"]
        old = self._last_cosigned(witness)
        if old >= size:
            return Outcome(witness.name, "current", f"size {old}")
        for attempt in range(2):
            proof = self.ledger.consistency(old, size)["proof"] if 0 < old < size else []
            assert witness.url is not None
            try:
                status, body = self.post(witness.url, {"old": old, "proof": proof, "head": dict(head)}, self.timeout)
            except (OSError, ValueError) as error:
                log.warning("witness %s unreachable: %s", witness.name, error)
                return Outcome(witness.name, "unreachable", str(error))
            held = body.get("size")
            if status == 409 and attempt == 0 and isinstance(held, int) and 0 <= held <= size and held != old:
                old = held  # it holds another size: ask once more from there
                continue
            if status != 200:
                log.warning("witness %s refused the head of size %s: %s %s", witness.name, size, status,
                            body.get("error"))
                return Outcome(witness.name, "refused", f"{status} {body.get('error', '')}".strip())
            return self._keep(witness, head, body)
        return Outcome(witness.name, "refused", "409")

    def _keep(self, witness: WitnessEntry, head: TreeHead, body: Mapping[str, Any]) -> Outcome:
        cosignature: Cosignature = {"witness": witness.name, "key_id": witness.key_id,
                                    "timestamp": body.get("timestamp"),  # type: ignore[typeddict-item]
                                    "signature": body.get("signature")}  # type: ignore[typeddict-item]
        if body.get("witness") != witness.name or not verify_cosignature(cosignature, head, witness.public_key):
            log.warning("witness %s answered a cosignature that does not check", witness.name)
            return Outcome(witness.name, "invalid", "the cosignature does not verify under the policy's key")
        try:
            with self.ledger.engine.begin() as conn:
                conn.execute(insert(CosignatureRow), {
                    "size": head["size"], "log_key_id": head["key_id"], "witness_key_id": witness.key_id,
                    "witness": witness.name, "root_hash": bytes.fromhex(head["root_hash"]),
                    "timestamp": cosignature["timestamp"], "signature": bytes.fromhex(cosignature["signature"])})
        except IntegrityError:
            pass  # cosigned already (another round got there first)
        return Outcome(witness.name, "cosigned", f"size {head['size']}")

    def _last_cosigned(self, witness: WitnessEntry) -> int:
        with self.ledger.read_engine.connect() as conn:
            last = conn.execute(select(func.max(CosignatureRow.size)).where(
                CosignatureRow.log_key_id == self.ledger.key_id,
                CosignatureRow.witness_key_id == witness.key_id)).scalar_one_or_none()
        return int(last or 0)

    def cosignatures(self, size: int) -> list[Cosignature]:
        """The stored cosignatures of this ledger's head of ``size``, by witness name."""
        with self.ledger.read_engine.connect() as conn:
            rows = conn.execute(select(
                CosignatureRow.witness, CosignatureRow.witness_key_id, CosignatureRow.timestamp,
                CosignatureRow.signature).where(
                CosignatureRow.size == size, CosignatureRow.log_key_id == self.ledger.key_id)
                .order_by(CosignatureRow.witness)).all()
        return [{"witness": r.witness, "key_id": r.witness_key_id, "timestamp": int(r.timestamp),
                 "signature": bytes(r.signature).hex()} for r in rows]

    def latest_witnessed(self) -> TreeHead | None:
        """The largest head of this ledger cosigned by at least the policy's quorum of its witnesses."""
        keys = [w.key_id for w in self.policy.witnesses]
        with self.ledger.read_engine.connect() as conn:
            size = conn.execute(
                select(CosignatureRow.size)
                .where(CosignatureRow.log_key_id == self.ledger.key_id, CosignatureRow.witness_key_id.in_(keys))
                .group_by(CosignatureRow.size)
                .having(func.count(CosignatureRow.witness_key_id) >= self.policy.quorum)
                .order_by(CosignatureRow.size.desc()).limit(1)).scalar_one_or_none()
            if size is None:
                return None
            mine = [h for h in head_rows(conn, size=int(size)) if h["key_id"] == self.ledger.key_id]
        return mine[-1] if mine else None


class Courier:
    """Runs :meth:`Witnessing.cosign` on its own thread: when woken, and every ``interval`` seconds."""

    def __init__(self, witnessing: Witnessing, sync: Callable[[], object], interval: float) -> None:
        self.witnessing, self.sync, self.interval = witnessing, sync, interval
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def notify(self) -> None:
        """A new record is in the ledger: cosign soon (returns at once)."""
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="jishi-witness-courier", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.witnessing.timeout * 2 + 5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.sync()
                for outcome in self.witnessing.cosign():
                    log.info("witness %s: %s %s", outcome.witness, outcome.status, outcome.detail)
            except Exception:  # a round that fails is retried on the next wake
                log.exception("a cosigning round failed")
