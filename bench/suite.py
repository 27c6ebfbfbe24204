"""The benchmark suite: each figure beside a baseline measured in the same run, and the target of
ARCHITECTURE.md it answers to. Nothing here asserts timings: it measures and reports."""

from __future__ import annotations

import os
import platform
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import orjson
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bench.load import load, wrk_load
from demo.generator import SIZES, generate
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings

GENERATED = "generated.json"  # in a kept --data-dir: what was generated there, for later runs
SECTIONS = ("generate", "import", "rebuild", "queries", "http", "ledger", "memory")


@dataclass
class Results:
    size: str
    backend: str
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # section, what, value, target, status
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, section: str, what: str, value: str, target: str = "—", status: str = "—") -> None:
        self.rows.append((section, what, value, target, status))

    def markdown(self) -> str:
        f = self.facts
        lines = [f"### Size {self.size} on {self.backend} — {f.get('date', '')}", "",
                 f"Machine: {f.get('cores')} cores ({f.get('cpu', '')}), {f.get('memory_gb')} GB memory, "
                 f"Python {platform.python_version()}; {f.get('cadres', 0):,} cadres, {f.get('events', 0):,} events, "
                 f"{f.get('units', 0)} units, {f.get('posts', 0)} posts; {f.get('load', '')}.", "",
                 "| section | measure | result | target (ARCHITECTURE.md) | met? |", "|---|---|---|---|---|"]
        lines += [f"| {s} | {w} | {v} | {t} | {st} |" for s, w, v, t, st in self.rows]
        if self.notes:
            lines += ["", *[f"* {n}" for n in self.notes]]
        return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    memory = 0
    try:
        with open("/proc/meminfo") as fh:
            memory = int(fh.readline().split()[1]) // (1024 * 1024)
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "cores": os.cpu_count(), "memory_gb": memory, "cpu": cpu}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


@contextmanager
def store(backend: str, data_dir: Path | None) -> Iterator[tuple[Settings, Callable[[], Settings]]]:
    """Settings for a fresh store, and a factory of further fresh stores (for the import copy)."""
    root = Path(tempfile.mkdtemp(prefix="jishi-bench-")) if data_dir is None else data_dir
    if backend == "postgres":
        from tests.pgserver import PostgresServer

        server = PostgresServer().start()
        try:
            yield (Settings(data_dir=root, database_url=server.url(server.create_database())),
                   lambda: Settings(data_dir=root, database_url=server.url(server.create_database())))
        finally:
            server.stop()
            if data_dir is None:
                shutil.rmtree(root, ignore_errors=True)
        return
    counter = iter(range(1, 1000))
    try:
        yield Settings(data_dir=root / "main"), lambda: Settings(data_dir=root / f"copy{next(counter)}")
    finally:
        if data_dir is None:
            shutil.rmtree(root, ignore_errors=True)


