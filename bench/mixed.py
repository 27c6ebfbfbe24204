"""A bounded mixed load (issue 16): writers and readers at once against `jishi serve --workers N` for a
fixed time; every answer's status counted per kind of request, with latencies. Required: no 5xx.

    python -m bench.mixed --backend sqlite|postgres --writers 8 --readers 8 --seconds 300 [--out docs/robustness.md]

The store first holds a generated county (``--size``, by ``demo``), so the reads have something
to read; the writers run the crash trials' workload (``bench/workload.py``) on units of their own,
the readers read rosters, growth files, search, audit trails, the event feed, findings, eligibility,
structure and pools of the county. Afterwards the writes are judged as in the crash trials (each 201
stored exactly once, each refusal nothing), the read models caught up are compared with a rebuild
(checksum) and the ledger is verified.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from bench.exactly_once import StoreScan, judge, occupancy_mismatches
from bench.process import Server, add_user, jishi, tracebacks
from bench.report import pct
from bench.robustness import git_commit, kinds, machine, problems, store, write_section
from bench.workload import Generator, Writer, WriterState, prepare
from jishi.bootstrap import build_runtime
from jishi.settings import Settings

POOLS = ("年轻干部库", "后备干部库")


@dataclass
class Tally:
    """Per kind of request: how many of each status, and every latency."""

    statuses: dict[str, Counter[int | None]] = field(default_factory=lambda: defaultdict(Counter))
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, status: int | None, seconds: float) -> None:
        self.statuses[kind][status] += 1
        self.latencies[kind].append(seconds)


def county(settings: Settings, size: str, seed: int) -> tuple[list[str], list[str]]:
    """Generate a county into the empty store and build its read models; its unit codes and cadre ids."""
    from demo.generator import generate
    from projections.models import SpanRow, UnitRow

    runtime = build_runtime(settings)
    try:
        generate(runtime.app, size, seed=seed)
        runtime.runner.rebuild()
        with runtime.read_models.engine.connect() as conn:
            units = sorted(set(conn.execute(select(UnitRow.code)).scalars()))
            cadres = sorted(set(conn.execute(select(SpanRow.cadre_id).where(SpanRow.kind == "profile")).scalars()))
    finally:
        runtime.close()
    return units, cadres


class Reader:
    """A client thread reading the county until ``stop``."""

    def __init__(self, base: str, token: str, units: list[str], cadres: list[str], stop: threading.Event,
                 tally: Tally, rng: random.Random) -> None:
        self.base, self.token, self.units, self.cadres = base, token, units, cadres
        self.stop, self.tally, self.rng = stop, tally, rng

    def path(self) -> tuple[str, str]:
        rng, unit, cadre = self.rng, self.rng.choice(self.units), self.rng.choice(self.cadres)
        kind = rng.choice(("roster", "growth-file", "search", "audit-trail", "feed", "findings", "eligibility",
                           "structure", "pool", "roster-past"))
        past = (date.today() - timedelta(days=rng.randint(30, 2000))).isoformat()
        return kind, {
            "roster": f"/api/v1/units/{unit}/roster",
            "roster-past": f"/api/v1/units/{unit}/roster?as_of={past}",
            "growth-file": f"/api/v1/cadres/{cadre}/growth-file",
            "search": f"/api/v1/cadres?unit={unit}&limit=50",
            "audit-trail": f"/api/v1/audit/cadres/{cadre}?limit=100",
            "feed": f"/api/v1/events?after={rng.randint(0, 40_000)}&limit=100",
            "findings": f"/api/v1/findings?unit={unit}&status=open&limit=100",
            "eligibility": f"/api/v1/cadres/{cadre}/eligibility?rank=四级主任科员",
            "structure": f"/api/v1/structure?unit={unit}",
            "pool": f"/api/v1/pools/{rng.choice(POOLS)}",
        }[kind]

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.token}"}, timeout=120) as c:
            while not self.stop.is_set():
                kind, path = self.path()
                started = time.perf_counter()
                try:
                    status: int | None = c.get(path).status_code
                except httpx.TransportError:
                    status = None
                self.tally.add(f"GET {kind}", status, time.perf_counter() - started)


@dataclass
class MixedResult:
    backend: str
    writers: int
    readers: int
    workers: int
    seconds: float
    size: str
    reads: Tally
    writes: Tally
    violations: list[str]  # lost, doubled or unacknowledged writes; posts disagreeing with holders
    server_errors: list[str]
    checksum_equal: bool
    ledger_verified: bool
    tracebacks: dict[str, int]
    commit: str

    def total(self, tally: Tally) -> int:
        return sum(sum(c.values()) for c in tally.statuses.values())

    def server_error_count(self) -> int:
        return sum(n for t in (self.reads, self.writes) for c in t.statuses.values()
                   for s, n in c.items() if s is None or s >= 500)

    def markdown(self, command: str) -> str:
        reads, writes = self.total(self.reads), self.total(self.writes)
        lines = [
            f"### {self.backend}: {self.writers} writers + {self.readers} readers for {_duration(self.seconds)}", "",
            f"Machine: {machine()}; commit {self.commit}.", "",
            f"Command: `{command}` — `jishi serve --workers {self.workers}`; the store holds a generated county "
            f"(size {self.size}) before the load.", "",
            "| measure | result |", "|---|---|",
            f"| requests | {reads + writes:,} ({(reads + writes) / self.seconds:,.0f} req/s): {reads:,} reads "
            f"({reads / self.seconds:,.0f}/s), {writes:,} writes ({writes / self.seconds:,.0f}/s) |",
            f"| 5xx answers (or no answer) | {self.server_error_count()} |",
            f"| tracebacks in the server log | {kinds(self.tracebacks)} |",
            f"| violations: a 201 not stored exactly once, a refusal that stored something, a post whose "
            f"occupancy disagrees with its holders' records | {len(self.violations)} |",
            f"| read models after catch-up = rebuild (checksum) | {'yes' if self.checksum_equal else '**no**'} |",
            f"| `jishi ledger verify` | {'passed' if self.ledger_verified else '**failed**'} |",
            "", "| request | count | statuses | p50 | p99 |", "|---|---|---|---|---|",
        ]
        for tally in (self.writes, self.reads):
            for kind in sorted(tally.statuses):
                counts = tally.statuses[kind]
                shown = ", ".join(f"{s if s is not None else 'none'}: {n:,}"
                                  for s, n in sorted(counts.items(), key=lambda x: x[0] or 0))
                lat = tally.latencies[kind]
                lines.append(f"| {kind} | {sum(counts.values()):,} | {shown} | {pct(lat, 0.5) * 1000:.0f} ms | "
                             f"{pct(lat, 0.99) * 1000:.0f} ms |")
        lines += problems(self.violations, self.server_errors)
        return "\n".join(lines) + "\n"



def _duration(seconds: float) -> str:
    return f"{seconds / 60:.1f} minutes" if seconds >= 90 else f"{seconds:.0f} s"


def run_mixed(settings: Settings, logs: Path, *, writers: int = 8, readers: int = 8, seconds: float = 300,
              workers: int = 2, size: str = "S", seed: int = 1) -> MixedResult:
    logs.mkdir(parents=True, exist_ok=True)
    commit = git_commit()
    units, cadres = county(settings, size, seed)
    hr, auditor = add_user(settings, "mixed-hr", "hr"), add_user(settings, "mixed-auditor", "auditor")
    server = Server(settings, workers, logs / "server.log")
    server.start()
    reads, writes, stop = Tally(), Tally(), threading.Event()
    try:
        with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {hr}"}, timeout=120) as client:
            posts = prepare(client)
        prefix = f"mx{seed}"
        write_threads = [Writer(server.base, hr, Generator(WriterState(i), f"{prefix}-1-{i}", posts,
                                                           random.Random(f"{seed}-w{i}")), stop,
                                stop_at_silence=False) for i in range(writers)]
        read_threads = [Reader(server.base, auditor, units, cadres, stop, reads, random.Random(f"{seed}-r{i}"))
                        for i in range(readers)]
        runs = [w.run for w in write_threads] + [r.run for r in read_threads]
        threads = [threading.Thread(target=run) for run in runs]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=180)
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    outcomes = [o for w in write_threads for o in w.outcomes]
    for outcome in outcomes:
        writes.add(f"POST {outcome.request.kind}", outcome.status, outcome.seconds)
    scan = StoreScan(settings, prefix)
    scan.scan()
    verdict = judge(outcomes, scan, prefix=f"{prefix}-")
    violations = verdict.violations + occupancy_mismatches(settings, scan.streams(f"{prefix}-"), posts)
    caught_up = jishi(settings, "catch-up", "--quiet", "--checksum")
    verified = jishi(settings, "ledger", "verify")
    rebuilt = jishi(settings, "rebuild", "--quiet", "--checksum")
    return MixedResult(settings.backend, writers, readers, workers, elapsed, size, reads, writes, violations,
                       verdict.server_errors,
                       caught_up.returncode == rebuilt.returncode == 0 and caught_up.last_line == rebuilt.last_line,
                       verified.returncode == 0, dict(tracebacks(server.log)), commit)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(prog="python -m bench.mixed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2, help="jishi serve --workers")
    parser.add_argument("--size", default="S", help="the county generated first (demo sizes)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="keep the store and the logs in this directory")
    parser.add_argument("--out", type=Path, default=None, help="markdown file for this run's section")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server (and PostgreSQL) on the way out
    command = "python -m bench.mixed " + " ".join(argv if argv is not None else sys.argv[1:])
    with store(args.backend, args.keep) as (settings, root):
        result = run_mixed(settings, root / "logs", writers=args.writers, readers=args.readers,
                           seconds=args.seconds, workers=args.workers, size=args.size, seed=args.seed)
    text = result.markdown(command)
    print(text)
    if args.out is not None:
        write_section(args.out, f"mixed:{args.backend}", text)
    return 1 if result.server_error_count() or result.violations or result.tracebacks else 0


if __name__ == "__main__":
    raise SystemExit(main())
