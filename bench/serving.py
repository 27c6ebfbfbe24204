"""`jishi serve` for the suite's HTTP section: started on a free port in a process group of its own,
ended by its id afterwards, and the resident memory of all its processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench.process import environment, free_port
from jishi.settings import Settings


@contextmanager
def server(settings: Settings, workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`jishi serve` on 127.0.0.1 in a process group of its own (ended by its id afterwards)."""
    import httpx

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--workers", str(workers)], env=environment(settings), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("jishi serve did not start")
            time.sleep(0.2)
        yield base, process
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


def rss_of_group(process: subprocess.Popen[bytes]) -> int:
    """Bytes resident in the server and all its workers (0 without psutil)."""
    try:
        import psutil  # type: ignore[import-untyped]  # optional, and without stubs here
    except ImportError:
        return 0
    try:
        root = psutil.Process(process.pid)
        return sum(p.memory_info().rss for p in (root, *root.children(recursive=True)))
    except psutil.Error:
        return 0
