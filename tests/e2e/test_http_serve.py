"""`jishi serve` as an operator runs it: a real process with two workers (uvicorn factory mode)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from jishi.settings import Settings
from tests import factories as f

JISHI = [str(Path(sys.executable).parent / "jishi")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_jishi_serve_with_two_workers_serves_the_api_and_its_docs(settings: Settings) -> None:
    env = {**os.environ, "JISHI_DATA_DIR": str(settings.data_dir)}
    env.pop("JISHI_DATABASE_URL", None)
    if settings.database_url:
        env["JISHI_DATABASE_URL"] = settings.database_url
    subprocess.run([*JISHI, "init"], env=env, capture_output=True, text=True, timeout=60, check=True)
    added = subprocess.run([*JISHI, "user", "add", "ops", "--role", "hr"], env=env, capture_output=True,
                           text=True, timeout=60, check=True)
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("ops.")
    port = _free_port()
    server = subprocess.Popen([*JISHI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 40
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            assert client.post("/api/v1/units", json=f.unit("U1")).status_code == 201
            assert client.post("/api/v1/units/U1/posts", json=f.post("P1")).status_code == 201
            for _ in range(4):  # whichever worker answers sees the write (read-your-writes + shared read models)
                roster = client.get("/api/v1/units/U1/roster")
                assert roster.status_code == 200 and roster.json()["posts"][0]["post_code"] == "P1"
            assert client.get("/docs").status_code == 200
            assert "/api/v1/cadres/{cadre_id}/entries" in client.get("/openapi.json").json()["paths"]
            assert client.get("/readyz").json()["status"] in ("ready", "lagging")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