def stored_chunks(runtime: Runtime, size: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
    """The stored records, a chunk at a time (never the whole log in memory)."""
    rows: list[tuple[Any, ...]] = []
    recorder, start = runtime.app.recorder, 1
    while page := recorder.select_notifications(start, limit=5000):
        rows += [(n.originator_id, n.originator_version, n.topic, n.state) for n in page]
        start = page[-1].id + 1
        if len(rows) >= size:
            yield rows
            rows = []
    if rows:
        yield rows


class RawSink:
    """The baseline: the same rows into a same-shaped table with the driver's executemany."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.database_url
        if self.url:
            import psycopg

            self.pg = psycopg.connect(self.url)
            self.pg.execute("CREATE TABLE raw_events (originator_id uuid, originator_version bigint, topic text, "
                            "state bytea, PRIMARY KEY (originator_id, originator_version))")
            self.pg.commit()
        else:
            import sqlite3

            settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.path = settings.data_dir / "raw.sqlite"
            self.lite = sqlite3.connect(self.path)
            self.lite.execute("PRAGMA journal_mode=WAL")  # as the library's SQLite datastore does
            self.lite.execute("CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                              "state BLOB, PRIMARY KEY (originator_id, originator_version))")  # rowid = position

    def insert(self, rows: list[tuple[Any, ...]], batch: int) -> float:
        if self.url:
            started = time.perf_counter()
            with self.pg.cursor() as cur:
                for i in range(0, len(rows), batch):
                    cur.executemany("INSERT INTO raw_events VALUES (%s, %s, %s, %s)", rows[i:i + batch])
                    self.pg.commit()
            return time.perf_counter() - started
        converted = [(r[0].hex, r[1], r[2], r[3]) for r in rows]  # the driver's types, outside the clock
        started = time.perf_counter()
        for i in range(0, len(converted), batch):
            self.lite.executemany("INSERT INTO raw_events VALUES (?,?,?,?)", converted[i:i + batch])
            self.lite.commit()
        return time.perf_counter() - started

    def close(self) -> None:
        if self.url:
            self.pg.close()
        else:
            self.lite.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class LibrarySink:
    """Bulk import at the store level: the same records through the library's recorder."""

    def __init__(self, settings: Settings) -> None:
        from jishi.bootstrap import build_application

        self.app = build_application(settings)

    def insert(self, rows: list[tuple[Any, ...]], batch: int) -> float:
        from eventsourcing.persistence import StoredEvent

        events = [StoredEvent(r[0], r[1], r[2], r[3]) for r in rows]
        started = time.perf_counter()
        for i in range(0, len(events), batch):
            self.app.recorder.insert_events(events[i:i + batch])
        return time.perf_counter() - started

    def close(self) -> None:
        self.app.close()


def scan_decode(runtime: Runtime) -> tuple[int, float]:
    """The rebuild baseline: read every record of the log in pages and decode its JSON."""
    recorder, start, count = runtime.app.recorder, 1, 0
    started = time.perf_counter()
    while page := recorder.select_notifications(start, limit=1000):
        for note in page:
            orjson.loads(note.state)
        count += len(page)
        start = page[-1].id + 1
    return count, time.perf_counter() - started


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(settings: Settings, workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`jishi serve` on 127.0.0.1 in a process group of its own (ended by its id afterwards)."""
    import httpx

    port = free_port()
    env = {**os.environ, "JISHI_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["JISHI_DATABASE_URL"] = settings.database_url
    else:
        env.pop("JISHI_DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--workers", str(workers)], env=env, start_new_session=True,
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
    try:
        import psutil
    except ImportError:
        return 0
    try:
        root = psutil.Process(process.pid)
        return sum(p.memory_info().rss for p in (root, *root.children(recursive=True)))
    except psutil.Error:
        return 0


def run(size: str, backend: str = "sqlite", *, seed: int = 2017, samples: int = 200, http_seconds: float = 10.0,
        http_clients: int = 32, workers: int = 2, data_dir: Path | None = None,
        console: Console | None = None, sections: tuple[str, ...] = SECTIONS) -> Results:
    """Generate ``size`` and measure ``sections`` (all by default; generate and memory always run).
    The queries and the HTTP load read the read models: they need the rebuild, or a ``data_dir``
    whose read models an earlier run built."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections: {sorted(unknown)} (choose from {', '.join(SECTIONS)})")
    reads_only = bool({"queries", "http"} & set(sections)) and "rebuild" not in sections
    console = console or Console()
    results = Results(size, backend)
    results.facts.update(machine())
    start_load = os.getloadavg()[0]
    rng = random.Random(seed)
    with store(backend, data_dir) as (settings, fresh):
        runtime = build_runtime(settings)
        try:
            kept = settings.data_dir.parent / GENERATED if data_dir is not None and backend == "sqlite" else None
            if kept is not None and kept.exists():
                _reuse(kept, size, seed, results, console)
            elif runtime.runner.head():
                raise ValueError(f"{settings.data_dir} holds events but no {GENERATED}: an unfinished generation?")
            else:
                _generate(runtime, size, seed, results, console)
                if kept is not None:
                    _keep(kept, results)
            if reads_only:
                if any(runtime.runner.lag().values()):
                    raise ValueError("queries and http read the read models: they need the rebuild section, or a "
                                     "--data-dir whose read models an earlier run built")
                results.notes.append("The read models were built by an earlier invocation on this --data-dir.")
            if "import" in sections:
                _import(runtime, fresh, results, console)
            if "rebuild" in sections:
                _rebuild(runtime, results, console)
            if "queries" in sections:
                _queries(runtime, rng, samples, results, console)
            if "http" in sections:
                _http(runtime, settings, rng, http_seconds, http_clients, workers, results, console)
            if "ledger" in sections:
                _ledger(runtime, settings, rng, results, console, after_rebuild="rebuild" in sections)
            skipped = [name for name in SECTIONS if name not in sections and name not in ("generate", "memory")]
            if skipped:
                results.notes.append(f"Not run in this invocation: {', '.join(skipped)} "
                                     f"(`--sections {','.join(sections)}`).")
        finally:
            runtime.close()
    results.facts["load"] = f"load average {start_load:.1f} at the start, {os.getloadavg()[1]:.1f} (5 min) at the end"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ran = ", ".join(name for name in SECTIONS if name in sections and name != "memory")
    verdict = ("— (target at L)" if size != "L" else met(peak < 500) if "rebuild" in sections
               else "— (the target is the rebuild's, which did not run)")
    results.add("memory", f"peak RSS of the bench process ({ran})", f"{peak:,.0f} MB", "< 500 MB at L", verdict)
    return results


def _generate(runtime: Runtime, size: str, seed: int, results: Results, console: Console) -> None:
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"generate {size}", total=1.0)
        report = generate(runtime.app, size, seed=seed, progress=lambda d: progress.update(task, completed=d))
    results.facts.update(cadres=report.cadres, events=report.events, units=report.units, posts=report.posts)
    results.facts["report"] = report
    rate = report.events / report.seconds
    results.add("generate", "write path with every guard, bulk mode (events/s)",
                f"{rate:,.0f} ({report.events:,} events, {report.commands:,} commands in {report.seconds:.0f} s)")
    if report.refused:
        results.notes.append(f"commands refused by the guards during generation: {dict(report.refused)}")


