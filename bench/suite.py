"""The benchmark suite: `run` generates a county (or reuses a kept one) and measures the chosen
sections, one after the other, into one `Results`; `write` puts them in docs/benchmarks.md. The
measurements are in bench/sections.py, the stores and baselines in bench/stores.py, the server in
bench/serving.py and the report in bench/report.py. Nothing here asserts timings: it measures and reports."""

from __future__ import annotations

import os
import random
import resource
from pathlib import Path

from rich.console import Console

from bench.report import Results, machine, met, write
from bench.sections import (
    keep_generated,
    measure_generate,
    measure_http,
    measure_import,
    measure_ledger,
    measure_queries,
    measure_rebuild,
    reuse_generated,
)
from bench.stores import store
from demo.generator import SIZES
from jishi.bootstrap import build_runtime

GENERATED = "generated.json"  # in a kept --data-dir: what was generated there, for later runs
SECTIONS = ("generate", "import", "rebuild", "queries", "http", "ledger", "memory")


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
            kept = data_dir / GENERATED if data_dir is not None else None
            if kept is not None and kept.exists():
                reuse_generated(kept, size, seed, results, console)
            elif runtime.runner.head():
                raise ValueError(f"{settings.data_dir} holds events but no {GENERATED}: an unfinished generation?")
            else:
                measure_generate(runtime, size, seed, results, console)
                if kept is not None:
                    keep_generated(kept, results)
            if reads_only:
                if any(runtime.runner.lag().values()):
                    raise ValueError("queries and http read the read models: they need the rebuild section, or a "
                                     "--data-dir whose read models an earlier run built")
                results.notes.append("The read models were built by an earlier invocation on this --data-dir.")
            if "import" in sections:
                measure_import(runtime, fresh, results, console)
            if "rebuild" in sections:
                measure_rebuild(runtime, results, console)
            if "queries" in sections:
                measure_queries(runtime, rng, samples, results, console)
            if "http" in sections:
                measure_http(runtime, settings, rng, http_seconds, http_clients, workers, results, console)
            if "ledger" in sections:
                measure_ledger(runtime, settings, rng, results, console, after_rebuild="rebuild" in sections)
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


__all__ = ["SECTIONS", "SIZES", "Results", "run", "write"]
