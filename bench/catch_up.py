"""`python -m bench.catch_up --size S [--entries 10000] [--per-transaction 500] [--backend sqlite|postgres]`:
how soon a burst of writes by another process is readable through a server's read models (issue 22).

A generated county (``--size``; or a copy of a built SQLite data directory, ``--store``) with its read
models caught up. Then, in one run:

* **live** — a writer process stores ``--entries`` entries on the county's cadres in post (培训
  TrainingCompleted and 表现记实 PerformanceNoted, effective 1–20 days before: recorded on time, not
  R-RETROACTIVE's late entries) through ``Jishi.handle`` with every guard, in transactions of
  ``--per-transaction`` commands: 500 is an Excel 台账 import (``jishi import xlsx``,
  ``service/imports/runner.py``: the application's batch saved every 500 rows), 1 a request to the API
  (one command, one transaction). Meanwhile this process — the server's side — runs the runner's
  background follower as ``jishi serve`` does (``ProjectionRunner.start_follower``). Measured: the
  time from the last write's commit until every projection's position reached it **and** the last
  entry is in its cadre's growth file read through ``ReadModels`` (the target: < 5 s for 10,000).
  Twice: **cold** (the server just started: its aggregate and findings caches empty, so each cadre's
  first event reloads the cadre from the store and runs every monitor over it), then **warm** (another
  burst on the same cadres, now cached);
* **behind** — the same burst again with the follower stopped, then one ``catch_up`` of all of it:
  the catch-up rate (events/s) when the follower has a backlog;
* **baselines** (same run): the write rate of each burst, and a scan + decrypt + decode of the burst's
  records (``select_notifications``, pages of 1,000).

Nothing here asserts a timing; each figure is printed with the load average beside it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import select

from bench.report import met
from bench.stores import scan_decode
from domain.errors import JishiError
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_application, build_runtime
from jishi.settings import Settings
from projections import maintenance
from projections.follower import INTERVAL
from projections.models import FAR, NEVER, Position, SpanRow
from service.commands import RecordEntry

BY = Provenance("bench-hr", "hr", "bench-catch-up")
TARGET_SECONDS = 5.0


@dataclass
class Burst:
    """What the writer process reports: its commits and the last entry it stored."""

    stored: int = 0
    refused: int = 0
    first_position: int = 0
    last_position: int = 0
    started: float = 0.0  # time.monotonic() (system-wide on Linux: comparable across processes)
    last_commit: float = 0.0
    last_entry: tuple[str, str] = ("", "")  # (cadre id, entry id)

    @property
    def events(self) -> int:
        return self.last_position - self.first_position + 1

    @property
    def write_rate(self) -> float:
        return self.events / max(self.last_commit - self.started, 1e-9)


@dataclass
class FollowerClock:
    """The time the follower spent inside ``catch_up`` and the events it applied there."""

    busy: float = 0.0
    applied: int = 0
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def commands(cadres: list[str], entries: int, seed: int) -> Iterator[RecordEntry]:
    """``entries`` entries spread over ``cadres``: mostly trainings, some 表现记实."""
    rng, today = random.Random(seed), date.today()
    for n in range(entries):
        cadre, day = UUID(rng.choice(cadres)), today - timedelta(days=rng.randint(1, 20))
        if n % 5 == 4:
            yield RecordEntry(cadre, "PerformanceNoted", {
                "effective_on": day.isoformat(), "context": "急难险重", "task": "防汛救灾",
                "narrative": f"在防汛救灾工作中冲锋在前（批次{seed}-{n}）", "reported_by": "县应急管理局"})
        else:
            yield RecordEntry(cadre, "TrainingCompleted", {
                "effective_on": day.isoformat(), "kind": "专题培训",
                "course": f"学习贯彻党的创新理论专题培训班{seed}-{n}", "provider": "县委党校",
                "started_on": (day - timedelta(days=3)).isoformat(), "hours": "24", "passed": True})


def write_burst(settings: Settings, cadres: list[str], entries: int, per_transaction: int, seed: int,
                out: Any) -> None:
    """The writer process: ``entries`` stored entries (refusals skipped), ``per_transaction`` a transaction."""
    app = build_application(settings)
    burst = Burst(first_position=(app.recorder.max_notification_id() or 0) + 1)
    source = commands(cadres, entries * 2, seed)  # spares for the refused
    burst.started = time.monotonic()
    while burst.stored < entries:
        chunk = min(per_transaction, entries - burst.stored)
        with app.batch(size=1 << 30) as batch:  # saved once, when the block ends
            done = 0
            for command in source:
                try:
                    result = app.handle(command, BY, batch=batch)
                except JishiError:
                    burst.refused += 1
                    continue
                burst.last_entry = (str(command.cadre_id), str(result.entry_id))
                done += 1
                if done == chunk:
                    break
        burst.last_commit = time.monotonic()
        burst.stored += done
    burst.last_position = app.recorder.max_notification_id() or 0
    app.close()
    out.put(orjson.dumps(burst.__dict__))


def run_writer(settings: Settings, cadres: list[str], entries: int, per_transaction: int, seed: int) -> Burst:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=write_burst, args=(settings, cadres, entries, per_transaction, seed, queue))
    process.start()
    data = orjson.loads(queue.get())
    process.join()
    data["last_entry"] = tuple(data["last_entry"])
    return Burst(**data)


def reached(runtime: Runtime) -> int:
    """The lowest projection position, read through the readers' engine (never waits for a page)."""
    with runtime.read_models.engine.connect() as conn:
        return min(conn.execute(select(Position.position)).scalars())


