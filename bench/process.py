"""`jishi` as an operator runs it, for the robustness runs: the CLI as subprocesses, and `jishi serve`
in a process group of its own that can be stopped gently (SIGTERM) or killed (SIGKILL, all workers at
once) and started again on the same store."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

from jishi.settings import Settings


def environment(settings: Settings) -> dict[str, str]:
    """The process environment that points `jishi` at ``settings``' store."""
    env = {**os.environ, "JISHI_DATA_DIR": str(settings.data_dir)}
    # One load generator speaks for many people through a few users: the per-user rate limit (tested on
    # its own, api/rate_limit.py) would measure itself instead of the server.
    env.update({"JISHI_RATE_READS": "0", "JISHI_RATE_WRITES": "0"})
    env.pop("JISHI_DATABASE_URL", None)
    if settings.database_url:
        env["JISHI_DATABASE_URL"] = settings.database_url
    return env


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        lines = self.stdout.strip().splitlines()
        return lines[-1] if lines else ""


def jishi(settings: Settings, *args: str, timeout: float = 600) -> CliRun:
    """Run ``jishi ARGS`` on the store of ``settings``."""
    done = subprocess.run([sys.executable, "-m", "api.cli", *args], env=environment(settings), capture_output=True,
                          text=True, timeout=timeout, check=False)
    return CliRun(done.returncode, done.stdout, done.stderr)


def add_user(settings: Settings, name: str, role: str) -> str:
    """`jishi user add NAME --role ROLE`; the token it prints."""
    run = jishi(settings, "user", "add", name, "--role", role, timeout=120)
    if run.returncode != 0:
        raise RuntimeError(f"jishi user add failed: {run.stderr}")
    return run.last_line


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`jishi serve --workers N` on 127.0.0.1; its stderr (uvicorn's log, tracebacks) goes to ``log``."""

    def __init__(self, settings: Settings, workers: int, log: Path) -> None:
        self.settings, self.workers, self.log = settings, workers, log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._startups_before = 0

    def start(self, timeout: float = 120) -> float:
        """Start and wait until /healthz answers; the seconds it took."""
        started = time.monotonic()
        self._startups_before = self._startups()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=environment(self.settings), stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200 and self._workers_ready():
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"jishi serve exited with {self.process.returncode}: see {self.log}")
            if time.monotonic() - started > timeout:
                self.kill()
                raise RuntimeError(f"jishi serve did not answer within {timeout:.0f} s: see {self.log}")
            time.sleep(0.1)

    def _workers_ready(self) -> bool:
        """With several workers, every one has logged its startup (else the first requests queue on one)."""
        if self.workers == 1:
            return True
        return self._startups() >= self._startups_before + self.workers

    def _startups(self) -> int:
        if not self.log.exists():
            return 0
        return self.log.read_text(encoding="utf-8", errors="replace").count("Application startup complete")

    def kill(self) -> None:
        """SIGKILL the whole process group: the supervisor and every worker, with no chance to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reap()

    def stop(self) -> None:
        """SIGTERM and wait (SIGKILL if it does not end within 30 s)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._reap()

    def _reap(self) -> None:
        """Wait until no process of the group is left (the workers die with the supervisor's group)."""
        assert self.process is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.process = None


def log_size(log: Path) -> int:
    return log.stat().st_size if log.exists() else 0


FRAME = re.compile(r'^\s+File "[^"]+", line \d+, in (\S+)', re.M)


def tracebacks(log: Path, start: int = 0) -> Counter[str]:
    """The tracebacks the server logged after byte ``start``, by exception and the function that raised it
    (e.g. ``KeyError in _mirror_occupancy``)."""
    if not log.exists():
        return Counter()
    with log.open("rb") as fh:
        fh.seek(start)
        text = fh.read().decode("utf-8", errors="replace")
    kinds: Counter[str] = Counter()
    for chunk in text.split("Traceback (most recent call last):")[1:]:
        frames = FRAME.findall(chunk)
        raised = next((line for line in chunk.splitlines()[1:] if line and not line[0].isspace()), "?")
        kinds[f"{raised.split(':')[0]} in {frames[-1] if frames else '?'}"] += 1
    return kinds
