"""Witnesses for tests: real standalone witness servers (ledger/verify/witness_http.py) on free ports,
each with its own state directory, that a test can stop and start again on the same port."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.signing import public_key_bytes
from ledger.verify.policy import Policy, parse_policy
from ledger.verify.witness import STATE_FILE, Witness, WitnessState
from ledger.verify.witness_http import make_server

NAMES = ("jijian.qingshan.gov.cn/w1", "dangan.qingshan.gov.cn/w1", "zuzhibu.city.gov.cn/w1")


@dataclass
class RunningWitness:
    """One witness: its key, state directory and port; ``stop`` and ``start`` keep both."""

    name: str
    key: Ed25519PrivateKey
    state_dir: Path
    log_key: bytes
    port: int = 0
    server: ThreadingHTTPServer | None = None
    state: WitnessState | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.state = WitnessState(self.state_dir)
        self.server = make_server(Witness(self.name, self.key, [self.log_key], self.state), "127.0.0.1", self.port)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None and self.state is not None:
            self.server.shutdown()
            self.server.server_close()
            self.state.close()
            self.server = self.state = None

    def held_size(self) -> int:
        """The size this witness last cosigned for its log, as its state file on disk says."""
        path = self.state_dir / STATE_FILE
        logs = json.loads(path.read_text("utf-8"))["logs"] if path.exists() else {}
        return max((int(v["size"]) for v in logs.values()), default=0)


def start_witnesses(directory: Path, log_key: bytes, count: int = 3) -> list[RunningWitness]:
    witnesses = [RunningWitness(NAMES[i], Ed25519PrivateKey.generate(), directory / f"witness-{i}", log_key)
                 for i in range(count)]
    for witness in witnesses:
        witness.start()
    return witnesses


def policy_text(witnesses: list[RunningWitness], quorum: int) -> str:
    lines = [f"witness {w.name} {public_key_bytes(w.key).hex()} {w.url}" for w in witnesses]
    return "\n".join([*lines, f"quorum {quorum}", ""])


def policy_of(witnesses: list[RunningWitness], quorum: int) -> Policy:
    return parse_policy(policy_text(witnesses, quorum))