def readable(runtime: Runtime, burst: Burst, poll: float = 0.005) -> float:
    """Wait until every projection reached the burst's last event and its last entry is in the growth
    file read through ``ReadModels``; the monotonic time it was first seen so."""
    cadre, entry = burst.last_entry
    while True:
        if reached(runtime) >= burst.last_position:
            seen = time.monotonic()
            record = runtime.read_models.growth_file(UUID(cadre), date.today(), None)
            if entry in orjson.dumps(record, default=str).decode():
                return seen
            raise AssertionError(f"positions reached {burst.last_position} but entry {entry} is not in the growth file")
        time.sleep(poll)


def timed_follower(runtime: Runtime) -> FollowerClock:
    """Count the follower's time in ``catch_up`` (the bench's own wrapper on this runner instance)."""
    clock, runner = FollowerClock(), runtime.runner
    inner: Callable[..., int] = runner.catch_up

    def catch_up(until: int | None = None, progress: Any = None) -> int:
        before = reached(runtime)
        started = time.perf_counter()
        position = inner(until, progress)
        with clock.lock:
            clock.busy += time.perf_counter() - started
            clock.applied += max(0, position - before)
            clock.calls += 1
        return position

    runner.catch_up = catch_up  # type: ignore[method-assign]
    return clock


@contextmanager
def county(size: str, backend: str, store: Path | None, seed: int) -> Iterator[Settings]:
    """Settings of a store with its read models caught up: a copy of ``store``, or ``size`` generated."""
    root = Path(tempfile.mkdtemp(prefix="jishi-catch-up-"))
    server = None
    try:
        if store is not None:
            shutil.copytree(store, root / "store")
            settings = Settings(data_dir=root / "store")
        else:
            if backend == "postgres":
                from tests.pgserver import PostgresServer

                server = PostgresServer().start()
                settings = Settings(data_dir=root / "store", database_url=server.url(server.create_database()))
            else:
                settings = Settings(data_dir=root / "store")
            from demo.generator import generate

            runtime = build_runtime(settings)
            try:
                generate(runtime.app, size, seed=seed)
                runtime.runner.rebuild()
            finally:
                runtime.close()
        yield settings
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


def active_cadres(runtime: Runtime) -> list[str]:
    with runtime.read_models.engine.connect() as conn:
        return sorted(set(conn.execute(select(SpanRow.cadre_id).where(
            SpanRow.kind == "post", SpanRow.recorded_to == NEVER, SpanRow.valid_to == FAR)).scalars()))


def load() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def show(*rows: tuple[str, str]) -> None:
    """Print the table's rows as soon as they are measured (a run at S takes minutes)."""
    for name, value in rows:
        print(f"| {name} | {value} |", flush=True)


