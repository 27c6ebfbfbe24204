"""Take the README's screenshots of the web pages (1280 px wide) on demo-like data, and time the pages.

Builds a county (two roots, departments and towns, ~200 cadres with ten years of assessments, training,
talks, pools, secondments, a sanction, corrections, a retraction, an override and a full selection case)
in a fresh data directory, serves Jishi with uvicorn on a free port, signs in through the sign-in page
as hr / auditor / oversight / admin and saves ``docs/screenshots/{roster,growth-file,audit-trail,findings,
calendar,structure,pools,eligibility,ledger}.png`` (the calendar page as on the day it runs: from
1 November it shows next year's notice) with Debian's chromium (install ``chromium`` and
``fonts-noto-cjk``: Chinese needs a CJK font).
``--timings N`` also fetches the roster and growth-file pages N times and prints their Server-Timing;
with ``--demo-size S`` it does the same on the county of the demo generator (``demo``, ``jishi demo``).

    .venv/bin/python scripts/screenshots.py [--cadres 200] [--out docs/screenshots] [--timings 50 [--demo-size S]]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before any of the project's imports: this checkout's, not an installed one

# this script's own modules, beside it in scripts/ (the first entry of sys.path when run as a script)
from screenshot_county import Builder  # noqa: E402
from screenshot_pages import demo_timings, report, screenshots, serving, timings  # noqa: E402

from domain.errors import JishiError  # noqa: E402
from domain.ids import cadre_id  # noqa: E402
from domain.recorded import Provenance  # noqa: E402
from jishi.bootstrap import build_runtime  # noqa: E402
from jishi.settings import Settings  # noqa: E402
from service.users import add_user, issue_token  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="default: a new temporary directory; an existing one is reused, not rebuilt")
    parser.add_argument("--timings", type=int, default=0, help="also time each page N times")
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--demo-size", default=None,
                        help="with --timings: also time the pages on the demo generator's data of this size (S …)")
    parser.add_argument("--demo-dir", type=Path, default=None, help="where that data is kept (reused if present)")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="jishi-demo-"))
    reuse = (data_dir / "events.sqlite").exists()
    runtime = build_runtime(Settings(data_dir=data_dir))
    started = time.perf_counter()
    if reuse:  # a data directory built by an earlier run: only take the pictures again
        featured = cadre_id("QS09001")
        runtime.catch_up()
        print(f"demo data: reusing {data_dir}")
    else:
        builder = Builder(runtime.app, args.cadres)
        featured = builder.build()
        runtime.catch_up()
        positions = runtime.app.recorder.max_notification_id() or 0
        print(f"demo data: {args.cadres} cadres, {positions} events ({builder.refused} generated entries refused by "
              f"the rules) in {time.perf_counter() - started:.1f} s ({data_dir})")
    by = Provenance("demo-admin", "admin", "demo")
    tokens = {}
    for role, name in (("hr", "hr-chief"), ("auditor", "auditor-sun"), ("oversight", "oversight-zhou"),
                       ("admin", "admin-zhao")):
        try:
            tokens[role] = add_user(runtime.app, name, role, role == "hr", by)
        except JishiError:
            tokens[role] = issue_token(runtime.app, name, by)
    try:
        with serving(runtime) as base:
            if not args.no_screenshots:
                for path in screenshots(base, tokens, featured, args.out):
                    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            if args.timings:
                print("this script's county:")
                pages = {"roster QS-CG": "/units/QS-CG/roster",
                         "roster QS-CZJ as_of 2020-06-30": "/units/QS-CZJ/roster?as_of=2020-06-30",
                         "growth file 王晓东": f"/cadres/{featured}"}
                report(timings(base, tokens["hr"], pages, args.timings))
    finally:
        runtime.close()
    if args.timings and args.demo_size:
        demo_timings(args.demo_size, args.timings, args.demo_dir)


if __name__ == "__main__":
    main()
