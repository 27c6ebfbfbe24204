"""Demo data: a realistic jurisdiction generated through the real write path (`jishi demo`, `bench/`)."""

from __future__ import annotations

from demo.generator import SEEDS, SIZES, Report, generate

__all__ = ["SEEDS", "SIZES", "Report", "generate"]