def live(runtime: Runtime, settings: Settings, cadres: list[str], args: argparse.Namespace, seed: int,
         label: str) -> None:
    """A burst by the writer process while this process's follower runs, as in ``jishi serve``."""
    clock = timed_follower(runtime)
    runtime.runner.start_follower(args.interval)
    load_before = load()
    burst = run_writer(settings, cadres, args.entries, args.per_transaction, seed)
    seen = readable(runtime, burst)
    runtime.runner.stop()
    vars(runtime.runner).pop("catch_up")  # the runner's own catch_up again, unwrapped
    latency = seen - burst.last_commit
    show(
        (f"{label}: write burst (writer process, every guard)",
         f"{burst.stored:,} entries ({burst.refused} refused), {burst.events:,} events in "
         f"{burst.last_commit - burst.started:.1f} s = {burst.write_rate:,.0f} events/s; load {load_before}"),
        (f"{label}: last commit → readable (positions + growth file)",
         f"**{latency:.2f} s** (target < {TARGET_SECONDS:.0f} s: {met(latency < TARGET_SECONDS)})"),
        (f"{label}: follower", f"{clock.calls} catch-ups, {clock.applied:,} events in {clock.busy:.1f} s busy = "
                               f"{clock.applied / max(clock.busy, 1e-9):,.0f} events/s; load {load()}"),
    )


def measure(settings: Settings, args: argparse.Namespace) -> None:
    runtime = build_runtime(settings)
    try:
        runtime.runner.catch_up()
        cadres = active_cadres(runtime)
        head = runtime.runner.head()
        show(("store", f"{head:,} events, {len(cadres):,} cadres in post (the entries' cadres)"))
        live(runtime, settings, cadres, args, args.seed, "live, cold (a server just started: its caches empty)")
        live(runtime, settings, cadres, args, args.seed + 2, "live, warm (the same server again: these cadres cached)")
        # behind: the burst written with no follower, then one catch-up of all of it
        load_before = load()
        behind = run_writer(settings, cadres, args.entries, args.per_transaction, args.seed + 1)
        started = time.perf_counter()
        runtime.runner.catch_up()
        took = time.perf_counter() - started
        readable(runtime, behind)
        scan = scan_decode(runtime, behind.first_position, behind.last_position)[1]
        started = time.perf_counter()
        maintenance.analyze(runtime.runner.engine)
        analyze = time.perf_counter() - started
        show(
            ("behind: write burst (no follower)",
             f"{behind.events:,} events in {behind.last_commit - behind.started:.1f} s = "
             f"{behind.write_rate:,.0f} events/s; load {load_before}"),
            ("behind: one catch-up of the whole burst (ledger sync included)",
             f"{took:.2f} s = **{behind.events / took:,.0f} events/s**; load {load()}"),
            ("baseline: scan + decrypt + decode of the burst's records",
             f"{scan:.2f} s = {behind.events / scan:,.0f} events/s (catch-up at {scan / took:.1%} of it)"),
            (f"of which: ANALYZE, run inline after a catch-up of ≥ {maintenance.ANALYZE_AFTER:,} events",
             f"{analyze:.2f} s (timed again on its own)"),
        )
    finally:
        runtime.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catch_up", description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--store", type=Path, default=None,
                        help="a built SQLite data directory to copy instead of generating "
                             "(e.g. DIR/main of a kept `python -m bench --data-dir DIR` run)")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--per-transaction", type=int, default=500, help="500: an Excel import; 1: API requests")
    parser.add_argument("--interval", type=float, default=None, help=f"the follower's interval (default {INTERVAL} s)")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)
    args.interval = INTERVAL if args.interval is None else args.interval
    what = f"{args.store}" if args.store else f"size {args.size}"
    print(f"\n{what} on {args.backend}, {args.entries:,} entries, {args.per_transaction} per transaction, "
          f"follower interval {args.interval} s\n\n| measure | figure |\n|---|---|", flush=True)
    with county(args.size, args.backend, args.store, args.seed) as settings:
        measure(settings, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