def _keep(path: Path, results: Results) -> None:
    """Remember what was generated into a kept data directory, so a later run can measure it again."""
    report = results.facts["report"]
    path.write_bytes(orjson.dumps({
        "size": report.size, "seed": report.seed, "cadres": report.cadres, "units": report.units,
        "posts": report.posts, "events": report.events, "commands": report.commands, "seconds": report.seconds,
        "refused": dict(report.refused), "date": results.facts["date"]}, option=orjson.OPT_INDENT_2))


def _reuse(path: Path, size: str, seed: int, results: Results, console: Console) -> None:
    """Measure a store an earlier run generated into the same --data-dir (same size and seed only)."""
    kept = orjson.loads(path.read_bytes())
    if (kept["size"], kept["seed"]) != (size, seed):
        raise ValueError(f"{path} holds size {kept['size']} seed {kept['seed']}, not {size} seed {seed}")
    console.print(f"reusing the store generated on {kept['date']} in {path.parent}")
    results.facts.update(cadres=kept["cadres"], events=kept["events"], units=kept["units"], posts=kept["posts"])
    results.facts["report"] = SimpleNamespace(**kept)
    results.add("generate", "write path with every guard, bulk mode (events/s)",
                f"{kept['events'] / kept['seconds']:,.0f} ({kept['events']:,} events, {kept['commands']:,} commands "
                f"in {kept['seconds']:.0f} s; generated by an earlier invocation on {kept['date']})")
    if kept["refused"]:
        results.notes.append(f"commands refused by the guards during generation: {kept['refused']}")


def _import(runtime: Runtime, fresh: Callable[[], Settings], results: Results, console: Console) -> None:
    console.print("bulk import of the stored records into a fresh store …")
    batch, count, library, raw = 1000, 0, 0.0, 0.0
    library_sink, raw_sink = LibrarySink(fresh()), RawSink(fresh())
    try:
        for rows in stored_chunks(runtime):  # both sinks get the same rows, a chunk at a time
            count += len(rows)
            library += library_sink.insert(rows, batch)
            raw += raw_sink.insert(rows, batch)
    finally:
        library_sink.close()
        raw_sink.close()
    lib_rate, raw_rate = count / library, count / raw
    ratio = lib_rate / raw_rate
    results.add("import", f"recorder.insert_events, batches of {batch} (events/s)", f"{lib_rate:,.0f}")
    results.add("import", "baseline: driver executemany of the same rows (rows/s)", f"{raw_rate:,.0f}")
    results.add("import", "ratio import / baseline", f"{ratio:.0%}", "≥ 50 %", met(ratio >= 0.5))
    report = results.facts["report"]
    gen_ratio = (report.events / report.seconds) / raw_rate
    results.add("import", "ratio generate-through-the-guards / baseline", f"{gen_ratio:.1%}", "—",
                "(guards, aggregates and history for every command)")


