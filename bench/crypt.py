"""What encrypting the read models costs (issue 21): the same encrypted event store projected three
ways — read models in clear, sealed columns (projections/sealed.py, what Jishi does) and the whole
read-model file under SQLCipher (the ``sqlcipher3-binary`` package) — each rebuilt once and read
through ``ReadModels`` (roster, growth file, search by surname and by whole ID number).

``python -m bench.crypt --size S [--data-dir D] [--samples 200]`` prints a Markdown table (SQLite only:
SQLCipher has no PostgreSQL counterpart)."""

from __future__ import annotations

import argparse
import base64
import random
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select

from bench.sections import timed
from demo.generator import generate
from jishi.bootstrap import build_runtime
from jishi.cipher import sealer_for
from jishi.settings import Settings
from projections.db import make_engine
from projections.models import SpanRow, UnitRow
from projections.queries import ReadModels
from projections.runner import ProjectionRunner
from projections.sealed import Sealer

VARIANTS = ("clear", "sealed columns", "SQLCipher")


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def read_side(settings: Settings, variant: str, root: Path) -> tuple[str, Sealer | None]:
    path = root / f"read-{variant.replace(' ', '-').lower()}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if variant == "SQLCipher":
        passphrase = base64.b16encode(base64.b64decode(settings.cipher_key or "")).decode()
        return f"sqlite+pysqlcipher://:{passphrase}@/{path}", None
    return f"sqlite:///{path}", sealer_for(settings, settings.cipher_key) if variant == "sealed columns" else None


def measure(runtime: Any, variant: str, root: Path, samples: int, rng: random.Random) -> dict[str, Any]:
    url, sealer = read_side(runtime.settings, variant, root)
    runner = ProjectionRunner(runtime.app, make_engine(url, writer=True, sealer=sealer))
    reads = ReadModels(make_engine(url, sealer=sealer), runtime.app.config, runner)
    try:
        head = runner.head()
        started = time.perf_counter()
        runner.rebuild()
        rebuild = time.perf_counter() - started
        with reads.engine.connect() as conn:
            units = sorted(set(conn.execute(select(UnitRow.code)).scalars()))
            profiles = conn.execute(select(SpanRow.cadre_id, SpanRow.label, SpanRow.data)
                                    .where(SpanRow.kind == "profile")).all()
        chosen = rng.sample(profiles, min(200, len(profiles)))
        today = date.today()
        cases: dict[str, Callable[[], Any]] = {
            "roster": lambda: reads.roster(rng.choice(units), today, None),
            "growth file": lambda: reads.growth_file(UUID(rng.choice(chosen).cadre_id), today, None),
            "search (surname)": lambda: reads.search(q=rng.choice(chosen).label[:1], as_of=today),
            "search (ID number)": lambda: reads.search(q=rng.choice(chosen).data["id_number"], as_of=today),
        }
        figures: dict[str, Any] = {"events": head, "rebuild": rebuild,
                                   "size": sum(p.stat().st_size for p in root.glob(Path(url).name + "*"))}
        for what, call in cases.items():
            for _ in range(5):
                call()
            times = timed([call] * samples)
            figures[what] = (percentile(times, 0.5), percentile(times, 0.99))
        return figures
    finally:
        runner.stop()
        runner.engine.dispose()
        reads.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crypt")
    parser.add_argument("--size", default="S")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jishi-bench-crypt"))
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args(argv)
    settings = Settings(data_dir=args.data_dir / "store")
    runtime = build_runtime(settings)
    try:
        if not runtime.app.recorder.max_notification_id():
            started = time.perf_counter()
            generate(runtime.app, args.size, seed=2017)
            print(f"generated {args.size} in {time.perf_counter() - started:.0f} s")
        results = {v: measure(runtime, v, args.data_dir, args.samples, random.Random(7)) for v in VARIANTS}
    finally:
        runtime.close()
    clear = results["clear"]
    print(f"\n{clear['events']:,} events, {args.samples} samples per read, p50 / p99 in ms\n")
    print("| read models | rebuild (s) | vs clear | roster | growth file | search (surname) | search (ID number) "
          "| read file (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for variant, r in results.items():
        reads = " | ".join(f"{r[k][0] * 1000:.1f} / {r[k][1] * 1000:.1f} ({r[k][0] / clear[k][0]:.0%})"
                           for k in ("roster", "growth file", "search (surname)", "search (ID number)"))
        print(f"| {variant} | {r['rebuild']:.1f} | {r['rebuild'] / clear['rebuild']:.0%} | {reads} "
              f"| {r['size'] / 1e6:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
