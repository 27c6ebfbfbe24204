"""`python -m bench --size XS|S|M|L [--backend sqlite|postgres] [--out docs/benchmarks.md]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from bench.suite import SECTIONS, SIZES, run, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Jishi benchmarks (ARCHITECTURE.md targets)")
    parser.add_argument("--size", default="S", help=f"{' | '.join(SIZES)} or a number of cadres")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--samples", type=int, default=200, help="queries per latency figure")
    parser.add_argument("--http-seconds", type=float, default=10.0, help="duration of the HTTP load (≤ 60)")
    parser.add_argument("--http-clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="jishi serve --workers")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the stores here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=None, help="markdown file to put this run's section in")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated, of {','.join(SECTIONS)} (generate and memory always run; "
                             "queries and http need rebuild, or a --data-dir an earlier run rebuilt)")
    args = parser.parse_args(argv)
    console = Console()
    results = run(args.size, args.backend, seed=args.seed, samples=args.samples,
                  http_seconds=min(60.0, args.http_seconds), http_clients=args.http_clients, workers=args.workers,
                  data_dir=args.data_dir, console=console,
                  sections=tuple(name.strip() for name in args.sections.split(",") if name.strip()))
    text = results.markdown()
    print(text, flush=True)
    if args.out is not None:
        write(results, args.out)
        console.print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