def _rebuild(runtime: Runtime, results: Results, console: Console) -> None:
    runner = runtime.runner
    head = runner.head()
    columns = (TextColumn("[bold]rebuild"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("rebuild", total=head)
        started = time.perf_counter()
        runner.rebuild(progress=lambda done, reached: progress.update(task, completed=reached))
        elapsed = time.perf_counter() - started
    count, scan = scan_decode(runtime)
    rate, base = head / elapsed, count / scan
    results.add("rebuild", "projection rebuild, all read models, in bulk (`jishi rebuild`) (events/s)",
                f"{rate:,.0f} ({head:,} events in {elapsed:.0f} s)", "≥ 50,000 events/s", met(rate >= 50_000))
    results.add("rebuild", "baseline: scan the log + orjson decode (events/s)", f"{base:,.0f}")
    results.add("rebuild", "ratio rebuild / baseline", f"{rate / base:.2%}")


def _sample_ids(runtime: Runtime, rng: random.Random) -> tuple[list[str], list[UUID], str]:
    from sqlalchemy import select

    from projections.models import SpanRow, UnitRow

    with runtime.read_models.engine.connect() as conn:
        units = sorted({r for r in conn.execute(select(UnitRow.code)).scalars()})
        cadres = sorted({r for r in conn.execute(select(SpanRow.cadre_id).where(SpanRow.kind == "profile"))
                         .scalars()})
    return units, [UUID(c) for c in rng.sample(cadres, min(len(cadres), 500))], ""


def _queries(runtime: Runtime, rng: random.Random, samples: int, results: Results, console: Console) -> None:
    console.print(f"query latency, {samples} samples each …")
    reads = runtime.read_models
    today = date.today()
    units, cadres, _ = _sample_ids(runtime, rng)
    names = [runtime.app.get_cadre(c).profile["name"][:1] for c in cadres[:50]]

    def past() -> tuple[date, datetime]:
        day = date(2018, 1, 1) + timedelta(days=rng.randint(0, (today - date(2018, 1, 1)).days))
        return day, datetime.combine(day + timedelta(days=rng.randint(0, 90)), dtime(12), UTC)

    cases: list[tuple[str, Callable[[], Any], str, float]] = [
        ("roster (as_of today)", lambda: reads.roster(rng.choice(units), today, None), "p99 < 20 ms", 0.020),
        ("growth file", lambda: reads.growth_file(rng.choice(cadres), today, None), "p99 < 20 ms", 0.020),
        ("roster as_of + known_at (a past day, as known then)",
         lambda: reads.roster(rng.choice(units), *past()), "p99 < 20 ms", 0.020),
        ("findings page (open, one unit)", lambda: reads.findings(unit=rng.choice(units), status="open",
                                                                   as_of=today, limit=100), "p99 < 50 ms", 0.050),
        ("findings page (open, whole jurisdiction, 100 rows)",
         lambda: reads.findings(status="open", as_of=today, limit=100), "p99 < 50 ms", 0.050),
        ("search (surname, one unit)", lambda: reads.search(unit=rng.choice(units), q=rng.choice(names), as_of=today),
         "—", 0.0),
    ]
    for what, call, target, limit in cases:
        for _ in range(5):
            call()  # warm up
        times = timed([call] * samples)
        p50, p99 = pct(times, 0.5), pct(times, 0.99)
        results.add("queries", f"{what}: p50 / p99", f"{ms(p50)} / {ms(p99)}", target,
                    met(p99 < limit) if limit else "—")


def _http(runtime: Runtime, settings: Settings, rng: random.Random, seconds: float, clients: int, workers: int,
          results: Results, console: Console) -> None:
    from service.users import add_user

    console.print(f"HTTP: jishi serve --workers {workers}, {clients} clients for {seconds:.0f} s on the roster …")
    token = add_user(runtime.app, f"bench-{uuid4().hex[:12]}", "auditor", False,  # a kept store is measured again
                     Provenance("bench", "admin", "bench"))
    runtime.catch_up()
    units, _, _ = _sample_ids(runtime, rng)
    paths = [f"/api/v1/units/{u}/roster" for u in units]
    with server(settings, workers) as (base, process):
        load(base, paths, token, seconds=2, clients=8, max_requests=400)  # warm up (token cache, connections)
        result = load(base, paths, token, seconds=seconds, clients=clients)
        heavy = wrk_load(base, paths, token, seconds=seconds, clients=clients)
        rss = rss_of_group(process) / (1024 * 1024)
    p50, p99 = pct(result.latencies, 0.5), pct(result.latencies, 0.99)
    results.add("http", f"GET /api/v1/units/{{u}}/roster, {workers} workers, {clients} clients (req/s)",
                f"{result.rate:,.0f} ({result.requests:,} in {result.seconds:.0f} s, {result.errors} errors)",
                "≥ 1,500 req/s", met(result.rate >= 1500))
    results.add("http", "latency p50 / p99 under that load", f"{ms(p50)} / {ms(p99)}")
    if heavy is not None:
        results.add("http", f"the same with wrk (2 threads, {clients} connections) (req/s)",
                    f"{heavy.rate:,.0f} ({heavy.requests:,} in {heavy.seconds:.0f} s, {heavy.errors} errors)",
                    "≥ 1,500 req/s", met(heavy.rate >= 1500))
        results.add("http", "wrk latency p50 / p99", f"{ms(heavy.p50)} / {ms(heavy.p99)}")
    else:
        results.notes.append("wrk is not installed: only the Python load generator was used.")
    results.add("http", "server RSS (all worker processes) after the load", f"{rss:,.0f} MB")
    results.notes.append(f"The load generator (Python asyncio + httpx) runs on the same {os.cpu_count()} cores as "
                         "the server and takes a share of them.")


def _ledger(runtime: Runtime, settings: Settings, rng: random.Random, results: Results, console: Console, *,
            after_rebuild: bool = True) -> None:
    from jishi.bootstrap import open_ledger

    console.print("ledger: verify, inclusion proofs …")
    own = getattr(runtime, "ledger", None)  # the runtime's ledger follows every catch-up (in the rebuild)
    ledger = own or open_ledger(settings)
    try:
        started = time.perf_counter()
        appended = ledger.sync(runtime.app.recorder)
        synced = time.perf_counter() - started
        started = time.perf_counter()
        report = ledger.verify(runtime.app.recorder)
        verified = time.perf_counter() - started
        size = report.size
        head = runtime.runner.head()
        positions = [rng.randint(1, head) for _ in range(100)]
        proofs = []
        for position in positions:
            started = time.perf_counter()
            try:
                ledger.inclusion(position)
            except Exception:  # a gap in positions has no leaf
                continue
            proofs.append(time.perf_counter() - started)
    finally:
        if own is None:
            ledger.close()
    scaled = verified * (4_000_000 / max(1, size))
    if after_rebuild:
        results.add("ledger", "sync after the rebuild (the ledger follows each catch-up, so it is inside the rebuild "
                    "time)", f"{synced:.1f} s, {size:,} records in the tree")
    elif appended:
        results.add("ledger", "sync: append the stored records the Merkle tree lacks (no rebuild ran)",
                    f"{synced:.1f} s for {appended:,} records ({appended / max(synced, 1e-9):,.0f} records/s)")
    else:
        results.add("ledger", "sync (no rebuild ran)", f"already in step: {size:,} records in the tree")
    results.add("ledger", "verify the whole log", f"{verified:.1f} s ({'ok' if report.ok else 'DIVERGED'}); "
                f"≈ {scaled:,.0f} s for 4 M records at this rate", "< 60 s at L (~4 M events)",
                met(scaled < 60))
    results.add("ledger", "inclusion proof p50 / p99", f"{ms(pct(proofs, 0.5))} / {ms(pct(proofs, 0.99))}", "< 5 ms",
                met(pct(proofs, 0.99) < 0.005))


def write(results: Results, out: Path) -> None:
    """Put the run's section into ``out``, replacing the same size and backend's earlier one."""
    marker = f"<!-- bench:{results.size}:{results.backend} -->"
    end = f"<!-- /bench:{results.size}:{results.backend} -->"
    block = f"{marker}\n{results.markdown()}{end}\n"
    text = out.read_text(encoding="utf-8") if out.exists() else (
        "# Benchmarks\n\nWritten by `python -m bench` (see `bench/`). Targets from ARCHITECTURE.md.\n\n"
        "<!-- results -->\n")
    if marker in text and end in text:
        before, rest = text.split(marker, 1)
        text = before + block + rest.split(end, 1)[1].lstrip("\n")
    elif "<!-- results -->" in text:
        text = text.replace("<!-- results -->", f"<!-- results -->\n{block}", 1)
    else:
        text += "\n" + block
    out.write_text(text, encoding="utf-8")


__all__ = ["SECTIONS", "SIZES", "Results", "run", "write"]
