"""A small bounded HTTP load generator (asyncio + httpx): N concurrent clients for T seconds."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _run(base: str, paths: Sequence[str], token: str, seconds: float, clients: int, max_requests: int,
               seed: int) -> LoadResult:
    result = LoadResult()
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline and result.requests + result.errors < max_requests:
                path = rng.choice(paths)
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    result.requests += 1
                    result.latencies.append(time.perf_counter() - started)
                else:
                    result.errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        result.seconds = time.perf_counter() - started
    return result


def load(base: str, paths: Sequence[str], token: str, *, seconds: float = 10.0, clients: int = 32,
         max_requests: int = 200_000, seed: int = 1) -> LoadResult:
    """GET random ``paths`` from ``base`` with ``clients`` connections until ``seconds`` or ``max_requests``."""
    return asyncio.run(_run(base, paths, token, seconds, clients, max_requests, seed))


@dataclass
class WrkResult:
    rate: float
    requests: int
    errors: int
    p50: float
    p99: float
    seconds: float


def wrk_load(base: str, paths: Sequence[str], token: str, *, seconds: float = 10.0, clients: int = 32,
             threads: int = 2, workdir: str | None = None) -> WrkResult | None:
    """The same load with ``wrk`` (C, far lighter than a Python client), if it is installed."""
    import re
    import shutil
    import subprocess
    import tempfile

    binary = shutil.which("wrk")
    if binary is None:
        return None
    listed = ", ".join(f'"{p}"' for p in paths)
    script = ("local paths = {" + listed + "}\nmath.randomseed(1)\nrequest = function()\n"
              f'  return wrk.format("GET", paths[math.random(#paths)], {{["Authorization"] = "Bearer {token}"}})\n'
              "end\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", dir=workdir, delete=False) as fh:
        fh.write(script)
    done = subprocess.run([binary, f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency",
                           "-s", fh.name, base], capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout

    def latency(label: str) -> float:
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return 0.0
        return float(found.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[found.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+)(s|m)", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if rate is None or total is None:
        return None
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(g) for g in socket_errors.groups())
    duration = float(total.group(2)) * (60 if total.group(3) == "m" else 1)
    return WrkResult(float(rate.group(1)), int(total.group(1)), failed, latency("50"), latency("99"), duration)
